// klab grade --submission on the test cluster, end to end, with the stand-in labs of test/fixtures/submission
// (KLAB_LABS_DIR): a roster of a good chart, a hostile chart (ClusterRoleBinding to cluster-admin, a Namespace, a
// privileged hostPath pod, a hostNetwork Deployment), a chart that does not render and one whose Deployment asks for the
// host network (installed, its pods refused: seen in events), graded at once; exact scores;
// the hostile one refused by RBAC and Pod Security, flagged, and nothing of it outside its namespace; no grading
// namespace left behind. Then Ctrl+C in the middle of a grading: partial results marked, namespace deleted.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testCluster } from './_env.js';
import { klabJs, root, tempDir } from '../unit/_cli.js';
import type { GradeDoc } from '../../grade/types.js';
import { ih2Submission } from '../unit/_ih2-submission.js';
import { skipTest } from '../skip.js';

const t = suite('klab grade --submission (chart, on the cluster)');
const FIX = join(root, 'test/fixtures/submission');
const dir = tempDir('klab-grade-sub-it-');
const run = `${process.pid}`.slice(-4);

function kubectl(args: string[]): { code: number; out: string } {
  const info = testCluster();
  const r = spawnSync('kubectl', ['--kubeconfig', info.kubeconfig, '--context', info.context, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, out: (r.stdout ?? '') + (r.stderr ?? '') };
}
const leftNamespaces = () => kubectl(['get', 'namespaces', '-l', 'klab.dev/submission', '-o', 'name']).out.trim();

/** The CLI's environment: the stand-in labs of the fixtures, or (`real`) the project's own labs. */
function env(real = false): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.FORCE_COLOR;
  delete base.KLAB_LABS_DIR;
  return { ...base, NO_COLOR: '1', XDG_STATE_HOME: dir, ...(real ? {} : { KLAB_LABS_DIR: join(FIX, 'labs') }) };
}

