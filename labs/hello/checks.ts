// Code checks of the hello lab (the escape hatch; most labs declare their checks in lab.yaml).
import type { Check } from '../../checkers/types.js';
import { nearNames } from '../../checkers/match.js';
import { josa } from '../../i18n/index.js';

const notFound = (e: unknown) => (e as { code?: number }).code === 404;

export default function checks(p: Record<string, string>): Check[] {
  return [
    {
      id: 'namespace-exists',
      title: { ko: `네임스페이스 ${p.namespace}${josa(p.namespace, '이/가')} 있음`, en: `Namespace ${p.namespace} exists` },
      points: 10,
      hint: { ko: `kubectl create namespace ${p.namespace}`, en: `kubectl create namespace ${p.namespace}` },
      async probe(ctx) {
        const { CoreV1Api } = await import('@kubernetes/client-node');
        const core = ctx.kc.makeApiClient(CoreV1Api);
        try {
          const ns = await core.readNamespace({ name: p.namespace });
          const phase = ns.status?.phase ?? 'Unknown';
          if (phase !== 'Active') {
            return { ok: false, observed: { phase }, waitingFor: { ko: `삭제 중인 네임스페이스 ${p.namespace}`, en: `namespace ${p.namespace} being deleted` }, reasons: [{ ko: `네임스페이스 ${p.namespace}${josa(p.namespace, '이/가')} ${phase} 상태입니다 (삭제 중). 지워진 뒤 다시 만드세요.`, en: `Namespace ${p.namespace} is ${phase} (being deleted). Create it again once it is gone.` }] };
          }
          return { ok: true, observed: { phase }, reasons: [{ ko: `네임스페이스 ${p.namespace}: Active`, en: `Namespace ${p.namespace}: Active` }] };
        } catch (e) {
          if (!notFound(e)) throw e;
          const near = nearNames(p.namespace, (await core.listNamespace()).items.map((n) => n.metadata!.name!));
          const typo = near.length ? { ko: ` 비슷한 이름의 네임스페이스가 있습니다: ${near.join(', ')} — 이름을 확인하세요.`, en: ` A namespace with a similar name exists: ${near.join(', ')} — check the name.` } : { ko: '', en: '' };
          return { ok: false, settled: true, observed: { found: false, near }, reasons: [{ ko: `네임스페이스 ${p.namespace}${josa(p.namespace, '이/가')} 없습니다.${typo.ko}`, en: `Namespace ${p.namespace} does not exist.${typo.en}` }] };
        }
      },
    },
    {
      id: 'greeting-configmap',
      title: { ko: `ConfigMap greeting 의 message 가 ${p.word}`, en: `ConfigMap greeting has message=${p.word}` },
      points: 10,
      hint: { ko: `kubectl -n ${p.namespace} create configmap greeting --from-literal=message=${p.word}`, en: `kubectl -n ${p.namespace} create configmap greeting --from-literal=message=${p.word}` },
      async probe(ctx) {
        const { CoreV1Api } = await import('@kubernetes/client-node');
        const core = ctx.kc.makeApiClient(CoreV1Api);
        let cm;
        try {
          cm = await core.readNamespacedConfigMap({ name: 'greeting', namespace: p.namespace });
        } catch (e) {
          if (!notFound(e)) throw e;
          const others = (await core.listNamespacedConfigMap({ namespace: p.namespace })).items.map((c) => c.metadata?.name).filter((n) => n !== 'kube-root-ca.crt');
          const seen = others.length ? { ko: ` 이 네임스페이스의 ConfigMap: ${others.join(', ')} — 이름을 확인하세요.`, en: ` ConfigMaps in this namespace: ${others.join(', ')} — check the name.` } : { ko: '', en: '' };
          return { ok: false, settled: true, observed: { found: false, others }, reasons: [{ ko: `네임스페이스 ${p.namespace} 에 ConfigMap greeting 이 없습니다.${seen.ko}`, en: `There is no ConfigMap greeting in namespace ${p.namespace}.${seen.en}` }] };
        }
        const data = cm.data ?? {};
        if (!('message' in data)) {
          const keys = Object.keys(data);
          return { ok: false, settled: true, observed: { keys }, reasons: [{ ko: `ConfigMap greeting 에 키 message 가 없습니다 (있는 키: ${keys.join(', ') || '없음'}).`, en: `ConfigMap greeting has no key message (keys: ${keys.join(', ') || 'none'}).` }] };
        }
        if (data.message !== p.word) {
          const nl = data.message.trimEnd() === p.word ? { ko: ' 값 끝에 줄바꿈/공백이 붙어 있습니다.', en: ' The value ends with a newline/space.' } : { ko: '', en: '' };
          return { ok: false, settled: true, observed: { message: data.message }, reasons: [{ ko: `data.message: 기대값 ${JSON.stringify(p.word)}, 실제 ${JSON.stringify(data.message)}.${nl.ko}`, en: `data.message: expected ${JSON.stringify(p.word)}, found ${JSON.stringify(data.message)}.${nl.en}` }] };
        }
        return { ok: true, observed: { message: data.message }, reasons: [{ ko: `data.message = ${p.word}`, en: `data.message = ${p.word}` }] };
      },
    },
  ];
}
