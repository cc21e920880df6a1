// The reference solution of d1, as a trainee would type it. Where the trainee runs `klab traffic d1 <step>` in a
// second terminal, the solution records in-process (the same checkers/traffic.ts record()) while it rolls out.
import type { LabRuntime, SolutionAnswers } from '../_engine/runtime.js';
import { record, summarize, timeline, totalsText, describeRollout, type Recording } from '../../checkers/traffic.js';
import { clients } from '../../checkers/k8s.js';
import { waitFor } from '../../host/wait.js';
import { parseDuration } from '../../checkers/kinds.js';

const recreate = JSON.stringify({ spec: { strategy: { type: 'Recreate', rollingUpdate: null } } });
const rolling = JSON.stringify({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } });
const selector = (app: string) => JSON.stringify({ spec: { selector: { app } } });
/** The canary steps: 25 % and wait for a person, then 50 and 75 % for 5 s each (then 100 %). */
export const canarySteps = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: '5s' } }, { setWeight: 75 }, { pause: { duration: '5s' } }];
const steps = JSON.stringify({ spec: { replicas: 4, strategy: { canary: { steps: canarySteps } } } });

/** What "Show the solution" prints, per step id. */
export const commands = (p: Record<string, string>) => {
  const n = `-n ${p.namespace}`;
  return {
    scale: [`kubectl ${n} scale deployment/${p.app} --replicas=4`, `kubectl ${n} rollout status deployment/${p.app}`, `kubectl ${n} get rs`, `klab answer d1 rs-name <NAME>`],
    recreate: ['klab traffic d1 recreate   # in a second terminal, first', `kubectl ${n} patch deployment ${p.app} -p '${recreate}'`, `kubectl ${n} set image deployment/${p.app} app=${p.image}:v2`, `kubectl ${n} rollout status deployment/${p.app}`],
    rolling: ['klab traffic d1 rolling   # in a second terminal, first', `kubectl ${n} patch deployment ${p.app} -p '${rolling}'`, `kubectl ${n} set image deployment/${p.app} app=${p.image}:v3`, `kubectl ${n} rollout status deployment/${p.app}`],
    undo: [`kubectl ${n} rollout history deployment/${p.app}`, `kubectl ${n} rollout history deployment/${p.app} --revision=${Number(p.history) + 1}`, `kubectl ${n} rollout undo deployment/${p.app}`, `kubectl ${n} rollout status deployment/${p.app}`, `klab answer d1 revision ${Number(p.history) + 1}`],
    bluegreen: [`kubectl ${n} scale deployment/${p.green} --replicas=4`, `kubectl ${n} rollout status deployment/${p.green}`, 'klab traffic d1 bluegreen   # in a second terminal', `kubectl ${n} patch service ${p.app} -p '${selector(p.green!)}'`,
      `# switching back is one patch too: kubectl ${n} patch service ${p.app} -p '${selector(p.app!)}'`],
    canary: [`kubectl ${n} patch rollout ${p.canary} --type merge -p '${steps}'`, `kubectl argo rollouts ${n} status ${p.canary}`, `kubectl argo rollouts ${n} set image ${p.canary} app=${p.image}:v2`,
      `kubectl argo rollouts ${n} get rollout ${p.canary}   # Paused, SetWeight 25, 1 of 4 pods on v2`, 'klab traffic d1 canary   # 12 s while it is paused',
      `kubectl argo rollouts ${n} promote ${p.canary}`, `kubectl argo rollouts ${n} status ${p.canary}`],
  };
};

/**
 * The answers a trainee gives (`klab answer`): the revision v2 had (v1 fills revisions 1…{history}, v2 is the next
 * template), and the name of v1's ReplicaSet, which the cluster makes (the pod template's hash) and is read from it
 * when `kc` is given.
 */
export const answers: SolutionAnswers = async (p, kc) => {
  const out: Record<string, string> = { revision: String(Number(p.history) + 1) };
  if (kc) {
    const { clients } = await import('../../checkers/k8s.js');
    const { v1ReplicaSetOf } = await import('./checks.js');
    const rss = await clients(kc).apps.listNamespacedReplicaSet({ namespace: p.namespace!, labelSelector: `app=${p.app}` });
    const v1 = v1ReplicaSetOf(rss.items, p);
    if (v1) out['rs-name'] = v1.metadata!.name!;
  }
  return out;
};

