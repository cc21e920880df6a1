// WorkflowTemplate submissions (labs with `submission: {kind: workflows}`): validated by Argo's own `argo lint
// --offline` when the argo CLI is on PATH, else by klab's structural validation below (the fields Argo's controller
// needs to run a template: names, exactly one template type, references that resolve). Applied in the sandbox as its
// ServiceAccount, object by object, so RBAC decides what may be created.
import type { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import { run } from '../../host/procs.js';
import { fillParams } from '../../checkers/registry.js';

export interface Validation { names: string[]; problems: string[] }

const TYPES = ['container', 'script', 'steps', 'dag', 'resource', 'suspend', 'data', 'http', 'containerSet', 'plugin'];
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

type Obj = Record<string, any>;

/** klab's structural validation of the WorkflowTemplates among `docs` (other kinds are left to the API server). */
export function validateWorkflowTemplates(docs: Obj[]): Validation {
  const names: string[] = [];
  const problems: string[] = [];
  for (const d of docs) {
    if (d?.kind !== 'WorkflowTemplate') continue;
    const name = d.metadata?.name ?? d.metadata?.generateName;
    const where = `WorkflowTemplate ${name ?? '(no name)'}`;
    if (d.apiVersion !== 'argoproj.io/v1alpha1') problems.push(`${where}: apiVersion must be argoproj.io/v1alpha1 (found ${JSON.stringify(d.apiVersion)})`);
    if (typeof name !== 'string' || !NAME.test(name) || name.length > 253) problems.push(`${where}: metadata.name must be a DNS-1123 name`);
    else names.push(name);
    const templates: Obj[] = Array.isArray(d.spec?.templates) ? d.spec.templates : [];
    if (!templates.length) { problems.push(`${where}: spec.templates is empty`); continue; }
    const tnames = new Set<string>();
    templates.forEach((t, i) => {
      const tn = typeof t?.name === 'string' ? t.name : undefined;
      if (!tn) problems.push(`${where}: spec.templates[${i}] has no name`);
      else if (tnames.has(tn)) problems.push(`${where}: template name '${tn}' appears twice`);
      else tnames.add(tn);
      const types = TYPES.filter((k) => t?.[k] !== undefined);
      if (types.length !== 1) problems.push(`${where}: template '${tn ?? i}' must have exactly one of ${TYPES.join(', ')} (found ${types.join(', ') || 'none'})`);
      for (const p of t?.inputs?.parameters ?? []) if (typeof p?.name !== 'string' || !p.name) problems.push(`${where}: template '${tn ?? i}' has an input parameter without a name`);
      if ((t?.container || t?.script) && typeof (t.container ?? t.script).image !== 'string') problems.push(`${where}: template '${tn ?? i}' has no image`);
    });
    const ref = (from: string, target: unknown, ext: unknown) => {
      if (ext) return; // templateRef to another WorkflowTemplate: resolved by Argo at run time
      if (typeof target !== 'string' || !tnames.has(target)) problems.push(`${where}: ${from} refers to template '${String(target)}', which does not exist`);
    };
    if (d.spec.entrypoint !== undefined) ref('spec.entrypoint', d.spec.entrypoint, undefined);
    for (const t of templates) {
      for (const group of Array.isArray(t?.steps) ? t.steps : []) for (const s of Array.isArray(group) ? group : []) ref(`template '${t.name}' step '${s?.name}'`, s?.template, s?.templateRef ?? s?.inline);
      const tasks: Obj[] = Array.isArray(t?.dag?.tasks) ? t.dag.tasks : [];
      const taskNames = new Set(tasks.map((k) => k?.name));
      for (const k of tasks) {
        ref(`template '${t.name}' task '${k?.name}'`, k?.template, k?.templateRef ?? k?.inline);
        for (const dep of k?.dependencies ?? []) if (!taskNames.has(dep)) problems.push(`${where}: task '${k?.name}' depends on '${dep}', which does not exist`);
      }
    }
  }
  return { names, problems };
}

/** Argo's own lint, offline (no server, no kubeconfig): `argo lint --offline <files>`; problems as Argo prints them. */
export async function argoLint(bin: string, root: string, files: string[], docs: Obj[], signal: AbortSignal): Promise<Validation> {
  const r = await run(bin, ['lint', '--offline', '--no-color', '--output', 'simple', ...files.map((f) => join(root, f))],
    { signal, timeoutMs: 60_000, maxOutputBytes: 1 << 20, env: { PATH: process.env.PATH, HOME: root, KUBECONFIG: join(root, 'no-kubeconfig') } });
  const names = docs.filter((d) => d?.kind === 'WorkflowTemplate').map((d) => String(d.metadata?.name ?? d.metadata?.generateName));
  const out = (r.stdout + '\n' + r.stderr).split('\n').map((l) => l.trim().replace(root + '/', '')).filter((l) => l && !/^no linting errors/.test(l));
  return r.code === 0 ? { names, problems: [] } : { names, problems: out.length ? out.slice(0, 30) : [`argo lint exited with ${r.code}`] };
}

/**
 * Create every object of the submission in `namespace` as the sandbox's identity (`kc`), then, when the lab says so,
 * submit one Workflow from a template. Errors are collected (never thrown): the caller reads RBAC/quota refusals.
 */
export async function applyAs(kc: KubeConfig, namespace: string, docs: Obj[], runDef: { template?: string; parameters?: Record<string, string> } | undefined,
  params: Record<string, string>, signal: AbortSignal): Promise<{ ok: boolean; unreachable: boolean; log: string[]; errors: string[] }> {
  const { clients, isUnreachable } = await import('../../checkers/k8s.js');
  const { apiMessage } = await import('./sandbox.js');
  const api = clients(kc).objects;
  const log: string[] = [];
  const errors: string[] = [];
  let unreachable = false;
  const create = async (o: Obj) => {
    const what = `${o.kind}/${o.metadata?.name ?? o.metadata?.generateName ?? '?'}`;
    try {
      await api.create({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? namespace } } as never);
      log.push(`created ${what}`);
      return true;
    } catch (e) {
      if (isUnreachable(e)) unreachable = true;
      const message = apiMessage(e);
      errors.push(`${what}: ${message}`);
      log.push(`refused ${what}: ${message}`);
      return false;
    }
  };
  for (const o of docs) {
    if (signal.aborted) break;
    if (!o || typeof o !== 'object' || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string') continue;
    await create(o);
  }
  const templates = docs.filter((d) => d?.kind === 'WorkflowTemplate').map((d) => String(d.metadata?.name));
  if (!errors.length && runDef && !signal.aborted) {
    const name = runDef.template ? fillParams(runDef.template, params) : templates.length === 1 ? templates[0] : undefined;
    if (!name) errors.push(`no WorkflowTemplate to run (found ${templates.join(', ') || 'none'})`);
    else await create({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow',
      metadata: { generateName: `${name}-`, labels: { 'app.kubernetes.io/managed-by': 'klab' } },
      spec: {
        workflowTemplateRef: { name },
        // Bounded: Argo stops it (and its pods) after this, whatever the template says.
        activeDeadlineSeconds: 300,
        arguments: { parameters: Object.entries(runDef.parameters ?? {}).map(([k, v]) => ({ name: k, value: fillParams(v, params) })) },
      },
    });
  }
  return { ok: errors.length === 0, unreachable, log, errors };
}

/**
 * What Kubernetes refused while the submitted workflows ran: Argo records a pod it could not create (Pod Security,
 * quota) as the node's message, not always as an event. The lines go through sandbox.ts refusalsIn like the others.
 */
export async function workflowRefusals(admin: KubeConfig, namespace: string): Promise<string[]> {
  const { clients } = await import('../../checkers/k8s.js');
  const list = await clients(admin).custom.listNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace, plural: 'workflows' }) as { items?: Obj[] };
  const lines: string[] = [];
  for (const w of list.items ?? []) {
    const name = String(w.metadata?.name ?? '?');
    if (w.status?.message) lines.push(`Workflow/${name}: ${w.status.message}`);
    for (const n of Object.values((w.status?.nodes ?? {}) as Record<string, Obj>)) if (n?.message) lines.push(`Workflow/${name} step ${n.displayName ?? n.id}: ${n.message}`);
  }
  return lines;
}
