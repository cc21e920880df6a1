// The bad-input corpus (issue 13): test/corpus/cases.yaml holds every foreseeable bad input — broken kubeconfigs,
// lab and check files, state folders, flags, misbehaving API servers — each with its exit code; its first line
// in Korean and in English is kept in test/corpus/expected.json. All cases run in this one process (scripts/main.ts
// called directly), each under a time bound: 0 exit-4, 0 hangs, 0 stack traces.
// KLAB_CORPUS_RECORD=1 rewrites expected.json from what klab prints now (review the diff before committing).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { root, tempDir } from './_cli.js';
import * as servers from './_servers.js';
import { main } from '../../scripts/main.js';

interface Case {
  id: string;
  args: string[];
  code: number;
  /** Files written under the case's folder {dir} (a path ending in / makes a folder). */
  files?: Record<string, string>;
  /** Shorthand: {dir}/labs/t/lab.yaml with its step texts, KLAB_LABS_DIR={dir}/labs. */
  lab?: string;
  /** Shorthand: {dir}/checks.yaml. */
  checks?: string;
  /** A misbehaving server; {kubeconfig} points at it. */
  server?: 'stall' | 'afterVersion' | 'drip' | '401' | '403' | '500' | 'html';
  env?: Record<string, string>;
  /** chmod after writing: {path: mode}. */
  chmod?: Record<string, number>;
  /** Stdout must be JSON (with --json). */
  json?: boolean;
  /** Per-case bound (ms); default 15 s. */
  limit?: number;
}
type Expected = Record<string, { code: number; ko: string; en: string }>;

const corpusDir = join(root, 'test/corpus');
const cases = parse(readFileSync(join(corpusDir, 'cases.yaml'), 'utf8')).cases as Case[];
const expectedFile = join(corpusDir, 'expected.json');
const expected: Expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
const record = process.env.KLAB_CORPUS_RECORD === '1';
const STEP = { ko: '# 단계\n', en: '# Step\n' };

const startServer = (kind: NonNullable<Case['server']>) => ({
  stall: servers.acceptAndStall, afterVersion: servers.stallAfterVersion, drip: servers.slowDrip, html: servers.nonJson,
  '401': () => servers.statusServer(401), '403': () => servers.statusServer(403), '500': () => servers.statusServer(500),
}[kind])();

interface Outcome { code: number; stdout: string; stderr: string; ms: number; hung: boolean }

