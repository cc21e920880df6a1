// i-h1's code checks, where a declarative kind cannot say it:
//   secret-ignored  the secret values file is kept out of git (git itself: check-ignore, not tracked) and out of the
//                   packaged chart (helm's own .helmignore semantics: `helm package`, then the archive's listing)
//   prod-in-pod     SENTRY__DSN inside the pod while revision 2 (prod) is current; once the trainee has rolled back
//                   (step 9), revision 2 can only be judged from its release record — said so (verifiedBy: spec)
//   page-token      what the running app shows through its Service (settings.token: a fingerprint of TOKEN)
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Check, CheckContext, ProbeResult } from '../../checkers/types.js';
import { fill } from '../../i18n/index.js';
import type { Text } from '../../i18n/index.js';
import { normaliseAnswer } from '../../checkers/answer.js';
import { latestRelease } from '../../checkers/helm-release.js';
import { helmBinary } from '../../checkers/chart-render.js';
import { checkFromSpec } from '../../checkers/kinds.js';
import { SECRET_VALUES } from './shared.js';

const T = (ko: string, en: string): Text => ({ ko, en });

function sh(cmd: string, args: string[], cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((res) => execFile(cmd, args, { cwd, timeout: 30_000, maxBuffer: 8 << 20 }, (err, stdout, stderr) => res({
    code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0,
    stdout: String(stdout), stderr: String(stderr), missing: (err as NodeJS.ErrnoException | null)?.code === 'ENOENT',
  })));
}

/** Judge where the secret values file can leak: git (tracked, or not ignored) and the packaged chart. */
export async function secretIgnored(p: Record<string, string>): Promise<ProbeResult> {
  const file = join(p.chart, SECRET_VALUES);
  const rel = relative(p.workdir, file);
  if (!existsSync(file)) {
    return { ok: false, settled: true, reasons: [fill(T('비밀 값 파일 {f}{f:이/가} 없습니다.', 'The secret values file {f} does not exist.'), { f: file })],
      hints: [fill(T('{f} 에 secret.token 을 쓰세요.', 'Write secret.token into {f}.'), { f: file })] };
  }
  const bad: Text[] = [];
  const hints: Text[] = [];
  const tracked = await sh('git', ['-C', p.workdir, 'ls-files', '--error-unmatch', '--', rel]);
  if (tracked.missing) return { ok: false, reasons: [], skip: T('git 이 없어 판단할 수 없습니다.', 'No git here: cannot tell.') };
  if (tracked.code === 0) {
    bad.push(fill(T('{f}{f:이/가} 이미 git 에 들어가 있습니다 (추적 중).', '{f} is already in git (tracked).'), { f: rel }));
    hints.push(fill(T('`git rm --cached {f}` 후 .gitignore 에 넣고 커밋하세요 (이미 올라간 값은 바꾸세요).', '`git rm --cached {f}`, add it to .gitignore and commit (and change the leaked value).'), { f: rel }));
  } else if (/not a git repository/i.test(tracked.stderr)) {
    return { ok: false, settled: true, reasons: [fill(T('작업 폴더 {d}{d:이/가} git 저장소가 아닙니다.', 'The working folder {d} is not a git repository.'), { d: p.workdir })], hints: [fill(T('`git init {d}`', '`git init {d}`'), { d: p.workdir })] };
  } else {
    const ign = await sh('git', ['-C', p.workdir, 'check-ignore', '-q', '--', rel]);
    if (ign.code !== 0) {
      bad.push(fill(T('git 이 {f}{f:을/를} 무시하지 않습니다: git add . 하면 비밀 값이 커밋됩니다.', 'git does not ignore {f}: `git add .` would commit the secret.'), { f: rel }));
      hints.push(fill(T('작업 폴더의 .gitignore 에 `{f}` 줄을 넣고 `git check-ignore -v {f}` 로 확인하세요.', 'Add a line `{f}` to the working folder\'s .gitignore and verify with `git check-ignore -v {f}`.'), { f: rel }));
    }
  }
  const helm = await helmBinary();
  if (helm) {
    const out = mkdtempSync(join(tmpdir(), 'klab-ih1-pkg-'));
    try {
      const pkg = await sh(helm, ['package', p.chart, '-d', out]);
      const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'));
      if (pkg.code === 0 && tgz) {
        const list = await sh('tar', ['-tzf', join(out, tgz)]);
        if (list.stdout.split('\n').some((l) => l.endsWith(`/${SECRET_VALUES}`))) {
          bad.push(fill(T('`helm package` 의 차트 묶음에 {f}{f:이/가} 들어갑니다.', 'The packaged chart (`helm package`) includes {f}.'), { f: SECRET_VALUES }));
          hints.push(fill(T('차트의 .helmignore 에 `{f}` 줄을 넣으세요.', 'Add a line `{f}` to the chart\'s .helmignore.'), { f: SECRET_VALUES }));
        }
      }
    } finally { rmSync(out, { recursive: true, force: true }); }
  }
  if (bad.length) return { ok: false, settled: true, reasons: bad, hints };
  return { ok: true, settled: true, reasons: [fill(T('{f}: git 이 무시하고, 차트 묶음에도 들어가지 않습니다.', '{f}: ignored by git and left out of the packaged chart.'), { f: rel })] };
}

