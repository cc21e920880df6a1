// Pinned versions of everything the `kind` provider brings in from upstream (issue 7).
// One place to bump. Every entry says where its version/digest comes from; a checksum we could not compute
// offline is `null` with a `checksumNote` saying so (never an invented value). klab then prints the sha256 it
// computed on download and marks it "not verified" (see cluster/kind.ts `downloadPinned`).

/** Kubernetes minor shared with the `local` provider (it builds k8s.io/kubernetes v1.35.4). */
export const kubernetesMinor = '1.35';
export const localKubernetesVersion = 'v1.35.4';

export interface PinnedImage {
  /** full reference used in configs: repo:tag@sha256:… when a digest is known */
  ref: string;
  version: string;
  digest: string | null;
  source: string;
  note?: string;
}

export interface PinnedDownload {
  name: string;
  version: string;
  url: string;
  /** hex sha256 of the file, or null when it could not be computed on the machine that pinned it */
  sha256: string | null;
  checksumNote?: string;
}

/** The kind CLI / Go module klab is written and validated against (cluster/kind/validate uses the same version). */
export const kindVersion = 'v0.33.0';

/**
 * kind node image. kind publishes node images per kind release and asks users to pin them by digest.
 * The digest below is the one kind itself pinned as its default image for Kubernetes 1.35
 * (sigs.k8s.io/kind commit ec6b5bd7, "update node image to 1.35.1 with latest kind images", pkg/apis/config/defaults/image.go).
 * kind v0.33.0's own default is v1.37.0; its release-notes list of 1.35 images (e.g. a v1.35.4 image) could not be read
 * from this machine, so the patch level differs from the local provider's v1.35.4 (same minor). Override with
 * KLAB_KIND_NODE_IMAGE=kindest/node:v1.35.x@sha256:… if your kind release lists a newer 1.35 image.
 */
export const kindNodeImage: PinnedImage = {
  ref: 'kindest/node:v1.35.1@sha256:05d7bcdefbda08b4e038f644c4df690cdac3fba8b06f8289f30e10026720a1ab',
  version: 'v1.35.1',
  digest: 'sha256:05d7bcdefbda08b4e038f644c4df690cdac3fba8b06f8289f30e10026720a1ab',
  source: 'sigs.k8s.io/kind pkg/apis/config/defaults/image.go at commit ec6b5bd7 (2026-02-13)',
  note: 'minor 1.35 matches the local provider (v1.35.4); patch differs, see comment',
};

/** The registry container that stands in for ECR, as kind's local-registry guide runs it. */
export const registry = {
  containerName: 'kind-registry',
  hostPort: 5001,
  containerPort: 5000,
  image: {
    ref: 'registry:3.0.0',
    version: '3.0.0',
    digest: null,
    source: 'Docker Hub official image `registry` (distribution/distribution v3); kind docs use registry:3',
    note: 'digest not pinned: Docker Hub is not reachable from the machine that wrote this pin',
  } satisfies PinnedImage,
  /** kind's documented hosts.toml directory inside every node */
  certsDir: '/etc/containerd/certs.d',
} as const;

/**
 * Argo Workflows: the upstream release install manifest (cluster-wide install into namespace `argo`).
 * Version v4.0.5 = the version the `local` provider builds (github.com/argoproj/argo-workflows/v4 v4.0.5).
 */
export const argo = {
  namespace: 'argo',
  controllerDeployment: 'workflow-controller',
  serverDeployment: 'argo-server',
  /** the node group the controller (and server) are pinned to, as the notes require */
  nodeGroup: 'PROTO-INFERENCE-NG',
  download: {
    name: 'argo-workflows install.yaml',
    version: 'v4.0.5',
    url: 'https://github.com/argoproj/argo-workflows/releases/download/v4.0.5/install.yaml',
    sha256: null,
    checksumNote:
      'not computed: GitHub release downloads are not reachable from the machine that pinned this. ' +
      'klab prints the sha256 it computes on first download; set KLAB_ARGO_SHA256 to enforce one.',
  } satisfies PinnedDownload,
} as const;

/**
 * Argo Rollouts (lab d1's canary step, `addons: [rollouts]`): the upstream release install manifest (CRDs, RBAC and the
 * controller in namespace `argo-rollouts`). v1.10.1 = the version the `local` provider builds (decision 0035).
 */
export const rollouts = {
  namespace: 'argo-rollouts',
  controllerDeployment: 'argo-rollouts',
  download: {
    name: 'argo-rollouts install.yaml',
    version: 'v1.10.1',
    url: 'https://github.com/argoproj/argo-rollouts/releases/download/v1.10.1/install.yaml',
    sha256: null,
    checksumNote:
      'not computed: GitHub release downloads are not reachable from the machine that pinned this. ' +
      'klab prints the sha256 it computes on first download; set KLAB_ROLLOUTS_SHA256 to enforce one.',
  } satisfies PinnedDownload,
  /** The `kubectl argo rollouts` plugin of the same release, for `klab doctor`'s hint (kind/EKS users install it). */
  pluginUrl: 'https://github.com/argoproj/argo-rollouts/releases/download/v1.10.1/kubectl-argo-rollouts-linux-amd64',
} as const;

