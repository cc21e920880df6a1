// Terminal report: grouped by step, coloured marks, the diagnosis then the hint, evidence indented.
import { tr } from '../../i18n/index.js';
import type { Lang } from '../../i18n/index.js';
import type { CheckResult, RunResult, Status } from '../types.js';

const MARK: Record<Status, string> = { pass: '✓', fail: '✗', skip: '-', error: '!' };
const COLOR: Record<Status, string> = { pass: '32', fail: '31', skip: '33', error: '35' };

export interface TerminalOptions { lang: Lang; color: boolean; verbose?: boolean }

const L = {
  step: { ko: '단계 {n}', en: 'Step {n}' },
  other: { ko: '기타', en: 'Other' },
  hint: { ko: '힌트', en: 'Hint' },
  score: { ko: '점수', en: 'Score' },
  passed: { ko: '통과', en: 'PASSED' },
  failed: { ko: '미통과', en: 'NOT PASSED' },
  unreachable: { ko: '클러스터에 연결할 수 없습니다: 모든 검사가 오류입니다.', en: 'The cluster is unreachable: every check is an error.' },
  spec: { ko: '스펙으로 확인', en: 'verified from spec' },
  counts: { ko: '통과 {pass} · 실패 {fail} · 건너뜀 {skip} · 오류 {error}', en: '{pass} passed · {fail} failed · {skip} skipped · {error} errors' },
};

function sub(s: string, vars: Record<string, string | number>): string {
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] === undefined ? m : String(vars[k])));
}

export function renderTerminal(result: RunResult, o: TerminalOptions): string {
  const c = (code: string, s: string) => (o.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const dim = (s: string) => c('2', s);
  const bold = (s: string) => c('1', s);
  const lines: string[] = [];
  const groups = new Map<number | undefined, CheckResult[]>();
  for (const r of result.checks) {
    const g = groups.get(r.step) ?? [];
    g.push(r);
    groups.set(r.step, g);
  }
  const keys = [...groups.keys()].sort((a, b) => (a ?? 1e9) - (b ?? 1e9));
  const multi = keys.length > 1 || keys[0] !== undefined;
  for (const k of keys) {
    if (multi) {
      const st = result.steps.find((s) => s.step === k);
      const head = k === undefined ? tr(L.other, o.lang) : sub(tr(L.step, o.lang), { n: k });
      lines.push(bold(head) + (st ? dim(`  (${st.score}/${st.maxScore})`) : ''));
    }
    for (const r of groups.get(k)!) {
      const pts = `(${r.points}/${r.maxPoints})`;
      const spec = r.verifiedBy === 'spec' && r.status === 'pass' ? dim(` [${tr(L.spec, o.lang)}]`) : '';
      lines.push(`${c(COLOR[r.status], MARK[r.status])} ${bold(r.id)}  ${tr(r.title, o.lang)}  ${dim(pts)}${spec}`);
      const showMsg = r.status !== 'pass' || o.verbose || r.verifiedBy === 'spec';
      if (showMsg) for (const l of tr(r.message, o.lang).split('\n')) if (l.trim()) lines.push(`    ${l}`);
      if (r.status !== 'pass' && r.hint) {
        const hl = tr(r.hint, o.lang).split('\n').filter((x) => x.trim());
        hl.forEach((l, i) => lines.push(`    ${i === 0 ? c('36', tr(L.hint, o.lang) + ':') + ' ' : '      '}${l}`));
      }
      if (r.status === 'fail' || (o.verbose && r.evidence.length)) {
        for (const ev of r.evidence) {
          lines.push(`      ${dim(tr(ev.title, o.lang) + ':')}`);
          for (const l of ev.lines) lines.push(`        ${dim(l)}`);
        }
      }
      if (o.verbose) lines.push(`    ${dim(`${r.durationMs} ms`)}`);
    }
    if (multi) lines.push('');
  }
  const counts = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of result.checks) counts[r.status]++;
  if (result.unreachable) lines.push(c('35', tr(L.unreachable, o.lang)));
  const verdict = result.passed ? c('32', tr(L.passed, o.lang)) : c('31', tr(L.failed, o.lang));
  lines.push(`${bold(tr(L.score, o.lang))}: ${result.score}/${result.maxScore}  ${verdict}  ${dim(sub(tr(L.counts, o.lang), counts))}`);
  return lines.join('\n') + '\n';
}
