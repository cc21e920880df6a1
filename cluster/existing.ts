// The `existing` provider (issue 7): any kubeconfig context — a real EKS cluster after
// `aws eks update-kubeconfig`, minikube, k3d, a kind cluster klab did not make.
// klab creates nothing here: `up` checks that the API server answers and detects node groups from the
// eks.amazonaws.com/nodegroup label; `down` deletes nothing. Before a lab may change a context that is not a
// kind (`kind-*`) or local (`klab-local`) one, the user confirms (prompt on a TTY, or --yes).
// Also home of the small read-only Kubernetes probes `klab doctor` uses (reachability, node groups, CRDs).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Capabilities, ClusterInfo, ClusterStatus, DownOptions, Provider, ProviderOptions, UpOptions } from './provider.js';
import { noCapabilities } from './provider.js';
import { KlabError, ExitCode, detectLang, fill, same, tr, type Lang, type Text } from '../i18n/index.js';
import { loadNodeGroups, NODEGROUP_LABEL as nodeGroupLabel } from './nodegroups.js';
import { which } from '../host/procs.js';
import { k8s, withDeadline, apiMessage, closeClients } from './kube.js';

type KubeConfig = import('@kubernetes/client-node').KubeConfig;

const T = {
  noKubeconfig: { ko: 'kubeconfig 를 읽을 수 없습니다 ({path}): {err}\n--kubeconfig 로 파일을 주거나, EKS라면: aws eks --region <리전> update-kubeconfig --name <클러스터> --profile <프로필>', en: 'Cannot read the kubeconfig ({path}): {err}\nPass --kubeconfig, or for EKS: aws eks --region <region> update-kubeconfig --name <cluster> --profile <profile>' },
  noContext: { ko: "kubeconfig ({path}) 에 컨텍스트 '{context}'가 없습니다. 있는 컨텍스트: {contexts}", en: "The kubeconfig ({path}) has no context '{context}'. Contexts: {contexts}" },
  noCurrent: { ko: 'kubeconfig ({path}) 에 현재 컨텍스트가 없습니다. --context 를 주거나: kubectl config use-context <이름>', en: 'The kubeconfig ({path}) has no current context. Pass --context, or: kubectl config use-context <name>' },
  foreignNoTty: { ko: "컨텍스트 '{context}'는 kind/local 클러스터가 아닙니다 (예: 실제 EKS). klab 실습은 이 클러스터에 네임스페이스와 오브젝트를 만들고 지웁니다 (klab 라벨이 붙은 것만).\n정말 이 클러스터를 쓰려면 --yes 를 붙여 다시 실행하세요. 터미널이 아니라서 물어볼 수 없습니다.", en: "Context '{context}' is not a kind/local cluster (e.g. a real EKS cluster). klab labs create and delete namespaces and objects there (only ones klab labelled).\nTo use this cluster anyway, run again with --yes. There is no terminal to ask you on." },
  confirm: { ko: "컨텍스트 '{context}' ({server})는 kind/local 클러스터가 아닙니다. klab이 여기에 실습용 네임스페이스와 오브젝트를 만들어도 될까요?", en: "Context '{context}' ({server}) is not a kind/local cluster. May klab create lab namespaces and objects there?" },
  declined: { ko: "컨텍스트 '{context}'를 쓰지 않기로 했습니다. 아무것도 바꾸지 않았습니다.", en: "Not using context '{context}'. Nothing was changed." },
  phaseReach: { ko: "API 서버 확인 ({server}, 컨텍스트 '{context}')", en: "Checking the API server ({server}, context '{context}')" },
  phaseGroups: { ko: '노드 그룹 감지 (eks.amazonaws.com/nodegroup 라벨)', en: 'Detecting node groups (eks.amazonaws.com/nodegroup label)' },
  missingGroup: { ko: "노드 그룹 {group} 이(가) 없습니다 (라벨 {label}={group} 인 노드 없음). 이 그룹이 필요한 검사는 건너뜁니다(skip).", en: "Node group {group} is missing (no node labelled {label}={group}). Checks that need it will be skipped." },
  cannotListNodes: { ko: '노드 목록을 읽을 수 없습니다 ({err}) — 노드 그룹이 없는 것으로 봅니다', en: 'cannot list nodes ({err}) — treating node groups as absent' },
  badProbeTimeout: { ko: "KLAB_PROBE_TIMEOUT 값 '{value}'을(를) 쓸 수 없습니다: 초 단위 숫자(예: 3, 0.5) 또는 '500ms', '3s' (최대 600초).", en: "KLAB_PROBE_TIMEOUT '{value}' is not usable: a number of seconds (e.g. 3, 0.5) or '500ms', '3s' (at most 600 s)." },
  noClusters: { ko: 'kubeconfig ({path}) 에 클러스터가 하나도 없습니다 (비었거나 kubeconfig 형식이 아닙니다). 클러스터를 만들거나 (klab cluster up) 올바른 파일을 --kubeconfig 로 주세요.', en: 'The kubeconfig ({path}) has no clusters (it is empty or not a kubeconfig). Create a cluster (klab cluster up) or pass the right file with --kubeconfig.' },
  contextNoCluster: { ko: "kubeconfig ({path}) 의 컨텍스트 '{context}'가 가리키는 클러스터 '{cluster}'가 없거나 server 주소가 없습니다.", en: "Context '{context}' in the kubeconfig ({path}) names cluster '{cluster}', which is missing or has no server address." },
  nothingToDelete: { ko: "existing 제공자는 클러스터를 만들지 않았으므로 지울 것이 없습니다 (컨텍스트 '{context}'). 실습이 만든 것은 klab reset <실습> 으로 지우세요.", en: "The existing provider created no cluster, so there is nothing to delete (context '{context}'). Remove what a lab created with klab reset <lab>." },
} satisfies Record<string, Text>;

