// The provider interface: kind (trainees), local (tests, no Docker), existing (any kubeconfig context, e.g. EKS).
// Providers live beside this file, one per file; nothing here imports labs/ or checkers/.
import type { Lang, Text } from '../i18n/index.js';

/**
 * THE provider table: each provider's module, loaded only when asked for (keeps `klab --help` fast). The names are
 * what `--provider` accepts (scripts/args.ts), `klab --help` lists, the remembered-cluster file is checked against
 * (cluster/target.ts), and `cluster/index.ts` `getProvider` loads. Adding a provider: `cluster/<name>.ts` exporting
 * `createProvider`, and one row here.
 */
export const providerTable = {
  kind: () => import('./kind.js'),
  local: () => import('./local.js'),
  existing: () => import('./existing.js'),
} satisfies Record<string, () => Promise<{ createProvider(opts: ProviderOptions): Provider }>>;
export type ProviderName = keyof typeof providerTable;
export const providerNames = Object.keys(providerTable) as ProviderName[];

/**
 * THE capability table: what a cluster may or may not offer, and how a skip names it (ko/en). Everything else reads
 * it: the `Capabilities` type, `noCapabilities`, the check specs' `needs` enum (checkers/kinds.ts), the skip reasons
 * (checkers/runner.ts), and the lab schema's `capability` enum (written into labs/_engine/lab.schema.json by the build,
 * scripts/postbuild.ts). Adding one here makes tsc ask each provider for its answer.
 */
export const capabilityTable = {
  /** nodes carry eks.amazonaws.com/nodegroup labels */
  nodeGroups: { ko: 'EKS 노드 그룹 레이블이 있는 노드', en: 'nodes labelled as EKS node groups' },
  /** a helm binary is available for setup/solution */
  helm: { ko: 'helm 실행 파일', en: 'a helm binary' },
  /** Argo Workflows can be installed / is installed */
  argo: { ko: 'Argo Workflows', en: 'Argo Workflows' },
  /** containers really run somewhere (exec/logs possible on at least one node) */
  realPods: { ko: '실제로 실행되는 파드', en: 'pods that really run' },
  exec: { ko: '파드 안에서 명령 실행 (exec)', en: 'running commands inside pods (exec)' },
  logs: { ko: '컨테이너 로그', en: 'container logs' },
  /** a local registry stands in for ECR */
  registry: { ko: '로컬 이미지 레지스트리', en: 'a local image registry' },
  ingress: { ko: 'Ingress 컨트롤러', en: 'an Ingress controller' },
  /** Argo Rollouts (CRDs and controller) is installed, or klab installs it for a lab that asks (`addons: [rollouts]`) */
  rollouts: { ko: 'Argo Rollouts', en: 'Argo Rollouts' },
  /** Traefik's CRDs (traefik.io Middleware …) are installed and its kubernetescrd provider reads them (decision 0031) */
  traefikMiddleware: { ko: 'Traefik 미들웨어 (traefik.io CRD)', en: 'Traefik Middlewares (the traefik.io CRDs)' },
  /** Gateway API CRDs and a GatewayClass whose controller runs (decision 0032) */
  gatewayApi: { ko: 'Gateway API (CRD와 GatewayClass)', en: 'the Gateway API (CRDs and a GatewayClass)' },
  /** something gives LoadBalancer Services an external address (MetalLB, a cloud's load balancer controller) */
  loadBalancer: { ko: 'LoadBalancer 구현 (외부 주소를 주는 것)', en: 'a LoadBalancer implementation (something that assigns external addresses)' },
  /** MetalLB's CRDs: a trainee's IPAddressPool is what gives addresses (local and kind; not EKS) */
  metallb: { ko: 'MetalLB 주소 풀 (IPAddressPool)', en: 'MetalLB address pools (IPAddressPool)' },
} as const satisfies Record<string, Text>;
export type CapabilityName = keyof typeof capabilityTable;
export const capabilityNames = Object.keys(capabilityTable) as CapabilityName[];
export type Capabilities = Record<CapabilityName, boolean>;

export interface ClusterInfo {
  provider: ProviderName;
  kubeconfig: string;  // path of the kubeconfig file that holds `context`
  context: string;
  capabilities: Capabilities;
  /** A folder with the tools this provider brings (kubectl, helm, argo …); lab scripts get it first on PATH. */
  binDir?: string;
  /** DOCKER_HOST of the provider's own Docker engine (local: the real node's), when it is not the default one. */
  dockerHost?: string;
  /** The registry the cluster advertises (kube-public/local-registry-hosting, KEP-1755), once connected. */
  registry?: string;
  /** See Located.lbRange: labs fill `{lbaddr}` from it (labs/_engine/load.ts labParams). */
  lbRange?: string;
}

