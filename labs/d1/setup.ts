// d1 starting state: the version app as Deployment {app} (v1, one replica; its configuration already changed
// {history} times, so v1 fills revisions 1…{history} and step 4's answer is this trainee's own) behind Service {app}, a
// second Deployment {green} (v3, zero replicas) ready for the Blue/Green step, and for the canary step an Argo Rollout
// {canary} (v1, 0 replicas, canary strategy with no steps yet: scaling it and writing them is the trainee's work) behind
// Service {canary}. Every pod has a readiness probe (a pod gets
// traffic only once it answers) and a preStop pause (it leaves the Service's endpoints before it stops answering):
// without them even a careful rolling update drops requests, and the lab would teach the wrong lesson.
// The pods must really run (klab traffic reads their answers): REAL_NODE_AFFINITY keeps them off kwok-simulated nodes
// and holds on every node of kind/EKS.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { LabRuntime } from '../_engine/runtime.js';
import { REAL_NODE_AFFINITY } from '../i-m1/setup.js';

/** The app's pod template: `app: <name>` (what Services select), version `version`. */
function podTemplate(rt: LabRuntime, name: string, version: string) {
  const p = rt.params;
  return {
        // The seat annotation makes the pod-template hash (and so the ReplicaSet's name) this trainee's own.
        metadata: { labels: { app: name, 'app.kubernetes.io/part-of': p.app, ...rt.labels }, annotations: { 'klab.dev/seat': p.suffix! } },
        spec: {
          affinity: REAL_NODE_AFFINITY,
          terminationGracePeriodSeconds: 5,
          containers: [{
            name: 'app',
            image: `${p.image}:${version}`,
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
            lifecycle: { preStop: { exec: { command: ['sleep', '2'] } } },
            resources: { requests: { cpu: '5m', memory: '8Mi' } },
          }],
        },
  };
}

function deployment(rt: LabRuntime, name: string, version: string, replicas: number): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: rt.namespace, labels: { app: name, 'app.kubernetes.io/part-of': rt.params.app } },
    spec: { replicas, revisionHistoryLimit: 10, selector: { matchLabels: { app: name } }, template: podTemplate(rt, name, version) },
  } as KubernetesObject;
}

const service = (rt: LabRuntime, name: string): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: rt.namespace, labels: { app: name } },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
} as KubernetesObject);

/** The canary step's Argo Rollout: v1 at 0 replicas (no pods before step 6), strategy canary without steps: the trainee
 * scales it to 4 and writes them. */
export const rollout = (rt: LabRuntime): KubernetesObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: rt.params.canary, namespace: rt.namespace, labels: { app: rt.params.canary, 'app.kubernetes.io/part-of': rt.params.app } },
  spec: { replicas: 0, revisionHistoryLimit: 3, selector: { matchLabels: { app: rt.params.canary } }, template: podTemplate(rt, rt.params.canary!, 'v1'), strategy: { canary: { steps: [] } } },
} as KubernetesObject);

export function objects(rt: LabRuntime): KubernetesObject[] {
  const p = rt.params;
  return [deployment(rt, p.app!, 'v1', 1), deployment(rt, p.green!, 'v3', 0), service(rt, p.app!), service(rt, p.canary!)];
}

/** The annotation whose changes give v1 its earlier revisions (a configuration change, as in real life). */
export const CONFIG_ANNOTATION = 'klab.dev/config';

export default async function setup(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  await rt.ensureNamespace();
  const [app, ...rest] = objects(rt);
  const fresh = (await rt.prepare([app!])).length > 0;
  const created = [...(fresh ? [p.app!] : []), ...(await rt.prepare(rest))];
  if (created.length) rt.log({ ko: `네임스페이스 ${rt.namespace} 에 ${created.join(', ')} 만들었습니다 (Deployment 와 Service).`, en: `Created ${created.join(', ')} in namespace ${rt.namespace} (Deployments and Services).` });
  // v1's earlier configurations: revisions 2…{history} (revision 1 is the Deployment as created). Only on a new
  // Deployment: a resumed lab keeps the trainee's.
  for (let i = 2; fresh && i <= Number(p.history); i++) {
    await rt.kubectl('-n', rt.namespace, 'patch', 'deployment', p.app!, '-p', JSON.stringify({ spec: { template: { metadata: { annotations: { [CONFIG_ANNOTATION]: String(i) } } } } }));
  }
  if (!rt.capabilities.rollouts) {
    rt.log({ ko: '이 클러스터에는 Argo Rollouts 가 없어 canary 단계(6)의 Rollout 을 만들지 않았습니다. 설치: https://argo-rollouts.readthedocs.io/en/stable/installation/ 뒤 klab start d1 을 다시 실행하세요.', en: 'This cluster has no Argo Rollouts, so the canary step\'s (6) Rollout was not created. Install it (https://argo-rollouts.readthedocs.io/en/stable/installation/), then run klab start d1 again.' });
    return;
  }
  const ro = await rt.prepare([rollout(rt)]);
  if (ro.length) rt.log({ ko: `Argo Rollout ${p.canary} 을 만들었습니다 (v1, 0개).`, en: `Created the Argo Rollout ${p.canary} (v1, 0 replicas).` });
}
