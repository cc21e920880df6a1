// `klab doctor [--json] [--provider kind|local|existing] [--context C] [--kubeconfig F]`
// Checks node, docker (engine), kind, kubectl, helm, memory, inotify, cluster reachability and node-group labels,
// and prints the fix for each missing piece for Linux, macOS and Windows (WSL), in the trainee's language.
// Exit code: 0 when no check failed (warnings allowed), 1 when something required is missing (a `fail`).
import type { ProviderName } from '../cluster/provider.js';
import type { ParsedArgs } from './args.js';
import { tr, type Lang } from '../i18n/index.js';

export const doctorExitCodes = { ok: 0, missing: 1 } as const;

const label: Record<string, { ko: string; en: string }> = {
  node: { ko: 'Node.js', en: 'Node.js' }, docker: { ko: 'Docker', en: 'Docker' }, kind: { ko: 'kind', en: 'kind' },
  kubectl: { ko: 'kubectl', en: 'kubectl' }, helm: { ko: 'helm', en: 'helm' }, memory: { ko: '메모리', en: 'memory' },
  inotify: { ko: 'inotify', en: 'inotify' }, cluster: { ko: '클러스터', en: 'cluster' }, nodegroups: { ko: '노드 그룹', en: 'node groups' },
  provider: { ko: '제공자', en: 'provider' },
};

export async function run(args: Pick<ParsedArgs, 'lang' | 'json' | 'color' | 'kubeconfig' | 'context' | 'flags'>): Promise<number> {
  const { collect, pins } = await import('../cluster/doctor.js');
  const { loadNodeGroups } = await import('../cluster/nodegroups.js');
  const provider = args.flags?.provider as ProviderName | undefined;
  const report = await collect({ kubeconfig: args.kubeconfig, context: args.context, provider, groups: await loadNodeGroups() });
  const lang: Lang = args.lang;
  const code = report.ok ? doctorExitCodes.ok : doctorExitCodes.missing;
  if (args.json) {
    const out = {
      ok: report.ok,
      exitCode: code,
      lang,
      platform: report.platform,
      checks: report.checks.map((c) => ({
        id: c.id, status: c.status, found: c.found, message: tr(c.message, lang),
        ...(c.fix ? { fix: c.fix } : {}), ...(c.fixNote ? { fixNote: tr(c.fixNote, lang) } : {}),
      })),
      pins: pins(),
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return code;
  }
  const color = args.color && Boolean(process.stdout.isTTY);
  const paint = (s: string, c: number) => (color ? `\x1b[${c}m${s}\x1b[0m` : s);
  const mark = { ok: paint('✓', 32), warn: paint('!', 33), fail: paint('✗', 31), info: paint('·', 36) };
  const osLine = { linux: 'Linux', macos: 'macOS', windows: 'Windows (WSL)' } as const;
  // Hangul and other wide characters take two terminal columns.
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(1, n - width(s)));
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${mark[c.status]} ${pad(tr(label[c.id] ?? { ko: c.id, en: c.id }, lang), 12)}${tr(c.message, lang)}`);
    if (c.fixNote) lines.push(`    ${tr(c.fixNote, lang)}`);
    if (c.fix && c.status !== 'ok') {
      lines.push(`    ${lang === 'ko' ? '고치는 방법' : 'Fix'}:`);
      for (const k of ['linux', 'macos', 'windows'] as const) lines.push(`      ${osLine[k].padEnd(14)} ${c.fix[k]}`);
    }
  }
  const fails = report.checks.filter((c) => c.status === 'fail').length;
  const warns = report.checks.filter((c) => c.status === 'warn').length;
  lines.push('');
  lines.push(lang === 'ko'
    ? (fails ? `필수 항목 ${fails}개가 없습니다 (경고 ${warns}개). 위의 명령으로 고친 뒤 klab doctor 를 다시 실행하세요.` : `준비 완료 (경고 ${warns}개).`)
    : (fails ? `${fails} required item(s) missing (${warns} warning(s)). Fix them with the commands above, then run klab doctor again.` : `Ready (${warns} warning(s)).`));
  process.stdout.write(lines.join('\n') + '\n');
  return code;
}
