// i-l1's code checks: what the declarative kinds cannot say.
//  context-namespace — the kubeconfig context klab uses has the lab namespace as its default (read from the
//                      kubeconfig file klab loaded, never from the cluster).
//  image-fixed       — the Deployment's template no longer has the misspelt image (so a deleted pod does not come back
//                      broken), then its pods are healthy (the pod-status kind).
import type { Check, CheckContext, ProbeResult } from '../../checkers/types.js';
import type { Text } from '../../i18n/index.js';
import { fill } from '../../i18n/index.js';
import { registry } from '../../checkers/kinds.js';
import { clients, getOrNull, read } from '../../checkers/k8s.js';
import { recentMotion } from '../../checkers/settle.js';

export function contextNamespace(p: Record<string, string>, ctx: CheckContext): ProbeResult {
  const name = ctx.kc.getCurrentContext();
  const c = ctx.kc.getContextObject(name);
  const ns = c?.namespace;
  if (ns === p.namespace) {
    return { ok: true, observed: { context: name, namespace: ns }, reasons: [fill({ ko: '컨텍스트 {c} 의 기본 네임스페이스: {ns}', en: 'Context {c} has default namespace {ns}' }, { c: name, ns })] };
  }
  const reasons: Text[] = [ns
    ? fill({ ko: 'klab 이 쓰는 kubeconfig 컨텍스트 {c} 의 기본 네임스페이스가 {ns} 입니다 ({want} 이어야 합니다).', en: 'The kubeconfig context klab uses, {c}, has default namespace {ns} (it should be {want}).' }, { c: name, ns, want: p.namespace })
    : fill({ ko: 'klab 이 쓰는 kubeconfig 컨텍스트 {c} 에 기본 네임스페이스가 없습니다 (그래서 default 를 씁니다). {want} 이어야 합니다.', en: 'The kubeconfig context klab uses, {c}, has no default namespace (so kubectl uses "default"). It should be {want}.' }, { c: name, want: p.namespace })];
  const hints: Text[] = [];
  const others = ctx.kc.getContexts().filter((x) => x.name !== name && x.namespace === p.namespace).map((x) => x.name);
  if (others.length) {
    reasons.push(fill({
      ko: '컨텍스트 {o} 에는 {want} 이 설정되어 있습니다: --current 는 kubeconfig 의 current-context 를 바꾸는데, 그것이 klab 이 쓰는 컨텍스트가 아닙니다.',
      en: 'Context {o} has {want}: --current changes the kubeconfig\'s current-context, and that is not the context klab uses.',
    }, { o: others.join(', '), want: p.namespace }));
    hints.push(fill({ ko: '`kubectl config use-context {c}` 후 다시 set-context --current 하세요.', en: 'Run `kubectl config use-context {c}`, then set-context --current again.' }, { c: name }));
  } else {
    hints.push(fill({ ko: '`kubectl config set-context --current --namespace={want}`', en: '`kubectl config set-context --current --namespace={want}`' }, { want: p.namespace }));
  }
  return { ok: false, observed: { context: name, namespace: ns ?? null, others }, reasons, hints };
}

