// The `existing` provider (issue 7): any kubeconfig context — a real EKS cluster after
// `aws eks update-kubeconfig`, minikube, k3d, a kind cluster klab did not make.
// klab creates nothing here: `up` checks that the API server answers and detects node groups from the
// eks.amazonaws.com/nodegroup label; `down` deletes nothing. Before a lab may change a context that is not a
// kind (`kind-*`) or local (`klab-local`) one, the user confirms (prompt on a TTY, or --yes).
// Also home of the small read-only Kubernetes probes `klab doctor` uses (reachability, node groups, CRDs).
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Capabilities, ClusterInfo, ClusterStatus, DownOptions, Provider, ProviderOptions, UpOptions } from './provider.js';
import { noCapabilities } from './provider.js';
import { KlabError, ExitCode, detectLang, fill, same, tr, type Lang, type Text } from '../i18n/index.js';
import { loadNodeGroups, NODEGROUP_LABEL as nodeGroupLabel } from './nodegroups.js';
import { which } from '../host/procs.js';

type KubeConfig = import('@kubernetes/client-node').KubeConfig;

const T = {
  noKubeconfig: { ko: 'kubeconfig 를 읽을 수 없습니다 ({path}): {err}\n--kubeconfig 로 파일을 주거나, EKS라면: aws eks --region <리전> update-kubeconfig --name <클러스터> --profile <프로필>', en: 'Cannot read the kubeconfig ({path}): {err}\nPass --kubeconfig, or for EKS: aws eks --region <region> update-kubeconfig --name <cluster> --profile <profile>' },
  noContext: { ko: "kubeconfig ({path}) 에 컨텍스트 '{context}'가 없습니다. 있는 컨텍스트: {contexts}", en: "The kubeconfig ({path}) has no context '{context}'. Contexts: {contexts}" },
  noCurrent: { ko: 'kubeconfig ({path}) 에 현재 컨텍스트가 없습니다. --context 를 주거나: kubectl config use-context <이름>', en: 'The kubeconfig ({path}) has no current context. Pass --context, or: kubectl config use-context <name>' },
  unreachable: { ko: "클러스터 API 서버 {server} (컨텍스트 '{context}')에 연결할 수 없습니다: {err}", en: "Cannot reach the cluster API server {server} (context '{context}'): {err}" },
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

export interface KubeResponse { status: number; body: any }

/** How long a reachability probe may take: KLAB_PROBE_TIMEOUT (seconds, or "500ms"/"3s"), default 3 s. */
export function probeTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KLAB_PROBE_TIMEOUT;
  if (raw === undefined || raw === '') return 3000;
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw.trim());
  const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) : NaN;
  if (!(ms > 0 && ms <= 600_000)) throw new KlabError(fill(T.badProbeTimeout, { value: raw }), ExitCode.usage);
  return Math.round(ms);
}

/**
 * GET a path on the context's API server with one hard deadline: when it passes (or `signal` aborts), the socket is
 * destroyed wherever it is — connecting, in the TLS handshake, waiting for headers, or mid-body. No connection is
 * kept (agent: false), so nothing is left to hold the process afterwards. Throws on network errors and timeouts.
 */
export async function kubeGet(lc: LoadedContext, apiPath: string, timeoutMs = probeTimeoutMs(), signal?: AbortSignal): Promise<KubeResponse> {
  const opts: https.RequestOptions = {};
  await lc.kc.applyToHTTPSOptions(opts); // client certs, CA, bearer token, exec plugins (e.g. aws eks get-token)
  const url = new URL(apiPath, lc.server.endsWith('/') ? lc.server : lc.server + '/');
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { ...opts, agent: false, method: 'GET', headers: { ...(opts.headers ?? {}), Accept: 'application/json' } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; if (data.length > MAX_BODY) req.destroy(new Error(`answer larger than ${MAX_BODY} bytes`)); });
      res.on('end', () => {
        finish();
        let body: any = data;
        try { body = JSON.parse(data); } catch { /* raw text */ }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', (e) => { finish(); reject(e); });
    });
    const onAbort = () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), { code: 'ETIMEDOUT' }));
    const timer = setTimeout(onAbort, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = () => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); };
    req.on('error', (e) => { finish(); reject(e); });
    req.end();
  });
}
const MAX_BODY = 8 << 20;

/** Reachability: /version answers (any HTTP answer with a gitVersion, or 401/403 = reachable but not authorised). */
export async function reach(lc: LoadedContext, timeoutMs = probeTimeoutMs()): Promise<{ ok: boolean; version?: string; error?: string }> {
  try {
    const r = await kubeGet(lc, '/version', timeoutMs);
    if (r.status === 200 && r.body?.gitVersion) return { ok: true, version: r.body.gitVersion };
    return { ok: false, error: `HTTP ${r.status} ${typeof r.body === 'string' ? r.body.slice(0, 200) : r.body?.message ?? ''}`.trim() };
  } catch (e) {
    return { ok: false, error: (e as Error).message.split('\n')[0] };
  }
}

export interface NodeGroupReport {
  nodes: { name: string; group?: string; ready: boolean; simulated: boolean }[];
  groups: { name: string; expected: number; found: number }[];
  missing: string[];
}

/** Which node groups exist, from eks.amazonaws.com/nodegroup labels, compared with cluster/nodegroups.yaml. */
export async function detectNodeGroups(lc: LoadedContext, timeoutMs = 8000): Promise<NodeGroupReport> {
  const r = await kubeGet(lc, '/api/v1/nodes', timeoutMs);
  if (r.status !== 200) throw new Error(`listing nodes: HTTP ${r.status} ${r.body?.message ?? ''}`);
  const nodes = (r.body.items ?? []).map((n: any) => ({
    name: n.metadata?.name,
    group: n.metadata?.labels?.[nodeGroupLabel],
    ready: (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
    simulated: n.metadata?.annotations?.['kwok.x-k8s.io/node'] === 'fake',
  }));
  const expected = await loadNodeGroups();
  const groups = expected.map((g) => ({ name: g.name, expected: g.nodes, found: nodes.filter((n: any) => n.group === g.name).length }));
  return { nodes, groups, missing: groups.filter((g) => g.found === 0).map((g) => g.name) };
}

/** Capabilities from what the cluster really has. */
export async function detectCapabilities(lc: LoadedContext, ng: NodeGroupReport, timeoutMs = 8000): Promise<Capabilities> {
  const has = async (p: string) => { try { return (await kubeGet(lc, p, timeoutMs)).status === 200; } catch { return false; } };
  const realReady = ng.nodes.some((n) => n.ready && !n.simulated);
  const [argoCrd, registryCm, ingressClasses] = await Promise.all([
    has('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/workflows.argoproj.io'),
    has('/api/v1/namespaces/kube-public/configmaps/local-registry-hosting'),
    kubeGet(lc, '/apis/networking.k8s.io/v1/ingressclasses', timeoutMs).then((r) => r.status === 200 && (r.body.items ?? []).length > 0, () => false),
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
  };
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
      const r = await reach(lc);
      if (!r.ok) throw new KlabError(fill(T.unreachable, { server: lc.server, context: lc.context, err: r.error ?? '?' }), ExitCode.unreachable);
      u.progress.done(same(r.version ?? ''));
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
      if (!r.ok) return { provider: 'existing', running: false, context: lc.context, kubeconfig: lc.file, details: [fill(T.unreachable, { server: lc.server, context: lc.context, err: r.error ?? '?' })] };
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
