// Kubernetes reasons translated into sentences (like zx's formatExitMessage does for exit codes):
// CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError, Pending/unschedulable, readiness, OOMKilled.
import type { V1Pod, V1Container } from '@kubernetes/client-node';
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';

export interface PodDiagnosis {
  healthy: boolean;
  /** Running (or Succeeded) with every container ready. */
  phase: string;
  reasons: Text[];
  hints: Text[];
  /** Containers whose logs explain the problem (previous instance for crash loops). */
  logs: { container: string; previous: boolean }[];
  /** The scheduler's message for a Pending pod. */
  scheduler?: string;
  /** The Kubernetes reasons behind `reasons` (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError, …): callers decide on these, never on the text. */
  codes: string[];
}

/** Keys a pod reads from a Secret/ConfigMap (for `kubectl create … --from-literal=KEY=…` suggestions). */
export function keysReferenced(pod: V1Pod, kind: 'secret' | 'configmap', name: string): { keys: string[]; whole: boolean } {
  const keys = new Set<string>();
  let whole = false;
  const cs: V1Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of cs) {
    for (const e of c.env ?? []) {
      const ref = kind === 'secret' ? e.valueFrom?.secretKeyRef : e.valueFrom?.configMapKeyRef;
      if (ref?.name === name && ref.key) keys.add(ref.key);
    }
    for (const ef of c.envFrom ?? []) {
      const ref = kind === 'secret' ? ef.secretRef : ef.configMapRef;
      if (ref?.name === name) whole = true;
    }
  }
  for (const v of pod.spec?.volumes ?? []) {
    if (kind === 'secret' && v.secret?.secretName === name) whole = true;
    if (kind === 'configmap' && v.configMap?.name === name) whole = true;
  }
  return { keys: [...keys], whole };
}

function createCommand(pod: V1Pod, kind: 'secret' | 'configmap', name: string): string {
  const ns = pod.metadata?.namespace ?? 'default';
  const { keys } = keysReferenced(pod, kind, name);
  const lits = (keys.length ? keys : ['KEY']).map((k) => `--from-literal=${k}=…`).join(' ');
  return kind === 'secret'
    ? `kubectl create secret generic ${name} -n ${ns} ${lits}`
    : `kubectl create configmap ${name} -n ${ns} ${lits}`;
}

/** The object a CreateContainerConfigError message names (kubelet's wording): `secret "x" not found`, `couldn't find key K in Secret ns/x`. */
export function configErrorRef(message: string): { kind: 'secret' | 'configmap'; name: string; key?: string } | null {
  let m = /(secret|configmap) "([^"]+)" not found/i.exec(message);
  if (m) return { kind: m[1].toLowerCase() as 'secret' | 'configmap', name: m[2] };
  m = /couldn't find key (\S+) in (Secret|ConfigMap) (?:[^/\s]+\/)?(\S+)/i.exec(message);
  if (m) return { kind: m[2].toLowerCase() as 'secret' | 'configmap', name: m[3], key: m[1] };
  return null;
}

/** Explain a CreateContainerConfigError message (kubelet's wording) and suggest the fix. */
export function explainConfigError(pod: V1Pod, container: string, message: string): { reason: Text; hint?: Text } {
  const podName = pod.metadata?.name ?? '?';
  const ref = configErrorRef(message);
  if (ref && !ref.key) {
    const { kind, name } = ref;
    const { whole } = keysReferenced(pod, kind, name);
    const how = whole ? 'envFrom' : 'env valueFrom';
    return {
      reason: fill({
        ko: '파드 {pod}의 컨테이너 {c}를 시작할 수 없습니다: {Kind} `{name}`이(가) 없습니다 ({how}에서 참조, CreateContainerConfigError).',
        en: 'Pod {pod} cannot start container {c}: {Kind} `{name}` not found (referenced by {how}, CreateContainerConfigError).',
      }, { pod: podName, c: container, Kind: kind === 'secret' ? 'Secret' : 'ConfigMap', name, how }),
      hint: fill({ ko: '만드세요: `{cmd}`', en: 'Create it: `{cmd}`' }, { cmd: createCommand(pod, kind, name) }),
    };
  }
  if (ref?.key) {
    const { kind, name, key } = ref;
    const kindName = kind === 'secret' ? 'Secret' : 'ConfigMap';
    return {
      reason: fill({
        ko: '파드 {pod}의 컨테이너 {c}를 시작할 수 없습니다: {Kind} `{name}`에 키 `{key}`가 없습니다 (CreateContainerConfigError).',
        en: 'Pod {pod} cannot start container {c}: {Kind} `{name}` has no key `{key}` (CreateContainerConfigError).',
      }, { pod: podName, c: container, Kind: kindName, name, key }),
      hint: fill({
        ko: '키 이름은 대소문자를 구분합니다. `kubectl get {kind} {name} -o yaml`로 키를 확인하고 `{key}` 키를 추가하세요.',
        en: 'Key names are case-sensitive. Look at the keys with `kubectl get {kind} {name} -o yaml` and add the key `{key}`.',
      }, { kind, name, key }),
    };
  }
  return {
    reason: fill({
      ko: '파드 {pod}의 컨테이너 {c}를 시작할 수 없습니다 (CreateContainerConfigError): {msg}',
      en: 'Pod {pod} cannot start container {c} (CreateContainerConfigError): {msg}',
    }, { pod: podName, c: container, msg: message }),
  };
}