/**
 * Traefik ingress controller (ingress-nginx was retired in March 2026). klab applies its own small manifest
 * (cluster/kind/traefik.ts: RBAC + Deployment + IngressClass, Kubernetes Ingress provider) instead of downloading
 * the Helm chart, so nothing is downloaded here except the image. Version = latest v3 release served by the Go module
 * proxy for github.com/traefik/traefik/v3 at pin time, so the `local` provider can build the same version.
 */
export const traefik = {
  namespace: 'traefik',
  ingressClass: 'traefik',
  image: {
    ref: 'traefik:v3.7.13',
    version: 'v3.7.13',
    digest: null,
    source: 'github.com/traefik/traefik/v3 v3.7.13 (Go module proxy); Docker Hub official image `traefik`',
    note: 'digest not pinned: Docker Hub is not reachable from the machine that wrote this pin',
  } satisfies PinnedImage,
  /**
   * Traefik's own CRDs (Middleware, IngressRoute, …: the `kubernetescrd` provider; lab s1's rate limit, decision 0031):
   * the definition file of the same release, from its tag. On `local` the same file is read from the traefik module
   * in the Go module cache (cluster/local/traefik.ts `traefikCrdFile`).
   */
  crds: {
    name: 'traefik kubernetes-crd-definition-v1.yml',
    version: 'v3.7.13',
    url: 'https://raw.githubusercontent.com/traefik/traefik/v3.7.13/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml',
    sha256: null,
    checksumNote:
      'not computed: GitHub is not reachable from the machine that pinned this. ' +
      'klab prints the sha256 it computes on first download; set KLAB_TRAEFIK_CRDS_SHA256 to enforce one.',
  } satisfies PinnedDownload,
  /** The GatewayClass klab provides (cluster-wide, like the IngressClass), served by Traefik's kubernetesgateway provider. */
  gatewayClass: 'traefik',
  gatewayController: 'traefik.io/gateway-controller',
} as const;

/**
 * Gateway API CRDs (standard channel; lab s1's last step, decision 0032). v1.6.1 = the version Traefik v3.7.13's go.mod
 * requires (its Gateway provider is written against it). On `local` the same CRDs come from the sigs.k8s.io/gateway-api
 * module in the Go module cache (config/crd/standard, the sources of the release's standard-install.yaml).
 */
export const gatewayApi = {
  download: {
    name: 'gateway-api standard-install.yaml',
    version: 'v1.6.1',
    url: 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml',
    sha256: null,
    checksumNote:
      'not computed: GitHub release downloads are not reachable from the machine that pinned this. ' +
      'klab prints the sha256 it computes on first download; set KLAB_GATEWAY_API_SHA256 to enforce one.',
  } satisfies PinnedDownload,
} as const;

/**
 * MetalLB (lab s1's LoadBalancer step, `addons: [loadbalancer]`, decision 0033): the upstream native (L2, no FRR)
 * manifest: CRDs, the controller Deployment and the speaker DaemonSet in `metallb-system`. No pool: the trainee applies
 * one from kind's Docker network. v0.15.2 = the version the `local` provider builds.
 */
export const metallb = {
  namespace: 'metallb-system',
  controllerDeployment: 'controller',
  speakerDaemonSet: 'speaker',
  download: {
    name: 'metallb-native.yaml',
    version: 'v0.15.2',
    url: 'https://raw.githubusercontent.com/metallb/metallb/v0.15.2/config/manifests/metallb-native.yaml',
    sha256: null,
    checksumNote:
      'not computed: GitHub is not reachable from the machine that pinned this. ' +
      'klab prints the sha256 it computes on first download; set KLAB_METALLB_SHA256 to enforce one.',
  } satisfies PinnedDownload,
} as const;

/** Host ports the kind cluster publishes (on 127.0.0.1 only). */
export const hostPorts = {
  http: 80,
  https: 443,
  /** A slice of the NodePort range mapped 1:1 to the host: labs that use NodePort pick from here. */
  nodePortFirst: 30080,
  nodePortCount: 10,
} as const;

/** Add-ons a lab may ask for (lab.yaml `addons`; labs/_engine/lab.schema.json lists the same names, a unit test checks).
 * `ingress` is an Ingress controller: Traefik on kind. `loadbalancer`: MetalLB (controller and L2 speaker). */
export const addonNames = ['argo', 'ingress', 'loadbalancer', 'registry', 'rollouts'] as const;
export type AddonName = (typeof addonNames)[number];

/** Everything pinned, for `klab doctor --json`, docs and the unit test that checks no pin is empty. */
export function pins() {
  return {
    kubernetesMinor, localKubernetesVersion, kindVersion,
    kindNodeImage, registryImage: registry.image, traefikImage: traefik.image, traefikCrds: traefik.crds, gatewayApi: gatewayApi.download,
    argo: argo.download, rollouts: rollouts.download, metallb: metallb.download,
  };
}
