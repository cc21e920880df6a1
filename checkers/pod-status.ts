// pod-status: the pods in a namespace (or matching a selector) are healthy; otherwise name each unhealthy pod and
// its reason: CrashLoopBackOff with the last exit code, ImagePullBackOff with the image that failed ("check the
// image name"), CreateContainerConfigError with the missing object, Pending with the scheduler's message.
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind, podSelectorProblems, tfill } from './registry.js';
import type { Spec } from './registry.js';
import { selectPods, eventsFor, logTail } from './k8s.js';
import type { PodSelector } from './k8s.js';
import { diagnosePod } from './pod-health.js';
import { selectionMotion } from './settle.js';

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const sel: PodSelector = { namespace: spec.namespace, ...(spec.selector ?? {}) };
  const got = await selectPods(ctx.kc, sel, ctx.namespace);
  if (got.problem) return { ok: false, settled: true, reasons: [got.problem] };
  const min = spec.minPods ?? 1;
  if (got.pods.length < min) {
    const waitingFor = await selectionMotion(ctx.kc, got, min) ?? undefined;
    return { ok: false, settled: !waitingFor, waitingFor, observed: { pods: [] }, reasons: [tfill({ ko: '{what}: 파드가 {n}개뿐입니다 (최소 {min}개 필요).', en: '{what}: only {n} pod(s) found (at least {min} needed).' }, { what: got.what, n: got.pods.length, min })] };
  }
  const reasons: Text[] = [];
  const hints: Text[] = [];
  const evidence: Evidence[] = [];
  const observed: { pod: string; phase: string; healthy: boolean; restarts: number }[] = [];
  for (const p of got.pods) {
    const d = diagnosePod(p);
    const name = p.metadata!.name!;
    const restarts = (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
    observed.push({ pod: name, phase: d.phase, healthy: d.healthy, restarts });
    if (d.healthy) continue;
    reasons.push(...d.reasons);
    hints.push(...d.hints);
    if (evidence.length < 6) {
      const ev = await eventsFor(ctx.kc, got.namespace, 'Pod', name);
      if (ev) evidence.push(ev);
      if (ctx.capabilities.logs) for (const l of d.logs) { const e = await logTail(ctx.kc, got.namespace, name, l.container, l.previous); if (e) evidence.push(e); }
    }
  }
  const healthy = observed.filter((o) => o.healthy).length;
  const summary = tfill({ ko: '{what}: 파드 {n}개 중 {h}개 정상', en: '{what}: {h} of {n} pod(s) healthy' }, { what: got.what, n: observed.length, h: healthy });
  const waitingFor = reasons.length ? await selectionMotion(ctx.kc, got, min) ?? undefined : undefined;
  return { ok: reasons.length === 0, settled: !waitingFor, waitingFor, reasons: [summary, ...reasons], hints: [...new Map(hints.map((h) => [h.en, h])).values()], evidence, observed };
}

registerKind({
  kind: 'pod-status',
  description: { ko: '파드가 정상인지, 아니라면 왜인지 (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError, Pending)', en: 'Pods are healthy, and if not, why (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError, Pending)' },
  properties: {
    namespace: { type: 'string', minLength: 1 },
    selector: {
      type: 'object', additionalProperties: false,
      properties: { deployment: { type: 'string', minLength: 1 }, labels: { type: 'object', additionalProperties: { type: 'string' } }, labelSelector: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } },
    },
    minPods: { type: 'integer', minimum: 0 },
  },
  validate: (s) => podSelectorProblems(s.selector, '/selector'),
  title: (s) => fill({ ko: '파드 상태 정상 ({ns})', en: 'Pods healthy ({ns})' }, { ns: s.namespace ?? s.selector?.deployment ?? '' }),
  probe,
});
