// JUnit XML: one testsuite per step (or one for all), one testcase per check; failures carry the diagnosis,
// hint and evidence; `error` is an <error>, `skip` a <skipped>, so CI never confuses them.
import { tr } from '../../i18n/index.js';
import type { Lang } from '../../i18n/index.js';
import type { CheckResult, RunResult } from '../types.js';

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]!))
    // characters XML 1.0 cannot carry at all
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

function body(r: CheckResult, lang: Lang): string {
  const parts = [tr(r.message, lang)];
  if (r.hint) parts.push(`${lang === 'ko' ? '힌트' : 'Hint'}: ${tr(r.hint, lang)}`);
  for (const e of r.evidence) parts.push(`${tr(e.title, lang)}:\n${e.lines.map((l) => '  ' + l).join('\n')}`);
  return parts.join('\n\n');
}

export function toJUnit(result: RunResult, lang: Lang = 'en'): string {
  const groups = new Map<number | undefined, CheckResult[]>();
  for (const r of result.checks) groups.set(r.step, [...(groups.get(r.step) ?? []), r]);
  const count = (rs: CheckResult[], s: string) => rs.filter((r) => r.status === s).length;
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = result.checks;
  out.push(`<testsuites name="${xmlEscape(`klab ${result.lab}`)}" tests="${all.length}" failures="${count(all, 'fail')}" errors="${count(all, 'error')}" skipped="${count(all, 'skip')}" time="${secs(all.reduce((n, r) => n + r.durationMs, 0))}">`);
  for (const [step, rs] of [...groups].sort((a, b) => (a[0] ?? 1e9) - (b[0] ?? 1e9))) {
    const name = step === undefined ? result.lab : `${result.lab} step ${step}`;
    out.push(`  <testsuite name="${xmlEscape(name)}" tests="${rs.length}" failures="${count(rs, 'fail')}" errors="${count(rs, 'error')}" skipped="${count(rs, 'skip')}" time="${secs(rs.reduce((n, r) => n + r.durationMs, 0))}">`);
    out.push(`    <properties><property name="seed" value="${xmlEscape(result.seed)}"/><property name="score" value="${result.score}/${result.maxScore}"/></properties>`);
    for (const r of rs) {
      const open = `    <testcase classname="${xmlEscape(name)}" name="${xmlEscape(`${r.id}: ${tr(r.title, lang)}`)}" time="${secs(r.durationMs)}">`;
      const msg = xmlEscape(tr(r.message, lang).split('\n')[0]);
      if (r.status === 'pass') { out.push(open.replace(/>$/, '/>')); continue; }
      out.push(open);
      if (r.status === 'fail') out.push(`      <failure message="${msg}" type="fail">${xmlEscape(body(r, lang))}</failure>`);
      else if (r.status === 'error') out.push(`      <error message="${msg}" type="error">${xmlEscape(body(r, lang))}</error>`);
      else out.push(`      <skipped message="${msg}"/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
