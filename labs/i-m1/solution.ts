// The reference solution of i-m1, as a trainee would type it.
import { LabCommandError, type LabRuntime } from '../_engine/runtime.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** What "Show the solution" prints, per step id. */
export const commands = (p: Record<string, string>) => {
  const n = `-n ${p.namespace}`;
  return {
    diagnose: [`kubectl ${n} get pod`, `kubectl ${n} describe pod -l app=${p.app}`, `klab answer i-m1 missing ${p.secret}`],
    create: [
      `kubectl ${n} create secret generic ${p.secret} --from-literal=TOKEN=${p.token}`,
      `kubectl ${n} create configmap ${p.config} --from-literal=GREETING=${p.greeting} --from-literal=LOG_LEVEL=info`,
      `kubectl ${n} rollout status deployment/${p.app}`,
      `kubectl ${n} exec deploy/${p.app} -c app -- sh -c 'echo $TOKEN $GREETING'`,
    ],
    base64: [`kubectl ${n} get secret ${p.secret} -o yaml`, `klab answer i-m1 token-b64 ${b64(p.token)}`],
    'change-config': [
      `kubectl ${n} patch configmap ${p.config} -p '{"data":{"LOG_LEVEL":"${p.level}"}}'`,
      `kubectl ${n} rollout restart deployment/${p.app}`,
      `kubectl ${n} rollout status deployment/${p.app}`,
      `kubectl ${n} exec deploy/${p.app} -c app -- sh -c 'echo $LOG_LEVEL'`,
    ],
    'direct-env': [`kubectl ${n} set env deployment/${p.app} -c app APP_ENV=${p.stage}`, `kubectl ${n} rollout status deployment/${p.app}`],
  };
};

/** The answers a trainee gives (`klab answer`); the runtime cannot record them, the caller does. */
export const answers = (p: Record<string, string>) => ({ missing: p.secret, 'token-b64': b64(p.token) });

export default async function solve(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  const k = (...a: string[]) => rt.kubectl('-n', rt.namespace, ...a);
  await k('get', 'pod');
  await k('create', 'secret', 'generic', p.secret, `--from-literal=TOKEN=${p.token}`);
  await k('create', 'configmap', p.config, `--from-literal=GREETING=${p.greeting}`, '--from-literal=LOG_LEVEL=info');
  await k('rollout', 'status', `deployment/${p.app}`, '--timeout=120s');
  const inside = await k('exec', `deploy/${p.app}`, '-c', 'app', '--', 'sh', '-c', 'echo "$TOKEN $GREETING"');
  if (inside.trim() !== `${p.token} ${p.greeting}`) throw new LabCommandError(`unexpected values inside the pod: ${inside.trim()}`);
  const stored = await k('get', 'secret', p.secret, '-o', 'jsonpath={.data.TOKEN}');
  rt.log(`data.TOKEN = ${stored}`);
  await k('patch', 'configmap', p.config, '-p', JSON.stringify({ data: { LOG_LEVEL: p.level } }));
  await k('rollout', 'restart', `deployment/${p.app}`);
  await k('rollout', 'status', `deployment/${p.app}`, '--timeout=120s');
  await k('exec', `deploy/${p.app}`, '-c', 'app', '--', 'sh', '-c', 'echo $LOG_LEVEL');
  await k('set', 'env', `deployment/${p.app}`, '-c', 'app', `APP_ENV=${p.stage}`);
  await k('rollout', 'status', `deployment/${p.app}`, '--timeout=120s');
  rt.log({ ko: `답: klab answer i-m1 missing ${p.secret} / token-b64 ${stored}`, en: `Answers: klab answer i-m1 missing ${p.secret} / token-b64 ${stored}` });
}
