// helm-release: Helm's release records (Secrets, or ConfigMaps with HELM_DRIVER=configmap) read directly (no helm binary): status, chart name/version, revision,
// user values, rendered manifest content, hooks and their last run, and the live objects of the manifest.
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind } from './registry.js';
import type { Spec } from './registry.js';
import { clients, read, getOrNull } from './k8s.js';
import { decodeReleaseSecretData, decodeHelmPayload, manifestObjects } from './helm-decode.js';
import type { HelmRelease } from './helm-decode.js';
import { partialMatch, mismatchText } from './match.js';

export interface FoundRelease { release: HelmRelease; driver: 'secret' | 'configmap'; revisions: number[] }

interface StoredRecord { metadata?: { name?: string; labels?: Record<string, string> }; data?: Record<string, string>; type?: string }

/**
 * The latest revision among a release's stored records, from either of Helm's storage drivers: Secrets (the default:
 * type helm.sh/release.v1, `data.release` base64 on top of Helm's own base64-gzip) and ConfigMaps
 * (HELM_DRIVER=configmap: the same labels, `data.release` is Helm's payload as is). null when there is none.
 */
export function pickLatest(secrets: StoredRecord[], configMaps: StoredRecord[], revision?: number): FoundRelease | null {
  const rev = (s: StoredRecord) => Number(s.metadata?.labels?.version ?? /\.v(\d+)$/.exec(s.metadata?.name ?? '')?.[1] ?? 0);
  const items = [
    ...secrets.filter((s) => s.type === 'helm.sh/release.v1' && s.data?.release).map((s) => ({ s, driver: 'secret' as const })),
    ...configMaps.filter((c) => c.data?.release).map((s) => ({ s, driver: 'configmap' as const })),
  ];
  if (!items.length) return null;
  items.sort((a, b) => rev(b.s) - rev(a.s));
  const top = revision === undefined ? items[0] : items.find((x) => rev(x.s) === revision);
  if (!top) return null;
  const release = top.driver === 'secret' ? decodeReleaseSecretData(top.s.data!.release) : decodeHelmPayload(top.s.data!.release);
  return { release, driver: top.driver, revisions: [...new Set(items.map((x) => rev(x.s)))].sort((a, b) => a - b) };
}