export function schedulerMessage(pod: V1Pod): string | undefined {
  const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  return cond ? `${cond.reason ?? ''}: ${cond.message ?? ''}`.trim() : undefined;
}

/** A container running again less than this after a failed run is still in its crash loop (not yet healthy). */
export const CRASH_RECENT_MS = 30_000;

export function diagnosePod(pod: V1Pod): PodDiagnosis {
  const name = pod.metadata?.name ?? '?';
  const phase = pod.status?.phase ?? 'Unknown';
  const d: PodDiagnosis = { healthy: false, phase, reasons: [], hints: [], logs: [], codes: [] };
  if (phase === 'Succeeded') { d.healthy = true; return d; }
  const sched = schedulerMessage(pod);
  if (phase === 'Pending' && sched) {
    d.scheduler = sched;
    d.codes.push('Unschedulable');
    d.reasons.push(fill({
      ko: '파드 {pod}가 스케줄되지 못했습니다 (Pending). 스케줄러: {msg}',
      en: 'Pod {pod} cannot be scheduled (Pending). Scheduler: {msg}',
    }, { pod: name, msg: sched }));
    d.hints.push({
      ko: 'nodeSelector/affinity/tolerations가 실제 노드 레이블과 맞는지 `kubectl get nodes --show-labels`로 확인하세요.',
      en: 'Check that nodeSelector/affinity/tolerations match real node labels: `kubectl get nodes --show-labels`.',
    });
    return d;
  }
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const specImages = new Map<string, string>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) specImages.set(c.name, c.image ?? '');
  for (const cs of statuses) {
    const w = cs.state?.waiting;
    const t = cs.state?.terminated;
    const last = cs.lastState?.terminated;
    const c = cs.name;
    const restarts = cs.restartCount ?? 0;
    // A crash loop passes through three states: waiting (CrashLoopBackOff), running again for a moment, terminated
    // again. Each one is the loop, not a healthy or a one-off terminated container: judged the same whenever looked at.
    const startedAt = cs.state?.running?.startedAt ? new Date(cs.state.running.startedAt).getTime() : NaN;
    const againJustNow = Boolean(cs.state?.running) && restarts > 0 && last !== undefined && last.exitCode !== 0 && Date.now() - startedAt < CRASH_RECENT_MS;
    const againEnded = t !== undefined && restarts > 0 && pod.spec?.restartPolicy !== 'Never' && t.exitCode !== 0;
    if (w?.reason === 'CrashLoopBackOff' || (w && last && restarts > 0 && w.reason !== 'ContainerCreating') || againJustNow || againEnded) {
      const lastRun = againEnded ? t : last;
      d.codes.push('CrashLoopBackOff');
      d.reasons.push(fill({
        ko: '파드 {pod}의 컨테이너 {c}가 반복해서 종료됩니다 (CrashLoopBackOff, 재시작 {n}회, 마지막 종료 코드 {code}{why}).',
        en: 'Container {c} of pod {pod} keeps crashing (CrashLoopBackOff, {n} restarts, last exit code {code}{why}).',
      }, { pod: name, c, n: restarts, code: lastRun?.exitCode ?? '?', why: lastRun?.reason && lastRun.reason !== 'Error' ? `, ${lastRun.reason}` : '' }));
      d.hints.push(fill({ ko: '직전 실행의 로그를 보세요: `kubectl logs {pod} -c {c} --previous`', en: 'Read the previous run\'s logs: `kubectl logs {pod} -c {c} --previous`' }, { pod: name, c }));
      // The crash's output: the instance that just ended when it is terminated now, else the one before (previous).
      d.logs.push({ container: c, previous: !againEnded });
    } else if (w && /ImagePullBackOff|ErrImagePull|InvalidImageName|ErrImageNeverPull/.test(w.reason ?? '')) {
      d.codes.push(w.reason!);
      const image = specImages.get(c) || cs.image;
      d.reasons.push(fill({
        ko: '파드 {pod}의 컨테이너 {c}가 이미지 `{image}`를 받지 못합니다 ({reason}){msg}',
        en: 'Container {c} of pod {pod} cannot pull image `{image}` ({reason}){msg}',
      }, { pod: name, c, image, reason: w.reason, msg: w.message ? `: ${w.message}` : '.' }));
      d.hints.push({ ko: '이미지 이름(레지스트리/저장소/태그)의 철자를 확인하세요: image: 필드를 보세요.', en: 'Check the image name (registry/repository/tag) for typos: look at the image: field.' });
    } else if (w?.reason === 'CreateContainerConfigError') {
      d.codes.push(w.reason);
      const x = explainConfigError(pod, c, w.message ?? '');
      d.reasons.push(x.reason);
      if (x.hint) d.hints.push(x.hint);
    } else if (w && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing') {
      d.reasons.push(fill({ ko: '파드 {pod}의 컨테이너 {c}가 대기 중입니다: {reason}{msg}', en: 'Container {c} of pod {pod} is waiting: {reason}{msg}' },
        { pod: name, c, reason: w.reason ?? '?', msg: w.message ? ` — ${w.message}` : '' }));
    } else if (w) {
      d.reasons.push(fill({ ko: '파드 {pod}의 컨테이너 {c}가 아직 생성 중입니다 ({reason}).', en: 'Container {c} of pod {pod} is still being created ({reason}).' },
        { pod: name, c, reason: w.reason ?? '' }));
    } else if (t && phase !== 'Succeeded' && !(pod.spec?.initContainers ?? []).some((ic) => ic.name === c && t.exitCode === 0)) {
      d.reasons.push(fill({ ko: '파드 {pod}의 컨테이너 {c}가 종료되었습니다 (종료 코드 {code}, {reason}).', en: 'Container {c} of pod {pod} terminated (exit code {code}, {reason}).' },
        { pod: name, c, code: t.exitCode, reason: t.reason ?? '' }));
      d.logs.push({ container: c, previous: false });
    } else if (cs.state?.running && !cs.ready && !(pod.spec?.initContainers ?? []).some((ic) => ic.name === c)) {
      d.reasons.push(fill({ ko: '파드 {pod}의 컨테이너 {c}가 실행 중이지만 준비되지 않았습니다 (readiness probe 실패?).', en: 'Container {c} of pod {pod} is running but not ready (readiness probe failing?).' },
        { pod: name, c }));
    }
  }
  if (phase === 'Failed' && !d.reasons.length) {
    d.reasons.push(fill({ ko: '파드 {pod}가 실패했습니다: {msg}', en: 'Pod {pod} failed: {msg}' }, { pod: name, msg: `${pod.status?.reason ?? ''} ${pod.status?.message ?? ''}`.trim() || '?' }));
  }
  if (phase === 'Pending' && !d.reasons.length) {
    d.reasons.push(fill({ ko: '파드 {pod}가 아직 Pending 상태입니다.', en: 'Pod {pod} is still Pending.' }, { pod: name }));
  }
  if (!d.reasons.length && phase === 'Running') {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (ready) { d.healthy = true; return d; }
    d.reasons.push(fill({ ko: '파드 {pod}가 Ready가 아닙니다.', en: 'Pod {pod} is not Ready.' }, { pod: name }));
  }
  if (!d.reasons.length) d.reasons.push(fill({ ko: '파드 {pod}의 상태: {phase}', en: 'Pod {pod} is {phase}' }, { pod: name, phase }));
  return d;
}
