// d1 starting state: the version app as Deployment {app} (v1, one replica) behind Service {app}, and a second
// Deployment {green} (v3, zero replicas) ready for the Blue/Green step. Every pod has a readiness probe (a pod gets
// traffic only once it answers) and a preStop pause (it leaves the Service's endpoints before it stops answering):
// without them even a careful rolling update drops requests, and the lab would teach the wrong lesson.
// The pods must really run (klab traffic reads their answers): REAL_NODE_AFFINITY keeps them off kwok-simulated nodes
// and holds on every node of kind/EKS.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { LabRuntime } from '../_engine/runtime.js';
import { REAL_NODE_AFFINITY } from '../i-m1/setup.js';

function deployment(rt: LabRuntime, name: string, version: string, replicas: number): KubernetesObject {
  const p = rt.params;
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: rt.namespace, labels: { ...labels, 'app.kubernetes.io/part-of': p.app } },
    spec: {
      replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: labels },
      template: {
        // The seat annotation makes the pod-template hash (and so the ReplicaSet's name) this trainee's own.
        metadata: { labels: { ...labels, 'app.kubernetes.io/part-of': p.app, ...rt.labels }, annotations: { 'klab.dev/seat': p.suffix } },
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
      },
    },
  } as KubernetesObject;
}

export function objects(rt: LabRuntime): KubernetesObject[] {
  const p = rt.params;
  return [
    deployment(rt, p.app, 'v1', 1),
    deployment(rt, p.green, 'v3', 0),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: p.app, namespace: rt.namespace, labels: { app: p.app } },
      spec: { selector: { app: p.app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    } as KubernetesObject,
  ];
}

export default async function setup(rt: LabRuntime): Promise<void> {
  await rt.ensureNamespace();
  const created = await rt.prepare(objects(rt));
  if (created.length) rt.log({ ko: `네임스페이스 ${rt.namespace} 에 ${created.join(', ')} 만들었습니다 (Deployment 와 Service).`, en: `Created ${created.join(', ')} in namespace ${rt.namespace} (Deployments and a Service).` });
}
