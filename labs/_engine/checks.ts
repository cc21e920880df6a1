// Turn a lab's declared checks into runnable Checks: declarative ones through the check-kind registry in checkers/,
// code ones from the lab's checks.ts (the escape hatch). Lab-level fields (points, step, requires…) always win.
import { KlabError, ExitCode, type Text } from '../../i18n/index.js';
import { msg } from '../../i18n/messages.js';
import type { Check } from '../../checkers/types.js';
import { labModule, type Lab, type CheckDecl } from './load.js';
import { checkFromSpec, parseDuration, type CheckSpec } from '../../checkers/kinds.js';
import { fillParams } from '../../checkers/registry.js';

export interface LabChecksModule { default: (params: Record<string, string>) => Check[] }


export async function labChecks(lab: Lab, params: Record<string, string>): Promise<Check[]> {
  const code = await labModule<LabChecksModule>(lab, 'checks');
  const fromCode = new Map((code?.default(params) ?? []).map((c) => [c.id, c]));
  const out: Check[] = [];
  for (const [i, step] of lab.def.steps.entries()) {
    for (const decl of step.checks) {
      const d = decl as CheckDecl;
      // `requires` is checked across the whole lab by the loader; checkFromSpec validates one spec alone, so it must not see it.
      const { requires: _requires, ...spec } = d;
      const base: Check | undefined = d.kind ? checkFromSpec({ ...spec, step: i + 1 } as CheckSpec, params) : fromCode.get(d.id);
      if (!base) throw new KlabError(msg('lab.checkMissing', { id: d.id }), ExitCode.usage);
      const fillText = (t?: Text) => (t ? fillParams(t, params) : undefined);
      out.push({
        ...base,
        id: d.id,
        step: i + 1,
        points: d.points,
        required: d.required ?? base.required ?? true,
        requires: d.requires ?? base.requires,
        timeout: parseDuration(d.timeout) ?? base.timeout,
        title: fillText(d.title) ?? base.title,
        hint: fillText(d.hint) ?? base.hint,
      });
    }
  }
  return out;
}
