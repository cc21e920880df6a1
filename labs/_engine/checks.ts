// Turn a lab's declared checks into runnable Checks: declarative ones through the check-kind registry in checkers/,
// code ones from the lab's checks.ts (the escape hatch). Lab-level fields (points, step, requires…) always win.
import { KlabError, ExitCode, fill, type Text } from '../../i18n/index.js';
import { msg } from '../../i18n/messages.js';
import type { Check } from '../../checkers/types.js';
import { labModule, type Lab, type CheckDecl } from './load.js';
import { substitute } from './params.js';

export interface LabChecksModule { default: (params: Record<string, string>) => Check[] }

/** Replace {param} in every string of a declaration (deep). */
function fillDeep<T>(v: T, params: Record<string, string>): T {
  if (typeof v === 'string') return substitute(v, params) as T;
  if (Array.isArray(v)) return v.map((x) => fillDeep(x, params)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillDeep(x, params)])) as T;
  return v;
}

type KindsModule = { checkFromSpec(spec: Record<string, unknown>): Check };
async function kinds(): Promise<KindsModule> {
  const spec = '../../checkers/kinds.js'; // resolved at run time: the registry grows one file per kind
  return (await import(spec)) as KindsModule;
}

export async function labChecks(lab: Lab, params: Record<string, string>): Promise<Check[]> {
  const code = await labModule<LabChecksModule>(lab, 'checks');
  const fromCode = new Map((code?.default(params) ?? []).map((c) => [c.id, c]));
  const out: Check[] = [];
  for (const [i, step] of lab.def.steps.entries()) {
    for (const decl of step.checks) {
      const d = fillDeep(decl, params) as CheckDecl;
      let base: Check | undefined;
      if (d.kind) base = (await kinds()).checkFromSpec(d as Record<string, unknown>);
      else base = fromCode.get(d.id);
      if (!base) throw new KlabError(msg('lab.checkMissing', { id: d.id }), ExitCode.usage);
      const fillText = (t?: Text) => (t ? fill(t, params) : undefined);
      out.push({
        ...base,
        id: d.id,
        step: i + 1,
        points: d.points,
        required: d.required ?? base.required ?? true,
        requires: d.requires ?? base.requires,
        timeout: d.timeout ?? base.timeout,
        title: fillText(d.title) ?? base.title,
        hint: fillText(d.hint) ?? base.hint,
      });
    }
  }
  return out;
}
