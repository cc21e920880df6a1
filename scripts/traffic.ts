// klab traffic <lab> <step> [--for 90s] [-n namespace]: sample the lab's Service while the trainee rolls out (in
// another terminal), show the timeline live, and store the recording in the cluster for the step's checks
// (checkers/traffic.ts). Only the Service the lab declares (lab.yaml `traffic.service`), only in a namespace of the lab.
import { ExitCode, KlabError } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { session, say } from './common.js';
import { substitute } from '../labs/_engine/params.js';
import { parseDuration } from '../checkers/kinds.js';

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'traffic');
  const lab = s.lab.def.id;
  const t = s.lab.def.traffic;
  if (!t) throw new KlabError(msg('traffic.noTraffic', { lab }), ExitCode.usage);
  const step = args.positionals[1];
  if (!step) throw new KlabError(msg('traffic.needStep', { lab, steps: t.steps.join(', ') }), ExitCode.usage);
  if (!t.steps.includes(step)) throw new KlabError(msg('traffic.badStep', { step, steps: t.steps.join(', ') }), ExitCode.usage);
  const traffic = await import('../checkers/traffic.js');
  const steady = t.steady?.[step];
  let maxMs = steady ? parseDuration(steady.for)! : traffic.DEFAULT_RECORDING_MS;
  if (args.flags.for !== undefined) {
    const ms = parseDuration(args.flags.for);
    if (ms === undefined || ms < 1000 || ms > traffic.MAX_RECORDING_MS) throw new KlabError(msg('traffic.badFor', { value: String(args.flags.for), max: traffic.MAX_RECORDING_MS / 1000 }), ExitCode.usage);
    maxMs = ms;
  }
  const ns = (args.flags.namespace as string | undefined) ?? s.params.namespace;
  const service = substitute(steady?.service ?? t.service, s.params);
  const { connect } = await import('../cluster/target.js');
  const kc = await connect(s.info);
  const { clients, getOrNull } = await import('../checkers/k8s.js');
  const c = clients(kc);
  const nsObj = await getOrNull(kc, () => c.core.readNamespace({ name: ns }), `get namespace ${ns}`);
  if (nsObj && nsObj.metadata?.labels?.['klab.dev/lab'] !== lab) throw new KlabError(msg('traffic.notLabNamespace', { ns, lab }), ExitCode.usage);
  const svc = nsObj && await getOrNull(kc, () => c.core.readNamespacedService({ name: service, namespace: ns }), `get service ${ns}/${service}`);
  if (!svc) throw new KlabError(msg('traffic.noService', { ns, svc: service, lab }), ExitCode.unreachable);

  say(args, steady ? msg('traffic.startedSteady', { ns, svc: service, step, s: Math.round(maxMs / 1000) }) : msg('traffic.started', { ns, svc: service, step, tail: traffic.TAIL_MS / 1000, max: Math.round(maxMs / 1000) }), process.stderr);
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const tty = process.stderr.isTTY === true && !args.json;
  const width = 50;
  let shownRow = -1;
  const live = (rec: import('../checkers/traffic.js').Recording) => {
    if (!tty) return;
    const lines = traffic.timeline({ ...rec, durationMs: Math.max(rec.samples.at(-1)?.t ?? 0, 1) + rec.periodMs }, width);
    const row = lines.length - 1;
    if (row !== shownRow && shownRow >= 0) process.stderr.write('\n');
    shownRow = row;
    process.stderr.write(`\r\x1b[K${lines[row]}`);
  };
  let rec;
  try {
    rec = await traffic.record(kc, { lab, step, namespace: ns, service, port: t.port === undefined ? undefined : String(t.port), maxMs, steady: Boolean(steady), signal: ac.signal, labels: { 'app.kubernetes.io/managed-by': 'klab', 'klab.dev/lab': lab }, onProgress: live });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (tty && shownRow >= 0) process.stderr.write('\r\x1b[K');
  }
  const sum = traffic.summarize(rec);
  if (args.json) {
    process.stdout.write(JSON.stringify({ lab, step, namespace: ns, service, stoppedBy: rec.stoppedBy, summary: sum, timeline: traffic.timelineChars(rec).join('') }, null, 2) + '\n');
    return ExitCode.ok;
  }
  for (const line of traffic.timeline(rec, width)) process.stdout.write(line + '\n');
  say(args, traffic.legend);
  say(args, traffic.totalsText(sum));
  say(args, msg(`traffic.stopped.${rec.stoppedBy ?? 'limit'}` as 'traffic.stopped.limit'));
  say(args, msg('traffic.saved', { ns, cm: traffic.configMapName(step), lab }));
  return ExitCode.ok;
}