/** Record `step` while `act` runs, as `klab traffic d1 <step>` in a second terminal would. */
async function recording(rt: LabRuntime, step: string, act: () => Promise<void>): Promise<Recording> {
  rt.log(`$ klab traffic d1 ${step} &`);
  let started!: () => void;
  const ready = new Promise<void>((r) => { started = r; });
  const rec = record(rt.kc, { lab: 'd1', step, namespace: rt.namespace, service: rt.params.app!, labels: rt.labels, onProgress: () => started() });
  await Promise.race([ready, rec]);
  await new Promise((r) => setTimeout(r, 500)); // a few answers before the change
  await act();
  const done = await rec;
  for (const line of timeline(done)) rt.log(line);
  rt.log(totalsText(summarize(done)));
  return done;
}

export default async function solve(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  const k = (...a: string[]) => rt.kubectl('-n', rt.namespace, ...a);
  const status = (d: string) => k('rollout', 'status', `deployment/${d}`, '--timeout=120s');
  await k('scale', `deployment/${p.app}`, '--replicas=4');
  await status(p.app!);
  await k('get', 'rs');
  await recording(rt, 'recreate', async () => {
    await k('patch', 'deployment', p.app!, '-p', recreate);
    await k('set', 'image', `deployment/${p.app}`, `app=${p.image}:v2`);
    await status(p.app!);
  });
  await recording(rt, 'rolling', async () => {
    await k('patch', 'deployment', p.app!, '-p', rolling);
    await k('set', 'image', `deployment/${p.app}`, `app=${p.image}:v3`);
    await status(p.app!);
  });
  await k('rollout', 'history', `deployment/${p.app}`);
  await k('rollout', 'undo', `deployment/${p.app}`);
  await status(p.app!);
  await k('scale', `deployment/${p.green}`, '--replicas=4');
  await status(p.green!);
  await recording(rt, 'bluegreen', async () => {
    await k('patch', 'service', p.app!, '-p', selector(p.green!));
  });
  await canary(rt);
}

/** Step 6 alone (the lab test runs it on its own start too). */
export async function canary(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  // The plugin's name first: kubectl finds a plugin only by the words before any flag.
  const ro = async (...a: string[]) => (await rt.run('kubectl', ['argo', 'rollouts', `--context=${rt.context}`, '-n', rt.namespace, ...a])).stdout;
  await rt.kubectl('-n', rt.namespace, 'patch', 'rollout', p.canary!, '--type', 'merge', '-p', steps);
  await ro('status', p.canary!, '--timeout', '120s');
  await ro('set', 'image', p.canary!, `app=${p.image}:v2`);
  // As a trainee watches `kubectl argo rollouts get rollout --watch` until it shows Paused with the canary pod ready.
  const paused = await waitFor(async () => {
    const r = describeRollout(await clients(rt.kc).custom.getNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace: rt.namespace, plural: 'rollouts', name: p.canary! }) as Parameters<typeof describeRollout>[0], 0);
    return r.paused && r.updatedReplicas > 0 && r.readyReplicas === r.replicas;
  }, { timeoutMs: 120_000, everyMs: 500 });
  if (!paused) throw new Error(`rollout ${p.canary} did not pause at its first step within 120 s`);
  await ro('get', 'rollout', p.canary!);
  await steady(rt, 'canary', p.canary!, parseDuration(rt.lab.def.traffic!.steady!.canary!.for)!);
  await ro('promote', p.canary!);
  await ro('status', p.canary!, '--timeout', '120s');
}

/** Record a steady state for `ms`, as `klab traffic d1 <step>` (lab.yaml traffic.steady) would. */
async function steady(rt: LabRuntime, step: string, service: string, ms: number): Promise<void> {
  rt.log(`$ klab traffic d1 ${step}`);
  const done = await record(rt.kc, { lab: 'd1', step, namespace: rt.namespace, service, labels: rt.labels, maxMs: ms, steady: true });
  for (const line of timeline(done)) rt.log(line);
  rt.log(totalsText(summarize(done)));
}
