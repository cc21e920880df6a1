// A broken lab.yaml gives `file:line: what is wrong` in the chosen language, exit 2, and nothing else runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir, root } from './_cli.js';

const good = `id: broken
level: low
title: { ko: 제목, en: Title }
minutes: 5
namespace: "ns-{suffix}"
params:
  suffix: { kind: token, length: 4 }
steps:
  - id: one
    title: { ko: 하나, en: One }
    text: 01-one
    checks:
      - id: c1
        points: 10
`;

/** Write a one-lab labs dir with the given lab.yaml (step texts present) and run `klab list`. */
function listWith(yaml: string, lang: 'ko' | 'en', dirName = 'broken') {
  const dir = tempDir('klab-labs-');
  mkdirSync(join(dir, dirName, 'steps'), { recursive: true });
  writeFileSync(join(dir, dirName, 'lab.yaml'), yaml);
  for (const l of ['ko', 'en']) writeFileSync(join(dir, dirName, 'steps', `01-one.${l}.md`), '# x\n');
  return { ...cli(['--lang', lang, 'list'], { KLAB_LABS_DIR: dir }), file: `${dirName}/lab.yaml` };
}

const cases: { name: string; yaml: string; line: number; ko: RegExp; en: RegExp }[] = [
  { name: 'YAML syntax error', yaml: good.replace('minutes: 5', 'minutes: [5'), line: 5, /* where the parser notices the unclosed [ */ ko: /YAML 문법 오류/, en: /YAML syntax error/ },
  { name: 'missing required title', yaml: good.replace('title: { ko: 제목, en: Title }\n', ''), line: 1, ko: /필수 항목 'title'/, en: /required property 'title'/ },
  { name: 'unknown top-level key (typo)', yaml: good.replace('minutes: 5', 'minutes: 5\nnamspace: x'), line: 5, ko: /알 수 없는 항목 'namspace'/, en: /unknown property 'namspace'/ },
  { name: 'bad level', yaml: good.replace('level: low', 'level: easy'), line: 2, ko: /다음 중 하나.*low, mid, high/, en: /must be one of: low, mid, high/ },
  { name: 'minutes is a string', yaml: good.replace('minutes: 5', 'minutes: five'), line: 4, ko: /integer 형식/, en: /must be of type integer/ },
  { name: 'title without English', yaml: good.replace('{ ko: 제목, en: Title }', '{ ko: 제목 }'), line: 3, ko: /필수 항목 'en'/, en: /required property 'en'/ },
  { name: 'no steps', yaml: good.slice(0, good.indexOf('steps:')) + 'steps: []\n', line: 8, ko: /1개 이상/, en: /at least 1/ },
  { name: 'negative points', yaml: good.replace('points: 10', 'points: -5'), line: 14, ko: /0 이상/, en: /at least 0/ },
  { name: 'step text file missing', yaml: good.replace('text: 01-one', 'text: 02-two'), line: 11, ko: /단계 설명 파일이 없습니다/, en: /step text file is missing/ },
  { name: 'duplicate check id', yaml: good + '      - id: c1\n        points: 5\n', line: 15, ko: /두 번/, en: /appears twice/ },
  { name: 'requires an unknown check', yaml: good.replace('points: 10', 'points: 10\n        requires: [c9]'), line: 15, ko: /없는 검사 'c9'/, en: /unknown check 'c9'/ },
  { name: 'undefined param in namespace', yaml: good.replace('ns-{suffix}', 'ns-{sufix}'), line: 5, ko: /정의되지 않은 매개변수 \{sufix\}/, en: /undefined parameter \{sufix\}/ },
  { name: 'bad check id pattern', yaml: good.replace('id: c1', 'id: C_1'), line: 13, ko: /형식이 맞지 않습니다/, en: /does not match the pattern/ },
  { name: 'unknown param kind', yaml: good.replace('kind: token', 'kind: uuid'), line: 7, ko: /다음 중 하나/, en: /must be one of: token, word, number, template/ },
  { name: 'id differs from folder', yaml: good.replace('id: broken', 'id: other'), line: 1, ko: /폴더 이름 'broken'/, en: /differs from its folder name 'broken'/ },
  { name: 'duplicate YAML key', yaml: good.replace('minutes: 5', 'minutes: 5\nminutes: 6'), line: 5, ko: /YAML 문법 오류/, en: /YAML syntax error/ },
];

for (const c of cases) {
  test(`broken lab.yaml: ${c.name} → file:line, both languages, exit 2`, () => {
    for (const lang of ['ko', 'en'] as const) {
      const r = listWith(c.yaml, lang);
      assert.is(r.code, 2, `exit code (${lang}): ${r.stderr}`);
      assert.is(r.stdout, '', 'nothing else runs');
      assert.match(r.stderr, `${r.file}:${c.line}: `, `line (${lang}): ${r.stderr}`);
      assert.match(r.stderr, lang === 'ko' ? c.ko : c.en);
      assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });
}

test('the shipped labs are all valid', () => {
  const r = cli(['--lang', 'en', 'list', '--json']);
  assert.is(r.code, 0, r.stderr);
  const labs = JSON.parse(r.stdout) as { id: string }[];
  assert.ok(labs.some((l) => l.id === 'hello'));
});

test('a copy of a real lab with one broken line names that line', () => {
  const dir = tempDir('klab-labs-');
  cpSync(join(root, 'labs/hello'), join(dir, 'hello'), { recursive: true });
  const r = cli(['--lang', 'en', 'check', 'hello', '--kubeconfig', '/nonexistent'], { KLAB_LABS_DIR: dir });
  assert.is(r.code, 3, 'a valid lab reaches the cluster step: ' + r.stderr);
});

test.run();
