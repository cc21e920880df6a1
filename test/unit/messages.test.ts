// Every message exists in Korean and English, non-empty, with the same {placeholders}.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { messages } from '../../i18n/messages.js';
import { root } from './_cli.js';
import { helpText } from '../../scripts/help.js';

const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('CLI catalogue: both languages, same placeholders', () => {
  const problems: string[] = [];
  for (const [key, t] of Object.entries(messages) as [string, { ko?: string; en?: string }][]) {
    if (!t.ko?.trim()) problems.push(`${key}: ko missing`);
    if (!t.en?.trim()) problems.push(`${key}: en missing`);
    if (t.ko && t.en && vars(t.ko).join() !== vars(t.en).join()) problems.push(`${key}: placeholders differ (${vars(t.ko)} vs ${vars(t.en)})`);
    if (t.ko && t.en && /[가-힣]/.test(t.en)) problems.push(`${key}: Korean text in the English message`);
    // A particle after a filled value is chosen by the value ({x:이/가}), never written out as 이(가) or fixed.
    if (t.ko && /\}['"`]? ?(\S\(\S\)|[이가을를은는과와](?=[\s.,)]))/.test(t.ko)) problems.push(`${key}: fixed particle after a placeholder (use {name:이/가})`);
    for (const m of t.ko?.matchAll(/\{(\w+):([^}]+)\}/g) ?? []) {
      if (!vars(t.ko!).includes(m[1])) problems.push(`${key}: particle for unknown placeholder ${m[1]}`);
      if (!['이/가', '을/를', '은/는', '와/과'].includes(m[2])) problems.push(`${key}: unsupported particle pair ${m[2]}`);
    }
  }
  assert.equal(problems, []);
});

test('help exists in both languages and documents every exit code', () => {
  for (const lang of ['ko', 'en'] as const) {
    const h = helpText(lang);
    for (const code of ['0', '1', '2', '3']) assert.match(h, new RegExp(`(^|[ ·])${code} `, 'm'));
  }
  assert.match(helpText('ko'), '종료 코드');
  assert.match(helpText('en'), 'Exit codes');
});

test('every lab has each step text in both languages and both titles', () => {
  const labs = join(root, 'labs');
  for (const id of readdirSync(labs).filter((d) => !d.startsWith('_') && existsSync(join(labs, d, 'lab.yaml')))) {
    const y = readFileSync(join(labs, id, 'lab.yaml'), 'utf8');
    for (const m of y.matchAll(/^\s+text: (\S+)/gm)) {
      for (const l of ['ko', 'en']) assert.ok(existsSync(join(labs, id, 'steps', `${m[1]}.${l}.md`)), `${id}: steps/${m[1]}.${l}.md`);
    }
  }
});


test('inline { ko, en } literals in the source: same placeholders, Korean in ko (unless a name), none in en', () => {
  const lit = /\{\s*ko:\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1\s*,\s*en:\s*(['"`])((?:\\.|(?!\3)[^\\])*)\3\s*\}/g;
  const problems: string[] = [];
  let seen = 0;
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
  for (const room of ['scripts', 'labs', 'checkers', 'cluster', 'i18n', 'grade', 'host']) {
    if (!existsSync(join(root, room))) continue;
    for (const file of walk(join(root, room))) {
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(lit)) {
        const [ko, en] = [m[2], m[4]];
        if (m[1] === '`' && ko.includes('${') || m[3] === '`' && en.includes('${')) continue; // computed: checked where it is built
        seen++;
        const where = `${file.slice(root.length + 1)}:${src.slice(0, m.index).split('\n').length}`;
        // The code's convention for a value that itself differs by language: {near} in ko, {nearEn} in en.
        // Names only, once each, with the particle form {name:이/가} counted as {name}.
        const base = (t: string) => [...new Set([...t.matchAll(/\{(\w+)(?::[^}]+)?\}/g)].map((m) => m[1].replace(/(En|Ko)$/, '')))].sort().join();
        if (base(ko) !== base(en)) problems.push(`${where}: placeholders differ (${base(ko)} vs ${base(en)})`);
        // {name:이/가} prints only the particle: the value itself must be there too ({name}{name:이/가}).
        for (const p of ko.matchAll(/\{(\w+):(?:이\/가|을\/를|은\/는|와\/과)\}/g)) if (!ko.includes(`{${p[1]}}`)) problems.push(`${where}: a particle for {${p[1]}} without the value itself`);
        if (/[가-힣]/.test(en)) problems.push(`${where}: Korean text in the English text`);
        if (ko !== en && /[A-Za-z]/.test(ko) && !/[가-힣]/.test(ko)) problems.push(`${where}: the Korean text has no Korean: ${ko.slice(0, 60)}`);
      }
    }
  }
  assert.ok(seen > 100, `found ${seen} literals: the pattern still matches the code`);
  assert.equal(problems, []);
});

test.run();
