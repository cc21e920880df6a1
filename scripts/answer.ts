// klab answer <lab> <question> <value>: record the trainee's answer; `klab check` judges it (the answer check kind).
import { KlabError, ExitCode } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { session, say, defaultSeed } from './common.js';

export async function run(args: ParsedArgs): Promise<number> {
  const s = await session(args, 'answer');
  const [, qid, ...rest] = args.positionals;
  const questions = s.lab.def.steps.flatMap((st) => st.questions ?? []);
  if (!qid || rest.length === 0) throw new KlabError(msg('args.needAnswer', { lab: s.lab.def.id }), ExitCode.usage);
  if (!questions.some((q) => q.id === qid)) throw new KlabError(msg('answer.unknownQuestion', { lab: s.lab.def.id, id: qid, ids: questions.map((q) => q.id).join(', ') || '-' }), ExitCode.usage);
  if (rest.join(' ').trim() === '') throw new KlabError(msg('args.emptyAnswer', { lab: s.lab.def.id }), ExitCode.usage);
  s.store.update(s.info.context, s.lab.def.id, s.progress?.seed ?? s.seed ?? defaultSeed(), (p) => { p.answers[qid] = rest.join(' '); });
  say(args, msg('answer.saved', { lab: s.lab.def.id }));
  return 0;
}
