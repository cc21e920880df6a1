// d1's code checks. Most read a traffic recording (`klab traffic d1 <step>`, checkers/traffic.ts): what a strategy did
// to live traffic can only be seen while it happens, and the recording is kept in the cluster, so a check made later
// (or by an instructor's `klab grade`) reads the same measurement. The rest read the cluster as it is now.
import type { V1ReplicaSet } from '@kubernetes/client-node';
import type { Check, CheckContext, Evidence, ProbeResult } from '../../checkers/types.js';
import { CONFIG_ANNOTATION } from './setup.js';
import { CheckError } from '../../checkers/types.js';
import { fill, type Text } from '../../i18n/index.js';
import { clients, read, getOrNull, selectorMatches } from '../../checkers/k8s.js';
import { normaliseAnswer } from '../../checkers/answer.js';
import { loadRecording, abandoned, summarize, finalVersions, coexisted, timeline, totalsText, legend, share, describeRollout, type Recording, type RolloutSeen, type TrafficSummary } from '../../checkers/traffic.js';

const REV = 'deployment.kubernetes.io/revision';

interface Measured { rec: Recording; sum: TrafficSummary; evidence: Evidence[] }

function evidenceOf(rec: Recording, sum: TrafficSummary): Evidence[] {
  return [{ kind: 'note', title: { ko: `klab traffic d1 ${rec.step} 의 기록 (${rec.startedAt})`, en: `The recording of klab traffic d1 ${rec.step} (${rec.startedAt})` },
    lines: [...timeline(rec), legend.en + ' / ' + legend.ko, totalsText(sum).en] }];
}

/**
 * The recording of `step`, checked to have captured a rollout from `from` to `to`; or the ProbeResult that says why
 * it cannot be used (none yet, still recording, abandoned, it missed the start or the end of the rollout).
 */
async function measured(ctx: CheckContext, step: string, from: string, to: string): Promise<Measured | ProbeResult> {
  const m = await finished(ctx, step);
  if (isProbe(m)) return m;
  const { rec, sum, evidence, again } = m;
  const bad = (ko: string, en: string, hint: Text = again): ProbeResult => ({
    ok: false, settled: true, observed: { summary: sum, stoppedBy: rec.stoppedBy }, evidence,
    reasons: [fill({ ko, en }, { s: step, from, to, first: sum.firstVersion ?? '-', vs: finalVersions(rec.samples).join(', ') || '-' }), totalsText(sum)], hints: [hint],
  });
  if (sum.firstVersion !== from) {
    return bad('기록이 {from}{from:이/가} 아니라 {first}에서 시작합니다: 배포를 마친 뒤에 기록했습니다.', 'The recording starts with {first}, not {from}: it was made after the rollout.',
      fill({ ko: '{from}으로 되돌린 뒤 (`kubectl rollout undo`) 기록을 먼저 시작하고 다시 배포하세요.', en: 'Go back to {from} (`kubectl rollout undo`), start the recording first, then roll out again.' }, { from }));
  }
  const last = finalVersions(rec.samples);
  if (last.length !== 1 || last[0] !== to) {
    return bad('기록이 끝날 때 응답한 버전이 {to}만이 아니라 {vs}입니다: 기록하는 동안 {to}{to:으로/로}의 롤아웃이 끝나지 않았습니다.', 'At the end of the recording {vs} answered, not {to} alone: the rollout to {to} did not finish while recording.');
  }
  return { rec, sum, evidence };
}

/** The finished recording of `step`, or the ProbeResult that says why there is none to read (none, still recording, abandoned). */
async function finished(ctx: CheckContext, step: string): Promise<(Measured & { again: Text }) | ProbeResult> {
  const rec = await loadRecording(ctx.kc, ctx.namespace, step);
  const again = fill({ ko: '다른 터미널에서 `klab traffic d1 {s}` 를 실행해 두고, 그다음에 배포하세요.', en: 'Run `klab traffic d1 {s}` in another terminal first, then roll out.' }, { s: step });
  if (!rec) {
    return { ok: false, settled: true, observed: { recording: false }, reasons: [fill({ ko: '단계 {s}의 트래픽 기록이 아직 없습니다.', en: 'There is no traffic recording for step {s} yet.' }, { s: step })], hints: [again] };
  }
  if (rec.state === 'recording' && !abandoned(rec)) {
    return { ok: false, settled: false, waitingFor: fill({ ko: '`klab traffic d1 {s}` 의 기록', en: 'the recording of `klab traffic d1 {s}`' }, { s: step }), reasons: [{ ko: '트래픽을 아직 기록하는 중입니다.', en: 'Traffic is still being recorded.' }] };
  }
  if (rec.state === 'recording') {
    return { ok: false, settled: true, observed: { recording: 'abandoned' }, reasons: [{ ko: '트래픽 기록이 중간에 끊겼습니다 (klab traffic 이 끝까지 실행되지 않았습니다).', en: 'The traffic recording was cut short (klab traffic did not run to its end).' }], hints: [again] };
  }
  const sum = summarize(rec);
  if (sum.answered === 0 && sum.apiFailed > 0) {
    throw new CheckError(fill({ ko: '트래픽 기록 중 API 서버에 닿지 못해 앱에 대해 알 수 있는 것이 없습니다. 다시 기록하세요.', en: 'While recording, the API server could not be reached: the recording says nothing about the app. Record again.' }, {}));
  }
  return { rec, sum, evidence: evidenceOf(rec, sum), again };
}

