// env-in-pod: the given variables have the given values *inside the running container* (exec), explained from
// the spec when they do not: missing Secret/ConfigMap/key, pod older than the change, trailing newline (`echo`
// without -n: the notes' 6rCA64KY64ukCg== is "가나다\n"), double base64, wrong container, misspelt name.
// Where exec is impossible (simulated node, no exec capability) the values are resolved from the spec and the
// result says so (verifiedBy: 'spec').
import type { KubeConfig, V1Pod, V1Container, V1Secret, V1ConfigMap } from '@kubernetes/client-node';
import { fill, same } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { Evidence, ProbeResult, CheckContext } from './types.js';
import { CheckError } from './types.js';
import { registerKind, podSelectorSchema, podSelectorProblems, tfill } from './registry.js';
import type { Spec } from './registry.js';
import { clients, getOrNull, selectPods, execIn, exitCodeOf, nodes, eventsFor } from './k8s.js';
import { diagnosePod, explainConfigError } from './pod-health.js';
import { selectionMotion } from './settle.js';
import { levenshtein } from './match.js';

type Source =
  | { kind: 'value' }
  | { kind: 'secret' | 'configmap'; name: string; key: string; via: 'env' | 'envFrom'; optional?: boolean }
  | { kind: 'field'; path: string }
  | { kind: 'other' };

interface EnvEntry { value?: string; source: Source; problem?: Text; hint?: Text }

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

interface Objects { secrets: Map<string, V1Secret | null>; configmaps: Map<string, V1ConfigMap | null> }

async function getSource(kc: KubeConfig, ns: string, kind: 'secret' | 'configmap', name: string, objs: Objects) {
  const c = clients(kc);
  if (kind === 'secret') {
    if (!objs.secrets.has(name)) objs.secrets.set(name, await getOrNull(kc, () => c.core.readNamespacedSecret({ name, namespace: ns }), `get secret ${ns}/${name}`));
    return objs.secrets.get(name) ?? null;
  }
  if (!objs.configmaps.has(name)) objs.configmaps.set(name, await getOrNull(kc, () => c.core.readNamespacedConfigMap({ name, namespace: ns }), `get configmap ${ns}/${name}`));
  return objs.configmaps.get(name) ?? null;
}

function storedValue(obj: V1Secret | V1ConfigMap, kind: 'secret' | 'configmap', key: string): string | undefined {
  if (kind === 'secret') {
    const d = (obj as V1Secret).data?.[key];
    return d === undefined ? undefined : unb64(d);
  }
  const cm = obj as V1ConfigMap;
  return cm.data?.[key] ?? (cm.binaryData?.[key] !== undefined ? unb64(cm.binaryData[key]) : undefined);
}

function keysOf(obj: V1Secret | V1ConfigMap, kind: 'secret' | 'configmap'): string[] {
  return kind === 'secret' ? Object.keys((obj as V1Secret).data ?? {}) : [...Object.keys((obj as V1ConfigMap).data ?? {}), ...Object.keys((obj as V1ConfigMap).binaryData ?? {})];
}

const KIND_NAME = { secret: 'Secret', configmap: 'ConfigMap' } as const;

/** The container's environment as the spec defines it (envFrom first, env overrides), values resolved from the cluster. */
async function specEnv(kc: KubeConfig, pod: V1Pod, container: V1Container, objs: Objects): Promise<Map<string, EnvEntry>> {
  const ns = pod.metadata?.namespace ?? 'default';
  const env = new Map<string, EnvEntry>();
  for (const ef of container.envFrom ?? []) {
    const kind = ef.secretRef ? 'secret' : ef.configMapRef ? 'configmap' : undefined;
    const ref = ef.secretRef ?? ef.configMapRef;
    if (!kind || !ref?.name) continue;
    const obj = await getSource(kc, ns, kind, ref.name, objs);
    if (!obj) continue; // reported by missingObjects()
    for (const k of keysOf(obj, kind)) {
      env.set(`${ef.prefix ?? ''}${k}`, { value: storedValue(obj, kind, k), source: { kind, name: ref.name, key: k, via: 'envFrom' } });
    }
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) { env.set(e.name, { value: e.value ?? '', source: { kind: 'value' } }); continue; }
    const vf = e.valueFrom;
    const ref = vf.secretKeyRef ?? vf.configMapKeyRef;
    if (ref?.name && ref.key) {
      const kind = vf.secretKeyRef ? 'secret' : 'configmap';
      const source: Source = { kind, name: ref.name, key: ref.key, via: 'env', optional: !!ref.optional };
      const obj = await getSource(kc, ns, kind, ref.name, objs);
      if (!obj) { env.set(e.name, { source }); continue; }
      const v = storedValue(obj, kind, ref.key);
      env.set(e.name, { value: v, source });
    } else if (vf.fieldRef?.fieldPath) {
      const p = vf.fieldRef.fieldPath;
      const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(p);
      const value = p === 'metadata.name' ? pod.metadata?.name : p === 'metadata.namespace' ? ns : p === 'spec.nodeName' ? pod.spec?.nodeName
        : p === 'status.podIP' ? pod.status?.podIP : p === 'spec.serviceAccountName' ? pod.spec?.serviceAccountName
          : m ? (m[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations)?.[m[2]] : undefined;
      env.set(e.name, { value, source: { kind: 'field', path: p } });
    } else env.set(e.name, { source: { kind: 'other' } });
  }
  return env;
}

