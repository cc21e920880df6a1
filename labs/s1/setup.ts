// s1 starting state: four small echo apps (music, photo, user, payment) as Deployments, Services for user and payment
// (the trainee makes music's and photo's), and the Secret music reads its code from. Every app answers any path with
// `<name> <code>` on its first line, then the Host header and path it received, so a check (and the trainee's curl)
// sees which backend a request reached. The app is a few lines of Python's http.server in the python image klab
// builds offline on `local` (python:3.11-slim from Docker Hub on kind/EKS). Pods really run (REAL_NODE_AFFINITY).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { LabRuntime } from '../_engine/runtime.js';
import { REAL_NODE_AFFINITY } from '../i-m1/setup.js';

export const APPS = ['music', 'photo', 'user', 'payment'] as const;
export const ECHO_IMAGE = 'python:3.11-slim';

/** The echo server: `<NAME> <CODE>`, then host= and path=, for GET on any path. Stops at once on SIGTERM (PID 1). */
export const ECHO_SCRIPT = [
  'import http.server, os, signal, sys',
  'signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))',
  'me = (os.environ["NAME"] + " " + os.environ.get("CODE", "")).strip()',
  'class H(http.server.BaseHTTPRequestHandler):',
  '    def do_GET(self):',
  '        b = ("%s\\nhost=%s\\npath=%s\\n" % (me, self.headers.get("Host", ""), self.path)).encode()',
  '        self.send_response(200)',
  '        self.send_header("Content-Type", "text/plain")',
  '        self.send_header("Content-Length", str(len(b)))',
  '        self.end_headers()',
  '        self.wfile.write(b)',
  '    def log_message(self, *a):',
  '        pass',
  'http.server.ThreadingHTTPServer(("", 8080), H).serve_forever()',
].join('\n');

function deployment(rt: LabRuntime, name: string): KubernetesObject {
  const labels = { app: name };
  const env: object[] = [{ name: 'NAME', value: name }, { name: 'PYTHONUNBUFFERED', value: '1' }];
  if (name === 'music') env.push({ name: 'CODE', valueFrom: { secretKeyRef: { name: 'music-code', key: 'code' } } });
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: rt.namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, ...rt.labels } },
        spec: {
          affinity: REAL_NODE_AFFINITY,
          terminationGracePeriodSeconds: 2,
          containers: [{
            name: 'echo', image: ECHO_IMAGE, command: ['python3', '-c', ECHO_SCRIPT], env,
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 2 },
            resources: { requests: { cpu: '5m', memory: '16Mi' } },
          }],
        },
      },
    },
  } as KubernetesObject;
}

const service = (rt: LabRuntime, name: string): KubernetesObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: rt.namespace, labels: { app: name } },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
} as KubernetesObject);

export function objects(rt: LabRuntime): KubernetesObject[] {
  return [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'music-code', namespace: rt.namespace }, stringData: { code: rt.params.code! } } as KubernetesObject,
    ...APPS.map((a) => deployment(rt, a)),
    service(rt, 'user'),
    service(rt, 'payment'),
  ];
}

export default async function setup(rt: LabRuntime): Promise<void> {
  await rt.ensureNamespace();
  const all = objects(rt);
  const created = await rt.prepare(all);
  // By kind: user and payment are both a Deployment and a Service.
  const made = created.length === all.length
    ? `Secret music-code, Deployment ${APPS.join('/')}, Service user/payment`
    : created.join(', ');
  if (created.length) rt.log({ ko: `네임스페이스 ${rt.namespace} 에 ${made} 만들었습니다.`, en: `Created ${made} in namespace ${rt.namespace}.` });
}