const isProbe = (m: Measured | ProbeResult): m is ProbeResult => 'reasons' in m;

/** The Deployment `name` as the recording saw it once its image was `image`. */
const specWith = (rec: Recording, name: string, image: string) => rec.deployments.find((d) => d.name === name && d.images.includes(image));

function recorded(step: string, from: string, to: string) {
  return async (ctx: CheckContext): Promise<ProbeResult> => {
    const m = await measured(ctx, step, from, to);
    if (isProbe(m)) return m;
    return { ok: true, settled: true, observed: { summary: m.sum }, reasons: [fill({ ko: '{from} → {to} 롤아웃을 기록했습니다.', en: 'Recorded the rollout {from} → {to}.' }, { from, to }), totalsText(m.sum)] };
  };
}

/**
 * The ReplicaSet that ran the four v1 pods of step 1: v1 with the last of v1's configurations (setup.ts gives v1
 * revisions 1…{history}; the older ReplicaSets are v1 too, but scaled to 0 before the lab starts).
 */
export function v1ReplicaSetOf(rss: V1ReplicaSet[], p: Record<string, string>): V1ReplicaSet | undefined {
  const config = Number(p.history) > 1 ? p.history : undefined;
  return rss.find((rs) => rs.spec?.template?.spec?.containers?.some((c) => c.image === `${p.image}:v1`) && rs.spec?.template?.metadata?.annotations?.[CONFIG_ANNOTATION] === config);
}

/** The canary's weight while paused, and how far its sampled share may stray from it (12 s at 10 requests/s, ≈ 120
 * answers: one standard deviation of the share is ≈ 4 points, so ±12 is 3 of them; a 50 % weight is 6 away). */
export const CANARY_WEIGHT = 25;
export const SHARE_TOLERANCE = 0.12;

/** The weight a canary holds at step `index`: the last setWeight up to it (0 before any). */
export function weightAt(steps: Record<string, unknown>[], index = 0): number {
  let w = 0;
  for (const s of steps.slice(0, index + 1)) if (typeof s.setWeight === 'number') w = s.setWeight;
  return w;
}
const stepsText = (steps: Record<string, unknown>[]) => steps.map((s) => JSON.stringify(s)).join(', ') || '-';
const fullyOn = (r: RolloutSeen, image: string) => r.images.includes(image) && r.stableRS !== undefined && r.stableRS === r.currentPodHash;

/** A RollingUpdate whose maxUnavailable (Kubernetes' default 25%) lets old pods go before new ones are ready. */
const mayDropPods = (maxUnavailable?: string) => !['0', '0%'].includes(maxUnavailable ?? '25%');

