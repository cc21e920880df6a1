// The guided flow: step text (markdown rendered for the terminal), then a menu — check, hint, answer, solution,
// skip, quit. A passing step moves on and stays passed. Ctrl+C leaves cleanly; progress is saved at every change.
import type { KubeConfig } from '@kubernetes/client-node';
import { fill, tr, type Text } from '../i18n/index.js';
import { msg } from '../i18n/messages.js';
import type { ParsedArgs } from './args.js';
import { say, type Session } from './common.js';
import { substitute } from '../labs/_engine/params.js';

export async function renderMarkdown(md: string, args: Pick<ParsedArgs, 'color'>): Promise<string> {
  const { Marked } = await import('marked');
  const { markedTerminal } = await import('marked-terminal');
  const m = new Marked();
  m.use(markedTerminal({ reflowText: false, showSectionPrefix: false, tab: 2 }, {}) as Parameters<typeof m.use>[0]);
  // marked-terminal prints a list item's text raw (`**bold**`, backticks) with marked ≥ 13 (its open issues #304,
  // #371): a text token that carries inline tokens is rendered through them; any other falls back (false) to it.
  m.use({ renderer: { text(token) { return typeof token === 'object' && 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false; } } });
  const out = String(await m.parse(md));
  // marked-terminal colours unconditionally; strip escapes when colour is off.
  return args.color ? out : out.replace(/\x1b\[[0-9;]*m/g, '');
}

const isExit = (e: unknown) => (e as Error)?.name === 'ExitPromptError' || (e as Error)?.name === 'AbortPromptError';

export async function guide(s: Session, args: ParsedArgs, kc: KubeConfig): Promise<number> {
  const { select, confirm, input } = await import('@inquirer/prompts');
  const { stepText, solutionCommands } = await import('../labs/_engine/load.js');
  const { runLabChecks, nextHint } = await import('../labs/_engine/session.js');
  const { printResult } = await import('./common.js');
  const total = s.lab.def.steps.length;
  const save = (fn: Parameters<typeof s.store.update>[3]) => { s.progress = s.store.update(s.info.context, s.lab.def.id, s.seed, fn); };
  const t = (x: Text) => tr(x, args.lang);
  try {
    for (;;) {
      const step = s.progress!.currentStep;
      if (step > total) {
        const result = await runLabChecks(s, { lang: args.lang, kc });
        say(args, msg('guide.finished', { lab: s.lab.def.id, score: result.score, max: result.maxScore }));
        return 0;
      }
      const def = s.lab.def.steps[step - 1];
      say(args, `\n${msg('guide.step', { step, total, title: t(def.title) })[args.lang]}`);
      process.stdout.write(await renderMarkdown(substitute(stepText(s.lab, step, args.lang), s.params), args));
      let moved = false;
      while (!moved) {
        const choices = [
          { name: t(msg('guide.check')), value: 'check' },
          { name: t(msg('guide.hint')), value: 'hint' },
          ...(def.questions?.length ? [{ name: t(msg('guide.answer')), value: 'answer' }] : []),
          { name: t(msg('guide.solution')), value: 'solution' },
          { name: t(msg('guide.skip')), value: 'skip' },
          { name: t(msg('guide.quit')), value: 'quit' },
        ];
        const action = await select({ message: t(msg('guide.menu')), choices });
        if (action === 'check') {
          // Reload the kubeconfig: the step may be about it (kubectl config set-context --current --namespace=…).
          const { connect } = await import('../cluster/target.js');
          kc = await connect(s.info);
          const result = await runLabChecks(s, { lang: args.lang, kc, step });
          await printResult(result, args);
          if (result.passed) { say(args, msg('guide.passed')); moved = true; } else say(args, msg('guide.notYet'));
        } else if (action === 'hint') {
          const h = nextHint(s, step);
          say(args, h.text ? `💡 (${h.index + 1}/${h.total}) ${t(h.text)}` : t(msg('hint.none')));
        } else if (action === 'answer') {
          for (const q of def.questions ?? []) {
            const value = await input({ message: t(msg('guide.question', { id: q.id, prompt: t(fill(q.prompt, s.params)) })) });
            save((p) => { p.answers[q.id] = value.trim(); });
          }
        } else if (action === 'solution') {
          if (await confirm({ message: t(msg('guide.confirmSolution')), default: false })) {
            save((p) => { p.solutionShown.push(step); });
            say(args, msg('guide.solutionHeader', { step }));
            for (const c of await solutionCommands(s.lab, step, s.params)) say(args, `  $ ${c}`);
          }
        } else if (action === 'skip') {
          save((p) => { p.skippedSteps.push(step); p.currentStep = step + 1; });
          moved = true;
        } else {
          say(args, msg('guide.saved', { lab: s.lab.def.id }));
          return 0;
        }
      }
    }
  } catch (e) {
    if (isExit(e)) { say(args, `\n${t(msg('guide.saved', { lab: s.lab.def.id }))}`); return 0; }
    throw e;
  }
}
