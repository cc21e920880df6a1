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

const count = (rs: CheckResult[], s: string) => rs.filter((r) => r.status === s).length;
const secs = (ms: number) => (ms / 1000).toFixed(3);

/** The tests/failures/errors/skipped/time attributes of a <testsuite(s)> holding these checks. */
export function junitCounts(rs: CheckResult[]): string {
  return `tests="${rs.length}" failures="${count(rs, 'fail')}" errors="${count(rs, 'error')}" skipped="${count(rs, 'skip')}" time="${secs(rs.reduce((n, r) => n + r.durationMs, 0))}"`;
}

/** One <testcase> (indented by `pad`): pass is empty, fail a <failure>, error an <error>, skip a <skipped>. */
export function junitCase(r: CheckResult, classname: string, name: string, lang: Lang, pad = '    '): string[] {
  const open = `${pad}<testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}" time="${secs(r.durationMs)}">`;
  const msg = xmlEscape(tr(r.message, lang).split('\n')[0]);
  if (r.status === 'pass') return [open.replace(/>$/, '/>')];
  const inner = r.status === 'fail' ? `<failure message="${msg}" type="fail">${xmlEscape(body(r, lang))}</failure>`
    : r.status === 'error' ? `<error message="${msg}" type="error">${xmlEscape(body(r, lang))}</error>`
      : `<skipped message="${msg}"/>`;
  return [open, `${pad}  ${inner}`, `${pad}</testcase>`];
}

export function toJUnit(result: RunResult, lang: Lang = 'en'): string {
  const groups = new Map<number | undefined, CheckResult[]>();
  for (const r of result.checks) groups.set(r.step, [...(groups.get(r.step) ?? []), r]);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="${xmlEscape(`klab ${result.lab}`)}" ${junitCounts(result.checks)}>`);
  for (const [step, rs] of [...groups].sort((a, b) => (a[0] ?? 1e9) - (b[0] ?? 1e9))) {
    const name = step === undefined ? result.lab : `${result.lab} step ${step}`;
    out.push(`  <testsuite name="${xmlEscape(name)}" ${junitCounts(rs)}>`);
    out.push(`    <properties><property name="seed" value="${xmlEscape(result.seed)}"/><property name="score" value="${result.score}/${result.maxScore}"/></properties>`);
    for (const r of rs) out.push(...junitCase(r, name, `${r.id}: ${tr(r.title, lang)}`, lang));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
