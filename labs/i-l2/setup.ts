// i-l2 starting state: the lab namespace with a WorkflowTemplate {template} taking a parameter run-id, and the
// executor RBAC Argo's pods need there. On the `local` provider only the real node runs containers, so the template
// keeps its pods there (otherwise they would be simulated and have no logs to read).
import type { LabRuntime } from '../_engine/runtime.js';
import { DEFAULT_RUN_ID, PARAM, script } from './shared.js';
import { argoExecutorRbac } from '../_engine/argo.js';

export default async function setup(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  const ns = rt.namespace;
  await rt.ensureNamespace();
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = rt.kc.makeApiClient(CoreV1Api);
  const real = (await core.listNode({ labelSelector: 'klab.dev/real-node=true' })).items.map((n) => n.metadata!.name!);
  const affinity = real.length
    ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'klab.dev/real-node', operator: 'In', values: ['true'] }] }] } } }
    : undefined;
  await rt.prepare([
    ...argoExecutorRbac(ns),
    {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: p.template, namespace: ns },
      spec: {
        entrypoint: 'main',
        arguments: { parameters: [{ name: PARAM, value: DEFAULT_RUN_ID }] },
        ...(affinity ? { affinity } : {}),
        templates: [{
          name: 'main',
          inputs: { parameters: [{ name: PARAM }] },
          container: { image: 'busybox:1.35', command: ['sh', '-c'], args: [script(p.salt)] },
        }],
      },
    } as object,
  ]);
  rt.log({ ko: `네임스페이스 ${ns} 에 WorkflowTemplate 을 하나 준비했습니다.`, en: `Prepared a WorkflowTemplate in namespace ${ns}.` });
  if (real.length) rt.log({ ko: `(local 클러스터: 템플릿의 파드는 실제 노드 ${real.join(', ')} 에서만 실행되도록 affinity 가 붙어 있습니다. 로그를 읽으려면 컨테이너가 실제로 돌아야 하기 때문입니다.)`, en: `(local cluster: the template carries an affinity for the real node ${real.join(', ')}, because its containers must really run for their logs to exist.)` });
  else if (!rt.capabilities.logs) rt.log({ ko: '이 클러스터에서는 컨테이너 로그를 읽을 수 없어 code 질문은 채점되지 않습니다 (건너뜀).', en: 'This cluster cannot read container logs: the code question will be skipped, not graded.' });
}
