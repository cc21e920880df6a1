// The reference solution of i-l1, as a trainee would type it.
import { LabCommandError, type LabRuntime } from '../_engine/runtime.js';
import { poll } from '../../host/wait.js';

/** What "Show the solution" prints, per step id. */
export const commands = (p: Record<string, string>) => ({
  namespace: [`kubectl config set-context --current --namespace=${p.namespace}`],
  find: [
    'kubectl get pod',
    `kubectl describe pod -l app=${p.crasher}`,
    `kubectl describe pod -l app=${p.broken}`,
    `klab answer i-l1 exit-code ${p.exitcode}`,
    `klab answer i-l1 bad-image ${p.badimage}`,
  ],
  logs: [`kubectl logs deploy/${p.crasher} --previous`, `klab answer i-l1 token ${p.token}`],
  'fix-image': [`kubectl set image deployment/${p.broken} app=${p.goodimage}`, `kubectl rollout status deployment/${p.broken}`],
});

/** The answers a trainee gives (`klab answer`); the runtime cannot record them, the caller does. */
export const answers = (p: Record<string, string>) => ({ 'exit-code': p.exitcode, 'bad-image': p.badimage, token: p.token });

export default async function solve(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  // `--current` is the kubeconfig's current-context; klab may have been pointed at another one with --context.
  const current = (await rt.run('kubectl', ['config', 'current-context'], { quiet: true, allowFail: true })).stdout.trim();
  if (current === rt.context) await rt.run('kubectl', ['config', 'set-context', '--current', `--namespace=${rt.namespace}`]);
  else await rt.run('kubectl', ['config', 'set-context', rt.context, `--namespace=${rt.namespace}`]);
  await rt.kubectl('get', 'pod', '-n', rt.namespace, '-o', 'wide');
  // Wait until the crashing container has died at least once, so --previous has something to show.
  let i = 0;
  const seen = await poll(async () => (await rt.run('kubectl', [`--context=${rt.context}`, '-n', rt.namespace, 'logs', `deploy/${p.crasher}`, '--previous'], { allowFail: true, quiet: i++ > 0 })).stdout,
    (log) => log.includes(p.token), { timeoutMs: 120_000, everyMs: 1000, factor: 1.5, maxEveryMs: 4000 });
  if (!seen.done) throw new LabCommandError(`the token did not appear in the previous log of deploy/${p.crasher}`);
  await rt.kubectl('-n', rt.namespace, 'set', 'image', `deployment/${p.broken}`, `app=${p.goodimage}`);
  await rt.kubectl('-n', rt.namespace, 'rollout', 'status', `deployment/${p.broken}`, '--timeout=120s');
  rt.log({ ko: `답: klab answer i-l1 exit-code ${p.exitcode} / bad-image ${p.badimage} / token ${p.token}`, en: `Answers: klab answer i-l1 exit-code ${p.exitcode} / bad-image ${p.badimage} / token ${p.token}` });
}
