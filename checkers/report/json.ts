// JSON report, schema version 1 (documented in docs/checks.*.md). Messages are plain strings in the chosen language.
import { tr } from '../../i18n/index.js';
import type { Lang } from '../../i18n/index.js';
import type { RunResult, Status } from '../types.js';

export interface JsonEvidence { kind: string; title: string; lines: string[] }
export interface JsonCheck {
  id: string; title: string; step: number | null; status: Status; required: boolean; points: number; maxPoints: number;
  message: string; hint: string | null; evidence: JsonEvidence[]; verifiedBy: 'cluster' | 'spec' | null;
  durationMs: number; observed?: unknown;
  /** true: a fail reported at the timeout while the cluster was still changing (not a settled fail). Absent otherwise. */
  timedOut?: true;
}
export interface JsonReport {
  schemaVersion: 1; lang: Lang; lab: string; seed: string; passed: boolean; score: number; maxScore: number;
  unreachable: boolean; steps: { step: number; score: number; maxScore: number }[]; checks: JsonCheck[];
}

export function toJson(result: RunResult, lang: Lang = 'en'): JsonReport {
  return {
    schemaVersion: 1,
    lang,
    lab: result.lab,
    seed: result.seed,
    passed: result.passed,
    score: result.score,
    maxScore: result.maxScore,
    unreachable: !!result.unreachable,
    steps: result.steps.map((s) => ({ ...s })),
    checks: result.checks.map((r) => ({
      id: r.id,
      title: tr(r.title, lang),
      step: r.step ?? null,
      status: r.status,
      required: r.required,
      points: r.points,
      maxPoints: r.maxPoints,
      message: tr(r.message, lang),
      hint: r.hint && r.status !== 'pass' ? tr(r.hint, lang) : null,
      evidence: r.evidence.map((e) => ({ kind: e.kind, title: tr(e.title, lang), lines: e.lines })),
      verifiedBy: r.status === 'pass' || r.status === 'fail' ? (r.verifiedBy ?? 'cluster') : null,
      durationMs: r.durationMs,
      ...(r.timedOut ? { timedOut: true as const } : {}),
      ...(r.observed !== undefined ? { observed: r.observed } : {}),
    })),
  };
}
