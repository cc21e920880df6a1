// i-m1 starting state: a Deployment {app} whose `app` container takes its environment from a Secret {app}-secrets and
// a ConfigMap {app}-config (envFrom), neither of which exists → CreateContainerConfigError. A second container,
// log-agent, needs nothing (it makes "which container?" a real question).
// The pods must run on a real node (exec): kwok-simulated nodes carry `type=kwok`; the required affinity
// `type NotIn [kwok]` keeps the pods off them and holds on every node of kind/EKS.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { LabRuntime } from '../_engine/runtime.js';
import { josa } from '../../i18n/index.js';

export const REAL_NODE_AFFINITY = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'NotIn', values: ['kwok'] }] }],
    },
  },
};

export function objects(rt: LabRuntime): KubernetesObject[] {
  const p = rt.params;
  const labels = { app: p.app };
  return [{
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: p.app, namespace: rt.namespace, labels },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 5,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, ...rt.labels }, annotations: { 'kubectl.kubernetes.io/default-container': 'app' } },
        spec: {
          affinity: REAL_NODE_AFFINITY,
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'app',
              image: 'busybox:1.35',
              command: ['sh', '-c', 'mkdir -p /www && echo "$GREETING from $HOSTNAME" > /www/index.html && echo "started (LOG_LEVEL=$LOG_LEVEL)" && exec httpd -f -p 8080 -h /www'],
              envFrom: [{ secretRef: { name: p.secret } }, { configMapRef: { name: p.config } }],
              resources: { requests: { cpu: '10m', memory: '16Mi' } },
            },
            {
              name: 'log-agent',
              image: 'busybox:1.35',
              command: ['sh', '-c', 'echo "log-agent: shipping nothing, just keeping company"; exec sleep 86400'],
              resources: { requests: { cpu: '10m', memory: '16Mi' } },
            },
          ],
        },
      },
    },
  } as KubernetesObject];
}

export default async function setup(rt: LabRuntime): Promise<void> {
  await rt.ensureNamespace();
  // Never delete the Secret/ConfigMap here: when they exist they are the trainee's work (klab start resumes whenever
  // the namespace exists); `klab start i-m1 --reset` deletes the namespace first, so a new attempt starts without them.
  const created = await rt.prepare(objects(rt));
  if (created.length) rt.log({ ko: `네임스페이스 ${rt.namespace} 에 Deployment ${rt.params.app}${josa(rt.params.app, '을/를')} 만들었습니다.`, en: `Created Deployment ${rt.params.app} in namespace ${rt.namespace}.` });
}
