// The `local` provider's Ingress controller (decision 0030): Traefik, built from its Go module (cluster/local/tools.ts),
// run as a host process with its own kubeconfig, like the workflow-controller. Its Kubernetes Ingress provider watches
// the cluster; the pods it sends traffic to run on the real node, whose pod network is this host's (cni0 bridge), so
// their IPs are reachable from here. It listens on 127.0.0.1:80 (web) and :443 (websecure), the host ports the kind
// cluster publishes for its Traefik, and reports 127.0.0.1 as every Ingress's address: a trainee reaches an Ingress the
// same way on both (`curl -H 'Host: …' http://127.0.0.1/…`), and klab's http-route check reads that address.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KlabError, ExitCode, fill } from '../../i18n/index.js';
import { portFree, type ProcRecord } from '../../host/procs.js';
import { goModuleDir, toolPath, TRAEFIK_VERSION } from './tools.js';
import { httpGet, trace, waitReady } from './probe.js';
import { waitEstablished } from './argo.js';
import { gatewayApi, traefik } from '../addons.js';
import { crdAndGatewayArgs, traefikManifests } from '../kind/traefik.js';

export const TRAEFIK_MODULE = 'github.com/traefik/traefik/v3';
export const GATEWAY_API_MODULE = 'sigs.k8s.io/gateway-api';

/**
 * Traefik's CRD definitions (decision 0031) in the traefik module of the Go module cache: the file the release documents
 * for `kubectl apply` (its tag's file is what kind downloads, cluster/addons.ts `traefik.crds`).
 */
export async function traefikCrdFile(): Promise<string> {
  return join(await goModuleDir(TRAEFIK_MODULE, TRAEFIK_VERSION, 'traefik'), 'docs', 'content', 'reference', 'dynamic-configuration', 'kubernetes-crd-definition-v1.yml');
}

/**
 * The Gateway API standard-channel CRDs (decision 0032) in the sigs.k8s.io/gateway-api module: config/crd, the kustomization
 * the release's standard-install.yaml is rendered from (`kubectl apply -k`). The version Traefik's go.mod requires.
 */
export async function gatewayApiCrdDir(): Promise<string> {
  return join(await goModuleDir(GATEWAY_API_MODULE, gatewayApi.download.version, 'traefik'), 'config', 'crd');
}

export const TRAEFIK = 'traefik';
/** The user of Traefik's client certificate (cluster/local/pki.ts), bound to klab's Traefik ClusterRole. */
export const TRAEFIK_USER = 'klab-traefik';
export const INGRESS_ADDRESS = '127.0.0.1';
export const INGRESS_PORTS = { web: 80, websecure: 443 } as const;

/** Cluster-wide objects: the IngressClass (default class), the GatewayClass and RBAC of kind's manifest, bound to Traefik's user. */
export function traefikClusterObjects(): object[] {
  const keep = traefikManifests().filter((o) => ['ClusterRole', 'IngressClass', 'GatewayClass'].includes((o as { kind: string }).kind));
  return [...keep, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
    metadata: { name: 'klab-traefik', labels: { 'app.kubernetes.io/managed-by': 'klab', 'app.kubernetes.io/name': 'traefik' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'klab-traefik' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: TRAEFIK_USER }],
  }];
}

/** Traefik's arguments: the same entry points and provider settings as on kind (cluster/kind/traefik.ts). */
export function traefikArgs(pingPort: number): string[] {
  return [
    `--entryPoints.web.address=${INGRESS_ADDRESS}:${INGRESS_PORTS.web}`,
    `--entryPoints.websecure.address=${INGRESS_ADDRESS}:${INGRESS_PORTS.websecure}`,
    '--entryPoints.websecure.http.tls=true',
    `--entryPoints.traefik.address=127.0.0.1:${pingPort}`,
    '--ping=true',
    '--providers.kubernetesingress=true',
    `--providers.kubernetesingress.ingressclass=${traefik.ingressClass}`,
    `--providers.kubernetesingress.ingressendpoint.ip=${INGRESS_ADDRESS}`,
    ...crdAndGatewayArgs(INGRESS_ADDRESS),
    '--log.level=INFO',
    // offline machine: no version check, no usage report
    '--global.checkNewVersion=false',
    '--global.sendAnonymousUsage=false',
  ];
}

export interface StartTraefikOptions {
  kubeconfig: string;          // admin kubeconfig (applies the cluster objects)
  traefikKubeconfig: string;   // Traefik's own (user klab-traefik)
  dataDir: string;
  pingPort: number;
  launch: (bin: string, args: string[], env: NodeJS.ProcessEnv) => ProcRecord;
  kubectl: (args: string[], kubeconfig: string) => Promise<string>;
}

export async function startTraefik(o: StartTraefikOptions): Promise<ProcRecord> {
  for (const port of Object.values(INGRESS_PORTS)) {
    if (!(await portFree(port, INGRESS_ADDRESS))) {
      throw new KlabError(fill({ ko: '{addr}:{port} 포트를 다른 프로그램이 쓰고 있어 Ingress 컨트롤러(Traefik)를 시작할 수 없습니다.', en: 'Port {addr}:{port} is taken by another program, so the Ingress controller (Traefik) cannot start.' },
        { addr: INGRESS_ADDRESS, port }), ExitCode.unreachable);
    }
  }
  // The CRDs of its CRD and Gateway providers first, from the Go module cache (never copied into the repo); kubectl,
  // not client-node, whose typed serializer drops the CRDs' x-kubernetes-* schema fields.
  const apply = ['apply', '--server-side', '--force-conflicts', '--field-manager=klab'];
  await o.kubectl([...apply, '-f', await traefikCrdFile()], o.kubeconfig);
  await o.kubectl([...apply, '-k', await gatewayApiCrdDir()], o.kubeconfig);
  await waitEstablished(o.kubeconfig, ['middlewares.traefik.io', 'gatewayclasses.gateway.networking.k8s.io', 'gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io']);
  const file = join(o.dataDir, 'traefik-setup.yaml');
  writeFileSync(file, traefikClusterObjects().map((x) => stringify(x)).join('---\n'));
  await o.kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=klab', '-f', file], o.kubeconfig);
  trace('traefik: starting');
  // Traefik's Kubernetes client reads $KUBECONFIG when it runs outside a cluster.
  const rec = o.launch(toolPath('traefik'), traefikArgs(o.pingPort), { ...process.env, KUBECONFIG: o.traefikKubeconfig });
  await waitReady(rec, async () => (await httpGet(`http://127.0.0.1:${o.pingPort}/ping`))?.status === 200, 60_000);
  return rec;
}