export default function checks(p: Record<string, string>): Check[] {
  const app = p.app!;
  const v = (n: number) => `${p.image}:v${n}`;
  return [
    {
      id: 'rs-name',
      title: { ko: 'v1 의 ReplicaSet 이름 (kubectl get rs)', en: 'The name of v1\'s ReplicaSet (kubectl get rs)' },
      points: 2,
      timeout: 0,
      async probe(ctx) {
        const given = ctx.answers['rs-name'];
        if (!given?.trim()) return { ok: false, settled: true, observed: { answered: false }, reasons: [{ ko: "아직 답하지 않았습니다 (질문 'rs-name').", en: "Not answered yet (question 'rs-name')." }], hints: [{ ko: '`kubectl get rs` 의 NAME 을 `klab answer d1 rs-name <이름>` 으로 답하세요.', en: 'Answer the NAME from `kubectl get rs` with `klab answer d1 rs-name <name>`.' }] };
        const rss = await read(ctx.kc, () => clients(ctx.kc).apps.listNamespacedReplicaSet({ namespace: ctx.namespace, labelSelector: `app=${app}` }), `list replicasets in ${ctx.namespace}`);
        const v1 = [v1ReplicaSetOf(rss.items, p)?.metadata?.name].filter(Boolean) as string[];
        const g = normaliseAnswer(given, true);
        if (v1.includes(g)) return { ok: true, settled: true, observed: { answered: true, correct: true }, reasons: [fill({ ko: "질문 'rs-name': 정답입니다 ({rs}). Deployment 는 ReplicaSet 을 만들고, ReplicaSet 이 파드를 만듭니다.", en: "Question 'rs-name': correct ({rs}). A Deployment makes a ReplicaSet, and the ReplicaSet makes the pods." }, { rs: g })] };
        const pod = /^(.*)-[a-z0-9]{5}$/.exec(g)?.[1];
        const older = rss.items.some((rs) => rs.metadata?.name === g && rs.spec?.template?.spec?.containers?.some((c) => c.image === v(1)));
        const why: Text = older ? { ko: '그것은 v1 의 예전 설정으로 만든 ReplicaSet 입니다 (지금 파드 0개). DESIRED 가 4 인 ReplicaSet 을 답하세요.', en: 'That ReplicaSet is from an earlier configuration of v1 (0 pods now). Answer the one whose DESIRED is 4.' }
          : pod && v1.includes(pod)
          ? { ko: '그것은 파드 이름입니다 (ReplicaSet 이름 뒤에 5글자가 붙음). `kubectl get rs` 의 이름을 답하세요.', en: 'That is a pod\'s name (the ReplicaSet\'s name plus 5 characters). Answer the name `kubectl get rs` shows.' }
          : g === app ? { ko: '그것은 Deployment 이름입니다. ReplicaSet 이름에는 파드 템플릿의 해시가 붙습니다.', en: 'That is the Deployment\'s name. A ReplicaSet\'s name adds the pod template\'s hash.' }
            : { ko: '`kubectl get rs` 에서 이미지가 v1 인 ReplicaSet 의 NAME 을 옮기세요 (-o wide 로 이미지가 보입니다).', en: 'Copy the NAME of the ReplicaSet whose image is v1 in `kubectl get rs` (-o wide shows images).' };
        return { ok: false, settled: true, observed: { answered: true, correct: false }, reasons: [fill({ ko: "질문 'rs-name': 답 \"{g}\"{g:은/는} 맞지 않습니다.", en: "Question 'rs-name': the answer \"{g}\" is not correct." }, { g }), why] };
      },
    },
    { id: 'recreate-recorded', title: { ko: 'v1 → v2 롤아웃을 기록함', en: 'The rollout v1 → v2 was recorded' }, points: 1, timeout: 30_000, probe: recorded('recreate', 'v1', 'v2') },
    {
      id: 'recreate-strategy',
      title: { ko: 'v2 는 Recreate 로 배포됨', en: 'v2 was rolled out with Recreate' },
      points: 2,
      timeout: 0,
      async probe(ctx) {
        const m = await measured(ctx, 'recreate', 'v1', 'v2');
        if (isProbe(m)) return m;
        const d = specWith(m.rec, app, v(2));
        if (d?.strategy === 'Recreate') return { ok: true, settled: true, reasons: [{ ko: 'v2 로 바뀔 때 전략은 Recreate 였습니다.', en: 'The strategy was Recreate when the image became v2.' }] };
        return { ok: false, settled: true, observed: { strategy: d?.strategy }, evidence: m.evidence,
          reasons: [fill({ ko: 'v2 로 바뀔 때 Deployment 의 전략이 Recreate 가 아니라 {s}였습니다.', en: 'When the image became v2, the Deployment\'s strategy was {s}, not Recreate.' }, { s: d?.strategy ?? '?' })],
          hints: [{ ko: '전략을 먼저 Recreate 로 바꾸고 나서 이미지를 바꿔야 합니다. v1 로 되돌리고 (`kubectl rollout undo`) 다시 해 보세요.', en: 'Switch the strategy to Recreate first, then change the image. Go back to v1 (`kubectl rollout undo`) and try again.' }] };
      },
    },
    {
      id: 'recreate-gap',
      title: { ko: 'Recreate 의 다운타임이 기록됨', en: 'Recreate\'s downtime is on the record' },
      points: 3,
      timeout: 0,
      async probe(ctx) {
        const m = await measured(ctx, 'recreate', 'v1', 'v2');
        if (isProbe(m)) return m;
        // Recreate's gap separates the versions: a request failing while v1 and v2 both answer (a rolling update's
        // hiccup on a busy node) is not it.
        const both = coexisted(m.rec.samples, 'v1', 'v2');
        if (m.sum.downtimeMs > 0 && !both) return { ok: true, settled: true, observed: { downtimeMs: m.sum.downtimeMs }, reasons: [fill({ ko: '옛 파드가 모두 내려간 뒤 새 파드가 뜰 때까지 {s}초 동안 아무도 답하지 않았습니다 — Recreate 는 다운타임을 피할 수 없습니다.', en: 'For {s}s nobody answered, between the last old pod going and the first new one being ready — Recreate cannot avoid downtime.' }, { s: (m.sum.downtimeMs / 1000).toFixed(1) }), totalsText(m.sum)] };
        return { ok: false, settled: true, observed: { downtimeMs: m.sum.downtimeMs, coexisted: both }, evidence: m.evidence,
          reasons: [both ? { ko: '응답 공백이 없습니다: v1 과 v2 가 함께 답했습니다 — Recreate 가 아니라 RollingUpdate 처럼 배포되었습니다.', en: 'There is no gap: v1 and v2 answered side by side — this was rolled out like RollingUpdate, not Recreate.' }
            : { ko: '응답 공백이 기록되지 않았습니다.', en: 'No gap without answers was recorded.' }, totalsText(m.sum)],
          hints: [{ ko: 'spec.strategy.type 을 Recreate 로 바꾼 다음 이미지를 바꾸세요.', en: 'Set spec.strategy.type to Recreate, then change the image.' }] };
      },
    },
    { id: 'rolling-recorded', title: { ko: 'v2 → v3 롤아웃을 기록함', en: 'The rollout v2 → v3 was recorded' }, points: 1, timeout: 30_000, probe: recorded('rolling', 'v2', 'v3') },
    {
      id: 'rolling-strategy',
      title: { ko: 'v3 는 RollingUpdate, maxUnavailable 0 으로 배포됨', en: 'v3 was rolled out with RollingUpdate, maxUnavailable 0' },
      points: 2,
      timeout: 0,
      async probe(ctx) {
        const m = await measured(ctx, 'rolling', 'v2', 'v3');
        if (isProbe(m)) return m;
        const d = specWith(m.rec, app, v(3));
        const bad: Text[] = [];
        if (d?.strategy !== 'RollingUpdate') bad.push(fill({ ko: 'v3 로 바뀔 때 전략이 RollingUpdate 가 아니라 {s}였습니다.', en: 'When the image became v3 the strategy was {s}, not RollingUpdate.' }, { s: d?.strategy ?? '?' }));
        else if (mayDropPods(d.maxUnavailable)) bad.push(fill({ ko: 'maxUnavailable 이 0 이 아니라 {u}였습니다: 새 파드가 준비되기 전에 옛 파드가 내려갈 수 있습니다.', en: 'maxUnavailable was {u}, not 0: old pods may go before new ones are ready.' }, { u: d.maxUnavailable ?? '25% (default)' }));
        if (!bad.length) return { ok: true, settled: true, observed: d, reasons: [fill({ ko: 'RollingUpdate (maxSurge {s}, maxUnavailable {u})', en: 'RollingUpdate (maxSurge {s}, maxUnavailable {u})' }, { s: d!.maxSurge ?? '25%', u: d!.maxUnavailable! })] };
        return { ok: false, settled: true, observed: d, reasons: bad, evidence: m.evidence,
          hints: [{ ko: "kubectl patch deployment … -p '{\"spec\":{\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}}}' 를 한 뒤 v2 로 되돌리고 다시 기록하며 배포하세요.", en: "kubectl patch deployment … -p '{\"spec\":{\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1,\"maxUnavailable\":0}}}}', then go back to v2 and roll out again while recording." }] };
      },
    },
    {
      id: 'rolling-no-failures',
      title: { ko: 'v3 롤아웃 중 실패한 요청 없음', en: 'No request failed during the v3 rollout' },
      points: 3,
      timeout: 0,
      async probe(ctx) {
        const m = await measured(ctx, 'rolling', 'v2', 'v3');
        if (isProbe(m)) return m;
        if (m.sum.failed === 0) return { ok: true, settled: true, observed: { failed: 0, total: m.sum.total }, reasons: [fill({ ko: '요청 {n}개 모두 응답을 받았습니다 (다운타임 0초).', en: 'All {n} requests were answered (downtime 0 s).' }, { n: m.sum.total })] };
        const d = specWith(m.rec, app, v(3));
        const unav = d?.strategy === 'RollingUpdate' && mayDropPods(d.maxUnavailable);
        return { ok: false, settled: true, observed: { failed: m.sum.failed, downtimeMs: m.sum.downtimeMs }, evidence: m.evidence,
          reasons: [fill({ ko: '요청 {f}개가 응답을 받지 못했습니다 ({s}초 동안 응답 없음).', en: '{f} requests got no answer ({s}s without an answer).' }, { f: m.sum.failed, s: (m.sum.downtimeMs / 1000).toFixed(1) }),
            ...(unav ? [fill({ ko: 'maxUnavailable 이 {u}였습니다: 컨트롤러가 새 파드가 준비되기 전에 옛 파드를 내렸습니다.', en: 'maxUnavailable was {u}: the controller took old pods away before new ones were ready.' }, { u: d!.maxUnavailable ?? '25%' })] : [])],
          hints: [{ ko: 'maxUnavailable: 0 으로 하면 사용 가능한 파드 수가 줄지 않습니다.', en: 'With maxUnavailable: 0 the number of available pods never drops.' }] };
      },
    },
    {
      id: 'rolling-coexist',
      title: { ko: 'v2 와 v3 가 함께 답한 시간이 있음', en: 'v2 and v3 answered side by side' },
      points: 2,
      timeout: 0,
      async probe(ctx) {
        const m = await measured(ctx, 'rolling', 'v2', 'v3');
        if (isProbe(m)) return m;
        if (coexisted(m.rec.samples, 'v2', 'v3')) return { ok: true, settled: true, reasons: [{ ko: 'v3 가 처음 답한 뒤에도 v2 가 답했습니다: 롤링 업데이트 중에는 두 버전이 함께 서비스합니다.', en: 'v2 still answered after v3 first did: during a rolling update both versions serve.' }, totalsText(m.sum)] };
        return { ok: false, settled: true, evidence: m.evidence, reasons: [{ ko: 'v3 가 처음 답한 뒤로 v2 는 답하지 않았습니다: 두 버전이 함께 서비스한 때가 없습니다.', en: 'v2 never answered after v3 first did: the two versions never served together.' }, totalsText(m.sum)],
          hints: [{ ko: 'RollingUpdate 는 파드를 조금씩 바꿉니다. replicas 가 4 인지, 전략이 RollingUpdate 인지 보세요.', en: 'RollingUpdate replaces pods a few at a time. Check that replicas is 4 and the strategy RollingUpdate.' }] };
      },
    },
    {
      id: 'revision',
      title: { ko: '되돌린 리비전 번호', en: 'The revision rolled back to' },
      points: 2,
      timeout: 0,
      async probe(ctx) {
        const rss = await read(ctx.kc, () => clients(ctx.kc).apps.listNamespacedReplicaSet({ namespace: ctx.namespace, labelSelector: `app=${app}` }), `list replicasets in ${ctx.namespace}`);
        // The v2 ReplicaSet's own revision: its first one (a rollback gives it a new number and remembers the old).
        const v2 = rss.items.find((rs) => rs.spec?.template?.spec?.containers?.some((c) => c.image === v(2)));
        const nums = v2 ? [...(v2.metadata?.annotations?.['deployment.kubernetes.io/revision-history'] ?? '').split(','), v2.metadata?.annotations?.[REV] ?? ''].map(Number).filter((n) => n > 0) : [];
        const given = ctx.answers['revision'];
        if (!given?.trim()) return { ok: false, settled: true, observed: { answered: false }, reasons: [{ ko: "아직 답하지 않았습니다 (질문 'revision').", en: "Not answered yet (question 'revision')." }], hints: [{ ko: '`kubectl rollout history deployment/' + app + ' --revision=N` 으로 v2 가 있던 리비전을 찾아 `klab answer d1 revision <번호>` 로 답하세요.', en: 'Find the revision with v2 using `kubectl rollout history deployment/' + app + ' --revision=N`, then `klab answer d1 revision <number>`.' }] };
        if (!nums.length) return { ok: false, settled: true, reasons: [{ ko: 'v2 로 배포된 ReplicaSet 이 없습니다 (단계 2 를 먼저 하세요).', en: 'No ReplicaSet was ever rolled out with v2 (do step 2 first).' }] };
        const want = Math.min(...nums);
        const g = Number(normaliseAnswer(given, true).replace(/^(rev(ision)?)\s*/i, ''));
        if (g === want) return { ok: true, settled: true, observed: { answered: true, correct: true }, reasons: [fill({ ko: "질문 'revision': 정답입니다 ({n}). 롤백하면 그 리비전의 ReplicaSet 이 새 번호를 받습니다 (revision-history 에 옛 번호가 남음).", en: "Question 'revision': correct ({n}). A rollback gives that revision's ReplicaSet a new number (its old one stays in revision-history)." }, { n: want })] };
        const current = nums.length > 1 && g === Math.max(...nums);
        return { ok: false, settled: true, observed: { answered: true, correct: false }, reasons: [fill({ ko: "질문 'revision': 답 \"{g}\"{g:은/는} 맞지 않습니다.", en: "Question 'revision': the answer \"{g}\" is not correct." }, { g: given.trim() }),
          current ? { ko: '그것은 롤백 뒤에 v2 가 새로 받은 번호입니다. 롤백하기 전, v2 가 있던 리비전 번호를 답하세요.', en: 'That is the new number v2 got by the rollback. Answer the revision v2 had before you rolled back.' }
            : { ko: '`kubectl rollout history --revision=N` 으로 이미지가 v2 인 리비전을 찾으세요.', en: 'Find the revision whose image is v2 with `kubectl rollout history --revision=N`.' }] };
      },
    },
    {
      id: 'selects-green',
      title: { ko: 'Service 가 green 파드만 고름', en: 'The Service selects green pods only' },
      points: 2,
      timeout: 30_000,
      async probe(ctx) {
        const c = clients(ctx.kc);
        const svc = await read(ctx.kc, () => c.core.readNamespacedService({ name: app, namespace: ctx.namespace }), `get service ${ctx.namespace}/${app}`);
        const sel = svc.spec?.selector ?? {};
        const pods = (await read(ctx.kc, () => c.core.listNamespacedPod({ namespace: ctx.namespace }), `list pods in ${ctx.namespace}`)).items
          .filter((pd) => !pd.metadata?.deletionTimestamp && Object.keys(sel).length > 0 && selectorMatches(sel, pd.metadata?.labels));
        const green = pods.filter((pd) => pd.metadata?.labels?.app === p.green);
        const others = pods.filter((pd) => pd.metadata?.labels?.app !== p.green);
        const ready = green.filter((pd) => pd.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'));
        const selText = Object.entries(sel).map(([k, x]) => `${k}=${x}`).join(',') || '-';
        const observed = { selector: sel, green: green.length, greenReady: ready.length, others: others.map((x) => x.metadata?.name) };
        const names = others.slice(0, 3).map((x) => x.metadata?.name).join(', ');
        if (others.length && green.length) return { ok: false, settled: true, observed, reasons: [fill({ ko: 'Service {s}의 셀렉터 {sel}{sel:은/는} green 이 아닌 파드 {n}개도 고릅니다 ({names}): 두 버전이 함께 답합니다.', en: 'The selector {sel} of Service {s} also picks {n} pod(s) that are not green ({names}): both versions answer.' }, { s: app, sel: selText, n: others.length, names })],
          hints: [fill({ ko: 'green 에만 있는 레이블로 고르세요: app={g}', en: 'Select by a label only green has: app={g}' }, { g: p.green })] };
        if (!green.length) return { ok: false, settled: true, observed, reasons: [others.length
          ? fill({ ko: 'Service {s}의 셀렉터 {sel}{sel:은/는} green 이 아닌 파드 {n}개만 고릅니다 ({names}).', en: 'The selector {sel} of Service {s} picks {n} pod(s), none of them green ({names}).' }, { s: app, sel: selText, n: others.length, names })
          : fill({ ko: 'Service {s}의 셀렉터 {sel}{sel:은/는} 아무 파드도 고르지 않습니다.', en: 'The selector {sel} of Service {s} picks no pod at all.' }, { s: app, sel: selText })],
          hints: [fill({ ko: "green 을 먼저 늘리고 (kubectl scale deployment/{g} --replicas=4) Service 의 selector 를 app={g}{g:으로/로} 바꾸세요.", en: 'Scale green up first (kubectl scale deployment/{g} --replicas=4), then set the Service\'s selector to app={g}.' }, { g: p.green })] };
        if (!ready.length) return { ok: false, settled: false, waitingFor: { ko: 'green 파드 준비', en: 'green pods to be ready' }, observed, reasons: [{ ko: 'Service 가 고른 green 파드 중 준비된 것이 없습니다.', en: 'None of the green pods the Service picks is ready.' }] };
        return { ok: true, settled: true, observed, reasons: [fill({ ko: 'Service {s} → green 파드 {n}개 (준비됨 {r}개), 다른 파드 없음', en: 'Service {s} → {n} green pods ({r} ready), no other pod' }, { s: app, n: green.length, r: ready.length })] };
      },
    },
    {
      id: 'switch-recorded',
      title: { ko: '전환 뒤에는 모든 요청이 v3 로 응답받음, 실패 없음', en: 'After the switch every request is answered by v3, none fails' },
      points: 3,
      timeout: 30_000,
      async probe(ctx) {
        const m = await measured(ctx, 'bluegreen', 'v2', 'v3');
        if (isProbe(m)) return m;
        const switchAt = m.rec.selectors.at(-1)!.t;
        // The Service's endpoints follow its selector within a moment; the poll that saw the switch is ≤ 0.25 s late.
        const after = m.rec.samples.filter((x) => x.t > switchAt + 1000 && !x.api);
        const wrong = after.filter((x) => x.v !== 'v3');
        const bad: Text[] = [];
        if (m.rec.selectors.length < 2) bad.push({ ko: '기록하는 동안 Service 의 셀렉터가 바뀌지 않았습니다.', en: 'The Service\'s selector did not change while recording.' });
        if (wrong.length) bad.push(fill({ ko: '전환 1초 뒤부터도 v3 가 아닌 응답(또는 실패)이 {n}개 있습니다 ({vs}).', en: '{n} answers from 1 s after the switch on were not v3 (or failed): {vs}.' }, { n: wrong.length, vs: [...new Set(wrong.map((x) => x.v ?? `✗${x.err}`))].join(', ') }));
        if (m.sum.failed) bad.push(fill({ ko: '요청 {f}개가 실패했습니다: Blue/Green 전환은 끊김이 없어야 합니다 (green 이 준비된 뒤에 전환하세요).', en: '{f} requests failed: a Blue/Green switch should drop none (switch once green is ready).' }, { f: m.sum.failed }));
        if (!bad.length) return { ok: true, settled: true, observed: { summary: m.sum }, reasons: [{ ko: '전환 전에는 v2, 전환 뒤에는 v3 만 답했고 실패한 요청이 없습니다: 한 번의 셀렉터 변경으로 즉시 전환.', en: 'v2 answered before the switch, only v3 after it, and no request failed: one selector change, an instant switch.' }, totalsText(m.sum)] };
        return { ok: false, settled: true, observed: { summary: m.sum }, evidence: m.evidence, reasons: [...bad, totalsText(m.sum)] };
      },
    },
    { id: 'canary-recorded', needs: ['rollouts'], title: { ko: '일시 정지한 canary 의 트래픽을 기록함', en: 'The paused canary\'s traffic was recorded' }, points: 1, timeout: 30_000,
      async probe(ctx) {
        const m = await finished(ctx, 'canary');
        if (isProbe(m)) return m;
        return { ok: true, settled: true, observed: { summary: m.sum }, reasons: [fill({ ko: 'Service {s}의 응답을 {d}초 동안 기록했습니다.', en: 'Recorded the answers of Service {s} for {d}s.' }, { s: p.canary!, d: (m.rec.durationMs / 1000).toFixed(1) }), totalsText(m.sum)] };
      } },
    {
      id: 'canary-paused',
      needs: ['rollouts'],
      title: { ko: `Rollout 이 ${CANARY_WEIGHT} % 에서 멈춤 (파드 4개 중 1개가 v2)`, en: `The Rollout paused at ${CANARY_WEIGHT} % (1 of 4 pods on v2)` },
      points: 3,
      timeout: 0,
      async probe(ctx) {
        const m = await finished(ctx, 'canary');
        if (isProbe(m)) return m;
        const seen = (m.rec.rollouts ?? []).filter((r) => r.name === p.canary);
        const last = seen.at(-1);
        const fail = (reasons: Text[], hints: Text[] = []): ProbeResult => ({ ok: false, settled: true, observed: { rollout: last }, evidence: m.evidence, reasons, hints });
        if (!last) return fail([fill({ ko: '기록하는 동안 Rollout {r}{r:을/를} 보지 못했습니다.', en: 'The recording saw no Rollout {r}.' }, { r: p.canary! })], [{ ko: 'Argo Rollouts 가 설치되어 있는지, Rollout 을 지우지 않았는지 보세요 (klab start d1 이 다시 만듭니다).', en: 'Check that Argo Rollouts is installed and the Rollout was not deleted (klab start d1 makes it again).' }]);
        const paused = seen.filter((r) => r.paused && r.images.includes(v(2)) && !fullyOn(r, v(2)));
        const pausedAt = paused.at(-1);
        if (!pausedAt) {
          const noPause = !last.steps.some((s) => 'pause' in s);
          if (fullyOn(last, v(2))) {
            return fail([fill({ ko: '기록하는 동안 Rollout {r}{r:은/는} 이미 모두 v2 (100 %) 였습니다: 25 % 에서 멈추지 않았습니다.', en: 'While recording, Rollout {r} was already all on v2 (100 %): it did not stop at 25 %.' }, { r: p.canary! }),
              noPause ? fill({ ko: '단계에 pause 가 없습니다 ({st}): setWeight 만으로는 멈추지 않고 곧바로 100 % 까지 갑니다.', en: 'Its steps have no pause ({st}): setWeight alone does not stop, the rollout rushes on to 100 %.' }, { st: stepsText(last.steps) })
                : { ko: 'promote 하기 전에, 멈춰 있는 동안 기록하세요.', en: 'Record while it is paused, before you promote.' }],
            [{ ko: 'setWeight: 25 바로 뒤에 pause: {} 를 두고, v1 으로 되돌린 뒤 (kubectl argo rollouts undo 또는 set image …:v1) 다시 v2 로 바꾸세요.', en: 'Put pause: {} right after setWeight: 25, go back to v1 (kubectl argo rollouts undo, or set image …:v1), then set v2 again.' }]);
          }
          if (!last.images.includes(v(2))) return fail([fill({ ko: '기록하는 동안 Rollout {r}{r:은/는} v2 로 바뀌지 않았습니다 (이미지 {img}).', en: 'While recording, Rollout {r} was not being updated to v2 (image {img}).' }, { r: p.canary!, img: last.images.join(', ') })],
            [fill({ ko: '먼저 kubectl argo rollouts set image {r} app={i}:v2 를 한 뒤 멈춘 것을 보고 기록하세요.', en: 'First kubectl argo rollouts set image {r} app={i}:v2, see it paused, then record.' }, { r: p.canary!, i: p.image! })]);
          return fail([fill({ ko: '기록하는 동안 Rollout {r}{r:은/는} 멈춰 있지 않았습니다 (상태 {ph}, 단계 {i}).', en: 'While recording, Rollout {r} was not paused (phase {ph}, step {i}).' }, { r: p.canary!, ph: last.phase ?? '?', i: last.stepIndex ?? '?' })],
            [{ ko: 'kubectl argo rollouts get rollout 에 Paused 가 보일 때 기록하세요.', en: 'Record once kubectl argo rollouts get rollout shows Paused.' }]);
        }
        const w = weightAt(pausedAt.steps, pausedAt.stepIndex);
        const want = Math.ceil((pausedAt.replicas * CANARY_WEIGHT) / 100);
        const observed = { weight: w, replicas: pausedAt.replicas, canaryPods: pausedAt.updatedReplicas, pods: pausedAt.totalReplicas, step: pausedAt.stepIndex, steps: pausedAt.steps };
        const bad: Text[] = [];
        if (w !== CANARY_WEIGHT) bad.push(fill({ ko: '멈춘 곳의 setWeight 가 {w} 입니다 ({want} 이어야 함; 단계: {st}).', en: 'It paused at setWeight {w}, not {want} (steps: {st}).' }, { w, want: CANARY_WEIGHT, st: stepsText(pausedAt.steps) }));
        if (pausedAt.replicas !== 4) bad.push(fill({ ko: 'replicas 가 4 가 아니라 {n} 입니다.', en: 'replicas is {n}, not 4.' }, { n: pausedAt.replicas }));
        else if (w === CANARY_WEIGHT && pausedAt.updatedReplicas !== want) bad.push(fill({ ko: '멈춘 동안 v2 파드가 {u}개였습니다 ({want}개여야 함).', en: 'While paused, {u} pod(s) ran v2, not {want}.' }, { u: pausedAt.updatedReplicas, want }));
        if (!bad.length) return { ok: true, settled: true, observed, reasons: [fill({ ko: '단계 {i}(setWeight {w})에서 멈춤: 파드 {n}개 중 {u}개가 v2 (canary), 나머지는 v1.', en: 'Paused at step {i} (setWeight {w}): {u} of {n} pods on v2 (the canary), the rest on v1.' }, { i: pausedAt.stepIndex ?? '?', w, u: pausedAt.updatedReplicas, n: pausedAt.totalReplicas })] };
        return { ok: false, settled: true, observed, evidence: m.evidence, reasons: bad,
          hints: [{ ko: '첫 단계를 setWeight: 25, 그다음 pause: {} 로 하세요. 트래픽 라우터가 없으면 가중치는 파드 수의 비율입니다 (4개 중 1개 = 25 %).', en: 'Make the first steps setWeight: 25, then pause: {}. Without a traffic router the weight is a share of the pods (1 of 4 = 25 %).' }] };
      },
    },
    {
      id: 'canary-share',
      needs: ['rollouts'],
      title: { ko: `기록한 응답 중 v2 의 몫이 약 ${CANARY_WEIGHT} %`, en: `About ${CANARY_WEIGHT} % of the recorded answers came from v2` },
      points: 3,
      timeout: 0,
      async probe(ctx) {
        const m = await finished(ctx, 'canary');
        if (isProbe(m)) return m;
        const got = share(m.rec.samples, 'v2');
        const lo = Math.round((CANARY_WEIGHT / 100 - SHARE_TOLERANCE) * 100), hi = Math.round((CANARY_WEIGHT / 100 + SHARE_TOLERANCE) * 100);
        const pct = got === undefined ? undefined : Math.round(got * 100);
        const observed = { share: got, answered: m.sum.answered, counts: m.sum.counts };
        if (m.sum.answered < 50) return { ok: false, settled: true, observed, evidence: m.evidence, reasons: [fill({ ko: '응답이 {n}개뿐이라 몫을 잴 수 없습니다.', en: 'Only {n} answers: too few to measure a share.' }, { n: m.sum.answered }), totalsText(m.sum)], hints: [m.again] };
        if (pct! >= lo && pct! <= hi) return { ok: true, settled: true, observed, reasons: [fill({ ko: '응답 {n}개 중 {p} % 가 v2 (canary) 였습니다: 트래픽의 약 {w} % 만 새 버전이 받았습니다.', en: '{p} % of {n} answers came from v2 (the canary): about {w} % of the traffic reached the new version.' }, { n: m.sum.answered, p: pct!, w: CANARY_WEIGHT }), totalsText(m.sum)] };
        const why: Text = pct === 0 ? fill({ ko: 'v2 는 한 번도 답하지 않았습니다: canary 파드가 트래픽을 받지 못했습니다 (Service {s}{s:이/가} 그 파드를 고르는지, canary 가 시작됐는지 보세요).', en: 'v2 never answered: the canary pods got no traffic (does Service {s} select them, was the canary started?).' }, { s: p.canary! })
          : pct === 100 ? { ko: '모든 응답이 v2 였습니다: 기록하는 동안 이미 100 % 였습니다.', en: 'Every answer came from v2: the rollout was at 100 % while recording.' }
            : { ko: '트래픽 라우터가 없으면 canary 의 몫은 파드 수의 비율입니다: 4개 중 1개가 v2 이면 약 25 %.', en: 'Without a traffic router the canary\'s share is its share of the pods: 1 of 4 pods on v2 is about 25 %.' };
        return { ok: false, settled: true, observed, evidence: m.evidence,
          reasons: [fill({ ko: '응답 {n}개 중 v2 가 {p} % 였습니다 ({lo}–{hi} % 여야 함).', en: 'v2 gave {p} % of {n} answers, not between {lo} and {hi} %.' }, { n: m.sum.answered, p: pct ?? 0, lo, hi }), why, totalsText(m.sum)],
          hints: [{ ko: 'setWeight: 25 와 pause: {} 에서 멈춘 동안 klab traffic d1 canary 를 실행하세요.', en: 'Run klab traffic d1 canary while the rollout is paused at setWeight: 25 with pause: {}.' }] };
      },
    },
    {
      id: 'canary-promoted',
      needs: ['rollouts'],
      title: { ko: 'promote 뒤 Rollout 이 100 % v2', en: 'After promote the Rollout is 100 % v2' },
      points: 2,
      timeout: 60_000,
      async probe(ctx) {
        const obj = await getOrNull(ctx.kc, () => clients(ctx.kc).custom.getNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace: ctx.namespace, plural: 'rollouts', name: p.canary! }), `get rollout ${ctx.namespace}/${p.canary}`);
        if (!obj) return { ok: false, settled: true, observed: { found: false }, reasons: [fill({ ko: 'Rollout {r}{r:이/가} 없습니다.', en: 'There is no Rollout {r}.' }, { r: p.canary! })], hints: [{ ko: 'klab start d1 이 다시 만듭니다 (Argo Rollouts 가 있어야 함).', en: 'klab start d1 makes it again (Argo Rollouts must be installed).' }] };
        const r = describeRollout(obj as Parameters<typeof describeRollout>[0], 0);
        const observed = { phase: r.phase, step: r.stepIndex, images: r.images, ready: r.readyReplicas, replicas: r.replicas };
        if (!r.images.includes(v(2))) return { ok: false, settled: true, observed, reasons: [fill({ ko: 'Rollout {r}의 이미지가 v2 가 아니라 {img} 입니다.', en: 'Rollout {r} runs {img}, not v2.' }, { r: p.canary!, img: r.images.join(', ') })], hints: [fill({ ko: 'kubectl argo rollouts set image {r} app={i}:v2', en: 'kubectl argo rollouts set image {r} app={i}:v2' }, { r: p.canary!, i: p.image! })] };
        if (fullyOn(r, v(2)) && r.phase === 'Healthy') return { ok: true, settled: true, observed, reasons: [fill({ ko: 'Rollout {r}: 파드 {n}개 모두 v2, v2 가 새 stable 입니다.', en: 'Rollout {r}: all {n} pods on v2, v2 is the new stable.' }, { r: p.canary!, n: r.readyReplicas })] };
        if (r.paused) return { ok: false, settled: true, observed, reasons: [fill({ ko: 'Rollout {r}{r:은/는} 아직 단계 {i}에서 멈춰 있습니다 (setWeight {w}).', en: 'Rollout {r} is still paused at step {i} (setWeight {w}).' }, { r: p.canary!, i: r.stepIndex ?? '?', w: weightAt(r.steps, r.stepIndex) })], hints: [fill({ ko: 'kubectl argo rollouts -n {ns} promote {r}', en: 'kubectl argo rollouts -n {ns} promote {r}' }, { ns: ctx.namespace, r: p.canary! })] };
        if (r.phase === 'Degraded') return { ok: false, settled: true, observed, reasons: [fill({ ko: 'Rollout {r}{r:이/가} Degraded 상태입니다 (중단되었거나 파드가 준비되지 않음).', en: 'Rollout {r} is Degraded (aborted, or its pods are not ready).' }, { r: p.canary! })], hints: [{ ko: 'kubectl argo rollouts get rollout 으로 원인을 보고, kubectl argo rollouts retry rollout 으로 다시 시도하세요.', en: 'See why with kubectl argo rollouts get rollout, try again with kubectl argo rollouts retry rollout.' }] };
        return { ok: false, settled: false, observed, waitingFor: { ko: 'Rollout 이 남은 단계를 마치기', en: 'the Rollout to finish its remaining steps' }, reasons: [fill({ ko: 'Rollout {r}{r:이/가} 진행 중입니다 (단계 {i}, {ph}).', en: 'Rollout {r} is progressing (step {i}, {ph}).' }, { r: p.canary!, i: r.stepIndex ?? '?', ph: r.phase ?? '?' })] };
      },
    },
  ];
}
