// The roster: who to grade and where their cluster is. YAML validated against roster.schema.json; every problem is
// reported as `file:line: message` in the user's language (exit 2), like lab.yaml.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { KlabError, ExitCode, type Text } from '../i18n/index.js';
import { fileProblemsError, type FileProblem } from '../i18n/messages.js';
import { parseYamlFile } from '../i18n/yaml-file.js';
import { schemaValidator } from './schema.js';
import { gmsg } from './messages.js';

export interface RosterEntry {
  id: string;
  name: string;
  seed: string;
  /** Absolute path, or undefined for the default kubeconfig. */
  kubeconfig?: string;
  context?: string;
  namespaces: Record<string, string>;
  answers: Record<string, Record<string, string>>;
  /** Submission grading: lab id → absolute folder ('' key: one folder for the only lab, resolved by the CLI). */
  submissions?: Record<string, string>;
}

export interface Roster { file: string; labs?: string[]; timeoutMs: number; trainees: RosterEntry[] }

interface RawEntry { id: string; name?: string; seed?: string; kubeconfig?: string; context?: string; namespaces?: Record<string, string>; answers?: Record<string, Record<string, string>>; submission?: string | Record<string, string> }
interface RawRoster { labs?: string[]; kubeconfig?: string; context?: string; timeout?: number; trainees: RawEntry[] }

const validate = schemaValidator('roster.schema.json');

export const DEFAULT_TIMEOUT_S = 300;

/** Parse and validate a roster's text. `knownLabs`: lab ids that exist (a roster naming another is an error). */
export async function parseRoster(src: string, file: string, knownLabs: string[]): Promise<Roster> {
  const shown = relative(process.cwd(), file) || file;
  const { data, lineOf } = await parseYamlFile<RawRoster>(src, shown, validate);
  const problems: FileProblem[] = [];

  // What the schema cannot say: unique ids, labs that exist.
  const known = new Set(knownLabs);
  (data.labs ?? []).forEach((l, i) => {
    if (l !== 'all' && !known.has(l)) problems.push({ file: shown, line: lineOf(`/labs/${i}`), message: gmsg('roster.unknownLab', { lab: l, ids: knownLabs.join(', ') }) });
  });
  const ids = new Map<string, number>();
  data.trainees.forEach((t, i) => {
    if (ids.has(t.id)) problems.push({ file: shown, line: lineOf(`/trainees/${i}/id`), message: gmsg('roster.duplicate', { id: t.id, line: ids.get(t.id)! }) });
    else ids.set(t.id, lineOf(`/trainees/${i}/id`));
    for (const field of ['namespaces', 'answers'] as const) for (const l of Object.keys(t[field] ?? {})) {
      if (!known.has(l)) problems.push({ file: shown, line: lineOf(`/trainees/${i}/${field}/${l}`), message: gmsg('roster.unknownLab', { lab: l, ids: knownLabs.join(', ') }) });
    }
  });
  const base = dirname(resolve(file));
  const path = (p?: string) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(base, p));
  // Submission folders: each must exist and be a folder; a roster is all submissions or none.
  const withSub = data.trainees.filter((t) => t.submission !== undefined).length;
  if (withSub && withSub !== data.trainees.length) problems.push({ file: shown, line: lineOf(`/trainees/${data.trainees.findIndex((t) => t.submission === undefined)}`), message: gmsg('sub.mixedRoster') });
  data.trainees.forEach((t, i) => {
    const sub = t.submission;
    if (sub === undefined) return;
    const entries = typeof sub === 'string' ? [['', sub] as const] : Object.entries(sub);
    for (const [lab, dir] of entries) {
      const ptr = lab ? `/trainees/${i}/submission/${lab}` : `/trainees/${i}/submission`;
      if (lab && !known.has(lab)) problems.push({ file: shown, line: lineOf(ptr), message: gmsg('roster.unknownLab', { lab, ids: knownLabs.join(', ') }) });
      const problem = folderProblem(path(dir)!);
      if (problem) problems.push({ file: shown, line: lineOf(ptr), message: problem });
    }
  });
  if (problems.length) throw fileProblemsError(problems);

  return {
    file,
    labs: data.labs,
    timeoutMs: (data.timeout ?? DEFAULT_TIMEOUT_S) * 1000,
    trainees: data.trainees.map((t) => ({
      id: t.id,
      name: t.name ?? t.id,
      seed: t.seed ?? t.id,
      kubeconfig: path(t.kubeconfig ?? data.kubeconfig),
      context: t.context ?? data.context,
      namespaces: t.namespaces ?? {},
      answers: t.answers ?? {},
      ...(t.submission !== undefined ? { submissions: typeof t.submission === 'string' ? { '': path(t.submission)! } : Object.fromEntries(Object.entries(t.submission).map(([l, d]) => [l, path(d)!])) } : {}),
    })),
  };
}

/** Why `dir` cannot be a submission folder (missing, a file, unreadable), or undefined. */
export function folderProblem(dir: string): Text | undefined {
  try {
    if (!statSync(dir).isDirectory()) return gmsg('sub.notDir', { dir });
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? gmsg('sub.missing', { dir }) : gmsg('sub.unreadable', { dir, detail: code ?? String(e) });
  }
}

export async function readRoster(file: string, knownLabs: string[]): Promise<Roster> {
  let src: string;
  try {
    if (statSync(file).isDirectory()) throw new KlabError(gmsg('roster.notFile', { file }), ExitCode.usage);
    src = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof KlabError) throw e;
    throw new KlabError(gmsg('roster.unreadable', { file, detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message }), ExitCode.usage);
  }
  return parseRoster(src, file, knownLabs);
}