/** The CLI as a child process; `tick` is called every 300 ms with a way to signal it. */
function cliAsync(args: string[], tick?: (signal: (sig: NodeJS.Signals) => void) => void, real = false): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [klabJs, ...args], { cwd: root, env: env(real), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    const ticker = tick ? setInterval(() => tick((sig) => child.kill(sig)), 300) : undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('close', (code) => { clearTimeout(timer); clearInterval(ticker); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}

t.before(() => {
  // A chart that does not render: a template with an unclosed action.
  cpSync(join(FIX, 'charts/good'), join(dir, 'broken'), { recursive: true });
  writeFileSync(join(dir, 'broken/templates/service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name \n');
  // A chart that installs (a Deployment is accepted) but whose pods ask for the host network: the ReplicaSet
  // controller is refused by Pod Security, which only the namespace's events tell.
  cpSync(join(FIX, 'charts/good'), join(dir, 'sneaky'), { recursive: true });
  const dep = join(dir, 'sneaky/templates/deployment.yaml');
  writeFileSync(dep, readFileSync(dep, 'utf8').replace('    spec:\n', '    spec:\n      hostNetwork: true\n'));
});

t('a roster of four submissions: exact scores, the hostile ones refused and flagged, nothing left behind', async () => {
  const info = testCluster();
  const roster = join(dir, 'roster.yaml');
  writeFileSync(roster, [
    'labs: [sub-chart]', `kubeconfig: ${info.kubeconfig}`, `context: ${info.context}`, 'timeout: 150', 'trainees:',
    `  - { id: s${run}-good, name: "좋은 차트", submission: ${join(FIX, 'charts/good')} }`,
    `  - { id: s${run}-hostile, submission: ${join(FIX, 'charts/hostile')} }`,
    `  - { id: s${run}-broken, submission: ${join(dir, 'broken')} }`,
    `  - { id: s${run}-sneaky, submission: ${join(dir, 'sneaky')} }`,
  ].join('\n') + '\n');
  const out = join(dir, 'out');
  const r = await cliAsync(['grade', '--roster', roster, '--concurrency', '4', '--out', out, '--format', 'json,junit,csv,md,html', '--lang', 'en']);
  assert.is(r.code, 0, `grading worked, whatever the scores\n${r.stderr}`);
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GradeDoc;
  const by = (id: string) => doc.trainees.find((x) => x.id === `s${run}-${id}`)!;
  const st = (id: string) => Object.fromEntries(by(id).labs[0].checks.map((c) => [c.id, c.status]));
  assert.is(doc.labs[0].maxScore, 45);

  assert.equal(st('good'), {
    'submission-files': 'pass', 'submission-lint': 'pass', 'submission-render-dev': 'pass', 'submission-render-prod': 'pass',
    'submission-install': 'pass', 'submission-policy': 'pass', 'release-deployed': 'pass', 'web-rolled-out': 'pass',
  }, `good: ${JSON.stringify(by('good').labs[0].checks.filter((c) => c.status !== 'pass').map((c) => c.message.en))}`);
  assert.is(by('good').score, 45);
  assert.is(by('good').status, 'graded');
  assert.not.ok(by('good').flagged);
  assert.match(by('good').labs[0].submission!.namespace, /^klab-sub-s\d+-good-[0-9a-f]{6}$/);

  const h = by('hostile');
  assert.equal(st('hostile'), {
    'submission-files': 'pass', 'submission-lint': 'pass', 'submission-render-dev': 'pass', 'submission-render-prod': 'pass',
    'submission-install': 'fail', 'submission-policy': 'fail', 'release-deployed': 'skip', 'web-rolled-out': 'skip',
  });
  assert.is(h.score, 15, 'the static points only: the live checks are skipped behind the failed install (counted)');
  assert.is(h.status, 'graded');
  assert.ok(h.flagged, 'flagged');
  const ev = h.labs[0].checks.find((c) => c.id === 'submission-policy')!.evidence.flatMap((e) => e.lines).join('\n');
  assert.match(ev, /rbac: .*clusterrolebindings.* is forbidden: User "system:serviceaccount:klab-sub-/);
  assert.match(ev, /rbac: .*namespaces.* is forbidden/);
  const psa = ev.split('\n').find((l) => l.startsWith('pod-security: ')) ?? '';
  assert.match(psa, 'violates PodSecurity "baseline:latest"', ev);
  for (const what of ['privileged', 'hostPath']) assert.match(psa, what, ev);
  assert.match(h.labs[0].checks.find((c) => c.id === 'submission-install')!.message.en, 'policy violation');
  assert.match(r.stderr, `s${run}-hostile: flagged: policy violation`);

  const b = by('broken');
  assert.is(st('broken')['submission-render-dev'], 'fail');
  assert.is(st('broken')['submission-install'], 'skip');
  assert.match(b.labs[0].checks.find((c) => c.id === 'submission-render-dev')!.message.en, 'templates/service.yaml:4');
  assert.is(b.score, 0, 'lint fails too, nothing renders');

  const sn = by('sneaky');
  assert.is(st('sneaky')['submission-install'], 'pass');
  assert.is(st('sneaky')['submission-policy'], 'fail');
  assert.is(st('sneaky')['release-deployed'], 'pass');
  assert.is(st('sneaky')['web-rolled-out'], 'fail', 'its pods are never created');
  assert.ok(sn.flagged);
  assert.match(sn.labs[0].checks.find((c) => c.id === 'submission-policy')!.evidence.flatMap((e) => e.lines).join('\n'), /pod-security: ReplicaSet\/.*hostNetwork=true/);

  // Nothing outside the namespaces, and the namespaces themselves are gone.
  assert.is(leftNamespaces(), '', 'no grading namespace left');
  const crb = kubectl(['get', 'clusterrolebindings', '-o', 'name']).out;
  assert.not.match(crb, '-takeover', 'no ClusterRoleBinding from the hostile chart');
  assert.not.match(kubectl(['get', 'namespaces', '-o', 'name']).out, '-escaped', 'no Namespace from the hostile chart');
  for (const f of ['results.junit.xml', 'results.csv', 'results.md', 'gradebook.html']) assert.ok(existsSync(join(out, f)), f);
  assert.is(spawnSync(process.execPath, [klabJs, 'grade', 'verify', join(out, 'results.json')], { env: env() }).status, 0, 'signed');
});

t('Ctrl+C in the middle of a grading: partial results marked as such, the grading namespace deleted', async () => {
  const out = join(dir, 'out-int');
  const info = testCluster();
  let sent = false;
  const r = await cliAsync(['grade', '--submission', join(FIX, 'charts/good'), '--lab', 'sub-chart', '--kubeconfig', info.kubeconfig, '--context', info.context,
    '--seed', `s${run}-int`, '--out', out, '--lang', 'en'], (signal) => {
    // The live stage has begun once its namespace exists: interrupt then.
    if (!sent && leftNamespaces().includes(`s${run}-int`)) { sent = true; signal('SIGINT'); }
  });
  assert.ok(sent, 'the interrupt was sent during the live stage');
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, 'Interrupting: deleting the grading namespaces');
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GradeDoc;
  assert.is(doc.interrupted, true);
  assert.is(doc.trainees[0].status, 'error');
  assert.match(doc.trainees[0].error!.en, 'Interrupted');
  assert.is(doc.trainees[0].labs[0].checks.find((c) => c.id === 'submission-render-dev')!.status, 'pass', 'what was graded before is kept');
  assert.is(leftNamespaces(), '', 'no grading namespace left');
});

t('a trainee over the roster timeout is error, and its grading namespace is still deleted before klab exits', async () => {
  const info = testCluster();
  const roster = join(dir, 'roster-timeout.yaml');
  writeFileSync(roster, ['labs: [sub-chart]', `kubeconfig: ${info.kubeconfig}`, `context: ${info.context}`, 'timeout: 4', 'trainees:',
    `  - { id: t${run}-slow, submission: ${join(FIX, 'charts/good')} }`].join('\n') + '\n');
  const out = join(dir, 'out-timeout');
  const r = await cliAsync(['grade', '--roster', roster, '--out', out, '--format', 'json', '--lang', 'en']);
  assert.is(r.code, 3, r.stderr);
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GradeDoc;
  assert.is(doc.trainees[0].status, 'error');
  assert.match(doc.trainees[0].error!.en, 'did not finish within 4s');
  assert.is(leftNamespaces(), '', 'no grading namespace left');
});

t('WorkflowTemplates: the good folder is applied and checked; a ClusterRole in the hostile one is refused and flagged', async () => {
  const info = testCluster();
  const roster = join(dir, 'roster-wf.yaml');
  writeFileSync(roster, [
    'labs: [sub-wf]', `kubeconfig: ${info.kubeconfig}`, `context: ${info.context}`, 'trainees:',
    `  - { id: w${run}-good, submission: ${join(FIX, 'workflows/good')} }`,
    `  - { id: w${run}-hostile, submission: ${join(FIX, 'workflows/hostile')} }`,
  ].join('\n') + '\n');
  const out = join(dir, 'out-wf');
  const r = await cliAsync(['grade', '--roster', roster, '--concurrency', '2', '--out', out, '--format', 'json', '--lang', 'en']);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GradeDoc;
  const st = (id: string) => Object.fromEntries(doc.trainees.find((x) => x.id === `w${run}-${id}`)!.labs[0].checks.map((c) => [c.id, c.status]));
  assert.equal(st('good'), { 'submission-files': 'pass', 'submission-lint': 'pass', 'submission-install': 'pass', 'submission-policy': 'pass', 'template-present': 'pass' });
  assert.equal(st('hostile'), { 'submission-files': 'pass', 'submission-lint': 'pass', 'submission-install': 'fail', 'submission-policy': 'fail', 'template-present': 'skip' });
  const h = doc.trainees.find((x) => x.id === `w${run}-hostile`)!;
  assert.ok(h.flagged);
  assert.match(h.labs[0].submission!.violations.join('\n'), /rbac: ClusterRole\/klab-test-hostile-everything: .*clusterroles.* is forbidden/);
  assert.not.match(kubectl(['get', 'clusterroles', '-o', 'name']).out, 'klab-test-hostile-everything');
  assert.is(leftNamespaces(), '', 'no grading namespace left');
});

t('the real labs: i-h1\'s reference chart installs with its hook in the sandbox; i-h2\'s reference template scores full live (run with the seeded parameter, result computed by klab); a privileged hostPath step and a ClusterRoleBinding are refused and flagged', async () => {
  const info = testCluster();
  if (!(info.capabilities.argo && info.capabilities.realPods && info.capabilities.registry)) return skipTest(`the ${info.provider} cluster cannot run workflows or pull from its registry`);
  // i-h1: the reference chart for its seed, with an image the cluster's registry has (klab's own build of the same
  // app), so the post-install hook really runs; the seed's own image was never pushed, and chart-renders says so.
  const { loadLab, labParams } = await import('../../labs/_engine/load.js');
  const { writeChart } = await import('../../labs/i-h1/shared.js');
  const { DJANGO_SAMPLE_IMAGE } = await import('../../cluster/images/build.js');
  const h1 = labParams(await loadLab('i-h1'), `c${run}-chart`);
  const [repo, tag] = [DJANGO_SAMPLE_IMAGE.slice(0, DJANGO_SAMPLE_IMAGE.lastIndexOf(':')), DJANGO_SAMPLE_IMAGE.slice(DJANGO_SAMPLE_IMAGE.lastIndexOf(':') + 1)];
  writeChart(join(dir, 'ih1-chart'), { ...h1, imageRepo: repo, tag, image: DJANGO_SAMPLE_IMAGE });
  const roster1 = join(dir, 'roster-ih1.yaml');
  writeFileSync(roster1, ['labs: [i-h1]', `kubeconfig: ${info.kubeconfig}`, `context: ${info.context}`, 'timeout: 240', 'trainees:',
    `  - { id: c${run}-chart, submission: ${join(dir, 'ih1-chart')} }`].join('\n') + '\n');
  const out1 = join(dir, 'out-ih1');
  const graded1 = cliAsync(['grade', '--roster', roster1, '--out', out1, '--format', 'json', '--lang', 'en'], undefined, true);
  const seed = (v: string) => `h${run}-${v}`;
  for (const v of ['good', 'privileged-hostpath', 'cluster-admin'] as const) await ih2Submission(join(dir, `ih2-${v}`), seed(v), v);
  const roster = join(dir, 'roster-ih2.yaml');
  writeFileSync(roster, ['labs: [i-h2]', `kubeconfig: ${info.kubeconfig}`, `context: ${info.context}`, 'timeout: 240', 'trainees:',
    ...['good', 'privileged-hostpath', 'cluster-admin'].map((v) => `  - { id: ${seed(v)}, submission: ${join(dir, `ih2-${v}`)} }`)].join('\n') + '\n');
  const out = join(dir, 'out-ih2');
  const s0 = Date.now();
  const [r, r1] = await Promise.all([cliAsync(['grade', '--roster', roster, '--concurrency', '3', '--out', out, '--format', 'json', '--lang', 'en'], undefined, true), graded1]);
  console.log(`  i-h1 (1) and i-h2 (3) submissions, live, at once: ${((Date.now() - s0) / 1000).toFixed(1)}s`);
  assert.is(r.code, 0, r.stderr);
  assert.is(r1.code, 0, r1.stderr);
  const d1 = JSON.parse(readFileSync(join(out1, 'results.json'), 'utf8')) as GradeDoc;
  const c1 = Object.fromEntries(d1.trainees[0].labs[0].checks.map((c) => [c.id, c]));
  for (const id of ['submission-files', 'submission-lint', 'submission-render-dev', 'submission-render-prod', 'render-dev', 'render-prod', 'submission-install', 'submission-policy', 'release-installed', 'hook']) {
    assert.is(c1[id]?.status, 'pass', `i-h1 ${id}: ${c1[id]?.message.en}`);
  }
  assert.is(c1['chart-renders'].status, 'fail', 'the seed\'s image is not the one the chart names');
  assert.match(c1['chart-renders'].message.en, 'klab/django-sample');
  assert.equal(d1.trainees[0].labs[0].submission!.registry, { value: 'localhost:5000', from: 'cluster' });
  assert.not.ok(d1.trainees[0].flagged);
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GradeDoc;
  const tr = (v: string) => doc.trainees.find((x) => x.id === seed(v))!;
  const checks = (v: string) => tr(v).labs[0].checks;
  const good = checks('good');
  for (const c of good) assert.is(c.status, 'pass', `good: ${c.id}: ${c.message.en}`);
  assert.is(tr('good').score, doc.labs[0].maxScore);
  assert.not.ok(tr('good').flagged);
  const priv = Object.fromEntries(checks('privileged-hostpath').map((c) => [c.id, c]));
  assert.is(priv['submission-install'].status, 'pass', 'the template itself is an accepted object');
  assert.is(priv['run-succeeded'].status, 'fail', 'its pod is never created');
  assert.is(priv['submission-policy'].status, 'fail');
  assert.match(priv['submission-policy'].evidence.flatMap((e) => e.lines).join('\n'), /pod-security: .*violates PodSecurity "baseline:latest".*(privileged|hostPath)/);
  assert.ok(tr('privileged-hostpath').flagged);
  const ca = Object.fromEntries(checks('cluster-admin').map((c) => [c.id, c]));
  assert.is(ca['submission-install'].status, 'fail');
  assert.is(ca['template'].status, 'skip', 'gated by the refused install');
  assert.match(tr('cluster-admin').labs[0].submission!.violations.join('\n'), /rbac: ClusterRoleBinding\/ih2-.*-takeover: .*clusterrolebindings.* is forbidden/);
  assert.ok(tr('cluster-admin').flagged);
  assert.not.match(kubectl(['get', 'clusterrolebindings', '-o', 'name']).out, '-takeover');
  assert.is(leftNamespaces(), '', 'no grading namespace left');
});

t.after(() => {
  // Belt and braces: never leave a namespace of this run behind, whatever failed above.
  kubectl(['delete', 'namespace', '-l', 'klab.dev/submission', '--ignore-not-found', '--wait=false']);
});

t.run();