/** The latest revision of a release in a namespace (Secret or ConfigMap storage), or null. */
export async function latestRelease(ctx: CheckContext, name: string, ns: string, revision?: number): Promise<FoundRelease | null> {
  const c = clients(ctx.kc);
  const labelSelector = `owner=helm,name=${name}`;
  const [secrets, cms] = await Promise.all([
    read(ctx.kc, () => c.core.listNamespacedSecret({ namespace: ns, labelSelector }), `list secrets in ${ns}`),
    read(ctx.kc, () => c.core.listNamespacedConfigMap({ namespace: ns, labelSelector }), `list configmaps in ${ns}`),
  ]);
  return pickLatest(secrets.items as StoredRecord[], cms.items as StoredRecord[], revision);
}

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const ns: string = spec.namespace ?? ctx.namespace;
  const name: string = spec.release;
  const c = clients(ctx.kc);
  const found = await latestRelease(ctx, name, ns, spec.revision);
  if (!found && spec.revision !== undefined) {
    const any = await latestRelease(ctx, name, ns);
    if (any) {
      return { ok: false, settled: true, observed: { release: name, revisions: any.revisions },
        reasons: [fill({ ko: '릴리스 {name}에 리비전 {rev}{rev:이/가} 없습니다 (있는 리비전: {list}).', en: 'Release {name} has no revision {rev} (revisions: {list}).' }, { name, rev: spec.revision, list: any.revisions.join(', ') })],
        hints: [fill({ ko: '`helm history {name} -n {ns}` 로 확인하세요.', en: 'Look at `helm history {name} -n {ns}`.' }, { name, ns })] };
    }
  }
  if (!found) {
    const [here, hereCm] = await Promise.all([
      read(ctx.kc, () => c.core.listNamespacedSecret({ namespace: ns, labelSelector: 'owner=helm' }), `list secrets in ${ns}`),
      read(ctx.kc, () => c.core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'owner=helm' }), `list configmaps in ${ns}`),
    ]);
    const names = [...new Set([...here.items, ...hereCm.items].map((s) => s.metadata?.labels?.name).filter(Boolean))];
    let elsewhere: string[] = [];
    try {
      const [all, allCm] = await Promise.all([
        c.core.listSecretForAllNamespaces({ labelSelector: `owner=helm,name=${name}` }),
        c.core.listConfigMapForAllNamespaces({ labelSelector: `owner=helm,name=${name}` }),
      ]);
      elsewhere = [...new Set([...all.items, ...allCm.items].map((s) => s.metadata?.namespace!).filter((n) => n !== ns))];
    } catch { /* cluster-wide list may be forbidden: the message just says less */ }
    const reasons: Text[] = [fill({
      ko: '네임스페이스 {ns}에 Helm 릴리스 {name}{name:이/가} 없습니다 (여기 있는 릴리스: {names}).',
      en: 'There is no Helm release {name} in namespace {ns} (releases here: {names}).',
    }, { ns, name, names: names.join(', ') || '-' })];
    const hints: Text[] = [];
    if (elsewhere.length) {
      reasons.push(fill({ ko: '같은 이름의 릴리스가 네임스페이스 {list}에 있습니다: --namespace를 빠뜨렸나요?', en: 'A release with that name exists in namespace {list}: did you forget --namespace?' }, { list: elsewhere.join(', ') }));
      hints.push(fill({ ko: '`helm install {name} <차트> --namespace {ns}`', en: '`helm install {name} <chart> --namespace {ns}`' }, { name, ns }));
    } else hints.push(fill({ ko: '`helm install {name} <차트 경로> -n {ns}` 로 설치하세요.', en: 'Install it with `helm install {name} <chart path> -n {ns}`.' }, { name, ns }));
    return { ok: false, settled: true, reasons, hints, observed: { release: null } };
  }
  const rel = found.release;
  const reasons: Text[] = [];
  const hints: Text[] = [];
  const evidence: Evidence[] = [];
  const bad: Text[] = [];
  const chart = rel.chart?.metadata ?? { name: '?', version: '?' };
  reasons.push(fill({ ko: '릴리스 {ns}/{name}: 리비전 {rev}, 상태 {status}, 차트 {chart}-{ver}', en: 'Release {ns}/{name}: revision {rev}, status {status}, chart {chart}-{ver}' },
    { ns, name, rev: rel.version, status: rel.info.status, chart: chart.name, ver: chart.version }));
  const wantStatus: string = Array.isArray(spec.status) ? spec.status.join('|') : spec.status ?? 'deployed';
  if (!wantStatus.split('|').includes(rel.info.status)) {
    bad.push(fill({ ko: '상태: 기대 {want}, 실제 {got}{desc}', en: 'status: expected {want}, found {got}{desc}' }, { want: wantStatus, got: rel.info.status, desc: rel.info.description ? ` — "${rel.info.description}"` : '' }));
    if (/^pending-/.test(rel.info.status)) hints.push({ ko: 'Helm 작업이 중간에 멈췄습니다: `helm history`로 확인하고 `helm rollback` 하거나 다시 upgrade 하세요.', en: 'A Helm operation was interrupted: look at `helm history`, then `helm rollback` or upgrade again.' });
    if (rel.info.status === 'failed') hints.push({ ko: '`helm status` 와 실패한 리소스의 이벤트를 보고 고친 뒤 `helm upgrade` 하세요.', en: 'Read `helm status` and the failing resource\'s events, fix, then `helm upgrade`.' });
  }
  if (spec.description && !(rel.info.description ?? '').includes(spec.description)) {
    bad.push(fill({ ko: '리비전 {rev}의 설명: "{want}"이(가) 기대되지만 "{got}"입니다.', en: 'Revision {rev} description: expected "{want}", found "{got}".' }, { rev: rel.version, want: spec.description, got: rel.info.description ?? '' }));
  }
  if (spec.chart?.name && chart.name !== spec.chart.name) bad.push(fill({ ko: '차트 이름: 기대 {want}, 실제 {got}', en: 'chart name: expected {want}, found {got}' }, { want: spec.chart.name, got: chart.name }));
  if (spec.chart?.version && chart.version !== String(spec.chart.version)) bad.push(fill({ ko: '차트 버전: 기대 {want}, 실제 {got} (Chart.yaml의 version)', en: 'chart version: expected {want}, found {got} (version in Chart.yaml)' }, { want: spec.chart.version, got: chart.version }));
  if (spec.minRevision && rel.version < spec.minRevision) {
    bad.push(fill({ ko: '리비전: {min} 이상이어야 하는데 {got}입니다 (upgrade/rollback이 아직 없습니다).', en: 'revision: expected at least {min}, found {got} (no upgrade/rollback yet).' }, { min: spec.minRevision, got: rel.version }));
    hints.push(fill({ ko: '`helm upgrade {name} …` 또는 `helm rollback {name}` 을 실행하세요.', en: 'Run `helm upgrade {name} …` or `helm rollback {name}`.' }, { name }));
  }
  if (spec.values) {
    const ms = partialMatch(spec.values, rel.config ?? {}, 'values');
    if (ms.length) {
      const t = mismatchText(ms);
      bad.push({ ko: `사용자 값(-f/--set)이 다릅니다: ${t.ko.join('; ')}`, en: `user values (-f/--set) differ: ${t.en.join('; ')}` });
      evidence.push({ kind: 'field', title: { ko: '릴리스의 사용자 값', en: 'User values of the release' }, lines: t.en });
      hints.push(fill({ ko: '`helm upgrade {name} <차트> -f <환경별 values 파일>` 로 값을 바꾸세요 (예: environments/values.prod.yaml).', en: 'Change the values with `helm upgrade {name} <chart> -f <values file>` (e.g. environments/values.prod.yaml).' }, { name }));
      // The wanted values are the chart's own defaults (values.yaml) of this revision: the trainee edited values.yaml
      // instead of passing the environment's file — it works once, but the environments are no longer kept apart.
      if (rel.chart.values && !partialMatch(spec.values, rel.chart.values, 'values').length) {
        bad.push({ ko: '원하는 값은 이 리비전 차트의 기본값(values.yaml)에 들어 있습니다: values.yaml 을 고치는 대신 -f 로 환경별 values 파일을 넘기세요.', en: 'The wanted values are in this revision\'s chart defaults (values.yaml): pass the environment\'s values file with -f instead of editing values.yaml.' });
      }
    }
  }
  const objs = await manifestObjects(rel.manifest ?? '');
  const docs = (rel.manifest ?? '').split(/^---\s*$/m);
  for (const want of (spec.manifest ?? []) as { kind?: string; name?: string; contains?: string; notContains?: string }[]) {
    if (want.notContains) {
      // "must not contain": in the documents of that kind/name, or anywhere in the manifest without a kind
      const bad0 = docs.filter((d) => d.includes(want.notContains!) && (!want.kind || new RegExp(`^kind:\\s*${want.kind}\\s*$`, 'm').test(d)) && (!want.name || new RegExp(`^\\s+name:\\s*["']?${want.name}["']?\\s*$`, 'm').test(d)));
      if (bad0.length) {
        const src = bad0.map((d) => /^# Source: [^/]+\/(.+)$/m.exec(d)?.[1]).filter(Boolean).join(', ');
        bad.push(fill({ ko: '렌더링된 매니페스트에 "{s}"이(가) 있으면 안 되는데 있습니다{src}.', en: 'The rendered manifest must not contain "{s}", but it does{src}.' }, { s: want.notContains, src: src ? ` (${src})` : '' }));
      }
    }
    if (!want.kind) {
      if (want.contains && !(rel.manifest ?? '').includes(want.contains)) {
        bad.push(fill({ ko: '렌더링된 매니페스트에 "{s}"가 없습니다 (템플릿의 조건/값을 확인하세요).', en: 'The rendered manifest does not contain "{s}" (check the template\'s conditions/values).' }, { s: want.contains }));
      }
      continue;
    }
    const hit = objs.find((o) => o.kind === want.kind && (!want.name || o.name === want.name));
    if (!hit) {
      bad.push(fill({ ko: '렌더링된 매니페스트에 {kind}{name}{name:이/가} 없습니다 (있는 것: {list}).', en: 'The rendered manifest has no {kind}{name} (it has: {list}).' },
        { kind: want.kind, name: want.name ? ` ${want.name}` : '', list: objs.map((o) => `${o.kind}/${o.name}`).join(', ') || '-' }));
    }
    if (want.contains && !(rel.manifest ?? '').includes(want.contains)) {
      bad.push(fill({ ko: '렌더링된 매니페스트에 "{s}"가 없습니다 (템플릿의 조건/값을 확인하세요).', en: 'The rendered manifest does not contain "{s}" (check the template\'s conditions/values).' }, { s: want.contains }));
    }
  }
  if (spec.hooks) {
    for (const h of spec.hooks as { name?: string; kind?: string; events?: string[]; succeeded?: boolean; weight?: number; deletePolicies?: string[]; deleted?: boolean }[]) {
      const hook = (rel.hooks ?? []).find((x) => (!h.name || x.name === h.name) && (!h.kind || x.kind === h.kind));
      const label = `${h.kind ?? 'hook'}${h.name ? ' ' + h.name : ''}`;
      if (!hook) {
        bad.push(fill({ ko: '훅 {h}{h:이/가} 릴리스에 없습니다 (훅: {list}). 템플릿에 "helm.sh/hook" 어노테이션이 있는지 보세요.', en: 'Hook {h} is not in the release (hooks: {list}). Check the template has the "helm.sh/hook" annotation.' },
          { h: label, list: (rel.hooks ?? []).map((x) => `${x.kind}/${x.name}`).join(', ') || '-' }));
        continue;
      }
      const missingEv = (h.events ?? []).filter((e) => !(hook.events ?? []).includes(e));
      if (missingEv.length) bad.push(fill({ ko: '훅 {h}의 시점: {want}{want:이/가} 필요하지만 {got}입니다.', en: 'Hook {h} runs at {got}, but {want} is needed.' }, { h: label, want: missingEv.join(','), got: (hook.events ?? []).join(',') || '-' }));
      if (h.weight !== undefined && (hook.weight ?? 0) !== h.weight) {
        bad.push(fill({ ko: '훅 {h}의 helm.sh/hook-weight: 기대 "{want}", 실제 "{got}" (문자열로 써야 합니다).', en: 'Hook {h} helm.sh/hook-weight: expected "{want}", found "{got}" (it must be a string).' }, { h: label, want: h.weight, got: hook.weight ?? 0 }));
      }
      if (h.deletePolicies) {
        const got = [...(hook.delete_policies ?? [])].sort();
        const want = [...h.deletePolicies].sort();
        if (got.join(',') !== want.join(',')) {
          bad.push(fill({ ko: '훅 {h}의 helm.sh/hook-delete-policy: 기대 {want}, 실제 {got}.', en: 'Hook {h} helm.sh/hook-delete-policy: expected {want}, found {got}.' }, { h: label, want: want.join(','), got: got.join(',') || '-' }));
        }
      }
      if (h.deleted && hook.last_run?.phase === 'Succeeded') {
        const left = await getOrNull(ctx.kc, () => c.objects.read({ apiVersion: hookApiVersion(hook.manifest), kind: hook.kind, metadata: { name: hook.name, namespace: ns } } as any), `get ${hook.kind} ${ns}/${hook.name}`).catch(() => null);
        if (left) {
          bad.push(fill({ ko: '끝난 훅 {h}{h:이/가} 클러스터에 남아 있습니다 (hook-succeeded 삭제 정책이 없나요?).', en: 'The finished hook {h} is still in the cluster (no hook-succeeded delete policy?).' }, { h: label }));
          hints.push(fill({ ko: '"helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded 를 넣고, 남은 것은 `kubectl -n {ns} delete {k} {n}` 으로 지우세요.', en: 'Add "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded, and delete the one left with `kubectl -n {ns} delete {k} {n}`.' }, { ns, k: hook.kind.toLowerCase(), n: hook.name }));
        }
      }
      if (h.succeeded !== false) {
        const phase = hook.last_run?.phase || '';
        if (phase !== 'Succeeded') {
          bad.push(fill({ ko: '훅 {h}의 마지막 실행: {phase}', en: 'Hook {h} last run: {phase}' }, { h: label, phase: phase || (hook.last_run?.started_at ? 'Unknown' : '아직 실행 안 됨 / never ran') }));
          if (hook.kind === 'Job') {
            const job = await getOrNull(ctx.kc, () => c.batch.readNamespacedJob({ name: hook.name, namespace: ns }), `get job ${ns}/${hook.name}`);
            if (job) evidence.push({ kind: 'note', title: fill({ ko: 'Job {n} 상태', en: 'Job {n} status' }, { n: hook.name }), lines: (job.status?.conditions ?? []).map((cd) => `${cd.type}=${cd.status} ${cd.reason ?? ''} ${cd.message ?? ''}`.trim()) });
          }
        }
      }
    }
  }
  if (spec.liveObjects) {
    const missing: string[] = [];
    for (const o of objs) {
      const got = await getOrNull(ctx.kc, () => c.objects.read({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.namespace ?? ns } } as any), `get ${o.kind} ${o.name}`)
        .catch(() => null);
      if (!got) missing.push(`${o.kind}/${o.name}`);
    }
    if (missing.length) bad.push(fill({ ko: '매니페스트의 오브젝트가 클러스터에 없습니다: {list} (손으로 지웠나요? `helm upgrade`로 되살리세요).', en: 'Objects of the manifest are missing from the cluster: {list} (deleted by hand? `helm upgrade` restores them).' }, { list: missing.join(', ') }));
  }
  const observed = { release: name, namespace: ns, revision: rel.version, revisions: found.revisions, status: rel.info.status, chart: `${chart.name}-${chart.version}`, values: rel.config ?? {}, objects: objs.map((o) => `${o.kind}/${o.name}`), hooks: (rel.hooks ?? []).map((h) => ({ name: h.name, kind: h.kind, events: h.events, phase: h.last_run?.phase, weight: h.weight ?? 0, deletePolicies: h.delete_policies ?? [] })), driver: found.driver };
  // Moving while Helm is mid-operation (pending-install/upgrade/rollback) or a hook is still running.
  const runningHook = (rel.hooks ?? []).find((h) => h.last_run?.phase === 'Running' || (h.last_run?.started_at && !h.last_run?.phase));
  const waitingFor: Text | undefined = /^pending-/.test(rel.info.status)
    ? fill({ ko: 'Helm 작업 ({s})', en: 'the Helm operation ({s})' }, { s: rel.info.status })
    : runningHook ? fill({ ko: '실행 중인 훅 {h}', en: 'hook {h} running' }, { h: `${runningHook.kind}/${runningHook.name}` }) : undefined;
  return { ok: bad.length === 0, reasons: [...reasons, ...bad], hints, evidence, observed, settled: !waitingFor, waitingFor };
}

