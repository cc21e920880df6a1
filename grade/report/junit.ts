// JUnit XML for CI dashboards: a testsuite per trainee, a testcase per check (classname trainee.lab); a trainee who
// could not be graded gets one <error> testcase saying why. The check → testcase rules are checkers/report/junit.ts'.
import { tr, type Lang } from '../../i18n/index.js';
import { junitCase, junitCounts, xmlEscape } from '../../checkers/report/junit.js';
import type { CheckResult } from '../../checkers/types.js';
import type { GradeDoc, TraineeResult } from '../types.js';

function checksOf(t: TraineeResult): CheckResult[] {
  const all = t.labs.flatMap((l) => l.checks);
  if (t.status === 'error' && all.length === 0) {
    return [{ id: 'grading', title: { ko: '채점', en: 'grading' }, status: 'error', points: 0, maxPoints: t.maxScore, required: true, message: t.error ?? { ko: '오류', en: 'error' }, evidence: [], durationMs: t.durationMs }];
  }
  return all;
}

export function toGradeJUnit(doc: GradeDoc, lang: Lang): string {
  const suites = doc.trainees.map((t) => ({ t, rs: checksOf(t) }));
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="klab grade" ${junitCounts(suites.flatMap((s) => s.rs))}>`];
  for (const { t, rs } of suites) {
    out.push(`  <testsuite name="${xmlEscape(t.id)}" timestamp="${xmlEscape(t.startedAt)}" ${junitCounts(rs)}>`);
    const props: [string, string][] = [['name', t.name], ['seed', t.seed], ['context', t.context], ['status', t.status], ['score', `${t.score}/${t.maxScore}`], ['klabVersion', t.klabVersion]];
    out.push(`    <properties>${props.map(([k, v]) => `<property name="${k}" value="${xmlEscape(v)}"/>`).join('')}</properties>`);
    for (const l of t.labs) for (const r of l.checks) out.push(...junitCase(r, `${t.id}.${l.lab}`, `${l.lab}/${r.id}: ${tr(r.title, lang)}`, lang));
    if (rs.length && t.labs.every((l) => l.checks.length === 0)) out.push(...junitCase(rs[0], `${t.id}.grading`, 'grading', lang));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
