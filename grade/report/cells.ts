// What every grade output shows per trainee × lab: the score, or why there is none. One place for the rules.
import { tr, type Lang } from '../../i18n/index.js';
import type { GradeDoc, GradedLab, TraineeResult } from '../types.js';
import { gmsg } from '../messages.js';

export interface Cell { score: number; maxScore: number; status: GradedLab['status'] | 'missing'; percent: number | null }

/** The trainee's cell for a lab; percent is over the points that could be judged (ungraded ones never count against). */
export function cellOf(t: TraineeResult, labId: string): Cell {
  const l = t.labs.find((x) => x.lab === labId);
  if (!l) return { score: 0, maxScore: 0, status: 'missing', percent: null };
  const judged = l.maxScore - l.ungradedPoints;
  return { score: l.score, maxScore: l.maxScore, status: l.status, percent: l.status === 'error' || judged <= 0 ? null : Math.round((100 * l.score) / judged) };
}

export function totalOf(t: TraineeResult): Cell {
  const judged = t.maxScore - t.ungradedPoints;
  return { score: t.score, maxScore: t.maxScore, status: t.status, percent: t.status === 'error' || judged <= 0 ? null : Math.round((100 * t.score) / judged) };
}

/** "15/20", "error", "15/20*" (partial: some checks could not be judged), "—" (lab not graded for this trainee). */
export function cellText(c: Cell, lang: Lang): string {
  if (c.status === 'missing') return '—';
  if (c.status === 'error') return tr(gmsg('out.error', {}), lang);
  return `${c.score}/${c.maxScore}${c.status === 'partial' ? '*' : ''}`;
}

export function statusText(status: TraineeResult['status'], lang: Lang): string {
  return tr(gmsg(status === 'error' ? 'out.error' : status === 'partial' ? 'out.partial' : 'out.graded', {}), lang);
}

export const labIds = (doc: GradeDoc) => doc.labs.map((l) => l.id);

export function counts(doc: GradeDoc): { graded: number; partial: number; error: number } {
  const c = { graded: 0, partial: 0, error: 0 };
  for (const t of doc.trainees) c[t.status]++;
  return c;
}
