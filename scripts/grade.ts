// klab grade: an instructor grades one trainee's live cluster (--lab --context) or a roster of them (--roster),
// concurrently, into signed results and reports. `klab grade verify <file>…` and `klab grade merge <file>…`.
// `--submission DIR --lab L` grades a submitted folder (grade/submission/); roster entries with `submission:` too.
// Exit codes: 0 every trainee graded (whatever the scores) · 1 verify: a signature does not match · 2 usage/input ·
// 3 one or more trainees could not be graded, or grading was interrupted (the results written are partial) · 4 internal.
import { basename, resolve } from 'node:path';
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
  const roster = args.flags.roster as string | undefined;
  const labArg = args.flags.lab as string | undefined;
  const submission = args.flags.submission as string | undefined;
  if (!roster && !labArg) throw new KlabError(gmsg('args.mode'), ExitCode.usage);
  if (roster && args.context) throw new KlabError(gmsg('args.labAndRoster'), ExitCode.usage);
  if (roster && submission !== undefined) throw new KlabError(gmsg('args.submissionAndRoster'), ExitCode.usage);
  (await import('../grade/output.js')).parseFormats(args.flags.format as string | undefined); // a bad --format fails before any grading
  const n = concurrency(args);
  const { labIds, loadLab } = await import('../labs/_engine/load.js');
  const { readRoster, folderProblem, DEFAULT_TIMEOUT_S } = await import('../grade/roster.js');
  const known = labIds();
  const r = roster ? await readRoster(roster, known) : undefined;
  const wanted = labArg ? [labArg] : r?.labs;
  if (!wanted?.length) throw new KlabError(gmsg('args.noLabs'), ExitCode.usage);
  const ids = wanted.includes('all') ? known : wanted;
  const bySubmission = submission !== undefined || !!r?.trainees.some((t) => t.submissions);
  const { labSpec, gradeAll } = await import('../grade/grade.js');
  const labs = await Promise.all(ids.map((id) => loadLab(id)));
  if (bySubmission) {
    const subLabs = async () => (await Promise.all(known.map((id) => loadLab(id).catch(() => undefined)))).filter((l) => l?.def.submission).map((l) => l!.def.id);
    if (submission !== undefined && ids.length !== 1) throw new KlabError(gmsg('args.submissionLab', { ids: (await subLabs()).join('|') }), ExitCode.usage);
    for (const l of labs) if (!l.def.submission) throw new KlabError(gmsg('sub.notSubmissionLab', { lab: l.def.id, ids: (await subLabs()).join(', ') || '-' }), ExitCode.usage);
  }
  const { submissionSpec } = await import('../grade/submission/grader.js');
  const specs = await Promise.all(labs.map((l) => (bySubmission ? submissionSpec(l) : labSpec(l))));
  const k = await key(args, true);

  // --kubeconfig is the default for roster entries that name none; live mode is a roster of one.
  const kubeconfig = args.kubeconfig ? resolve(args.kubeconfig) : undefined;
  let entries: RosterEntry[];
  if (r) {
    entries = r.trainees.map((e) => ({ ...e, kubeconfig: e.kubeconfig ?? kubeconfig }));
    for (const e of entries) {
      if (!e.submissions?.['']) continue;
      if (ids.length !== 1) throw new KlabError(gmsg('sub.whichLab', { id: e.id, labs: ids.join(', ') }), ExitCode.usage);
      e.submissions = { [ids[0]]: e.submissions[''] };
    }
    for (const e of entries) for (const id of ids) if (e.submissions && !e.submissions[id]) throw new KlabError(gmsg('sub.noFolder', { id: e.id, lab: id }), ExitCode.usage);
  } else if (submission !== undefined) {
    const dir = resolve(submission);
    const problem = folderProblem(dir);
    if (problem) throw new KlabError(problem, ExitCode.usage);
    const seed = (args.flags.seed as string | undefined) ?? (basename(dir).replace(/[^A-Za-z0-9._@-]/g, '-') || defaultSeed());
    entries = [{ id: seed, name: basename(dir), seed, kubeconfig, context: args.context, namespaces: {}, answers: {}, submissions: { [ids[0]]: dir } }];
  } else {
    const seed = (args.flags.seed as string | undefined) ?? defaultSeed();
    entries = [{ id: seed, name: seed, seed, kubeconfig, context: args.context, namespaces: {}, answers: {} }];
  }
  const tty = Boolean(process.stderr.isTTY) && !args.json;
  const show = (done: number, running: string[]) => {
    if (tty) process.stderr.write(`\r\x1b[K${tr(gmsg('run.progress', { done, total: entries.length, current: running.join(', ') || '-' }), args.lang)}`);
  };
  // Ctrl+C: graders are told and clean up (grading namespaces deleted), partial results are written; twice: quit now.
  const interrupt = new AbortController();
  const onSigint = () => {
    if (interrupt.signal.aborted) { err(args, gmsg('sub.leftBehind')); process.exit(ExitCode.unreachable); }
    if (tty) process.stderr.write('\r\x1b[K');
    err(args, gmsg('sub.interrupting'));
    interrupt.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let finished = 0;
  const t0 = Date.now();
  const { liveGrader } = await import('../grade/live.js');
  const { submissionGrader } = await import('../grade/submission/grader.js');
  const { cleanupsDone } = await import('../grade/submission/sandbox.js');
  let doc: GradeDoc;
  try {
    doc = await gradeAll(entries, {
      labs: specs, concurrency: n, timeoutMs: r?.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000, signal: interrupt.signal,
      grader: bySubmission ? submissionGrader({ lang: args.lang, staticOnly: args.flags['static-only'] === true }) : liveGrader(args.lang),
      onStart: (_e, running) => show(finished, running),
      onDone: (_t, done, _total, running) => { finished = done; show(done, running); },
    }, r ? 'roster' : submission !== undefined ? 'submission' : 'live');
    await cleanupsDone(); // a trainee that timed out is still cleaning up: its namespace must be gone before we exit
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  if (interrupt.signal.aborted) doc.interrupted = true;
  if (tty) process.stderr.write('\r\x1b[K');

  if (!r && !args.json) {
    // One trainee: the same report `klab check` prints, per lab.
    const { renderTerminal } = await import('../checkers/report/terminal.js');
    const { summarise } = await import('../checkers/runner.js');
    for (const l of doc.trainees[0].labs) {
      process.stdout.write(`\n${tr(gmsg('run.labHeader', { lab: l.lab, seed: l.seed, namespace: l.namespace || '-' }), args.lang)}\n`);
      process.stdout.write(renderTerminal(summarise(l.checks, l.lab, l.seed, l.unreachable), { lang: args.lang, color: args.color, verbose: args.verbose }));
    }
  }
  await finish(args, doc, k, r ? 'klab-grades' : undefined);
  const { counts } = await import('../grade/report/cells.js');
  const c = counts(doc);
  err(args, gmsg('run.summary', { n: doc.trainees.length, graded: c.graded, partial: c.partial, error: c.error, s: ((Date.now() - t0) / 1000).toFixed(1) }));
  for (const t of doc.trainees.filter((x) => x.status === 'error')) process.stderr.write(`  ${t.id}: ${tr(t.error ?? gmsg('out.error'), args.lang).split('\n')[0]}\n`);
  for (const t of doc.trainees.filter((x) => x.flagged)) process.stderr.write(`  ${t.id}: ${tr(gmsg('sub.flagged'), args.lang)}\n`);
  if (doc.interrupted) {
    err(args, gmsg('sub.partialDoc'));
    // The user asked to stop: checks abandoned mid-poll must not keep the process alive until their timeouts.
    process.exit(ExitCode.unreachable);
  }
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
