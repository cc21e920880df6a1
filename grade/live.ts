// The live grader: one trainee's cluster as it is. Connects once per trainee (capabilities detected once per
// kubeconfig+context), then runs each lab's checks with the same runner `klab check` uses.
import type { KubeConfig } from '@kubernetes/client-node';
import { KlabError, ExitCode } from '../i18n/index.js';
import type { Lang } from '../i18n/index.js';
import type { RunResult } from '../checkers/types.js';
import type { Capabilities } from '../cluster/provider.js';
import { defaultKubeconfig } from '../cluster/paths.js';
import { labParams } from '../labs/_engine/load.js';
import { labChecks } from '../labs/_engine/checks.js';
import type { Grader, LabSpec } from './grade.js';
import type { RosterEntry } from './roster.js';

export interface Target { kc: KubeConfig; capabilities: Capabilities; context: string; registry?: string }

/** A grader for live clusters. Connections are shared by trainees on the same kubeconfig and context. */
export function liveGrader(lang: Lang): Grader {
  const targets = new Map<string, Promise<Target>>();
  const target = (kubeconfig: string, context: string | undefined) => {
    const key = `${kubeconfig}\0${context ?? ''}`;
    let p = targets.get(key);
    if (!p) { p = connectTarget(kubeconfig, context, lang); targets.set(key, p); }
    return p;
  };
  return async (entry: RosterEntry, labs: LabSpec[], signal: AbortSignal): Promise<RunResult[]> => {
    const t = await target(entry.kubeconfig ?? defaultKubeconfig(), entry.context);
    entry.context ??= t.context;
    const { runChecks } = await import('../checkers/runner.js');
    const out: RunResult[] = [];
    for (const spec of labs) {
      if (signal.aborted) break;
      const params = labParams(spec.lab, entry.seed);
      const ns = entry.namespaces[spec.lab.def.id];
      if (ns) params.namespace = ns;
      const checks = await labChecks(spec.lab, params);
      out.push(await runChecks(checks, {
        kc: t.kc, lang, namespace: params.namespace, params, capabilities: t.capabilities,
        answers: entry.answers[spec.lab.def.id] ?? {}, lab: spec.lab.def.id, seed: entry.seed,
      }));
    }
    return out;
  };
}

export async function connectTarget(kubeconfig: string, context: string | undefined, lang: Lang): Promise<Target> {
  const { createProvider } = await import('../cluster/existing.js');
  const provider = createProvider({ kubeconfig, context, lang, interactive: false, yes: true });
  const st = await provider.status();
  if (!st.running) throw new KlabError(st.details[0] ?? { ko: '클러스터에 연결할 수 없습니다.', en: 'Cannot reach the cluster.' }, ExitCode.unreachable);
  const { connect } = await import('../cluster/target.js');
  const info = { provider: 'existing' as const, kubeconfig: st.kubeconfig ?? kubeconfig, context: st.context ?? context ?? '', capabilities: provider.capabilities() };
  const kc = await connect(info);
  // The registry the grading cluster advertises (kind, KEP-1755); klab's local cluster has its own at a fixed address.
  const { imageRegistry } = await import('../cluster/provider.js');
  const { LOCAL_CONTEXT } = await import('../cluster/local.js');
  const registry = (info as { registry?: string }).registry ?? (info.context === LOCAL_CONTEXT ? imageRegistry('local', {}) : undefined);
  return { kc, capabilities: info.capabilities, context: info.context, ...(registry ? { registry } : {}) };
}
