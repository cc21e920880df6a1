// The reference solution of i-h1, as a trainee would do it: build and push the image the notes' way, write the chart
// (labs/i-h1/chart, params filled in), keep the secret values out of git, dry-run, install with dev values, diff and
// upgrade to prod, reach the Service, roll back. `klab solve` writes the chart into {workdir}/chart; a chart the
// trainee had there is moved aside to chart.bak-<time> first, never lost.
import { existsSync, readFileSync, renameSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabCommandError, type LabRuntime } from '../_engine/runtime.js';
import { writeChart, SECRET_VALUES } from './shared.js';
import { pageToken } from './checks.js';

/** The shell commands of each step (what "Show the solution" prints; the integration test runs them with bash). */
export const commands = (p: Record<string, string>) => {
  const n = `-n ${p.namespace}`;
  const files = `-f ${p.chart}/environments/values.dev.yaml -f ${p.chart}/${SECRET_VALUES}`;
  const prod = `-f ${p.chart}/environments/values.prod.yaml -f ${p.chart}/${SECRET_VALUES}`;
  return {
    image: [
      `cd ${p.workdir} && docker build -t dodo-${p.suffix} .`,
      `docker images dodo-${p.suffix}`,
      // The notes' 4-character ID prefix; when another image in the engine (`docker images -a`, the build's
      // intermediate images too) starts with the same 4 characters docker finds no unique image and says
      // "No such image: <4 chars>:latest" — then the whole ID (step text, decision 0038).
      `id=$(docker images -q dodo-${p.suffix} | head -1) && { docker tag \${id:0:4} ${p.image} || docker tag $id ${p.image}; }`,
      `docker push ${p.image}`,
    ],
    chart: [`cd ${p.workdir} && helm create chart   # then edit Chart.yaml, values.yaml, templates/ (see the reference chart)`, `helm lint ${p.chart} ${files}`],
    values: [`helm template ${p.release} ${p.chart} -f ${p.chart}/environments/values.dev.yaml`, `helm template ${p.release} ${p.chart} -f ${p.chart}/environments/values.prod.yaml`],
    secret: [`echo 'chart/${SECRET_VALUES}' >> ${p.workdir}/.gitignore`, `git -C ${p.workdir} check-ignore -v chart/${SECRET_VALUES}`],
    install: [
      `helm install ${p.release} ${p.chart} ${n} ${files} --debug --dry-run`,
      `klab answer i-h1 dry-run 3`,
      `helm install ${p.release} ${p.chart} ${n} ${files} --wait --timeout 5m`,
    ],
    hook: [`helm status ${p.release} ${n} --show-resources`, `kubectl ${n} get jobs`],
    upgrade: [
      `helm template ${p.release} ${p.chart} ${n} ${prod} | kubectl ${n} diff -f - || true`,
      `klab answer i-h1 diff-var SENTRY__DSN`,
      `helm upgrade ${p.release} ${p.chart} ${n} ${prod} --wait --timeout 5m`,
      `kubectl ${n} exec deploy/${p.release} -- sh -c 'echo $SENTRY__DSN'`,
    ],
    service: [
      `kubectl get --raw /api/v1/namespaces/${p.namespace}/services/${p.release}:http/proxy/`,
      `kubectl ${n} get svc ${p.release} -o jsonpath='{.spec.ports[0].nodePort}'`,
      `klab answer i-h1 page-token ${pageToken(p.token)}`,
    ],
    rollback: [`helm history ${p.release} ${n}`, `helm rollback ${p.release} 1 ${n} --wait --timeout 5m`, `kubectl ${n} get rs`],
  };
};

/** The answers a trainee gives (`klab answer`); the runtime cannot record them, the caller does. */
export const answers = (p: Record<string, string>) => ({ 'dry-run': '3', 'diff-var': 'SENTRY__DSN', 'page-token': pageToken(p.token) });

/** Write the reference chart and the .gitignore rule into the working folder (a chart already there is kept aside). */
export function writeWork(p: Record<string, string>, log: (s: string) => void = () => undefined): void {
  const chart = p.chart;
  if (existsSync(chart)) {
    const aside = `${chart}.bak-${Date.now()}`;
    renameSync(chart, aside);
    log(`chart → ${aside}`);
  }
  writeChart(chart, p);
  const gi = join(p.workdir, '.gitignore');
  const rule = `chart/${SECRET_VALUES}`;
  if (!(existsSync(gi) && readFileSync(gi, 'utf8').split('\n').includes(rule))) appendFileSync(gi, `${rule}\n`);
}

export default async function solve(rt: LabRuntime): Promise<void> {
  const p = rt.params;
  const c = commands(p);
  const bash = (cmd: string) => rt.run('bash', ['-c', cmd]);
  for (const cmd of c.image) await bash(cmd);
  writeWork(p, (s) => rt.log(s));
  rt.log({ ko: `차트를 ${p.chart} 에 썼습니다.`, en: `Wrote the chart into ${p.chart}.` });
  for (const cmd of [...c.values, c.secret[1]]) await bash(cmd);
  await bash(c.install[0]);
  await bash(c.install[2]);
  for (const cmd of c.hook) await bash(cmd);
  await bash(c.upgrade[0]);
  await bash(c.upgrade[2]);
  // Right after the rollout an old pod may still be terminating and answer first: ask again for a while.
  let dsn = '';
  for (let i = 0; i < 30 && dsn !== p.dsn; i++) {
    if (i) await new Promise((r) => setTimeout(r, 1000));
    dsn = (await rt.run('bash', ['-c', c.upgrade[3]], { quiet: i > 0, allowFail: true })).stdout.trim();
  }
  if (dsn !== p.dsn) throw new LabCommandError(`SENTRY__DSN inside the pod is "${dsn}", expected ${p.dsn}`);
  const page = JSON.parse((await bash(c.service[0])).stdout) as { settings?: { token?: string } };
  rt.log(`settings.token = ${page.settings?.token}`);
  await bash(c.service[1]);
  for (const cmd of c.rollback) await bash(cmd);
  rt.log({ ko: `답: klab answer i-h1 dry-run 3 / diff-var SENTRY__DSN / page-token ${page.settings?.token}`, en: `Answers: klab answer i-h1 dry-run 3 / diff-var SENTRY__DSN / page-token ${page.settings?.token}` });
}