/** Run klab in this process: env swapped in, stdout/stderr captured, bounded by `limit`. */
async function runInProcess(argv: string[], env: Record<string, string>, limit: number): Promise<Outcome> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const out = { stdout: '', stderr: '' };
  const w1 = process.stdout.write.bind(process.stdout), w2 = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => { out.stdout += String(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { out.stderr += String(s); return true; }) as typeof process.stderr.write;
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await Promise.race([main(argv), new Promise<number>((res) => { timer = setTimeout(() => res(-1), limit); })]);
    return { code, ...out, ms: Date.now() - t0, hung: code === -1 };
  } finally {
    clearTimeout(timer);
    process.stdout.write = w1; process.stderr.write = w2;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

/** The first line a user reads: stderr's, else stdout's; for JSON on stdout, its error message or first check's. */
function firstLine(o: Outcome, dir: string): string {
  let text = (o.stderr.trim() ? o.stderr : o.stdout).trim().split('\n')[0] ?? '';
  if (!o.stderr.trim() && text === '{') {
    try {
      const j = JSON.parse(o.stdout);
      text = `json: ${String(j.error?.message ?? j.checks?.[0]?.message ?? '').split('\n')[0]}`;
    } catch { /* reported as not JSON */ }
  }
  return text.split(dir).join('{dir}').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:{port}').replace(/\d{4}-\d\d-\d\dT[\d-]+Z/g, '{time}');
}

const results: { id: string; code: number; ms: number }[] = [];
const recorded: Expected = {};

test(`corpus: ${cases.length} inputs, each in Korean and English`, async () => {
  assert.ok(cases.length >= 80, `the corpus has ${cases.length} inputs (goal: at least 80)`);
  const ids = new Set<string>();
  const problems: string[] = [];
  const t0 = Date.now();
  for (const c of cases) {
    assert.ok(!ids.has(c.id), `duplicate case id ${c.id}`);
    ids.add(c.id);
    const dir = tempDir(`klab-corpus-${c.id}-`);
    const files: Record<string, string> = { ...c.files };
    const env: Record<string, string> = { XDG_STATE_HOME: join(dir, 'state'), KLAB_TRAINEE: 'corpus', KLAB_PROBE_TIMEOUT: '1', NO_COLOR: '1', KUBECONFIG: join(dir, 'no-kubeconfig') };
    if (c.lab !== undefined) {
      files['labs/t/lab.yaml'] = c.lab;
      for (const l of ['ko', 'en'] as const) files[`labs/t/steps/01-a.${l}.md`] = STEP[l];
      env.KLAB_LABS_DIR = join(dir, 'labs');
    }
    if (c.checks !== undefined) files['checks.yaml'] = c.checks;
    const server = c.server ? await startServer(c.server) : undefined;
    const sub = (s: string) => s.split('{dir}').join(dir).split('{kubeconfig}').join(server ? servers.kubeconfigFor(server.url) : join(dir, 'none'));
    for (const [p, text] of Object.entries(files)) {
      const full = join(dir, p);
      if (p.endsWith('/')) { mkdirSync(full, { recursive: true }); continue; }
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, sub(text));
    }
    for (const [k, v] of Object.entries(c.env ?? {})) env[k] = sub(v);
    for (const [p, mode] of Object.entries(c.chmod ?? {})) chmodSync(join(dir, p), mode);
    const lines: Record<string, string> = {};
    try {
      for (const lang of ['ko', 'en'] as const) {
        const o = await runInProcess(['--lang', lang, ...c.args.map(sub)], env, c.limit ?? 15_000);
        results.push({ id: `${c.id}/${lang}`, code: o.code, ms: o.ms });
        const where = `${c.id} (${lang}, ${o.ms} ms)`;
        if (o.hung) problems.push(`${where}: no answer within ${c.limit ?? 15_000} ms`);
        if (o.code === 4) problems.push(`${where}: exit 4 — ${o.stderr.trim().split('\n')[0]}`);
        if (o.code !== c.code) problems.push(`${where}: exit ${o.code}, expected ${c.code} — ${firstLine(o, dir)}`);
        if (/\n\s+at .+:\d+:\d+\)?\n/.test(o.stdout + o.stderr)) problems.push(`${where}: a stack trace was printed`);
        if (c.json) {
          try {
            const j = JSON.parse(o.stdout);
            if (o.code >= 2 && !(j.checks && o.code === 3) && (typeof j.error?.code !== 'string' || typeof j.error?.message !== 'string' || j.exitCode !== o.code)) problems.push(`${where}: JSON error object expected, got ${o.stdout.slice(0, 120)}`);
          } catch { problems.push(`${where}: --json printed no JSON: ${JSON.stringify(o.stdout.slice(0, 120))}`); }
        }
        lines[lang] = firstLine(o, dir);
        if (!lines[lang]) problems.push(`${where}: printed nothing`);
      }
    } finally { await server?.close(); }
    recorded[c.id] = { code: c.code, ko: lines.ko, en: lines.en };
    const want = expected[c.id];
    if (!record) {
      if (!want) problems.push(`${c.id}: no expected first lines in test/corpus/expected.json (run with KLAB_CORPUS_RECORD=1 and review)`);
      else {
        if (want.ko !== lines.ko) problems.push(`${c.id} (ko): first line\n    ${lines.ko}\n  expected\n    ${want.ko}`);
        if (want.en !== lines.en) problems.push(`${c.id} (en): first line\n    ${lines.en}\n  expected\n    ${want.en}`);
        if (want.code !== c.code) problems.push(`${c.id}: expected.json says exit ${want.code}, cases.yaml ${c.code}`);
      }
    }
  }
  if (record) writeFileSync(expectedFile, JSON.stringify(recorded, null, 2) + '\n');
  const exit4 = results.filter((r) => r.code === 4).length;
  const hangs = results.filter((r) => r.code === -1).length;
  const byCode = [0, 1, 2, 3].map((n) => `${n}:${cases.filter((c) => c.code === n).length}`).join(' ');
  console.log(`\n  corpus: ${cases.length} inputs × 2 languages = ${results.length} runs in ${((Date.now() - t0) / 1000).toFixed(1)} s; exit codes ${byCode}; exit-4 ${exit4}; hangs ${hangs}; slowest ${Math.max(...results.map((r) => r.ms))} ms`);
  assert.ok(problems.length === 0, `${problems.length} problem(s):\n${problems.join('\n')}`);
});

test.run();
