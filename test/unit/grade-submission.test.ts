// Submission grading without a cluster (--static-only and the pieces of the live stage that need none): the folder
// read safely (symlinks out, a FIFO, a 50 MB file, too many files, invalid YAML with file:line), helm lint and
// template with each values file (a template error as file:line), gating, the refusals Kubernetes gives sorted into
// policy violations, WorkflowTemplate validation, and the CLI's input errors (exit 2, ko/en, never a stack trace).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, root, tempDir } from './_cli.js';
import { stageSubmission, yamlProblems, DEFAULT_LIMITS } from '../../grade/submission/stage.js';
import { refusalsIn } from '../../grade/submission/sandbox.js';
import { templateErrorWhere } from '../../grade/submission/helm.js';
import { validateWorkflowTemplates } from '../../grade/submission/workflows.js';
import { findTool } from '../../cluster/local/tools.js';
import { skipTest } from '../skip.js';
import type { GradeDoc } from '../../grade/types.js';
import { ih2Submission } from './_ih2-submission.js';

const FIX = join(root, 'test/fixtures/submission');
const t = suite('grade --submission (static)');
const state = tempDir('klab-sub-state-');
const env = { XDG_STATE_HOME: state, KLAB_LABS_DIR: join(FIX, 'labs') };

function copyGood(name: string): string {
  const d = join(tempDir('klab-sub-'), name);
  cpSync(join(FIX, 'charts/good'), d, { recursive: true });
  return d;
}

t('staging: a symlink out of the folder is a violation and never read; one inside is copied; a FIFO never blocks', () => {
  const d = copyGood('links');
  symlinkSync('/etc/passwd', join(d, 'files-passwd.yaml'));
  symlinkSync('../values.yaml', join(d, 'environments/values.same.yaml'));
  symlinkSync('/nonexistent/x', join(d, 'dangling'));
  execFileSync('mkfifo', [join(d, 'pipe.yaml')]);
  const s = stageSubmission(d);
  try {
    const by = (f: string) => s.problems.find((p) => p.file === f);
    assert.ok(by('files-passwd.yaml')?.violation, 'symlink to /etc/passwd: violation');
    assert.match(by('files-passwd.yaml')!.message.en, 'out of the submission folder (/etc/passwd)');
    assert.not.ok(existsSync(join(s.root, 'files-passwd.yaml')), 'not copied');
    assert.ok(by('pipe.yaml')?.violation, 'FIFO: violation');
    assert.match(by('dangling')!.message.en, 'symbolic link to nothing');
    assert.ok(s.files.includes('environments/values.same.yaml'), 'a link inside is copied as a file');
    assert.is(readFileSync(join(s.root, 'environments/values.same.yaml'), 'utf8'), readFileSync(join(d, 'values.yaml'), 'utf8'));
  } finally { s.dispose(); }
  assert.not.ok(existsSync(s.root), 'disposed');
});