/** Contexts klab may change without asking: kind clusters and the local provider's. */
export function isLocalContext(context: string): boolean {
  return context.startsWith('kind-') || context === 'klab-local';
}

export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = (env.KUBECONFIG ?? '').split(path.delimiter).find(Boolean);
  return first ?? path.join(os.homedir(), '.kube', 'config');
}

export interface LoadedContext { kc: KubeConfig; file: string; context: string; server: string }

/** Load a kubeconfig and select the context (--context, else the current one). Errors: exit 2 (input) with ko/en text. */
export async function loadContext(o: { kubeconfig?: string; context?: string }): Promise<LoadedContext> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const file = o.kubeconfig ?? defaultKubeconfigPath();
  // loadFromDefault() invents a context for http://localhost:8080 when there is no kubeconfig at all: say "none" instead.
  const candidates = o.kubeconfig ? [o.kubeconfig] : (process.env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (candidates.length === 0) candidates.push(file);
  if (!candidates.some((f) => existsSync(f)) && !process.env.KUBERNETES_SERVICE_HOST) {
    throw new KlabError(fill(T.noKubeconfig, { path: candidates.join(path.delimiter), err: 'ENOENT' }), ExitCode.usage);
  }
  try {
    if (o.kubeconfig) kc.loadFromFile(o.kubeconfig); else kc.loadFromDefault();
  } catch (e) {
    throw new KlabError(fill(T.noKubeconfig, { path: file, err: (e as Error).message.split('\n')[0] }), ExitCode.usage);
  }
  const contexts = kc.getContexts().map((c) => c.name);
  if (kc.getClusters().length === 0) throw new KlabError(fill(T.noClusters, { path: file }), ExitCode.usage);
  const context = o.context ?? kc.getCurrentContext();
  if (!context) throw new KlabError(fill(T.noCurrent, { path: file }), ExitCode.usage);
  if (!contexts.includes(context)) throw new KlabError(fill(T.noContext, { path: file, context, contexts: contexts.join(', ') || '-' }), ExitCode.usage);
  kc.setCurrentContext(context);
  const server = kc.getCurrentCluster()?.server;
  if (typeof server !== 'string' || !/^https?:\/\/[^/]/.test(server)) {
    throw new KlabError(fill(T.contextNoCluster, { path: file, context, cluster: kc.getContextObject(context)?.cluster ?? '?' }), ExitCode.usage);
  }
  return { kc, file, context, server };
}

/** How long a reachability probe may take: KLAB_PROBE_TIMEOUT (seconds, or "500ms"/"3s"), default 3 s. */
export function probeTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KLAB_PROBE_TIMEOUT;
  if (raw === undefined || raw === '') return 3000;
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw.trim());
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) : NaN;
  if (!(ms > 0 && ms <= 600_000)) throw new KlabError(fill(T.badProbeTimeout, { value: raw }), ExitCode.usage);
  return Math.round(ms);
}

