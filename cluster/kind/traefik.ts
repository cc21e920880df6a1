// The Traefik ingress controller klab applies to a kind cluster (ingress-nginx was retired in March 2026).
// A small manifest of our own (Traefik's Kubernetes Ingress provider, its documented RBAC) instead of the Helm chart:
// nothing to download but the pinned image, and no helm needed on the trainee's machine.
// Traefik runs on the control-plane node (label ingress-ready=true), whose ports 80/443 kind publishes on the host.
// Its CRD and Gateway API providers need those CRDs first (cluster/kind.ts applies them from pinned URLs); the
// GatewayClass here needs the Gateway API CRDs, so it is applied after them.
import { traefik } from '../addons.js';
import { ingressReadyLabel } from './config.js';

const managed = { 'app.kubernetes.io/managed-by': 'klab', 'app.kubernetes.io/name': 'traefik' };

/** What Traefik's kubernetescrd provider watches (one informer each, all in the CRD file of the release). */
export const TRAEFIK_CRD_RESOURCES = ['ingressroutes', 'ingressroutetcps', 'ingressrouteudps', 'middlewares', 'middlewaretcps',
  'serverstransports', 'serverstransporttcps', 'tlsoptions', 'tlsstores', 'traefikservices'];
/** What its kubernetesgateway provider watches (standard channel), and the statuses it writes. */
export const GATEWAY_RESOURCES = ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'tlsroutes', 'referencegrants', 'backendtlspolicies'];
const GATEWAY_STATUS = ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'tlsroutes', 'backendtlspolicies'].map((r) => `${r}/status`);

/**
 * The providers beside the Ingress one, the same on kind and local: Traefik's CRDs (Middleware for lab s1's rate limit,
 * decision 0031) and the Gateway API (decision 0032), whose Gateways get `address` in their status, as Ingresses do.
 */
export function crdAndGatewayArgs(address: string): string[] {
  return [
    '--providers.kubernetescrd=true',
    '--providers.kubernetesgateway=true',
    `--providers.kubernetesgateway.statusaddress.ip=${address}`,
  ];
}

/** The GatewayClass klab provides (cluster-wide, like the IngressClass): Gateways naming it are Traefik's. */
export function gatewayClass(): object {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: traefik.gatewayClass, labels: managed },
    spec: { controllerName: traefik.gatewayController },
  };
}

export function traefikManifests(image = traefik.image.ref): object[] {
  const ns = traefik.namespace;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: managed } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'traefik', namespace: ns, labels: managed } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'klab-traefik', labels: managed },
      rules: [
        { apiGroups: [''], resources: ['services', 'secrets', 'nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
        // The kubernetescrd provider (Middleware …, decision 0031) and the kubernetesgateway provider (decision 0032)
        // watch these; namespaces and configmaps are watched by both, the statuses are written by the Gateway provider.
        { apiGroups: [''], resources: ['configmaps', 'namespaces'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['traefik.io'], resources: TRAEFIK_CRD_RESOURCES, verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['gateway.networking.k8s.io'], resources: GATEWAY_RESOURCES, verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['gateway.networking.k8s.io'], resources: GATEWAY_STATUS, verbs: ['update'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'klab-traefik', labels: managed },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'klab-traefik' },
      subjects: [{ kind: 'ServiceAccount', name: 'traefik', namespace: ns }],
    },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
      metadata: { name: traefik.ingressClass, labels: managed, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'traefik.io/ingress-controller' },
    },
    gatewayClass(),
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'traefik', namespace: ns, labels: managed },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' }, // hostPorts: the old pod must free them first
        selector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
        template: {
          metadata: { labels: managed },
          spec: {
            serviceAccountName: 'traefik',
            nodeSelector: { [ingressReadyLabel]: 'true' },
            tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
            // Entry points on the ports a trainee's Gateway listener names (80/443, as on `local`; Traefik matches a
            // listener to the entry point with that port, decision 0032): a non-root process may bind them in this pod's
            // own network namespace through this namespaced, "safe" sysctl.
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
            containers: [{
              name: 'traefik',
              image,
              args: [
                '--entryPoints.web.address=:80',
                '--entryPoints.websecure.address=:443',
                // TLS on websecure for every router (as Traefik's Helm chart does): an Ingress's spec.tls only adds
                // certificates, chosen by SNI; without this, :443 would speak plain HTTP.
                '--entryPoints.websecure.http.tls=true',
                '--entryPoints.traefik.address=:9000',
                '--ping=true',
                '--providers.kubernetesingress=true',
                `--providers.kubernetesingress.ingressclass=${traefik.ingressClass}`,
                '--providers.kubernetesingress.ingressendpoint.ip=127.0.0.1',
                ...crdAndGatewayArgs('127.0.0.1'),
                '--log.level=INFO',
              ],
              ports: [
                { name: 'web', containerPort: 80, hostPort: 80, protocol: 'TCP' },
                { name: 'websecure', containerPort: 443, hostPort: 443, protocol: 'TCP' },
                { name: 'traefik', containerPort: 9000, protocol: 'TCP' },
              ],
              readinessProbe: { httpGet: { path: '/ping', port: 9000 }, periodSeconds: 5 },
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            }],
          },
        },
      },
    },
  ];
}