/** Secrets/ConfigMaps the container references that do not exist (what CreateContainerConfigError would say). */
async function missingObjects(kc: KubeConfig, pod: V1Pod, container: V1Container, objs: Objects): Promise<{ reason: Text; hint?: Text }[]> {
  const ns = pod.metadata?.namespace ?? 'default';
  const out: { reason: Text; hint?: Text }[] = [];
  const seen = new Set<string>();
  const refs: { kind: 'secret' | 'configmap'; name: string; key?: string; optional?: boolean }[] = [];
  for (const ef of container.envFrom ?? []) {
    if (ef.secretRef?.name) refs.push({ kind: 'secret', name: ef.secretRef.name, optional: !!ef.secretRef.optional });
    if (ef.configMapRef?.name) refs.push({ kind: 'configmap', name: ef.configMapRef.name, optional: !!ef.configMapRef.optional });
  }
  for (const e of container.env ?? []) {
    const s = e.valueFrom?.secretKeyRef, c = e.valueFrom?.configMapKeyRef;
    if (s?.name) refs.push({ kind: 'secret', name: s.name, key: s.key, optional: !!s.optional });
    if (c?.name) refs.push({ kind: 'configmap', name: c.name, key: c.key, optional: !!c.optional });
  }
  for (const r of refs) {
    if (r.optional) continue;
    const obj = await getSource(kc, ns, r.kind, r.name, objs);
    const id = `${r.kind}/${r.name}/${obj ? r.key : ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!obj) out.push(explainConfigError(pod, container.name, `${r.kind} "${r.name}" not found`));
    else if (r.key && storedValue(obj, r.kind, r.key) === undefined) out.push(explainConfigError(pod, container.name, `couldn't find key ${r.key} in ${KIND_NAME[r.kind]} ${ns}/${r.name}`));
  }
  return out;
}

/** Parse `env` output: lines that do not start a NAME= belong to the previous value (multi-line values). */
export function parseEnvLines(out: string): Map<string, string> {
  const m = new Map<string, string>();
  const lines = out.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let last: string | undefined;
  for (const l of lines) {
    const x = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s.exec(l);
    if (x) { m.set(x[1], x[2]); last = x[1]; } else if (last) m.set(last, m.get(last) + '\n' + l);
  }
  return m;
}

export function parseEnvNul(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of out.split('\0')) {
    const i = part.indexOf('=');
    if (i > 0) m.set(part.slice(0, i), part.slice(i + 1));
  }
  return m;
}

/** The environment inside the running container: /proc/1/environ (exact, NUL-separated), else `env`. */
async function containerEnv(kc: KubeConfig, pod: V1Pod, container: string): Promise<Map<string, string>> {
  const ns = pod.metadata!.namespace!, name = pod.metadata!.name!;
  const r1 = await execIn(kc, ns, name, container, ['cat', '/proc/1/environ']);
  if (exitCodeOf(r1.status) === 0 && r1.stdout.includes('=')) return parseEnvNul(r1.stdout);
  const r2 = await execIn(kc, ns, name, container, ['env']);
  if (exitCodeOf(r2.status) === 0) return parseEnvLines(r2.stdout);
  throw new Error(`cannot read the environment of ${ns}/${name}/${container}: ${r2.status.message ?? r1.status.message ?? ''}`);
}

