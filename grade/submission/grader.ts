// Grading a submitted folder (a Helm chart for a lab with `submission: {kind: chart}`, WorkflowTemplates for
// `kind: workflows`). Static stage: the folder read safely (stage.ts), helm lint and helm template with each values
// file (or the WorkflowTemplates validated), the lab's static checks. Live stage, on the grading cluster: a sandbox
// namespace (sandbox.ts), the install as the sandbox's ServiceAccount, the lab's live checks, the refusals Kubernetes
// made (policy), then uninstall and delete the namespace — also when interrupted or timed out.
// The grader's own checks are results built here (they are one-shot, not polled); the lab's checks run in the runner.
import type { KubeConfig } from '@kubernetes/client-node';
import { existsSync, readdirSync } from 'node:fs';
import { findTool } from '../../cluster/local/tools.js';
import { join } from 'node:path';
import { fill, join as joinText, type Lang, type Text } from '../../i18n/index.js';
import type { Check, CheckResult, Evidence, RunResult } from '../../checkers/types.js';
import { noCapabilities, type Capabilities } from '../../cluster/provider.js';
import { defaultKubeconfig } from '../../cluster/paths.js';
import { labParams, type Lab, type SubmissionDef } from '../../labs/_engine/load.js';
import { labChecks } from '../../labs/_engine/checks.js';
import { gmsg } from '../messages.js';
import type { Grader, LabSpec } from '../grade.js';
import type { RosterEntry } from '../roster.js';
import { stageSubmission, yamlProblems, yamlDocs, DEFAULT_LIMITS, type Limits, type StageProblem, type Staged } from './stage.js';
import { openHelm, templateErrorWhere, helmError, helmUnreachable, helmMemoryMiB, type Helm } from './helm.js';
import { openSandbox, closeSandbox, track, refusalsIn, refusalEvents, dryRunRefusals, QUOTA, type Refusal, type Sandbox } from './sandbox.js';
import { validateWorkflowTemplates, argoLint } from './workflows.js';

export const ID = {
  files: 'submission-files', lint: 'submission-lint', render: (env: string) => `submission-render-${env}`,
  install: 'submission-install', policy: 'submission-policy',
} as const;

const DEFAULT_POINTS = { files: 0, lint: 5, render: 5, install: 10, policy: 0 };

/** One check of a submission's grading, in report order: the grader's own ones and the lab's listed ones. */
interface Entry { id: string; title: Text; points: number; required: boolean; requires: string[]; stage: 'static' | 'live'; lab: boolean; step?: number }

/** What a submission's grading adds to its lab's result (JSON: `submission` of the lab). */
export interface SubmissionInfo {
  folder: string;
  /** The grading namespace (deleted after grading), or '' when there was no live stage. */
  namespace: string;
  /** The image registry the lab's params ({registry}) were filled with, and where it came from (docs/grading). */
  registry?: { value: string; from: 'KLAB_REGISTRY' | 'cluster' | 'submission' };
  /** True when the submission did something a correct one never does (refused by RBAC/Pod Security, a symlink out). */
  flagged: boolean;
  violations: string[];
  interrupted?: boolean;
}
export type SubmissionRun = RunResult & { submission: SubmissionInfo };

export function submissionDef(lab: Lab): SubmissionDef | undefined { return lab.def.submission; }

const envs = (def: SubmissionDef) => Object.keys(def.values ?? {});
/** The values files of an environment, in order. */
const filesOf = (def: SubmissionDef, env: string): string[] => { const v = def.values?.[env]; return v === undefined ? [] : Array.isArray(v) ? v : [v]; };
const allFiles = (def: SubmissionDef) => [...new Set(envs(def).flatMap((e) => filesOf(def, e)))];
const dirParam = (def: SubmissionDef) => def.param ?? 'submissionDir';
const installEnv = (def: SubmissionDef) => def.install ?? envs(def)[0];