t('staging: a 50 MB file is not read; limits on count and total; .git left out', () => {
  const d = copyGood('big');
  writeFileSync(join(d, 'model.bin'), '');
  truncateSync(join(d, 'model.bin'), 50 << 20); // sparse: 50 MB on paper, nothing written
  mkdirSync(join(d, '.git'));
  writeFileSync(join(d, '.git/HEAD'), 'ref: refs/heads/main\n');
  const s = stageSubmission(d);
  s.dispose();
  assert.equal(s.problems.map((p) => [p.file, p.message.en]), [['model.bin', 'The file is too big (50.0 MB; the limit is 1.0 MB): not read.']]);
  assert.not.ok(s.files.some((f) => f.startsWith('.git')));
  const many = stageSubmission(d, { ...DEFAULT_LIMITS, maxFiles: 3 });
  many.dispose();
  assert.is(many.files.length, 3);
  assert.ok(many.problems.some((p) => /Too many files: only 3/.test(p.message.en)));
  const total = stageSubmission(d, { ...DEFAULT_LIMITS, maxTotalBytes: 600 });
  total.dispose();
  assert.ok(total.problems.some((p) => /too big \(limit/.test(p.message.en)));
});

t('YAML problems carry file:line; templates/ (Go templates) are not parsed as YAML', async () => {
  const d = copyGood('yaml');
  writeFileSync(join(d, 'environments/values.dev.yaml'), 'env: dev\nweb:\n  crossOrigins: [a, b\nsentry: {}\n');
  const s = stageSubmission(d);
  try {
    const ps = await yamlProblems(s);
    assert.is(ps.length, 1, JSON.stringify(ps));
    assert.is(ps[0].file, 'environments/values.dev.yaml');
    assert.ok(ps[0].line! >= 3 && ps[0].line! <= 4, `line ${ps[0].line}`);
  } finally { s.dispose(); }
});

t('helm template errors name the template and line', () => {
  assert.is(templateErrorWhere('Error: parse error at (dodo/templates/service.yaml:4): unclosed action'), 'templates/service.yaml:4');
  assert.is(templateErrorWhere('Error: template: dodo/templates/deployment.yaml:12:5: executing "x" at <.Values.a.b>: nil pointer'), 'templates/deployment.yaml:12');
  assert.is(templateErrorWhere('Error: YAML parse error on dodo/templates/cm.yaml: error converting YAML to JSON: yaml: line 3: did not find expected key'), 'templates/cm.yaml:3');
  assert.is(templateErrorWhere('Error: something else'), undefined);
});

t('refusals: RBAC and Pod Security are policy violations, quota is not; other errors are neither', () => {
  const text = [
    'Error: INSTALLATION FAILED: clusterrolebindings.rbac.authorization.k8s.io "x" is forbidden: User "system:serviceaccount:klab-sub-a-1:klab-submission" cannot create resource "clusterrolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope',
    'pods "root" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true), hostPath volumes (volume "host")',
    'pods "w" is forbidden: exceeded quota: klab-submission, requested: pods=1, used: pods=20, limited: pods=20',
    'Error: INSTALLATION FAILED: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value',
  ].join('\n');
  assert.equal(refusalsIn(text).map((r) => r.by), ['rbac', 'pod-security', 'quota']);
});

t('WorkflowTemplates: the good one validates; broken references, two template types and a missing image do not', () => {
  const good = { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'run-code' }, spec: { entrypoint: 'main', templates: [{ name: 'main', script: { image: 'python:3.12', source: 'print(1)' } }] } };
  assert.equal(validateWorkflowTemplates([good]), { names: ['run-code'], problems: [] });
  const bad = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name: 'Bad_Name' },
    spec: { entrypoint: 'nope', templates: [
      { name: 'a', script: { image: 'p', source: '' }, container: { image: 'p' } },
      { name: 'b', steps: [[{ name: 's', template: 'missing' }]] },
      { name: 'c', dag: { tasks: [{ name: 't', template: 'a', dependencies: ['ghost'] }] } },
      { name: 'd', container: { command: ['x'] } },
    ] },
  };
  const v = validateWorkflowTemplates([bad]);
  const all = v.problems.join('\n');
  for (const s of ['metadata.name must be a DNS-1123 name', "spec.entrypoint refers to template 'nope'", "template 'a' must have exactly one of", "refers to template 'missing'", "depends on 'ghost'", "template 'd' has no image"]) assert.match(all, s);
});

// The grading itself, static only, through the CLI (helm from PATH or klab's own build).
async function needHelm(): Promise<boolean> {
  if (findTool('helm')) return true;
  skipTest('grade --submission static: no helm binary on PATH nor built by klab');
  return false;
}

function gradeStatic(dir: string, lab = 'sub-chart', lang = 'en') {
  const out = tempDir('klab-sub-out-');
  const r = cli(['grade', '--submission', dir, '--lab', lab, '--static-only', '--out', out, '--format', 'json,csv,md,html,junit', '--lang', lang], env);
  const doc = existsSync(join(out, 'results.json')) ? JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GradeDoc : undefined;
  const checks = Object.fromEntries((doc?.trainees[0].labs[0].checks ?? []).map((c) => [c.id, c]));
  return { r, doc, checks, out };
}

