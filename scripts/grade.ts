// klab grade: an instructor grades one trainee's live cluster (--lab --context) or a roster of them (--roster),
// concurrently, into signed results and reports. `klab grade verify <file>…` and `klab grade merge <file>…`.
// Exit codes: 0 every trainee graded (whatever the scores) · 1 verify: a signature does not match · 2 usage/input ·
// 3 one or more trainees could not be graded (the others were, and the results are written) · 4 internal.
import { resolve } from 'node:path';
import { ExitCode, KlabError, tr } from '../i18n/index.js';
import type { ParsedArgs } from './args.js';
import { say, defaultSeed, json } from './common.js';
import { gmsg } from '../grade/messages.js';
import type { GradeDoc } from '../grade/types.js';
import type { RosterEntry } from '../grade/roster.js';
import type { Key } from '../grade/sign.js';

const err = (args: ParsedArgs, t: Parameters<typeof say>[1]) => say(args, t, process.stderr);

async function key(args: ParsedArgs, create: boolean): Promise<Key> {
  const { loadKey, defaultKeyFile } = await import('../grade/sign.js');
  const k = loadKey(typeof args.flags.key === 'string' ? resolve(args.flags.key) : defaultKeyFile(), create);
  if (k.created) err(args, gmsg('key.created', { file: k.file }));
  for (const w of k.warnings) err(args, w);
  return k;
}

function concurrency(args: ParsedArgs): number {
  const raw = args.flags.concurrency;
  if (raw === undefined) return 4;
  const n = Number(raw);
  if (!/^\d+$/.test(String(raw)) || n < 1 || n > 64) throw new KlabError(gmsg('args.concurrency', { value: String(raw) }), ExitCode.usage);
  return n;
}

/** Sign, print (--json) or show the table, write the formats asked for. */
async function finish(args: ParsedArgs, doc: GradeDoc, k: Key, defaultOut: string | undefined): Promise<void> {
  const { sign } = await import('../grade/sign.js');
  const { parseFormats, writeOutputs } = await import('../grade/output.js');
  const signed = sign(doc, k);
  const wantFiles = defaultOut !== undefined || args.flags.out !== undefined || args.flags.format !== undefined;
  const formats = parseFormats(args.flags.format as string | undefined);
  if (args.json) json(signed);
  else process.stdout.write('\n' + (await import('../grade/report/table.js')).renderTable(signed, args.lang));
  if (wantFiles) {
    const dir = resolve(String(args.flags.out ?? defaultOut ?? 'klab-grades'));
    for (const p of await writeOutputs(signed, formats, dir, args.lang)) err(args, gmsg('run.written', { path: p }));
  }
}