function catalogue(lab: Lab, checks: Check[]): Entry[] {
  const def = lab.def.submission!;
  const pts = { ...DEFAULT_POINTS, ...(def.points ?? {}) };
  const byId = new Map(checks.map((c) => [c.id, c]));
  const out: Entry[] = [{ id: ID.files, title: gmsg('check.files'), points: pts.files, required: true, requires: [], stage: 'static', lab: false }];
  const gates: string[] = [];
  if (def.kind === 'chart') {
    out.push({ id: ID.lint, title: gmsg('check.lint'), points: pts.lint, required: false, requires: [ID.files], stage: 'static', lab: false });
    for (const env of envs(def)) {
      out.push({ id: ID.render(env), title: gmsg('check.render', { env }), points: pts.render, required: true, requires: [ID.files], stage: 'static', lab: false });
      gates.push(ID.render(env));
    }
  } else {
    out.push({ id: ID.lint, title: gmsg('check.wfLint', { how: argoLintAvailable() ? 'argo lint --offline' : 'structure' }), points: pts.lint, required: true, requires: [ID.files], stage: 'static', lab: false });
    gates.push(ID.lint);
  }
  const listed = (ids: string[] | undefined) => (ids ?? []).map((id) => byId.get(id)!).filter(Boolean);
  const staticIds = new Set(def.static ?? []);
  const liveIds = new Set(def.live ?? []);
  const own = (c: Check, set: Set<string>) => (c.requires ?? []).filter((r) => set.has(r));
  for (const c of listed(def.static)) out.push({ id: c.id, title: c.title, points: c.points, required: c.required !== false, requires: [...gates, ...own(c, staticIds)], stage: 'static', lab: true, step: c.step });
  const installGate = def.kind === 'chart' ? [ID.render(installEnv(def))] : [ID.lint];
  out.push({ id: ID.install, title: gmsg('check.install'), points: pts.install, required: true, requires: installGate, stage: 'live', lab: false });
  out.push({ id: ID.policy, title: gmsg('check.policy'), points: pts.policy, required: false, requires: [ID.files], stage: 'live', lab: false });
  for (const c of listed(def.live)) out.push({ id: c.id, title: c.title, points: c.points, required: c.required !== false, requires: [ID.install, ...own(c, liveIds)], stage: 'live', lab: true, step: c.step });
  return out;
}

let argoBin: string | undefined | null = null;
/** Argo's CLI (PATH, else klab's build), looked up once: it decides the lint and the check's title. */
function argoLintAvailable(): boolean {
  if (argoBin === null) argoBin = findTool('argo');
  return argoBin !== undefined;
}

/** The LabSpec of a lab graded from submissions: its grader checks plus the lab's listed static and live checks. */
export async function submissionSpec(lab: Lab): Promise<LabSpec> {
  const cat = catalogue(lab, await labChecks(lab, labParams(lab, 'klab-grade')));
  return { lab, requires: new Map(cat.map((e) => [e.id, e.requires])), maxScore: cat.reduce((n, e) => n + e.points, 0) };
}

const result = (e: Entry, status: CheckResult['status'], message: Text, extra: Partial<CheckResult> = {}): CheckResult => ({
  id: e.id, title: e.title, ...(e.step ? { step: e.step } : {}), status, points: status === 'pass' ? e.points : 0, maxPoints: e.points,
  required: e.required, message, evidence: [], durationMs: 0, verifiedBy: 'spec', ...extra,
});

const lines = (s: string, max = 30) => {
  const all = s.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  return all.length > max ? [...all.slice(0, max), `… (${all.length - max} more lines)`] : all;
};