export async function imageFixed(p: Record<string, string>, ctx: CheckContext): Promise<ProbeResult> {
  const ns = p.namespace;
  const c = clients(ctx.kc);
  const dep = await getOrNull(ctx.kc, () => c.apps.readNamespacedDeployment({ name: p.broken, namespace: ns }), `get deployment ${ns}/${p.broken}`);
  if (!dep) {
    return {
      ok: false, settled: true, observed: { deployment: null },
      reasons: [fill({ ko: 'Deployment {ns}/{d} 가 없습니다: 지우지 말고 image: 를 고쳐야 합니다.', en: 'Deployment {ns}/{d} does not exist: it had to be fixed (image:), not deleted.' }, { ns, d: p.broken })],
      hints: [{ ko: '`klab reset i-l1` 후 `klab start i-l1` 로 다시 시작하세요.', en: 'Start again: `klab reset i-l1`, then `klab start i-l1`.' }],
    };
  }
  const container = dep.spec?.template?.spec?.containers?.find((x) => x.name === 'app') ?? dep.spec?.template?.spec?.containers?.[0];
  const image = container?.image ?? '';
  // Other Deployments the trainee changed (setup leaves every one at generation 1).
  const all = await read(ctx.kc, () => c.apps.listNamespacedDeployment({ namespace: ns }), `list deployments in ${ns}`);
  const changed = all.items.filter((d) => d.metadata?.name !== p.broken && (d.metadata?.generation ?? 1) > 1).map((d) => d.metadata!.name!);
  if (image === p.badimage || image === `docker.io/library/${p.badimage}`) {
    const reasons: Text[] = [fill({
      ko: 'Deployment {d} 의 파드 틀(template)에 아직 잘못된 이미지 `{img}` 가 있습니다.',
      en: 'Deployment {d} still has the misspelt image `{img}` in its pod template.',
    }, { d: p.broken, img: image })];
    // Pods recreated long after their ReplicaSet: someone deleted them.
    const pods = (await read(ctx.kc, () => c.core.listNamespacedPod({ namespace: ns, labelSelector: `app=${p.broken}` }), `list pods in ${ns}`)).items;
    const rsTimes = new Map<string, number>();
    const rss = (await read(ctx.kc, () => c.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: `app=${p.broken}` }), `list replicasets in ${ns}`)).items;
    for (const rs of rss) rsTimes.set(rs.metadata!.uid!, new Date(rs.metadata!.creationTimestamp as unknown as string).getTime());
    const recreated = pods.filter((pod) => {
      const owner = pod.metadata?.ownerReferences?.find((o) => o.kind === 'ReplicaSet');
      const rsT = owner ? rsTimes.get(owner.uid) : undefined;
      return rsT !== undefined && new Date(pod.metadata!.creationTimestamp as unknown as string).getTime() - rsT > 10_000;
    });
    if (recreated.length) {
      reasons.push(fill({
        ko: '파드 {pod} 는 ReplicaSet 보다 나중에 새로 만들어졌습니다: 파드를 지우면 ReplicaSet 이 같은 틀(같은 이미지)로 다시 만들기 때문에 다시 고장 난 채로 돌아옵니다.',
        en: 'Pod {pod} was created well after its ReplicaSet: deleting a pod does not help — the ReplicaSet makes a new one from the same template (same image), and it comes back broken.',
      }, { pod: recreated.map((x) => x.metadata!.name).join(', ') }));
    }
    if (changed.length) {
      reasons.push(fill({
        ko: 'Deployment {list} 를 바꿨지만, 이미지를 받지 못하는(ImagePullBackOff) 것은 {d} 입니다.',
        en: 'You changed Deployment {list}, but the one that cannot pull its image (ImagePullBackOff) is {d}.',
      }, { list: changed.join(', '), d: p.broken }));
    }
    const waitingFor = recentMotion('Deployment', dep.metadata) ?? undefined;
    return {
      ok: false, settled: !waitingFor, waitingFor, observed: { image, recreatedPods: recreated.map((x) => x.metadata!.name), changedDeployments: changed },
      reasons,
      hints: [fill({ ko: 'Deployment 를 고치세요: `kubectl set image deployment/{d} {c}=<올바른 이미지>` (또는 kubectl edit deployment {d})', en: 'Fix the Deployment: `kubectl set image deployment/{d} {c}=<the right image>` (or kubectl edit deployment {d})' }, { d: p.broken, c: container?.name ?? 'app' })],
    };
  }
  // The template changed: are its pods healthy now? (The pod-status kind explains a new typo, a crash, Pending…)
  const r = await registry.get('pod-status')!.probe({ selector: { deployment: p.broken } }, ctx);
  const note = fill({ ko: 'Deployment {d} 의 이미지: `{img}`', en: 'Deployment {d} image: `{img}`' }, { d: p.broken, img: image });
  return { ...r, observed: { image, pods: r.observed, changedDeployments: changed }, reasons: [note, ...r.reasons] };
}

export default function checks(p: Record<string, string>): Check[] {
  return [
    {
      id: 'context-namespace',
      title: { ko: `kubeconfig 컨텍스트의 기본 네임스페이스가 ${p.namespace}`, en: `The kubeconfig context's default namespace is ${p.namespace}` },
      points: 2,
      timeout: 0,
      async probe(ctx) { return contextNamespace(p, ctx); },
    },
    {
      id: 'image-fixed',
      title: { ko: `Deployment ${p.broken} 의 이미지가 고쳐지고 파드가 정상`, en: `Deployment ${p.broken} has a working image and healthy pods` },
      points: 5,
      needs: ['realPods'],
      timeout: 30_000,
      async probe(ctx) { return imageFixed(p, ctx); },
    },
  ];
}
