// The Traefik ingress controller klab applies to a kind cluster (ingress-nginx was retired in March 2026).
// A small manifest of our own (Traefik's Kubernetes Ingress provider, its documented RBAC) instead of the Helm chart:
// nothing to download but the pinned image, and no helm needed on the trainee's machine.
// Traefik runs on the control-plane node (label ingress-ready=true), whose ports 80/443 kind publishes on the host.
import { traefik } from '../addons.js';
import { ingressReadyLabel } from './config.js';

const managed = { 'app.kubernetes.io/managed-by': 'klab', 'app.kubernetes.io/name': 'traefik' };

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
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 },
            containers: [{
              name: 'traefik',
              image,
              args: [
                '--entryPoints.web.address=:8000',
                '--entryPoints.websecure.address=:8443',
                // TLS on websecure for every router (as Traefik's Helm chart does): an Ingress's spec.tls only adds
                // certificates, chosen by SNI; without this, :8443 would speak plain HTTP.
                '--entryPoints.websecure.http.tls=true',
                '--entryPoints.traefik.address=:9000',
                '--ping=true',
                '--providers.kubernetesingress=true',
                `--providers.kubernetesingress.ingressclass=${traefik.ingressClass}`,
                '--providers.kubernetesingress.ingressendpoint.ip=127.0.0.1',
                '--log.level=INFO',
              ],
              ports: [
                { name: 'web', containerPort: 8000, hostPort: 80, protocol: 'TCP' },
                { name: 'websecure', containerPort: 8443, hostPort: 443, protocol: 'TCP' },
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
