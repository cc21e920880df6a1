// "Show the solution" at step N shows step N's part only: every lab's solution.ts gives its commands per step id.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadAllLabs, labParams, labModule, solutionCommands, type SolutionCommands } from '../../labs/_engine/load.js';

test('every lab: solution commands keyed by exactly its step ids, none empty', async () => {
  for (const lab of await loadAllLabs()) {
    const mod = await labModule<{ commands?: SolutionCommands }>(lab, 'solution');
    assert.type(mod?.commands, 'function', `${lab.def.id}: solution.ts exports commands`);
    const byStep = mod!.commands!(labParams(lab, 'kim'));
    assert.equal(Object.keys(byStep).sort(), lab.def.steps.map((s) => s.id).sort(), `${lab.def.id}: one entry per step`);
    for (const [id, cmds] of Object.entries(byStep)) assert.ok(Array.isArray(cmds) && cmds.length > 0, `${lab.def.id}/${id}: commands`);
  }
});

test("every lab: a step's solution never gives another step's answers", async () => {
  let questions = 0;
  for (const lab of await loadAllLabs()) {
    const params = labParams(lab, 'kim');
    for (let n = 1; n <= lab.def.steps.length; n++) {
      const shown = (await solutionCommands(lab, n, params)).join('\n');
      lab.def.steps.forEach((st, i) => (st.questions ?? []).forEach((q) => {
        questions++;
        const answers = new RegExp(`klab answer ${lab.def.id} ${q.id} `);
        if (i + 1 === n) assert.match(shown, answers, `${lab.def.id} step ${n} answers its question ${q.id}`);
        else assert.not.match(shown, answers, `${lab.def.id} step ${n} must not answer ${q.id} (step ${i + 1})`);
      }));
    }
  }
  assert.ok(questions > 0, 'some lab has questions');
});

test.run();
