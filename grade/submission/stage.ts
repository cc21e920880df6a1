// Reading a submitted folder safely: it is copied into a private staging folder (regular files only, no exec bits)
// within limits, so nothing the trainee wrote is read twice, followed out of the folder, or run. Symlinks are
// resolved: one that stays inside the submission is copied as what it points to; one that leaves it is a policy
// violation. FIFOs, sockets and devices are never opened (reading a FIFO would hang). `.git` is left out.
// YAML files are parsed with file:line for each problem (templates/ holds Go templates, not YAML: helm renders them).
import { closeSync, fstatSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, realpathSync, rmSync, statSync, writeFileSync, constants, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import type { Text } from '../../i18n/index.js';
import { gmsg as smsg } from '../messages.js';

export interface Limits { maxFiles: number; maxFileBytes: number; maxTotalBytes: number; maxDepth: number }
export const DEFAULT_LIMITS: Limits = { maxFiles: 500, maxFileBytes: 1 << 20, maxTotalBytes: 8 << 20, maxDepth: 12 };

/** `violation`: something a correct submission never does (a symlink out of the folder, a device): flagged. */
export interface StageProblem { file: string; line?: number; message: Text; violation?: boolean }

export interface Staged {
  /** The private copy (remove with `dispose`). */
  root: string;
  /** Relative paths of the files copied, sorted. */
  files: string[];
  totalBytes: number;
  problems: StageProblem[];
  dispose(): void;
}

const isYaml = (rel: string) => /\.ya?ml$/i.test(rel);
/** Go templates, not YAML: any file under a chart's templates/ folder. */
const isTemplate = (rel: string) => rel.split('/').includes('templates');

const mb = (n: number) => (n / (1 << 20)).toFixed(1);

/** Read a regular file through one descriptor (O_NOFOLLOW, O_NONBLOCK): never blocks on a FIFO swapped in. */
function readRegular(path: string, max: number): Buffer | 'notRegular' | 'tooBig' {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return 'notRegular';
    if (st.size > max) return 'tooBig';
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) { const n = readSync(fd, buf, off, st.size - off, off); if (n <= 0) break; off += n; }
    return buf.subarray(0, off);
  } finally { closeSync(fd); }
}

/**
 * Copy `dir` into a new private folder. Never throws for what is inside the folder (every problem is returned); throws
 * only when `dir` itself is missing or not a folder (the caller reports that as an input error).
 */
