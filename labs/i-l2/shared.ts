// What i-l2's setup, solution and checks share: the template's parameter and the code its script prints.
import { createHash } from 'node:crypto';

export const PARAM = 'run-id';
/** The template's default run-id: a workflow submitted without `-p run-id=…` runs with it. */
export const DEFAULT_RUN_ID = 'run-0000';

/** What the template prints after `code:` for a run-id (the same md5sum | cut -c1-10 as the container's script). */
export function codeFor(runId: string, salt: string): string {
  return createHash('md5').update(`${runId}-${salt}`).digest('hex').slice(0, 10);
}

/** The busybox script of the template's only step. Argo fills {{inputs.parameters.run-id}} before the pod starts. */
export function script(salt: string): string {
  return [
    `echo "run-id: {{inputs.parameters.${PARAM}}}"`,
    `echo "code: $(printf '%s' '{{inputs.parameters.${PARAM}}}-${salt}' | md5sum | cut -c1-10)"`,
  ].join('\n');
}

const G = { group: 'argoproj.io', version: 'v1alpha1' };
export { G as ARGO };

/** Workflows in `ns`, newest first; `fromTemplate` says whether one was created from `template` (either way Argo records it). */
export function fromTemplate(wf: any, template: string): boolean {
  return wf?.metadata?.labels?.['workflows.argoproj.io/workflow-template'] === template
    || (wf?.spec?.workflowTemplateRef?.name === template && !wf.spec.workflowTemplateRef.clusterScope);
}

/**
 * The run-id a workflow really ran with: the input parameter of its steps as Argo filled it in (so a default the
 * trainee changed in the template is reported as what it was, issue 14), else the template's default.
 */
export function effectiveRunIdOf(wf: any): string {
  for (const n of Object.values(wf?.status?.nodes ?? {}) as { inputs?: { parameters?: { name?: string; value?: unknown }[] } }[]) {
    const p = n.inputs?.parameters?.find((x) => x?.name === PARAM);
    if (p?.value !== undefined) return String(p.value);
  }
  const stored = (wf?.status?.storedWorkflowTemplateSpec?.arguments?.parameters ?? []).find((x: { name?: string }) => x?.name === PARAM);
  return stored?.value !== undefined ? String(stored.value) : runIdOf(wf) ?? DEFAULT_RUN_ID;
}

/** The run-id a workflow was given (undefined: not given, so a template's default applies). */
export function runIdOf(wf: any): string | undefined {
  const p = (wf?.spec?.arguments?.parameters ?? []).find((x: { name?: string }) => x?.name === PARAM);
  return p?.value === undefined ? undefined : String(p.value);
}