/** Reachability through the one probe (cluster/target.ts `probe`): the version, or the probe's ko/en message. */
export async function reach(lc: LoadedContext, timeoutMs = probeTimeoutMs()): Promise<{ ok: boolean; version?: string; error?: Text }> {
  const { probe } = await import('./target.js');
  try {
    return { ok: true, version: await probe(lc.kc, lc.context, timeoutMs) };
  } catch (e) {
    return { ok: false, error: e instanceof KlabError ? e.text : same((e as Error).message.split('\n')[0]) };
  }
}

/** A read under one deadline (client-node; the request is aborted for real when it passes). */
function read<T>(lc: LoadedContext, timeoutMs: number, fn: (k: ReturnType<typeof k8s>) => Promise<T>): Promise<T> {
  const k = k8s();
  return withDeadline(lc.kc, Date.now() + timeoutMs, undefined, () => fn(k), 0);
}

export interface NodeGroupReport {
  nodes: { name: string; group?: string; ready: boolean; simulated: boolean }[];
  groups: { name: string; expected: number; found: number }[];
  missing: string[];
}

/** Which node groups exist, from eks.amazonaws.com/nodegroup labels, compared with cluster/nodegroups.yaml. */
export async function detectNodeGroups(lc: LoadedContext, timeoutMs = 8000): Promise<NodeGroupReport> {
  let list: import('@kubernetes/client-node').V1NodeList;
  try { list = await read(lc, timeoutMs, (k) => lc.kc.makeApiClient(k.CoreV1Api).listNode()); } catch (e) {
    throw new Error(`listing nodes: ${e instanceof k8s().ApiException ? `HTTP ${e.code} ${apiMessage(e)}` : (e as Error).message.split('\n')[0]}`);
  }
  const nodes = list.items.map((n) => ({
    name: n.metadata?.name ?? '?',
    group: n.metadata?.labels?.[nodeGroupLabel],
    ready: (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    simulated: n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake',
  }));
  const expected = await loadNodeGroups();
  const groups = expected.map((g) => ({ name: g.name, expected: g.nodes, found: nodes.filter((n) => n.group === g.name).length }));
  return { nodes, groups, missing: groups.filter((g) => g.found === 0).map((g) => g.name) };
}

/** Capabilities from what the cluster really has. */
export async function detectCapabilities(lc: LoadedContext, ng: NodeGroupReport, timeoutMs = 8000): Promise<Capabilities> {
  const has = (fn: Parameters<typeof read<boolean>>[2]) => read(lc, timeoutMs, fn).catch(() => false);
  const realReady = ng.nodes.some((n) => n.ready && !n.simulated);
  const crd = (name: string) => has((k) => lc.kc.makeApiClient(k.ApiextensionsV1Api).readCustomResourceDefinition({ name }).then(() => true));
  const [argoCrd, registryCm, ingressClasses, rolloutsCrd, middlewareCrd, gatewayClasses, metallbCrd, awsLbcCrd, cloudNodes] = await Promise.all([
    has((k) => lc.kc.makeApiClient(k.ApiextensionsV1Api).readCustomResourceDefinition({ name: 'workflows.argoproj.io' }).then(() => true)),
    has((k) => lc.kc.makeApiClient(k.CoreV1Api).readNamespacedConfigMap({ name: 'local-registry-hosting', namespace: 'kube-public' }).then(() => true)),
    has((k) => lc.kc.makeApiClient(k.NetworkingV1Api).listIngressClass().then((l) => l.items.length > 0)),
    has((k) => lc.kc.makeApiClient(k.ApiextensionsV1Api).readCustomResourceDefinition({ name: 'rollouts.argoproj.io' }).then(() => true)),
    has((k) => lc.kc.makeApiClient(k.ApiextensionsV1Api).readCustomResourceDefinition({ name: 'middlewares.traefik.io' }).then(() => true)),
    // A GatewayClass some controller accepted (the CRDs alone route nothing); HTTPRoute's CRD with it.
    has((k) => lc.kc.makeApiClient(k.CustomObjectsApi).listClusterCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gatewayclasses' })
      .then((l: { items?: { status?: { conditions?: { type?: string; status?: string }[] } }[] }) => (l.items ?? []).some((g) => g.status?.conditions?.some((c) => c.type === 'Accepted' && c.status === 'True')))),
    crd('ipaddresspools.metallb.io'),
    // EKS: the AWS Load Balancer Controller (its CRD), or the cloud provider's own service controller (nodes that a
    // cloud provider registered carry a providerID such as aws:///…).
    crd('targetgroupbindings.elbv2.k8s.aws'),
    has((k) => lc.kc.makeApiClient(k.CoreV1Api).listNode({ limit: 1 }).then((l) => /^(aws|gce|azure):\/\//.test(l.items[0]?.spec?.providerID ?? ''))),
  ]);
  return {
    nodeGroups: ng.missing.length === 0,
    helm: which('helm') !== undefined,
    argo: argoCrd,
    realPods: realReady,
    exec: realReady,
    logs: realReady,
    registry: registryCm,
    ingress: ingressClasses,
    rollouts: rolloutsCrd,
    traefikMiddleware: middlewareCrd,
    gatewayApi: gatewayClasses,
    loadBalancer: metallbCrd || awsLbcCrd || cloudNodes,
    metallb: metallbCrd,
  };
}

/**
 * The registry the cluster advertises in kube-public/local-registry-hosting (KEP-1755: kind's documented local
 * registry, klab's kind provider): its `host`, or undefined when there is none or it cannot be read in time.
 */
export async function readRegistryHosting(lc: LoadedContext, timeoutMs = 3000): Promise<string | undefined> {
  const { REGISTRY_HOSTING, parseRegistryHosting } = await import('./provider.js');
  try {
    const cm = await read(lc, timeoutMs, (k) => lc.kc.makeApiClient(k.CoreV1Api).readNamespacedConfigMap({ name: REGISTRY_HOSTING.name, namespace: REGISTRY_HOSTING.namespace }));
    return parseRegistryHosting(cm.data?.[REGISTRY_HOSTING.key]);
  } catch { return undefined; }
}

/** The LoadBalancer address block klab's add-on advertises (provider.ts LB_RANGE_HOSTING), or undefined. */
export async function readLbRange(lc: LoadedContext, timeoutMs = 3000): Promise<string | undefined> {
  const { LB_RANGE_HOSTING } = await import('./provider.js');
  try {
    const cm = await read(lc, timeoutMs, (k) => lc.kc.makeApiClient(k.CoreV1Api).readNamespacedConfigMap({ name: LB_RANGE_HOSTING.name, namespace: LB_RANGE_HOSTING.namespace }));
    const r = cm.data?.[LB_RANGE_HOSTING.key]?.trim();
    return r && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(r) ? r : undefined;
  } catch { return undefined; }
}

/** Node groups and capabilities, all requests at once under one deadline; what cannot be seen counts as absent. */
export async function detectAll(lc: LoadedContext, timeoutMs: number): Promise<Capabilities> {
  const none = async (): Promise<NodeGroupReport> => {
    const expected = await loadNodeGroups();
    return { nodes: [], groups: expected.map((g) => ({ name: g.name, expected: g.nodes, found: 0 })), missing: expected.map((g) => g.name) };
  };
  const [ng, caps] = await Promise.all([detectNodeGroups(lc, timeoutMs).catch(none), detectCapabilities(lc, { nodes: [], groups: [], missing: [] }, timeoutMs)]);
  const realReady = ng.nodes.some((n) => n.ready && !n.simulated);
  return { ...caps, nodeGroups: ng.missing.length === 0, realPods: realReady, exec: realReady, logs: realReady };
}

/** Ask before acting on a context that is not kind/local. No TTY and no --yes → exit 2 with the reason. */
export async function confirmContext(context: string, server: string, o: { yes?: boolean; lang?: Lang; interactive?: boolean }): Promise<void> {
  if (isLocalContext(context) || o.yes) return;
  const interactive = o.interactive ?? (Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY));
  if (!interactive) throw new KlabError(fill(T.foreignNoTty, { context }), ExitCode.usage);
  const { confirm } = await import('@inquirer/prompts');
  const lang = o.lang ?? detectLang();
  const ok = await confirm({ message: tr(fill(T.confirm, { context, server }), lang), default: false });
  if (!ok) throw new KlabError(fill(T.declined, { context }), ExitCode.usage);
}

/** `lang` (prompt language) and `interactive` (false: never prompt, e.g. tests) extend ProviderOptions here only. */
export function createProvider(opts: ProviderOptions & { lang?: Lang; interactive?: boolean }): Provider {
  let caps: Capabilities = { ...noCapabilities };
  return {
    name: 'existing',

    async available() {
      try { await loadContext(opts); return { ok: true }; } catch (e) { return { ok: false, reason: e instanceof KlabError ? e.text : same(String(e)) }; }
    },

    async up(u: UpOptions): Promise<ClusterInfo> {
      const lc = await loadContext(opts);
      // Ask first: nothing is read from or written to a foreign cluster before the user agrees.
      await confirmContext(lc.context, lc.server, { yes: u.yes ?? opts.yes, lang: opts.lang, interactive: opts.interactive });
      u.progress.phase(fill(T.phaseReach, { server: lc.server, context: lc.context }));
      const { probe } = await import('./target.js');
      u.progress.done(same(await probe(lc.kc, lc.context)));
      u.progress.phase(T.phaseGroups);
      let ng: NodeGroupReport;
      try {
        ng = await detectNodeGroups(lc);
        u.progress.done(same(ng.groups.map((g) => `${g.name} ${g.found}/${g.expected}`).join(', ')));
      } catch (e) {
        // e.g. RBAC forbids listing nodes on a shared EKS cluster: go on, claiming no node groups.
        u.progress.done(fill(T.cannotListNodes, { err: (e as Error).message }));
        const expected = await loadNodeGroups();
        ng = { nodes: [], groups: expected.map((g) => ({ name: g.name, expected: g.nodes, found: 0 })), missing: expected.map((g) => g.name) };
      }
      for (const g of ng.missing) u.progress.info(fill(T.missingGroup, { group: g, label: nodeGroupLabel }));
      caps = await detectCapabilities(lc, ng);
      closeClients(lc.kc);
      return { provider: 'existing', kubeconfig: lc.file, context: lc.context, capabilities: caps };
    },

    async down(o: DownOptions): Promise<void> {
      let context = opts.context ?? '?';
      try { context = (await loadContext(opts)).context; } catch { /* say it anyway */ }
      o.progress.info(fill(T.nothingToDelete, { context }));
    },

    async status(): Promise<ClusterStatus> {
      let lc: LoadedContext;
      try { lc = await loadContext(opts); } catch (e) { return { provider: 'existing', running: false, details: [e instanceof KlabError ? e.text : same(String(e))] }; }
      const r = await reach(lc);
      if (!r.ok) return { provider: 'existing', running: false, context: lc.context, kubeconfig: lc.file, details: [r.error ?? same('?')] };
      const details: Text[] = [same(`${lc.server} ${r.version}`)];
      try {
        const ng = await detectNodeGroups(lc);
        for (const g of ng.groups) details.push(same(`node group ${g.name}: ${g.found}/${g.expected} nodes`));
        for (const g of ng.missing) details.push(fill(T.missingGroup, { group: g, label: nodeGroupLabel }));
        caps = await detectCapabilities(lc, ng);
        details.push(same(`capabilities: ${Object.entries(caps).filter(([, v]) => v).map(([k]) => k).join(', ') || '-'}`));
      } catch (e) {
        details.push(same((e as Error).message));
      }
      closeClients(lc.kc);
      return { provider: 'existing', running: true, context: lc.context, kubeconfig: lc.file, details };
    },

    /** From the kubeconfig file alone, read as plain YAML (no request, and not even the Kubernetes client: hint and
     * answer stay fast); an unreadable kubeconfig leaves the context unknown. */
    async locate() {
      const file = opts.kubeconfig ?? defaultKubeconfigPath();
      if (opts.context) return { kubeconfig: file, context: opts.context };
      try {
        const { parse } = await import('yaml');
        const kc = parse(readFileSync(file, 'utf8')) as { 'current-context'?: unknown } | null;
        const context = kc?.['current-context'];
        return { kubeconfig: file, context: typeof context === 'string' ? context : undefined };
      } catch { return { kubeconfig: file }; }
    },

    /** What the last up()/status() detected; all false before that (never claims what it has not seen). */
    capabilities: () => ({ ...caps }),
  };
}