/** settings.token of the app's page: the first 12 hex digits of sha256(TOKEN). */
export const pageToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 12);

export function judgePageToken(p: Record<string, string>, ctx: Pick<CheckContext, 'answers'>): ProbeResult {
  const given = ctx.answers['page-token'];
  if (!given || !given.trim()) {
    return { ok: false, settled: true, reasons: [T("아직 답하지 않았습니다 (질문 'page-token').", "Not answered yet (question 'page-token').")],
      hints: [T('서비스의 / 를 열어 settings.token 을 `klab answer i-h1 page-token <값>` 으로 답하세요.', 'Open the Service\'s / and answer settings.token with `klab answer i-h1 page-token <value>`.')] };
  }
  const g = normaliseAnswer(given);
  if (g === pageToken(p.token)) return { ok: true, settled: true, reasons: [T("질문 'page-token': 정답입니다 (서비스가 답했습니다).", "Question 'page-token': correct (the Service answered).")] };
  if (g === 'unset') return { ok: false, settled: true, reasons: [T('페이지가 token 을 "unset" 이라고 합니다: 파드에 TOKEN 이 없습니다 (Secret 과 envFrom/secretKeyRef 를 보세요).', 'The page says token "unset": the pod has no TOKEN (check the Secret and envFrom/secretKeyRef).')] };
  return { ok: false, settled: true, reasons: [fill(T("질문 'page-token': 답 \"{g}\"은(는) 맞지 않습니다 (TOKEN 값이 다르거나 다른 서비스의 페이지입니다).", "Question 'page-token': the answer \"{g}\" is not correct (another TOKEN, or another Service's page)."), { g: given.trim() })] };
}

async function prodInPod(p: Record<string, string>, ctx: CheckContext): Promise<ProbeResult> {
  const latest = await latestRelease(ctx, p.release, p.namespace);
  const cfg = (latest?.release.config ?? {}) as { env?: string };
  if (latest && cfg.env === 'prod') {
    const inPod = checkFromSpec({ id: 'prod-in-pod', kind: 'env-in-pod', selector: { labels: { 'app.kubernetes.io/instance': p.release } },
      expect: { SENTRY__DSN: p.dsn, WEB__CROSS_ORIGIN__0: p.prodOrigin0, WEB__CROSS_ORIGIN__1: p.prodOrigin1, WEB__CROSS_ORIGIN__2: p.prodOrigin2 } } as never, p);
    return inPod.probe(ctx);
  }
  const rev2 = await latestRelease(ctx, p.release, p.namespace, 2);
  const cfg2 = (rev2?.release.config ?? {}) as { env?: string };
  if (latest && rev2 && cfg2.env === 'prod' && latest.release.version > 2 && rev2.release.info.status === 'superseded') {
    return { ok: true, settled: true, verifiedBy: 'spec', observed: { revision: latest.release.version, judgedFrom: 'release record of revision 2' },
      reasons: [fill(T('리비전 2 (prod) 는 배포됐다가 리비전 {r}로 대체되었습니다: 지금 파드로는 볼 수 없어 릴리스 기록으로 판단했습니다.', 'Revision 2 (prod) was deployed and then superseded by revision {r}: the pods cannot show it any more, so this was judged from the release record.'), { r: latest.release.version })] };
  }
  return { ok: false, settled: true, observed: { revision: latest?.release.version ?? null, env: cfg.env ?? null },
    reasons: [latest
      ? fill(T('지금 릴리스 {n}의 리비전 {r}{r:은/는} env={e} 입니다: prod 값으로 업그레이드하지 않았습니다.', 'Release {n} is at revision {r} with env={e}: not upgraded with the prod values.'), { n: p.release, r: latest.release.version, e: cfg.env ?? '-' })
      : fill(T('네임스페이스 {ns}에 릴리스 {n}{n:이/가} 없습니다.', 'There is no release {n} in namespace {ns}.'), { n: p.release, ns: p.namespace })],
    hints: [fill(T('`helm upgrade {n} {c} -n {ns} -f {c}/environments/values.prod.yaml -f {c}/{s}`', '`helm upgrade {n} {c} -n {ns} -f {c}/environments/values.prod.yaml -f {c}/{s}`'), { n: p.release, c: p.chart, ns: p.namespace, s: SECRET_VALUES })] };
}

export default function checks(p: Record<string, string>): Check[] {
  return [
    { id: 'secret-ignored', title: T('비밀 값 파일이 git 과 차트 묶음 밖에 있음', 'The secret values file stays out of git and out of the packaged chart'), points: 3, timeout: 0, probe: () => secretIgnored(p) },
    { id: 'prod-in-pod', title: T('prod: 파드 안에 SENTRY__DSN 과 prod 교차 출처', 'prod: SENTRY__DSN and the prod cross origins inside the pod'), points: 3, timeout: 90_000, probe: (ctx) => prodInPod(p, ctx) },
    { id: 'page-token', title: T('서비스가 답함: 페이지의 settings.token', 'The Service answers: settings.token of its page'), points: 3, timeout: 0, probe: async (ctx) => judgePageToken(p, ctx) },
  ];
}