const problemLine = (p: StageProblem, l: Lang) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message[l]}`;
const problemsText = (ps: StageProblem[]): Text => joinText([gmsg('check.filesBad', { n: ps.length }),
  { ko: ps.slice(0, 20).map((p) => '  ' + problemLine(p, 'ko')).join('\n'), en: ps.slice(0, 20).map((p) => '  ' + problemLine(p, 'en')).join('\n') }]);

export interface SubmissionGraderOptions {
  lang: Lang;
  /** No live stage: its checks are `skip` and not counted. */
  staticOnly?: boolean;
  limits?: Limits;
  /** Seconds helm may take to install (hooks included); default 90. */
  installTimeoutS?: number;
}

/** A Grader for roster entries carrying submission folders (entry.submissions, by lab id). */
export function submissionGrader(o: SubmissionGraderOptions): Grader {
  const targets = new Map<string, Promise<import('../live.js').Target>>();
  return async (entry: RosterEntry, labs: LabSpec[], signal: AbortSignal): Promise<RunResult[]> => {
    let target: import('../live.js').Target | undefined;
    if (!o.staticOnly) {
      const { connectTarget } = await import('../live.js');
      const kubeconfig = entry.kubeconfig ?? defaultKubeconfig();
      const key = `${kubeconfig}\0${entry.context ?? ''}`;
      let p = targets.get(key);
      if (!p) { p = connectTarget(kubeconfig, entry.context, o.lang); targets.set(key, p); }
      target = await p;
      entry.context ??= target.context;
    }
    const out: RunResult[] = [];
    for (const spec of labs) {
      const dir = entry.submissions?.[spec.lab.def.id];
      if (!dir) continue;
      out.push(await track(gradeSubmission(spec.lab, dir, entry, target, o, signal)));
    }
    return out;
  };
}

/**
 * The registry a lab's `{registry}` param names, when neither $KLAB_REGISTRY nor the grading cluster says: the one the
 * submission itself uses — a values file holding `<registry>/<tail>` for a param `{registry}/<tail>` (i-h1's
 * imageRepo `{registry}/dodo-{suffix}`). The trainee pushed to their own cluster's registry, which the grader cannot
 * know; the repository and tag are still checked.
 */
export function registryFromSubmission(lab: Lab, params: Record<string, string>, texts: string[]): string | undefined {
  for (const [name, d] of Object.entries(lab.def.params ?? {})) {
    if (d.kind !== 'template' || !d.value?.startsWith('{registry}/')) continue;
    const tail = params[name]?.slice(params[name].indexOf('/') + 1);
    if (!tail || tail.includes('{')) continue;
    const esc = tail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const t of texts) {
      const m = new RegExp(`([A-Za-z0-9][A-Za-z0-9.-]*(?::\\d+)?(?:/[A-Za-z0-9._-]+)*)/${esc}(?![A-Za-z0-9._-])`).exec(t);
      if (m) return m[1];
    }
  }
  return undefined;
}

export async function gradeSubmission(lab: Lab, folder: string, entry: RosterEntry, target: { kc: KubeConfig; capabilities: Capabilities; registry?: string } | undefined,
  o: SubmissionGraderOptions, signal: AbortSignal): Promise<SubmissionRun> {
  const def = lab.def.submission!;
  let params: Record<string, string> = { ...labParams(lab, entry.seed, { provider: 'existing', registry: target?.registry }) };
  if (def.release) params.release = def.release;
  const cat = catalogue(lab, await labChecks(lab, params));
  const entryOf = new Map(cat.map((e) => [e.id, e]));
  const results = new Map<string, CheckResult>();
  const info: SubmissionInfo = { folder, namespace: '', flagged: false, violations: [] };
  const put = (r: CheckResult) => results.set(r.id, r);
  const helmCaps: Capabilities = { ...(target?.capabilities ?? noCapabilities), helm: true };
  /** Skip (gated) every entry of `ids` not decided yet whose requirement did not pass. */
  const gate = (e: Entry): boolean => {
    const bad = e.requires.map((r) => ({ r, s: results.get(r)?.status })).filter((x) => x.s !== 'pass');
    if (!bad.length) return true;
    put(result(e, 'skip', gmsg('check.skipped', { list: bad.map((b) => `'${b.r}' (${b.s ?? 'skip'})`).join(', ') })));
    return false;
  };
  const notRun = (stage: 'static' | 'live', why: Text) => {
    for (const e of cat) if (e.stage === stage && !results.has(e.id)) put(result(e, 'error', why));
  };
  const interrupted = () => { info.interrupted = true; return gmsg('sub.interrupted'); };

  let staged: Staged | undefined;
  let helm: Helm | undefined;
  try {
    // ── static stage ──
    const t0 = Date.now();
    staged = stageSubmission(folder, o.limits ?? DEFAULT_LIMITS);
    const problems = [...staged.problems];
    let root = staged.root;
    let rootRel = '';
    if (def.kind === 'chart') {
      if (!staged.files.includes('Chart.yaml')) {
        const subs = readdirSync(staged.root).filter((d) => existsSync(join(staged!.root, d, 'Chart.yaml')));
        if (subs.length === 1) { rootRel = subs[0] + '/'; root = join(staged.root, subs[0]); } else problems.push({ file: '.', message: gmsg('stage.noChart') });
      }
      for (const f of allFiles(def)) {
        if (!staged.files.includes(rootRel + f) && !problems.some((p) => p.file === rootRel + f)) problems.push({ file: rootRel + f, message: gmsg('stage.missingFile', { file: f }) });
      }
      problems.push(...await yamlProblems(staged));
      // {registry}: $KLAB_REGISTRY, else the grading cluster's, else the one the submission's values files use.
      const uses = Object.values(lab.def.params ?? {}).some((d) => d.kind === 'template' && d.value?.includes('{registry}'));
      if (uses) {
        if (process.env.KLAB_REGISTRY) info.registry = { value: params.registry, from: 'KLAB_REGISTRY' };
        else if (target?.registry) info.registry = { value: target.registry, from: 'cluster' };
        else {
          const { readFileSync } = await import('node:fs');
          const texts = ['values.yaml', ...allFiles(def)].map((f) => join(root, f)).filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8'));
          const found = registryFromSubmission(lab, params, texts);
          if (found) {
            params = { ...labParams(lab, entry.seed, { provider: 'existing', registry: found }), ...(def.release ? { release: def.release } : {}) };
            info.registry = { value: found, from: 'submission' };
          }
        }
      }
    } else {
      problems.push(...await yamlProblems(staged, (rel) => /\.ya?ml$/i.test(rel)));
    }
    const filesEntry = entryOf.get(ID.files)!;
    if (problems.length) {
      const violations = problems.filter((p) => p.violation);
      if (violations.length) { info.flagged = true; info.violations.push(...violations.map((p) => problemLine(p, 'en'))); }
      put(result(filesEntry, 'fail', problemsText(problems), {
        evidence: [{ kind: 'field', title: gmsg('ev.problems'), lines: problems.map((p) => problemLine(p, 'en')) }],
        observed: { files: staged.files.length, bytes: staged.totalBytes, problems: problems.length }, durationMs: Date.now() - t0,
      }));
    } else {
      put(result(filesEntry, 'pass', gmsg('check.filesOk', { n: staged.files.length, kb: Math.ceil(staged.totalBytes / 1024) }), { observed: { files: staged.files.length, bytes: staged.totalBytes }, durationMs: Date.now() - t0 }));
    }

    let docs: Record<string, unknown>[] = [];
    if (def.kind === 'chart') {
      helm = await openHelm();
      const lint = entryOf.get(ID.lint)!;
      if (gate(lint)) {
        const t1 = Date.now();
        const bad: { file: string; out: string }[] = [];
        for (const env of envs(def)) {
          if (signal.aborted) break;
          const file = filesOf(def, env).join(', ');
          const r = await helm.run(['lint', root, ...filesOf(def, env).flatMap((f) => ['-f', join(root, f)])], { signal, timeoutMs: 60_000 });
          if (r.memoryExceeded) bad.push({ file, out: `Error: ${gmsg('sub.helmMemory', { mib: helmMemoryMiB() }).en}` });
          else if (r.code !== 0 && !r.timedOut) bad.push({ file, out: r.stdout + r.stderr });
          else if (r.timedOut && !signal.aborted) bad.push({ file, out: 'timed out' });
        }
        if (signal.aborted) put(result(lint, 'error', interrupted()));
        else if (bad.length) {
          const errs = bad.flatMap((b) => lines(b.out).filter((l) => /\[ERROR\]|Error:/.test(l)));
          put(result(lint, 'fail', joinText([gmsg('check.lintBad', { file: bad.map((b) => b.file).join(', ') }), { ko: errs.slice(0, 10).join('\n'), en: errs.slice(0, 10).join('\n') }]), {
            evidence: bad.map((b) => ({ kind: 'field', title: fill(gmsg('ev.lint'), {}), lines: [`# ${b.file}`, ...lines(b.out)] } as Evidence)), durationMs: Date.now() - t1,
          }));
        } else put(result(lint, 'pass', gmsg('check.lintOk', { files: allFiles(def).join(', ') }), { durationMs: Date.now() - t1 }));
      }
      for (const env of envs(def)) {
        const file = filesOf(def, env).join(', ');
        const e = entryOf.get(ID.render(env))!;
        if (!gate(e)) continue;
        if (signal.aborted) { put(result(e, 'error', interrupted())); continue; }
        const t1 = Date.now();
        const r = await helm.run(['template', def.release!, root, '--namespace', params.namespace, ...filesOf(def, env).flatMap((f) => ['-f', join(root, f)])], { signal, timeoutMs: 60_000 });
        if (signal.aborted) { put(result(e, 'error', interrupted())); continue; }
        if (r.code !== 0) {
          const where = templateErrorWhere(r.stderr);
          const detail = (where ? `${rootRel}${where}: ` : '') + (r.memoryExceeded ? gmsg('sub.helmMemory', { mib: helmMemoryMiB() }).en : r.timedOut ? 'helm template did not finish within 60s' : helmError(r.stderr));
          put(result(e, 'fail', gmsg('check.renderBad', { file, detail }), { evidence: [{ kind: 'field', title: gmsg('ev.render'), lines: lines(r.stderr, 15) }], observed: { where }, durationMs: Date.now() - t1 }));
          continue;
        }
        const { parseAllDocuments } = await import('yaml');
        const rendered = parseAllDocuments(r.stdout);
        const objs = (Array.isArray(rendered) ? rendered : []).map((d) => d.toJS({ maxAliasCount: 100 }) as Record<string, unknown>).filter((x) => x && typeof x === 'object');
        if (env === installEnv(def)) docs = objs;
        const kinds = [...new Set(objs.map((x) => String(x.kind)))].sort();
        if (!objs.length) put(result(e, 'fail', gmsg('check.renderEmpty', { file }), { durationMs: Date.now() - t1 }));
        else put(result(e, 'pass', gmsg('check.renderOk', { file, n: objs.length, kinds: kinds.join(', ') }), { observed: { objects: objs.length, kinds }, durationMs: Date.now() - t1 }));
      }
    } else {
      const lint = entryOf.get(ID.lint)!;
      if (gate(lint)) {
        const t1 = Date.now();
        const yamlFiles = staged.files.filter((f) => /\.ya?ml$/i.test(f));
        for (const f of yamlFiles) for (const d of await yamlDocs(staged, f)) if (d && typeof d === 'object') docs.push(d as Record<string, unknown>);
        const v = argoLintAvailable() ? await argoLint(argoBin!, staged.root, yamlFiles, docs, signal) : validateWorkflowTemplates(docs);
        if (signal.aborted) put(result(lint, 'error', interrupted()));
        else if (v.problems.length) put(result(lint, 'fail', joinText([gmsg('check.wfLintBad'), { ko: v.problems.join('\n'), en: v.problems.join('\n') }]), { evidence: [{ kind: 'field', title: gmsg('ev.problems'), lines: v.problems }], durationMs: Date.now() - t1 }));
        else if (!v.names.length) put(result(lint, 'fail', gmsg('stage.noTemplates'), { durationMs: Date.now() - t1 }));
        else put(result(lint, 'pass', gmsg('check.wfLintOk', { n: v.names.length, names: v.names.join(', ') }), { durationMs: Date.now() - t1 }));
      }
    }

    // The lab's static checks (e.g. chart-render), with the staged chart folder as {submissionDir}.
    const staticIds = new Set(def.static ?? []);
    if (staticIds.size) {
      const sp = { ...params, [dirParam(def)]: root };
      const checks = (await labChecks(lab, sp)).filter((c) => staticIds.has(c.id));
      const runnable = checks.filter((c) => gate(entryOf.get(c.id)!));
      if (signal.aborted) notRun('static', interrupted());
      else if (runnable.length) {
        const { runChecks } = await import('../../checkers/runner.js');
        const { KubeConfig } = await import('@kubernetes/client-node');
        const r = await runChecks(runnable.map((c) => ({ ...c, requires: (c.requires ?? []).filter((x) => staticIds.has(x)) })), {
          kc: target?.kc ?? new KubeConfig(), lang: o.lang, namespace: params.namespace, params: sp, capabilities: helmCaps,
          answers: {}, lab: lab.def.id, seed: entry.seed, preflight: false,
        });
        for (const c of r.checks) put(c);
      }
    }

    // ── live stage ──
    const install = entryOf.get(ID.install)!;
    const policy = entryOf.get(ID.policy)!;
    if (!target || o.staticOnly) {
      for (const e of cat) if (e.stage === 'live') put(result(e, 'skip', gmsg('sub.noCluster')));
    } else if (signal.aborted) {
      notRun('live', interrupted());
    } else if (!gate(install)) {
      if (gate(policy)) put(result(policy, 'skip', gmsg('check.notRun', { stage: 'install' })));
      for (const e of cat) if (e.stage === 'live' && !results.has(e.id)) gate(e);
    } else {
      await liveStage({ lab, def, root, docs, params, entry, target, o, signal, cat, entryOf, results, info, helm });
    }
  } finally {
    helm?.dispose();
    staged?.dispose();
  }
  if (signal.aborted) info.interrupted = true;
  const { summarise } = await import('../../checkers/runner.js');
  for (const e of cat) if (!results.has(e.id)) put(result(e, 'error', info.interrupted ? gmsg('sub.interrupted') : gmsg('check.notRun', { stage: e.stage })));
  const run = summarise(cat.map((e) => results.get(e.id)!), lab.def.id, entry.seed);
  return { ...run, submission: info };
}

