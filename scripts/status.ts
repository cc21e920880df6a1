// klab status [--json]: progress per lab and cluster context.
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { json, say } from './common.js';
import { ProgressStore } from '../labs/_engine/progress.js';
import { labIds, loadLab } from '../labs/_engine/load.js';

export async function run(args: ParsedArgs): Promise<number> {
  const store = new ProgressStore();
  const all = store.all();
  for (const w of store.warnings) say(args, w, process.stderr);
  const known = new Set(labIds());
  const rows = [];
  for (const p of all) {
    const total = known.has(p.lab) ? (await loadLab(p.lab)).def.steps.length : 0;
    rows.push({ lab: p.lab, context: p.context, seed: p.seed, stepsDone: p.passedSteps.length, steps: total, currentStep: p.currentStep,
      score: p.lastScore?.score ?? null, maxScore: p.lastScore?.maxScore ?? null, solutionShown: p.solutionShown, solved: p.solved,
      startedAt: p.startedAt, updatedAt: p.updatedAt });
  }
  if (args.json) { json(rows); return 0; }
  if (!rows.length) { say(args, msg('status.none')); return 0; }
  for (const r of rows) say(args, msg('status.row', { lab: r.lab, done: r.stepsDone, total: r.steps, score: r.score ?? '-', max: r.maxScore ?? '-', context: r.context }));
  return 0;
}