async function grade(args: ParsedArgs): Promise<number> {
  if (args.flags.submission !== undefined) throw new KlabError(gmsg('args.submission'), ExitCode.usage);
  const roster = args.flags.roster as string | undefined;
  const labArg = args.flags.lab as string | undefined;
  if (!roster && !labArg) throw new KlabError(gmsg('args.mode'), ExitCode.usage);
  if (roster && args.context) throw new KlabError(gmsg('args.labAndRoster'), ExitCode.usage);
  (await import('../grade/output.js')).parseFormats(args.flags.format as string | undefined); // a bad --format fails before any grading
  const n = concurrency(args);
  const { labIds, loadLab } = await import('../labs/_engine/load.js');
  const { readRoster, DEFAULT_TIMEOUT_S } = await import('../grade/roster.js');
  const known = labIds();
  const r = roster ? await readRoster(roster, known) : undefined;
  const wanted = labArg ? [labArg] : r?.labs;
  if (!wanted?.length) throw new KlabError(gmsg('args.noLabs'), ExitCode.usage);
  const ids = wanted.includes('all') ? known : wanted;
  const { labSpec, gradeAll } = await import('../grade/grade.js');
  const specs = await Promise.all(ids.map(async (id) => labSpec(await loadLab(id))));
  const k = await key(args, true);

  // --kubeconfig is the default for roster entries that name none; live mode is a roster of one.
  const kubeconfig = args.kubeconfig ? resolve(args.kubeconfig) : undefined;
  const seed = (args.flags.seed as string | undefined) ?? defaultSeed();
  const entries: RosterEntry[] = r ? r.trainees.map((e) => ({ ...e, kubeconfig: e.kubeconfig ?? kubeconfig }))
    : [{ id: seed, name: seed, seed, kubeconfig, context: args.context, namespaces: {}, answers: {} }];
  const tty = Boolean(process.stderr.isTTY) && !args.json;
  const show = (done: number, running: string[]) => {
    if (tty) process.stderr.write(`\r\x1b[K${tr(gmsg('run.progress', { done, total: entries.length, current: running.join(', ') || '-' }), args.lang)}`);
  };
  let finished = 0;
  const t0 = Date.now();
  const { liveGrader } = await import('../grade/live.js');
  const doc = await gradeAll(entries, {
    labs: specs, grader: liveGrader(args.lang), concurrency: n, timeoutMs: r?.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000,
    onStart: (_e, running) => show(finished, running),
    onDone: (_t, done, _total, running) => { finished = done; show(done, running); },
  }, r ? 'roster' : 'live');
  if (tty) process.stderr.write('\r\x1b[K');

  if (!r && !args.json) {
    // One trainee: the same report `klab check` prints, per lab.
    const { renderTerminal } = await import('../checkers/report/terminal.js');
    const { summarise } = await import('../checkers/runner.js');
    for (const l of doc.trainees[0].labs) {
      process.stdout.write(`\n${tr(gmsg('run.labHeader', { lab: l.lab, seed: l.seed, namespace: l.namespace }), args.lang)}\n`);
      process.stdout.write(renderTerminal(summarise(l.checks, l.lab, l.seed, l.unreachable), { lang: args.lang, color: args.color, verbose: args.verbose }));
    }
  }
  await finish(args, doc, k, r ? 'klab-grades' : undefined);
  const { counts } = await import('../grade/report/cells.js');
  const c = counts(doc);
  err(args, gmsg('run.summary', { n: doc.trainees.length, graded: c.graded, partial: c.partial, error: c.error, s: ((Date.now() - t0) / 1000).toFixed(1) }));
  for (const t of doc.trainees.filter((x) => x.status === 'error')) process.stderr.write(`  ${t.id}: ${tr(t.error ?? gmsg('out.error'), args.lang).split('\n')[0]}\n`);
  if (c.error) { err(args, gmsg('run.someErrors')); return ExitCode.unreachable; }
  return ExitCode.ok;
}

async function verifyCmd(args: ParsedArgs, files: string[]): Promise<number> {
  if (!files.length) throw new KlabError(gmsg('args.files', { cmd: 'verify' }), ExitCode.usage);
  const k = await key(args, false);
  const { readVerified } = await import('../grade/merge.js');
  let bad = 0;
  for (const f of files) {
    try {
      const doc = await readVerified(f, k);
      say(args, gmsg('verify.ok', { file: f, keyId: k.id, n: doc.trainees.length }));
    } catch (e) {
      if (!(e instanceof KlabError) || e.exitCode !== ExitCode.checksFailed) throw e;
      err(args, e.text);
      bad++;
    }
  }
  return bad ? ExitCode.checksFailed : ExitCode.ok;
}

async function mergeCmd(args: ParsedArgs, files: string[]): Promise<number> {
  if (!files.length) throw new KlabError(gmsg('args.files', { cmd: 'merge' }), ExitCode.usage);
  const k = await key(args, false);
  const { readVerified, merge } = await import('../grade/merge.js');
  const shards = [];
  for (const file of files) shards.push({ file, doc: await readVerified(file, k) });
  const doc = merge(shards);
  await finish(args, doc, k, 'klab-grades');
  return doc.trainees.some((t) => t.status === 'error') ? ExitCode.unreachable : ExitCode.ok;
}

export async function run(args: ParsedArgs): Promise<number> {
  const [sub, ...rest] = args.positionals;
  if (sub === 'verify') return verifyCmd(args, rest);
  if (sub === 'merge') return mergeCmd(args, rest);
  if (sub !== undefined) throw new KlabError(gmsg('args.mode'), ExitCode.usage);
  return grade(args);
}