interface LiveCtx {
  lab: Lab; def: SubmissionDef; root: string; docs: Record<string, unknown>[]; params: Record<string, string>; entry: RosterEntry;
  target: { kc: KubeConfig; capabilities: Capabilities }; o: SubmissionGraderOptions; signal: AbortSignal;
  cat: Entry[]; entryOf: Map<string, Entry>; results: Map<string, CheckResult>; info: SubmissionInfo; helm?: Helm;
}

async function liveStage(x: LiveCtx): Promise<void> {
  const { def, target, signal, results, info, entryOf } = x;
  const put = (r: CheckResult) => results.set(r.id, r);
  const install = entryOf.get(ID.install)!;
  const policy = entryOf.get(ID.policy)!;
  let sb: Sandbox | undefined;
  try {
    const t0 = Date.now();
    try {
      sb = await openSandbox(target.kc, {
        trainee: x.entry.id, lab: x.lab.def.id,
        // Argo's objects are namespaced: allowed explicitly, whether or not Argo's aggregated roles are installed.
        extraRules: def.kind === 'workflows' ? [{ apiGroups: ['argoproj.io'], resources: ['workflows', 'workflowtemplates', 'cronworkflows', 'workflowtaskresults'], verbs: ['*'] }] : undefined,
      });
    } catch (e) {
      const { toCheckError } = await import('../../checkers/k8s.js');
      const text = toCheckError(e, target.kc, 'create the grading namespace').text;
      for (const e2 of x.cat) if (e2.stage === 'live') put(result(e2, 'error', text));
      return;
    }
    info.namespace = sb.namespace;
    const refusals: Refusal[] = [];
    let installOut = '';
    let ok = false;
    let unreachable = false;
    if (def.kind === 'chart') {
      const r = await x.helm!.run(['install', def.release!, x.root, '--namespace', sb.namespace, ...filesOf(def, installEnv(def)).flatMap((f) => ['-f', join(x.root, f)]), '--timeout', `${x.o.installTimeoutS ?? 90}s`],
        { kubeconfig: sb.kubeconfigFile, signal, timeoutMs: ((x.o.installTimeoutS ?? 90) + 30) * 1000 });
      installOut = (r.stdout + '\n' + r.stderr + (r.memoryExceeded ? `\nError: ${gmsg('sub.helmMemory', { mib: helmMemoryMiB() }).en}` : '')).trim();
      ok = r.code === 0 && !r.memoryExceeded;
      unreachable = !ok && helmUnreachable(r.stderr);
      refusals.push(...refusalsIn(r.stderr));
      // helm stops at its first refusal: ask the API server (dry run, as the same identity) about every object.
      if (!ok && !unreachable && !signal.aborted && refusals.length) {
        const more = await dryRunRefusals(sb.kc, sb.namespace, x.docs).catch(() => []);
        for (const m of more) if (!refusals.some((r) => r.line === m.line)) refusals.push(m);
      }
    } else {
      const { applyAs } = await import('./workflows.js');
      const r = await applyAs(sb.kc, sb.namespace, x.docs, def.run, x.params, signal);
      installOut = r.log.join('\n');
      ok = r.ok;
      unreachable = r.unreachable;
      refusals.push(...refusalsIn(r.errors.join('\n')));
    }
    const what = def.kind === 'chart' ? `helm release ${def.release}` : 'WorkflowTemplates';
    const ev: Evidence[] = installOut ? [{ kind: 'logs', title: gmsg('ev.install'), lines: lines(installOut, 25) }] : [];
    if (signal.aborted) put(result(install, 'error', gmsg('sub.interrupted'), { durationMs: Date.now() - t0 }));
    else if (ok) put(result(install, 'pass', gmsg('check.installOk', { what, ns: sb.namespace, sa: sb.serviceAccount }), { verifiedBy: 'cluster', durationMs: Date.now() - t0 }));
    else if (unreachable) put(result(install, 'error', gmsg('check.installBad', { detail: helmError(installOut) }), { evidence: ev, durationMs: Date.now() - t0 }));
    else {
      const policyRefused = refusals.some((r) => r.by !== 'quota');
      put(result(install, 'fail', policyRefused ? joinText([gmsg('check.installPolicy'), { ko: refusals[0].line, en: refusals[0].line }]) : gmsg('check.installBad', { detail: helmError(installOut) }),
        { evidence: ev, verifiedBy: 'cluster', durationMs: Date.now() - t0 }));
    }

    // The lab's live checks, read with the grader's identity in the sandbox namespace.
    const liveIds = new Set(def.live ?? []);
    if (liveIds.size && !signal.aborted) {
      const lp = { ...x.params, namespace: sb.namespace, [dirParam(def)]: x.root };
      const checks = (await labChecks(x.lab, lp)).filter((c) => liveIds.has(c.id));
      const runnable = checks.filter((c) => {
        const e = entryOf.get(c.id)!;
        const bad = e.requires.filter((r) => !liveIds.has(r) && results.get(r)?.status !== 'pass');
        if (bad.length) { put(result(e, 'skip', gmsg('check.skipped', { list: bad.map((b) => `'${b}' (${results.get(b)?.status ?? 'skip'})`).join(', ') }))); return false; }
        return true;
      });
      if (runnable.length) {
        const { runChecks } = await import('../../checkers/runner.js');
        const run = runChecks(runnable.map((c) => ({ ...c, requires: (c.requires ?? []).filter((r) => liveIds.has(r)) })), {
          kc: target.kc, lang: x.o.lang, namespace: sb.namespace, params: lp, capabilities: { ...target.capabilities, helm: true },
          answers: x.entry.answers[x.lab.def.id] ?? {}, lab: x.lab.def.id, seed: x.entry.seed, preflight: false,
        });
        // Ctrl+C or the trainee's timeout does not wait for polling checks: they become `error` (interrupted).
        const aborted = new Promise<null>((res) => { if (signal.aborted) res(null); else signal.addEventListener('abort', () => res(null), { once: true }); });
        const r = await Promise.race([run, aborted]);
        if (r) for (const c of r.checks) put(c);
      }
    }

    // Policy: what Kubernetes refused, at the install and afterwards (a controller refused to create a pod).
    if (!signal.aborted) {
      try { refusals.push(...await refusalEvents(target.kc, sb.namespace)); } catch { /* evidence only */ }
      if (def.kind === 'workflows') {
        try {
          const { workflowRefusals } = await import('./workflows.js');
          for (const r of refusalsIn((await workflowRefusals(target.kc, sb.namespace)).join('\n'))) if (!refusals.some((x) => x.line === r.line)) refusals.push(r);
        } catch { /* evidence only */ }
      }
    }
    const violations = refusals.filter((r) => r.by === 'rbac' || r.by === 'pod-security');
    const quota = refusals.filter((r) => r.by === 'quota');
    if (violations.length) {
      info.flagged = true;
      info.violations.push(...violations.map((r) => `${r.by}: ${r.line}`));
      put(result(policy, 'fail', gmsg('check.policyBad', { n: violations.length }), {
        evidence: [{ kind: 'field', title: gmsg('ev.refused'), lines: refusals.map((r) => `${r.by}: ${r.line}`) }],
        observed: { violations: violations.map((r) => r.by) }, verifiedBy: 'cluster',
      }));
    } else if (signal.aborted) put(result(policy, 'error', gmsg('sub.interrupted')));
    else {
      const note = quota.length ? gmsg('check.quota', { n: quota.length, limits: Object.entries(QUOTA).map(([k, v]) => `${k}=${v}`).join(' ') }) : undefined;
      put(result(policy, 'pass', note ? joinText([gmsg('check.policyOk'), note]) : gmsg('check.policyOk'), {
        verifiedBy: 'cluster', ...(quota.length ? { evidence: [{ kind: 'field', title: gmsg('ev.refused'), lines: quota.map((r) => r.line) }] } : {}),
      }));
    }
  } finally {
    if (sb) {
      if (def.kind === 'chart' && x.helm && !signal.aborted) {
        // Uninstall without hooks (no more of the submission's code runs), then the namespace goes with all the rest.
        await x.helm.run(['uninstall', def.release!, '--namespace', sb.namespace, '--no-hooks', '--timeout', '30s'], { kubeconfig: sb.kubeconfigFile, timeoutMs: 40_000 }).catch(() => undefined);
      }
      await closeSandbox(target.kc, sb).catch(() => undefined);
    }
  }
}
