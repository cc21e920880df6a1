// i-l1 starting state: in the lab namespace, three Deployments (owners, so a deleted pod comes back as it was):
//   web        — healthy (busybox httpd)
//   {crasher}  — prints a seeded session token, then exits with a seeded non-zero code → CrashLoopBackOff
//   {broken}   — a misspelt image ({badimage}) → ErrImagePull / ImagePullBackOff
// Every pod must run on a real node (logs, a real pull error): kwok-simulated nodes carry `type=kwok`, so a required
// node affinity `type NotIn [kwok]` keeps the pods off them and is satisfied by every node on kind/EKS.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { LabRuntime } from '../_engine/runtime.js';

export const REAL_NODE_AFFINITY = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'NotIn', values: ['kwok'] }] }],
    },
  },
};

function deployment(rt: LabRuntime, name: string, image: string, script: string): KubernetesObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: rt.namespace, labels },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels: { ...labels, ...rt.labels } },
        spec: {
          affinity: REAL_NODE_AFFINITY,
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'app', image, command: ['sh', '-c', script], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
        },
      },
    },
  } as KubernetesObject;
}

export function objects(rt: LabRuntime): KubernetesObject[] {
  const p = rt.params;
  const crash = [
    `echo "[${p.crasher}] starting"`,
    'sleep 2',
    `echo "[${p.crasher}] loading /etc/${p.crasher}/config.yaml"`,
    `echo "[${p.crasher}] session token: ${p.token}"`,
    `echo "[${p.crasher}] ERROR: cannot connect to database ${p.crasher}-db:5432: connection refused" >&2`,
    `exit ${p.exitcode}`,
  ].join('; ');
  return [
    deployment(rt, 'web', p.goodimage, 'mkdir -p /www && echo "hello from web" > /www/index.html && exec httpd -f -v -p 8080 -h /www'),
    deployment(rt, p.crasher, p.goodimage, crash),
    deployment(rt, p.broken, p.badimage, `echo "[${p.broken}] ready"; exec sleep 86400`),
  ];
}

export default async function setup(rt: LabRuntime): Promise<void> {
  await rt.ensureNamespace();
  // Resuming keeps the trainee's fixes (e.g. the corrected image): only missing Deployments come back.
  const created = await rt.prepare(objects(rt));
  if (!rt.resuming) rt.log({ ko: `네임스페이스 ${rt.namespace} 에 Deployment 3개를 만들었습니다 (파드가 뜨는 데 몇 초 걸립니다).`, en: `Created three Deployments in namespace ${rt.namespace} (pods take a few seconds to appear).` });
  else if (created.length) rt.log({ ko: `없어진 Deployment 를 다시 만들었습니다: ${created.join(', ')}`, en: `Re-created missing Deployments: ${created.join(', ')}` });
}