export interface ClusterStatus {
  provider: ProviderName;
  running: boolean;
  context?: string;
  kubeconfig?: string;
  binDir?: string;
  /** One line per component/node, e.g. "kube-apiserver: running (pid 123)". */
  details: Text[];
}

export interface Progress {
  /** A phase starts (one line with spinner/elapsed time in a TTY). */
  phase(name: Text): void;
  /** The current phase is done; `note` is appended. */
  done(note?: Text): void;
  info(text: Text): void;
}

export interface UpOptions { progress: Progress; addons?: string[]; force?: boolean; yes?: boolean }
export interface DownOptions { progress: Progress; force?: boolean }

export interface Provider {
  readonly name: ProviderName;
  /** Can this provider run here at all? If not, `reason` says what to install. */
  available(): Promise<{ ok: boolean; reason?: Text }>;
  up(opts: UpOptions): Promise<ClusterInfo>;
  down(opts: DownOptions): Promise<void>;
  status(): Promise<ClusterStatus>;
  capabilities(): Capabilities;
  /**
   * Pause (`run` false) or resume klab's own cluster-wide Argo workflow-controller, for a lab whose trainee installs an
   * Argo of their own (decision 0015). `holder` (a trainee label): a pause is held per trainee, and a holder's resume
   * resumes only once no other trainee holds it (decision 0029); a resume without a holder resumes at once (a lab that
   * needs klab's Argo starts). Returns whether anything changed. Absent: the provider installs no Argo.
   */
  sharedArgo?(run: boolean, holder?: string): Promise<boolean>;
  /** Where the cluster would be (kubeconfig, context, tools), from local files only: never contacts a cluster, so
   * commands that need none (hint, answer) stay instant whatever state the cluster is in. */
  locate(): Promise<Located>;
}

export interface Located {
  kubeconfig?: string; context?: string; binDir?: string; dockerHost?: string;
  /** The block a trainee's MetalLB pool takes its address from (local: on the real node's bridge; kind: kind's Docker network). */
  lbRange?: string;
}

/**
 * The image registry a lab tells the trainee to push to, which the cluster's nodes pull from under the same name:
 * the local provider's registry (localhost:5000 on the real node), kind's (localhost:5001), and on an existing
 * cluster the one the instructor names in $KLAB_REGISTRY (an ECR registry: <account>.dkr.ecr.<region>.amazonaws.com).
 */
export function imageRegistry(provider: ProviderName, env: NodeJS.ProcessEnv = process.env, advertised?: string): string | undefined {
  if (env.KLAB_REGISTRY) return env.KLAB_REGISTRY.replace(/^https?:\/\//, '').replace(/\/$/, '');
  if (advertised) return advertised;
  return provider === 'local' ? 'localhost:5000' : provider === 'kind' ? 'localhost:5001' : undefined;
}

/** The ConfigMap a cluster advertises its local registry in (KEP-1755; kind's docs, klab's kind provider). */
/**
 * Where klab's LoadBalancer add-on tells which address block trainees' MetalLB pools take their address from
 * (decision 0033): written by the local and kind providers when they start MetalLB, read on connecting, so a context
 * named with --kubeconfig/--context (the `existing` provider) learns it too. Absent on EKS.
 */
export const LB_RANGE_HOSTING = { namespace: 'kube-public', name: 'klab-loadbalancer', key: 'range' } as const;

export const REGISTRY_HOSTING = { namespace: 'kube-public', name: 'local-registry-hosting', key: 'localRegistryHosting.v1' } as const;

/** `host:` of a localRegistryHosting.v1 document (YAML: `host: "localhost:5001"`), or undefined when there is none. */
export function parseRegistryHosting(v1: string | undefined): string | undefined {
  const m = /^host:\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/m.exec(v1 ?? '');
  return m?.[1] || undefined;
}

export const noCapabilities: Capabilities = Object.fromEntries(capabilityNames.map((n) => [n, false])) as Capabilities;

export interface ProviderOptions {
  /** --kubeconfig (existing provider) */
  kubeconfig?: string;
  /** --context (existing provider) */
  context?: string;
  /** --yes: do not ask before acting on a foreign context */
  yes?: boolean;
  /** --force */
  force?: boolean;
  verbose?: boolean;
  /** The user's language, for prompts a provider shows (confirmation before touching a foreign context). */
  lang?: Lang;
}
