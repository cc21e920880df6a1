// klab solve <lab>: apply the reference solution, printing every command; recorded in progress.
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { session, say, runLabModule } from './common.js';
import type { SolutionAnswers } from '../labs/_engine/runtime.js';

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'solve');
  const { connect } = await import('../cluster/target.js');
  const kc = await connect(s.info);
  say(args, msg('solve.applying', { lab: s.lab.def.id }));
  await runLabModule(s, args, kc, 'solution');
  // A solution may also answer the lab's questions (e.g. the token it read from the logs; d1: a ReplicaSet's name,
  // which only the cluster knows — such an `answers` reads it through kc).
  const { labModule } = await import('../labs/_engine/load.js');
  const answers = (await (await labModule<{ answers?: SolutionAnswers }>(s.lab, 'solution'))?.answers?.(s.params, kc)) ?? {};
  s.store.update(s.info.context, s.lab.def.id, s.seed, (p) => {
    Object.assign(p.answers, answers);
    p.solved = true;
    p.solutionShown = [...new Set([...p.solutionShown, ...s.lab.def.steps.map((_, i) => i + 1)])];
  });
  say(args, msg('solve.done', { lab: s.lab.def.id }));
  return 0;
}