/** The apiVersion in a hook's manifest (batch/v1 for a Job when it cannot be read). */
function hookApiVersion(manifest: string | undefined): string {
  return /^apiVersion:\s*(\S+)/m.exec(manifest ?? '')?.[1] ?? 'batch/v1';
}

const STATUSES = ['deployed', 'failed', 'superseded', 'uninstalled', 'uninstalling', 'pending-install', 'pending-upgrade', 'pending-rollback', 'unknown'];

registerKind({
  kind: 'helm-release',
  description: { ko: 'Helm 릴리스 상태, 차트, 리비전, 값, 매니페스트, 훅 (helm 없이 릴리스 Secret을 직접 읽음)', en: 'Helm release status, chart, revision, values, manifest, hooks (reads the release Secrets, no helm binary)' },
  properties: {
    release: { type: 'string', minLength: 1 },
    namespace: { type: 'string', minLength: 1 },
    status: { anyOf: [{ enum: STATUSES }, { type: 'array', minItems: 1, items: { enum: STATUSES } }] },
    revision: { type: 'integer', minimum: 1 },
    description: { type: 'string', minLength: 1 },
    chart: { type: 'object', properties: { name: { type: 'string' }, version: { type: ['string', 'number'] } }, additionalProperties: false },
    minRevision: { type: 'integer', minimum: 1 },
    values: { type: 'object' },
    manifest: { type: 'array', items: { type: 'object', anyOf: [{ required: ['kind'] }, { required: ['notContains'] }, { required: ['contains'] }], properties: { kind: { type: 'string' }, name: { type: 'string' }, contains: { type: 'string' }, notContains: { type: 'string', minLength: 1 } }, additionalProperties: false } },
    hooks: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, kind: { type: 'string' }, events: { type: 'array', items: { type: 'string' } }, succeeded: { type: 'boolean' }, weight: { type: 'integer' }, deletePolicies: { type: 'array', items: { enum: ['before-hook-creation', 'hook-succeeded', 'hook-failed'] } }, deleted: { type: 'boolean' } }, additionalProperties: false } },
    liveObjects: { type: 'boolean' },
  },
  required: ['release'],
  title: (s) => fill({ ko: 'Helm 릴리스 {r}', en: 'Helm release {r}' }, { r: s.release }),
  probe,
});
