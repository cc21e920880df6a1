// klab status [--json]: progress per lab and cluster context — passed and skipped steps apart, and the score of the
// checks passed so far (progress never goes backwards; `lastFullCheck` is the score of the last whole-lab check).
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { json, say } from './common.js';
import { ProgressStore, summarize } from '../labs/_engine/progress.js';
import { labIds, loadLab } from '../labs/_engine/load.js';

export async function run(args: ParsedArgs): Promise<number> {
  const store = new ProgressStore();
  const all = store.all();
  for (const w of store.warnings) say(args, w, process.stderr);
  const known = new Set(labIds());
  const rows = [];
  for (const p of all) {
    const sum = known.has(p.lab) ? summarize((await loadLab(p.lab)).def, p) : undefined;
    rows.push({ lab: p.lab, context: p.context, seed: p.seed, stepsDone: sum?.passedSteps.length ?? p.passedSteps.length, steps: sum?.steps ?? 0,
      passedSteps: sum?.passedSteps ?? p.passedSteps, skippedSteps: sum?.skippedSteps ?? p.skippedSteps, currentStep: p.currentStep,
      score: sum?.score ?? null, maxScore: sum?.maxScore ?? null, lastFullCheck: p.lastScore ?? null,
      solutionShown: p.solutionShown, solved: p.solved, startedAt: p.startedAt, updatedAt: p.updatedAt });
  }
  if (args.json) { json(rows); return 0; }
  if (!rows.length) { say(args, msg('status.none')); return 0; }
  for (const r of rows) {
    say(args, msg('status.row', { lab: r.lab, passed: r.passedSteps.length, skipped: r.skippedSteps.length, total: r.steps, score: r.score ?? '-', max: r.maxScore ?? '-', context: r.context }));
  }
  return 0;
}
