// Every lab proven the wrong way (issue 14): each file in labs/<lab>/mistakes/ is a realistic wrong solution, and
// exactly the checks it names fail, with the diagnosis it names (en and ko), while every other check passes — or is
// skipped, where the file says so or a failing check gates it (`requires` in lab.yaml). One harness for every lab
// found in labs/: a new lab is covered by adding files, not test code. Each mistake is its own trainee
// (_labs.ts runAsTrainee); a lab's mistakes run a few at a time (own namespaces, mostly waiting for the cluster), labs
// one after another (a lab may pause what another needs). A mistake judged on some steps only (`steps`: applied on
// top of the reference work of the steps before, i-h1) needs that work first: its lab's own test runs it, sharing one
// start among them (undoing each), since `klab solve` solves whole labs only.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { allLabs, mistakes, pool, runAsTrainee, EXAMPLE_CONCURRENCY, type Mistake } from './_labs.js';
import { loadLab } from '../../labs/_engine/load.js';
import { substitute } from '../../labs/_engine/params.js';

const t = suite('lab mistakes: exactly the named checks fail, with the named diagnoses');

/** Checks a mistake's failing checks gate, transitively (lab.yaml `requires`): they must be skipped. */
async function gatedBy(lab: string, m: Mistake): Promise<Set<string>> {
  const requires = new Map((await loadLab(lab)).def.steps.flatMap((s) => s.checks).map((c) => [c.id, c.requires ?? []]));
  const gated = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const [id, deps] of requires) {
      if (!gated.has(id) && !(id in m.expect.fail) && deps.some((d) => d in m.expect.fail || gated.has(d))) { gated.add(id); grew = true; }
    }
  }
  return gated;
}

for (const lab of allLabs()) {
  const list = mistakes(lab).filter((m) => !(m as Mistake & { steps?: number[] }).steps);
  if (!list.length) continue;
  t(`${lab}: ${list.length} mistake(s), each fails exactly its named checks`, async () => {
    const t0 = Date.now();
    const lines: string[] = [];
    const errors = await pool(list, EXAMPLE_CONCURRENCY, async (m) => {
      const where = `${lab}/${m.file}`;
      const gated = await gatedBy(lab, m);
      const r = await runAsTrainee(lab, m.file, m.commands, m.answers, ({ json, jsonKo, code, vars }) => {
        assert.is(code, 1, `${where}: a wrong solution exits 1`);
        for (const c of json.checks) {
          const fail = m.expect.fail[c.id];
          if (fail) {
            assert.is(c.status, 'fail', `${where}: ${c.id} must fail: ${c.message}`);
            assert.match(c.message, substitute(fail.en, vars), `${where}: ${c.id} diagnosis (en)`);
            assert.match(jsonKo.checks.find((x) => x.id === c.id)!.message, substitute(fail.ko, vars), `${where}: ${c.id} diagnosis (ko)`);
          } else if (m.expect.skip?.includes(c.id) || gated.has(c.id)) {
            assert.is(c.status, 'skip', `${where}: ${c.id} must be skipped (what it requires failed): ${c.message}`);
          } else if (!(m.expect.skipAllowed?.includes(c.id) && c.status === 'skip')) {
            assert.is(c.status, 'pass', `${where}: ${c.id} must pass (the mistake is elsewhere): ${c.message}`);
          }
        }
        for (const id of m.expect.pass ?? []) assert.ok(json.checks.some((c) => c.id === id && c.status === 'pass'), `${where}: ${id} listed as passing`);
      });
      lines.push(`${where}: ${r.json.score}/${r.json.maxScore}, failed ${Object.keys(m.expect.fail).join(', ')} (start+commands ${(r.ms.applied / 1000).toFixed(1)} s, checked at ${(r.ms.total / 1000).toFixed(1)} s)`);
    });
    for (const l of lines.sort()) console.log(`  ${l}`);
    console.log(`  ${lab}: ${list.length} mistake(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s (${EXAMPLE_CONCURRENCY} at a time)`);
    if (errors.length) assert.unreachable(errors.map((e) => (e as Error).message).join('\n---\n'));
  });
}

t.run();