function srcText(s: Source): Text {
  if (s.kind === 'secret' || s.kind === 'configmap') {
    return fill({ ko: '{Kind} {name}의 키 {key} ({via})', en: '{Kind} {name} key {key} ({via})' }, { Kind: KIND_NAME[s.kind], name: s.name, key: s.key, via: s.via });
  }
  if (s.kind === 'value') return { ko: 'env의 value', en: 'env value' };
  if (s.kind === 'field') return same(`fieldRef ${s.path}`);
  return { ko: '기타', en: 'other' };
}

interface Ctx2 {
  kc: KubeConfig; pod: V1Pod; container: V1Container; spec: Map<string, EnvEntry>; objs: Objects;
  mode: 'cluster' | 'spec'; deployment?: string; restart: string;
}

/** Explain why `name` is `found` rather than `expected`. Returns diagnosis + hints. */
async function explain(name: string, expected: string | null, found: string | undefined, x: Ctx2): Promise<{ reasons: Text[]; hints: Text[] }> {
  const podName = x.pod.metadata?.name ?? '?';
  const reasons: Text[] = [];
  const hints: Text[] = [];
  const entry = x.spec.get(name);
  if (expected === null) {
    reasons.push(tfill({ ko: '{name}: 설정되지 않아야 하는데 "{found}" 값이 있습니다 ({src}).', en: '{name}: should not be set, found "{found}" ({src}).' },
      { name, found: found ?? '', src: entry ? srcText(entry.source) : '?' }));
    return { reasons, hints };
  }
  if (found === undefined) {
    reasons.push(fill({ ko: '{name}: 기대값 "{exp}", 실제로는 설정되어 있지 않습니다.', en: '{name}: expected "{exp}", but it is not set.' }, { name, exp: expected }));
    // Set on another container?
    const others = [...(x.pod.spec?.containers ?? []), ...(x.pod.spec?.initContainers ?? [])].filter((c) => c.name !== x.container.name
      && ((c.env ?? []).some((e) => e.name === name) || (c.envFrom ?? []).length > 0));
    const onOther = others.find((c) => (c.env ?? []).some((e) => e.name === name));
    if (onOther) {
      reasons.push(fill({ ko: '{name}{name:은/는} 컨테이너 {other}에 설정되어 있고 검사 대상 컨테이너 {c}에는 없습니다 (잘못된 컨테이너).', en: '{name} is set on container {other}, not on container {c} (wrong container).' },
        { name, other: onOther.name, c: x.container.name }));
      hints.push(fill({ ko: '컨테이너 {c}의 env에 옮기세요.', en: 'Move it to the env of container {c}.' }, { c: x.container.name }));
      return { reasons, hints };
    }
    const near = [...x.spec.keys()].find((k) => k !== name && (k.toLowerCase() === name.toLowerCase() || levenshtein(k, name) <= 2));
    if (near) {
      reasons.push(fill({ ko: '비슷한 이름 {near}{near:이/가} 있습니다: 환경 변수 이름은 대소문자와 철자를 정확히 맞춰야 합니다 (patch/키 이름 오타?).', en: 'There is a similar name, {near}: variable names must match exactly, including case (a typo in the patch/key?).' }, { near }));
      return { reasons, hints };
    }
    if (entry?.source.kind === 'secret' || entry?.source.kind === 'configmap') {
      if (x.mode === 'cluster') {
        reasons.push(tfill({ ko: '스펙에서는 {src}에서 오지만 컨테이너에는 없습니다: 파드가 그 변경 전에 시작되었습니다.', en: 'The spec takes it from {src}, but the container does not have it: the pod started before that change.' }, { src: srcText(entry.source) }));
        hints.push(fill({ ko: '환경 변수는 컨테이너가 시작할 때만 읽힙니다: `{cmd}`', en: 'Env vars are read only when a container starts: `{cmd}`' }, { cmd: x.restart }));
      }
      return { reasons, hints };
    }
    // envFrom objects that exist but lack the key
    for (const ef of x.container.envFrom ?? []) {
      const kind = ef.secretRef ? 'secret' : 'configmap';
      const refName = (ef.secretRef ?? ef.configMapRef)?.name;
      if (!refName) continue;
      const obj = await getSource(x.kc, x.pod.metadata!.namespace!, kind, refName, x.objs);
      if (obj) {
        const keys = keysOf(obj, kind);
        reasons.push(fill({ ko: 'envFrom으로 쓰는 {Kind} {ref}에 키 {key}가 없습니다 (있는 키: {keys}).', en: '{Kind} {ref}, used by envFrom, has no key {key} (keys: {keys}).' },
          { Kind: KIND_NAME[kind], ref: refName, key: name.slice((ef.prefix ?? '').length), keys: keys.join(', ') || '-' }));
        hints.push(fill({ ko: '키 이름은 대소문자를 구분합니다. `kubectl edit {kind} {ref}` 로 키를 고치세요.', en: 'Key names are case-sensitive. Fix the key with `kubectl edit {kind} {ref}`.' }, { kind, ref: refName }));
        return { reasons, hints };
      }
    }
    reasons.push(fill({ ko: '컨테이너 {c}의 env/envFrom 어디에도 {name}{name:이/가} 없습니다.', en: 'Neither env nor envFrom of container {c} provides {name}.' }, { c: x.container.name, name }));
    hints.push(fill({ ko: '{target}의 컨테이너 {c}에 env 또는 envFrom을 추가하세요.', en: 'Add env or envFrom to container {c} of {target}.' },
      { c: x.container.name, target: x.deployment ? `deployment/${x.deployment}` : `pod ${podName}` }));
    return { reasons, hints };
  }
  // a value, but not the expected one
  const shown = JSON.stringify(found);
  const src = entry?.source;
  const stored = src && (src.kind === 'secret' || src.kind === 'configmap')
    ? await getSource(x.kc, x.pod.metadata!.namespace!, src.kind, src.name, x.objs) : null;
  const storedVal = stored && src && (src.kind === 'secret' || src.kind === 'configmap') ? storedValue(stored, src.kind, src.key) : undefined;
  // The Secret/ConfigMap already holds the right value: the container's value is from before the fix, so the
  // diagnosis is the restart — never the newline or double encoding of the value it used to hold (issue 12).
  if (x.mode === 'cluster' && storedVal === expected && src && (src.kind === 'secret' || src.kind === 'configmap')) {
    const started = x.pod.status?.containerStatuses?.find((c) => c.name === x.container.name)?.state?.running?.startedAt;
    const changed = (stored?.metadata?.managedFields ?? []).map((f) => f.time).filter(Boolean).map((t) => new Date(t as any).toISOString()).sort().pop();
    reasons.push(fill({ ko: '{name}: 기대값 "{exp}", 컨테이너 안의 값 {shown}.', en: '{name}: expected "{exp}", found {shown} inside the container.' }, { name, exp: expected, shown }));
    reasons.push(fill({
      ko: '{Kind} {s}에는 이미 기대값이 들어 있지만 파드 {pod}는 그 변경 전에 시작되었습니다 (컨테이너 시작 {started}{changed}). 환경 변수는 컨테이너가 시작할 때만 읽힙니다.',
      en: '{Kind} {s} already holds the expected value, but pod {pod} started before that change (container started {started}{changedEn}). Env vars are read only when a container starts.',
    }, { Kind: KIND_NAME[src.kind], s: src.name, pod: podName, started: started ? new Date(started as any).toISOString() : '?',
      changed: changed ? `, 마지막 변경 ${changed}` : '', changedEn: changed ? `, last changed ${changed}` : '' }));
    hints.push(fill({ ko: '파드를 다시 시작하세요: `{cmd}`', en: 'Restart the pods: `{cmd}`' }, { cmd: x.restart }));
    return { reasons, hints };
  }
  if (found.replace(/\r?\n+$/, '') === expected && found !== expected) {
    reasons.push(fill({ ko: '{name}: 기대값 "{exp}", 실제값 {shown} (끝에 줄바꿈이 있습니다).', en: '{name}: expected "{exp}", found {shown} (ends with a newline).' }, { name, exp: expected, shown }));
    if (src?.kind === 'secret') {
      const raw = (stored as V1Secret | null)?.data?.[src.key] ?? b64(found);
      reasons.push(fill({
        ko: 'Secret {s}에 저장된 값은 {raw} 입니다 — "{exp}"에 줄바꿈을 더한 값의 base64로, `echo`가 줄바꿈을 붙입니다.',
        en: 'The Secret {s} stores {raw} — that is the base64 of "{exp}" plus a newline, which `echo` adds.',
      }, { s: src.name, raw, exp: expected }));
    } else if (src?.kind === 'configmap') {
      reasons.push(fill({ ko: 'ConfigMap {s}의 값 끝에 줄바꿈이 있습니다 (YAML의 `|` 블록 또는 파일에서 만든 값?).', en: 'The value in ConfigMap {s} ends with a newline (a YAML `|` block, or created from a file?).' }, { s: src.name }));
    }
    hints.push({ ko: '`echo -n … | base64` 로 다시 만들거나 `kubectl create secret generic --from-literal` 을 쓰세요.', en: 'Re-create it with `echo -n … | base64` or `kubectl create secret generic --from-literal`.' });
    hints.push(fill({ ko: '파드는 시작할 때만 환경 변수를 읽습니다: 고친 뒤 `{cmd}`', en: 'Pods read env vars only when they start: after fixing, run `{cmd}`.' }, { cmd: x.restart }));
    return { reasons, hints };
  }
  if (found === b64(expected) || found === b64(expected + '\n') || (found.length >= 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(found) && unb64(found).replace(/\n$/, '') === expected)) {
    reasons.push(fill({
      ko: '{name}: 기대값 "{exp}", 실제값 {shown} — 기대값을 base64로 인코딩한 문자열입니다: 두 번 인코딩되었습니다.',
      en: '{name}: expected "{exp}", found {shown} — that is the base64 of the expected value: it was base64-encoded twice.',
    }, { name, exp: expected, shown }));
    hints.push({ ko: 'Secret의 data: 는 값을 한 번만 base64로 씁니다 (쿠버네티스가 디코딩해서 넣어 줍니다). 평문을 쓰려면 stringData: 또는 `--from-literal`을 쓰세요.', en: 'Secret data: holds the value base64-encoded once (Kubernetes decodes it for the pod). For plain text use stringData: or `--from-literal`.' });
    hints.push(fill({ ko: '고친 뒤 `{cmd}`', en: 'After fixing, run `{cmd}`.' }, { cmd: x.restart }));
    return { reasons, hints };
  }
  reasons.push(fill({ ko: '{name}: 기대값 "{exp}", 실제값 {shown}{src}.', en: '{name}: expected "{exp}", found {shown}{srcEn}.' },
    { name, exp: expected, shown, src: src ? ` (출처: ${srcText(src).ko})` : '', srcEn: src ? ` (from ${srcText(src).en})` : '' }));
  if (src && (src.kind === 'secret' || src.kind === 'configmap')) {
    hints.push(fill({ ko: '{Kind} {s}의 키 {key} 값을 고치고 `{cmd}` 하세요.', en: 'Fix key {key} of {Kind} {s}, then run `{cmd}`.' }, { Kind: KIND_NAME[src.kind], s: src.name, key: src.key, cmd: x.restart }));
  }
  return { reasons, hints };
}

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const sel = await selectPods(ctx.kc, spec.selector, ctx.namespace);
  const expect = spec.expect as Record<string, string | null>;
  if (sel.problem) return { ok: false, settled: true, reasons: [sel.problem], observed: { pods: [] } };
  if (!sel.pods.length) {
    const waitingFor = await selectionMotion(ctx.kc, sel) ?? undefined;
    return {
      ok: false, settled: !waitingFor, waitingFor, observed: { pods: [] },
      reasons: [tfill({ ko: '{what}에 해당하는 파드가 없습니다.', en: 'No pods found for {what}.' }, { what: sel.what })],
    };
  }
  const restart = sel.deployment ? `kubectl rollout restart deployment/${sel.deployment.metadata!.name} -n ${sel.namespace}` : `kubectl delete pod ${sel.pods[0].metadata!.name} -n ${sel.namespace}`;
  const nodeMap = ctx.capabilities.exec ? await nodes(ctx.kc) : undefined;
  const objs: Objects = { secrets: new Map(), configmaps: new Map() };
  const reasons: Text[] = [];
  const hints: Text[] = [];
  const evidence: Evidence[] = [];
  const observed: Record<string, unknown>[] = [];
  let ok = true;
  let mode: 'cluster' | 'spec' = 'cluster';
  for (const pod of sel.pods.slice(0, 5)) {
    const podName = pod.metadata!.name!;
    const cname = spec.container ?? pod.spec?.containers?.[0]?.name;
    const container = pod.spec?.containers?.find((c) => c.name === cname);
    const header = tfill({ ko: '{what} → 파드 {pod} (컨테이너 {c})', en: '{what} → pod {pod} (container {c})' }, { what: sel.what, pod: podName, c: cname ?? '?' });
    if (!container) {
      ok = false;
      reasons.push(fill({ ko: '파드 {pod}에 컨테이너 {c}가 없습니다 (컨테이너: {list}).', en: 'Pod {pod} has no container {c} (containers: {list}).' },
        { pod: podName, c: cname ?? '?', list: (pod.spec?.containers ?? []).map((c) => c.name).join(', ') }));
      continue;
    }
    const cs = pod.status?.containerStatuses?.find((s) => s.name === cname);
    const node = pod.spec?.nodeName ? nodeMap?.get(pod.spec.nodeName) : undefined;
    const canExec = ctx.capabilities.exec && !!node && !node.simulated;
    const specMap = await specEnv(ctx.kc, pod, container, objs);
    if (!cs?.state?.running) {
      ok = false;
      reasons.push(header);
      const missing = await missingObjects(ctx.kc, pod, container, objs);
      const d = diagnosePod(pod);
      if (missing.length && !d.codes.includes('CreateContainerConfigError')) for (const m of missing) { reasons.push(m.reason); if (m.hint) hints.push(m.hint); }
      reasons.push(...d.reasons);
      hints.push(...d.hints);
      const ev = await eventsFor(ctx.kc, sel.namespace, 'Pod', podName);
      if (ev) evidence.push(ev);
      observed.push({ pod: podName, container: cname, running: false, phase: pod.status?.phase });
      continue;
    }
    let env: Map<string, string | undefined>;
    let podMode: 'cluster' | 'spec';
    const inside = canExec ? await containerEnv(ctx.kc, pod, container.name).catch((err) => {
      // exec itself failed for klab/cluster reasons: that is an error, not something to paper over
      if (err instanceof CheckError) throw err;
      return undefined; // the image has neither cat nor env (distroless): fall back to the spec, and say so below
    }) : undefined;
    if (canExec && !inside) {
      reasons.push(fill({ ko: '(컨테이너 {c}의 이미지에 cat/env가 없어 안을 볼 수 없습니다.)', en: '(The image of container {c} has neither cat nor env, so klab cannot look inside.)' }, { c: container.name }));
    }
    if (inside) {
      env = inside;
      podMode = 'cluster';
    } else {
      env = new Map([...specMap].map(([k, v]) => [k, v.value]));
      podMode = 'spec';
      mode = 'spec';
      // On a simulated node the pod "runs" even when its Secret is missing: say what the kubelet would.
      const missing = await missingObjects(ctx.kc, pod, container, objs);
      for (const m of missing) {
        const names = Object.keys(expect);
        if (names.some((n) => specMap.get(n)?.value === undefined)) { ok = false; reasons.push(header, m.reason); if (m.hint) hints.push(m.hint); }
      }
    }
    const x: Ctx2 = { kc: ctx.kc, pod, container, spec: specMap, objs, mode: podMode, deployment: sel.deployment?.metadata?.name, restart };
    const podReasons: Text[] = [];
    const fields: string[] = [];
    const seen: Record<string, string | null> = {};
    for (const [name, exp] of Object.entries(expect)) {
      const found = env.get(name);
      seen[name] = found ?? null;
      const good = exp === null ? found === undefined : found === exp;
      if (good) continue;
      const e = await explain(name, exp, found, x);
      podReasons.push(...e.reasons);
      hints.push(...e.hints);
      fields.push(`${name}: expected ${exp === null ? '<unset>' : JSON.stringify(exp)}, found ${found === undefined ? '<unset>' : JSON.stringify(found)}`);
    }
    // "Only in this container": the same variables must not be set in the containers named by absentIn.
    const alsoSet: Record<string, Record<string, string>> = {};
    for (const other of (spec.absentIn ?? []) as string[]) {
      const oc = pod.spec?.containers?.find((c) => c.name === other);
      if (!oc) continue;
      const running = pod.status?.containerStatuses?.find((s) => s.name === other)?.state?.running;
      const otherEnv: Map<string, string | undefined> = (canExec && running ? await containerEnv(ctx.kc, pod, other).catch((err) => { if (err instanceof CheckError) throw err; return undefined; }) : undefined)
        ?? new Map([...(await specEnv(ctx.kc, pod, oc, objs))].map(([k, v]) => [k, v.value ?? '']));
      for (const name of Object.keys(expect)) {
        const v = otherEnv.get(name);
        if (v === undefined) continue;
        (alsoSet[other] ??= {})[name] = v;
        podReasons.push(fill({
          ko: '{name}{name:이/가} 컨테이너 {other}에도 "{v}"(으)로 설정되어 있습니다: 이 단계는 컨테이너 {c}에만 넣으라고 합니다.',
          en: '{name} is also set on container {other} ("{v}"): this step wants it on container {c} only.',
        }, { name, other, v, c: container.name }));
        hints.push(fill({ ko: '다른 컨테이너에서 지우세요: `kubectl set env {target} -c {other} {name}-`', en: 'Remove it from the other container: `kubectl set env {target} -c {other} {name}-`' },
          { target: sel.deployment ? `deployment/${sel.deployment.metadata!.name} -n ${sel.namespace}` : `pod/${podName} -n ${sel.namespace}`, other, name }));
        fields.push(`${other}/${name}: expected <unset>, found ${JSON.stringify(v)}`);
      }
    }
    observed.push({ pod: podName, container: cname, node: pod.spec?.nodeName, verifiedBy: podMode, env: seen, ...(Object.keys(alsoSet).length ? { alsoSetIn: alsoSet } : {}) });
    if (podReasons.length) {
      ok = false;
      if (!reasons.includes(header)) reasons.push(header);
      reasons.push(...podReasons);
      evidence.push({ kind: 'field', title: fill({ ko: '{pod}/{c}의 환경 변수', en: 'Environment of {pod}/{c}' }, { pod: podName, c: container.name }), lines: fields });
    }
  }
  if (mode === 'spec') {
    const why: Text = !ctx.capabilities.exec
      ? { ko: '이 클러스터는 파드 안에서 명령을 실행(exec)할 수 없습니다', en: 'this cluster cannot exec into pods' }
      : { ko: '파드가 시뮬레이션된 노드에 있거나 이미지에 cat/env가 없어 exec로 볼 수 없습니다', en: 'the pod runs on a simulated node, or its image has no cat/env, so exec cannot show it' };
    reasons.push(tfill({
      ko: '(파드 스펙과 Secret/ConfigMap 값으로 확인했습니다. 컨테이너 안을 직접 보지는 못했습니다: {why}.)',
      en: '(Verified from the pod spec and the Secret/ConfigMap values, not inside the container: {why}.)',
    }, { why }));
  }
  if (ok) {
    const vars = Object.entries(expect).map(([k, v]) => `${k}=${v === null ? '<unset>' : JSON.stringify(v)}`).join(', ');
    reasons.unshift(tfill({ ko: '{what}: {n}개 파드 모두 {vars}', en: '{what}: all {n} pod(s) have {vars}' }, { what: sel.what, n: Math.min(sel.pods.length, 5), vars }));
  }
  // A pod with the old environment stays so until it is restarted; but a rollout in progress is replacing it.
  const waitingFor = ok ? undefined : await selectionMotion(ctx.kc, sel) ?? undefined;
  return { ok, settled: !waitingFor, waitingFor, reasons, hints: [...new Map(hints.map((h) => [h.en, h])).values()], evidence, observed, verifiedBy: mode };
}

registerKind({
  kind: 'env-in-pod',
  description: { ko: '실행 중인 컨테이너 안의 환경 변수 값', en: 'Environment variable values inside the running container' },
  properties: {
    selector: podSelectorSchema,
    container: { type: 'string', minLength: 1 },
    expect: { type: 'object', minProperties: 1, additionalProperties: { type: ['string', 'null'] } },
    /** Containers that must NOT have any of the expected variables ("only in this container"). */
    absentIn: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
  },
  required: ['selector', 'expect'],
  validate: (s) => podSelectorProblems(s.selector, '/selector'),
  title: (s) => fill({ ko: '파드 안의 환경 변수 {vars}', en: 'Environment variables {vars} inside the pod' }, { vars: Object.keys(s.expect ?? {}).join(', ') }),
  probe,
});