export function stageSubmission(dir: string, limits: Limits = DEFAULT_LIMITS): Staged {
  const top = realpathSync(dir);
  if (!statSync(top).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  const root = mkdtempSync(join(tmpdir(), 'klab-sub-'));
  const problems: StageProblem[] = [];
  const files: string[] = [];
  let total = 0, count = 0, stopped = false;
  const seenDirs = new Set<string>();

  const inside = (real: string) => real === top || real.startsWith(top + sep);

  const copyFile = (src: string, rel: string, st: Stats) => {
    if (count >= limits.maxFiles) {
      if (!stopped) problems.push({ file: rel, message: smsg('stage.tooManyFiles', { max: limits.maxFiles }) });
      stopped = true;
      return;
    }
    if (st.size > limits.maxFileBytes) { problems.push({ file: rel, message: smsg('stage.fileTooBig', { size: mb(st.size), max: mb(limits.maxFileBytes) }) }); return; }
    if (total + st.size > limits.maxTotalBytes) {
      if (!stopped) problems.push({ file: rel, message: smsg('stage.totalTooBig', { max: mb(limits.maxTotalBytes) }) });
      stopped = true;
      return;
    }
    let data: ReturnType<typeof readRegular>;
    try { data = readRegular(src, limits.maxFileBytes); } catch (e) {
      problems.push({ file: rel, message: smsg('stage.unreadable', { detail: (e as NodeJS.ErrnoException).code ?? String(e) }) });
      return;
    }
    if (data === 'notRegular') { problems.push({ file: rel, message: smsg('stage.special'), violation: true }); return; }
    if (data === 'tooBig') { problems.push({ file: rel, message: smsg('stage.fileTooBig', { size: '>' + mb(limits.maxFileBytes), max: mb(limits.maxFileBytes) }) }); return; }
    const dest = join(root, rel);
    mkdirSync(join(dest, '..'), { recursive: true });
    writeFileSync(dest, data, { mode: 0o644 });
    files.push(rel.split(sep).join('/'));
    total += data.length;
    count++;
  };

  const walk = (real: string, relDir: string, depth: number) => {
    if (seenDirs.has(real)) return; // a symlink loop inside the folder
    seenDirs.add(real);
    if (depth > limits.maxDepth) { problems.push({ file: relDir || '.', message: smsg('stage.tooDeep', { max: limits.maxDepth }) }); return; }
    let names: string[];
    try { names = readdirSync(real).sort(); } catch (e) {
      problems.push({ file: relDir || '.', message: smsg('stage.unreadable', { detail: (e as NodeJS.ErrnoException).code ?? String(e) }) });
      return;
    }
    for (const name of names) {
      if (stopped) return;
      if (name === '.git') continue;
      const src = join(real, name);
      const rel = relDir ? join(relDir, name) : name;
      let st = lstatSync(src);
      let target = src;
      if (st.isSymbolicLink()) {
        let to: string;
        try { to = realpathSync(src); } catch {
          problems.push({ file: rel, message: smsg('stage.danglingLink') });
          continue;
        }
        if (!inside(to)) {
          problems.push({ file: rel, message: smsg('stage.linkEscapes', { to }), violation: true });
          continue;
        }
        target = to;
        st = lstatSync(to);
      }
      if (st.isDirectory()) walk(target, rel, depth + 1);
      else if (st.isFile()) copyFile(target, rel, st);
      else problems.push({ file: rel, message: smsg('stage.special'), violation: true });
    }
  };

  try {
    walk(top, '', 0);
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  files.sort();
  return { root, files, totalBytes: total, problems, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** Every YAML syntax problem of the staged files (multi-document files allowed), `file:line`; templates/ excluded. */
export async function yamlProblems(staged: Pick<Staged, 'root' | 'files'>, which: (rel: string) => boolean = (rel) => isYaml(rel) && !isTemplate(rel)): Promise<StageProblem[]> {
  const { LineCounter, parseAllDocuments } = await import('yaml');
  const { yamlProblem } = await import('../../checkers/assert.js');
  const { readFileSync } = await import('node:fs');
  const out: StageProblem[] = [];
  for (const rel of staged.files.filter(which)) {
    const lc = new LineCounter();
    const src = readFileSync(join(staged.root, rel), 'utf8');
    const docs = parseAllDocuments(src, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
    const list = Array.isArray(docs) ? docs : [];
    for (const d of list) for (const e of d.errors) out.push({ file: rel, line: lc.linePos(e.pos[0]).line, message: yamlProblem(e) });
    // An alias bomb is refused when converted, as in every other YAML file klab reads.
    if (!out.some((p) => p.file === rel)) for (const d of list) {
      try { d.toJS({ maxAliasCount: 100 }); } catch (e) { out.push({ file: rel, line: 1, message: smsg('stage.aliases', { detail: (e as Error).message }) }); break; }
    }
  }
  return out;
}

/** Parsed documents of one staged YAML file (already checked by yamlProblems). */
export async function yamlDocs(staged: Pick<Staged, 'root'>, rel: string): Promise<unknown[]> {
  const { parseAllDocuments } = await import('yaml');
  const { readFileSync } = await import('node:fs');
  const docs = parseAllDocuments(readFileSync(join(staged.root, rel), 'utf8'));
  return (Array.isArray(docs) ? docs : []).map((d) => d.toJS({ maxAliasCount: 100 })).filter((x) => x !== null && x !== undefined);
}

export const relOf = (root: string, p: string) => relative(root, p).split(sep).join('/');