t('static grading of the good chart: every static check passes, the live ones are skipped and not counted (exit 0)', async () => {
  if (!(await needHelm())) return;
  const { r, doc, checks } = gradeStatic(join(FIX, 'charts/good'));
  assert.is(r.code, 0, r.stderr);
  assert.is(doc!.mode, 'submission');
  const tr = doc!.trainees[0];
  assert.is(tr.id, 'good');
  assert.is(tr.score, 15);
  assert.is(tr.ungradedPoints, 30, 'install 10 + two live checks 20: not judged without a cluster');
  assert.is(tr.status, 'partial');
  assert.is(checks['submission-render-prod'].status, 'pass');
  assert.match(checks['submission-render-dev'].message.en, '3 objects (Deployment, Secret, Service)');
  assert.is(checks['submission-install'].status, 'skip');
  assert.is(checks['submission-install'].counted, false);
});

t('a template error: render fails with file:line and the rendered error as evidence; install gated (counted)', async () => {
  if (!(await needHelm())) return;
  const d = copyGood('broken');
  writeFileSync(join(d, 'templates/service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name \n');
  const { r, checks, doc } = gradeStatic(d);
  assert.is(r.code, 0, `grading worked, whatever the score\n${r.stderr}`);
  assert.is(checks['submission-render-dev'].status, 'fail');
  assert.match(checks['submission-render-dev'].message.en, 'templates/service.yaml:4');
  assert.ok(checks['submission-render-dev'].evidence[0].lines.length > 0);
  assert.is(checks['submission-lint'].status, 'fail');
  assert.is(doc!.trainees[0].score, 0);
});

t('hostile folder: a symlink to /etc/passwd and a 50 MB file fail the files gate, are flagged, and nothing else runs', async () => {
  if (!(await needHelm())) return;
  const d = copyGood('hostile-files');
  mkdirSync(join(d, 'files'));
  symlinkSync('/etc/passwd', join(d, 'files/passwd'));
  writeFileSync(join(d, 'files/big.bin'), '');
  truncateSync(join(d, 'files/big.bin'), 50 << 20);
  // A template that would print the linked file into the manifests, were it followed.
  writeFileSync(join(d, 'templates/leak.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: leak }\ndata: { p: {{ .Files.Get "files/passwd" | quote }} }\n');
  const { r, checks, doc } = gradeStatic(d);
  assert.is(r.code, 0, r.stderr);
  assert.is(checks['submission-files'].status, 'fail');
  assert.match(checks['submission-files'].message.en, 'files/passwd: A symbolic link out of the submission folder (/etc/passwd)');
  assert.match(checks['submission-files'].message.en, 'files/big.bin: The file is too big (50.0 MB');
  assert.is(checks['submission-render-dev'].status, 'skip');
  assert.is(checks['submission-render-dev'].counted, true, 'gated by the trainee\'s own failure: counted');
  assert.ok(doc!.trainees[0].flagged);
  assert.ok(doc!.trainees[0].labs[0].submission!.violations[0].includes('/etc/passwd'));
  assert.not.match(JSON.stringify(doc), 'root:x:0:0', 'the host file never reaches the results');
  assert.match(r.stderr, 'flagged: policy violation');
});

t('invalid YAML in a values file: file:line in the files check, Korean too', async () => {
  if (!(await needHelm())) return;
  const d = copyGood('badyaml');
  writeFileSync(join(d, 'environments/values.prod.yaml'), 'env: prod\nsentry: {}\nenv: dev\n'); // a key twice, on line 3
  const en = gradeStatic(d);
  assert.is(en.checks['submission-files'].status, 'fail');
  assert.match(en.checks['submission-files'].message.en, /environments\/values\.prod\.yaml:3: /);
  assert.match(en.checks['submission-files'].message.ko, /environments\/values\.prod\.yaml:3: /);
});

t('WorkflowTemplate folder (static): the structural validation says which it used', async () => {
  const { r, checks } = gradeStatic(join(FIX, 'workflows/good'), 'sub-wf');
  assert.is(r.code, 0, r.stderr);
  assert.is(checks['submission-lint'].status, 'pass');
  assert.match(checks['submission-lint'].title.en, /argo lint --offline|structure/);
  assert.match(checks['submission-lint'].message.en, 'run-code');
});

t('a WorkflowTemplate whose entrypoint names no template fails the lint (Argo\'s own or the structural one)', () => {
  const d = tempDir('klab-sub-wf-');
  writeFileSync(join(d, 'wt.yaml'), 'apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: { name: run-code }\nspec:\n  entrypoint: nope\n  templates:\n    - { name: main, container: { image: python:3.12 } }\n');
  const { r, checks, doc } = gradeStatic(d, 'sub-wf');
  assert.is(r.code, 0, r.stderr);
  assert.is(checks['submission-lint'].status, 'fail');
  assert.match(checks['submission-lint'].message.en, 'nope');
  assert.is(checks['submission-install'].status, 'skip');
  assert.is(doc!.trainees[0].score, 0);
});

t('a chart whose template expands without end: helm is stopped at the memory limit, the render fails saying so (the trainee\'s, not an error)', async () => {
  if (!(await needHelm())) return;
  const d = copyGood('bomb');
  writeFileSync(join(d, 'templates/bomb.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: bomb }\ndata:\n  n: "{{ len (until 400000000) }}"\n');
  const out = tempDir('klab-sub-out-');
  const t0 = Date.now();
  const r = cli(['grade', '--submission', d, '--lab', 'sub-chart', '--static-only', '--out', out, '--format', 'json', '--lang', 'en'], { ...env, KLAB_GRADE_HELM_MEMORY: '200' });
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GradeDoc;
  const c = Object.fromEntries(doc.trainees[0].labs[0].checks.map((x) => [x.id, x]));
  assert.is(c['submission-render-dev'].status, 'fail');
  assert.match(c['submission-render-dev'].message.en, 'helm used more than 200 MiB of memory on this chart and was stopped');
  assert.is(c['submission-lint'].status, 'fail');
  assert.ok(Date.now() - t0 < 60_000, `stopped early (${Date.now() - t0} ms)`);
});

t('lab i-h1 (the real lab), static: {registry} is the one the submission names in front of the trainee\'s repository; the reference chart passes every static check', async () => {
  if (!(await needHelm())) return;
  const { loadLab, labParams } = await import('../../labs/_engine/load.js');
  const { writeChart } = await import('../../labs/i-h1/shared.js');
  const lab = await loadLab('i-h1');
  const d = join(tempDir('klab-sub-ih1-'), 'kim');
  const p = labParams(lab, 'kim', { provider: 'kind', registry: 'registry.example:5443' }, { KLAB_WORK: '/w' });
  writeChart(d, p);
  const out = tempDir('klab-sub-ih1-out-');
  const r = cli(['grade', '--submission', d, '--lab', 'i-h1', '--static-only', '--out', out, '--format', 'json', '--lang', 'en'], { XDG_STATE_HOME: state, KLAB_REGISTRY: '' });
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GradeDoc;
  const lab0 = doc.trainees[0].labs[0];
  assert.equal(lab0.submission!.registry, { value: 'registry.example:5443', from: 'submission' });
  const st = Object.fromEntries(lab0.checks.map((c) => [c.id, c]));
  for (const id of ['submission-files', 'submission-render-dev', 'submission-render-prod', 'chart-renders', 'render-dev', 'render-prod']) assert.is(st[id].status, 'pass', `${id}: ${st[id].message.en}`);
  for (const id of ['submission-install', 'release-installed', 'hook']) assert.is(st[id].status, 'skip', id);
});

t('lab i-h2 (the real lab): its submission section grades a folder statically — Argo\'s lint passes for the reference and the hostile templates (their refusal is the live stage\'s), the live checks skipped; the run parameter is the lab\'s', async () => {
  const { loadLab } = await import('../../labs/_engine/load.js');
  const lab = await loadLab('i-h2');
  const sub = lab.def.submission!;
  const d = tempDir('klab-sub-ih2-');
  const p = await ih2Submission(join(d, 'good'), 'kim', 'good');
  assert.equal(Object.keys(sub.run?.parameters ?? {}), [p.param], 'the workflow is run with the lab\'s parameter');
  assert.ok(sub.live!.includes('run-result') && sub.live!.includes('template-placement'));
  await ih2Submission(join(d, 'bad'), 'kim', 'privileged-hostpath');
  const realEnv = { XDG_STATE_HOME: state };
  for (const which of ['good', 'bad']) {
    const out = tempDir('klab-sub-ih2-out-');
    const r = cli(['grade', '--submission', join(d, which), '--lab', 'i-h2', '--seed', 'kim', '--static-only', '--out', out, '--format', 'json', '--lang', 'en'], realEnv);
    assert.is(r.code, 0, r.stderr);
    const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as GradeDoc;
    const st = Object.fromEntries(doc.trainees[0].labs[0].checks.map((c) => [c.id, c.status]));
    assert.is(st['submission-files'], 'pass', which);
    assert.is(st['submission-lint'], 'pass', `${which}: ${JSON.stringify(doc.trainees[0].labs[0].checks.find((c) => c.id === 'submission-lint')?.message.en)}`);
    for (const id of ['submission-install', 'template', 'run-result', 'run-on-group']) assert.is(st[id], 'skip', `${which}: ${id} is live`);
    assert.not.ok(doc.trainees[0].flagged, `${which}: nothing refused statically`);
  }
});

t('lab.yaml submission: unknown check ids and an install that is not a values key are file:line errors', async () => {
  const { parseLabFile } = await import('../../labs/_engine/load.js');
  const d = join(tempDir('klab-sub-lab-'), 'sub-chart');
  cpSync(join(FIX, 'labs/sub-chart'), d, { recursive: true });
  const file = join(d, 'lab.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('install: dev', 'install: staging').replace('live: [release-deployed, web-rolled-out]', 'live: [release-deployed, nope]'));
  const e = await parseLabFile(file, 'sub-chart').then(() => undefined, (x: { text: { en: string } }) => x);
  assert.ok(e, 'refused');
  assert.match(e!.text.en, /lab\.yaml:14: submission\.install 'staging' is not in submission\.values \(there: dev, prod\)/);
  assert.match(e!.text.en, /lab\.yaml:15: 'nope' in submission\.live is not a check of this lab/);
});

t('input errors: a missing folder, a file, a lab without submissions, with --roster; a roster mixing modes — exit 2', () => {
  const tmp = tempDir('klab-sub-in-');
  writeFileSync(join(tmp, 'chart.tgz'), 'x');
  for (const [lang, args, text] of [
    ['en', ['--submission', join(tmp, 'nope'), '--lab', 'sub-chart'], 'does not exist'],
    ['ko', ['--submission', join(tmp, 'nope'), '--lab', 'sub-chart'], '없습니다'],
    ['en', ['--submission', join(tmp, 'chart.tgz'), '--lab', 'sub-chart'], 'is a file, not a folder'],
    ['en', ['--submission', tmp], 'Say what to grade'],
    ['en', ['--submission', tmp, '--roster', join(tmp, 'r.yaml')], '--submission and --roster do not go together'],
  ] as const) {
    const r = cli(['grade', ...args, '--lang', lang], env);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, text);
    assert.not.match(r.stderr, '    at ');
  }
  const roster = join(tmp, 'roster.yaml');
  writeFileSync(roster, `labs: [sub-chart]\ntrainees:\n  - { id: a, submission: ${join(FIX, 'charts/good')} }\n  - { id: b }\n  - { id: c, submission: ./missing }\n`);
  const r = cli(['grade', '--roster', roster, '--lang', 'en'], env);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'roster.yaml:4: The roster mixes trainees');
  assert.match(r.stderr, /roster\.yaml:5: The submission folder .*missing does not exist/);
});

t.run();
