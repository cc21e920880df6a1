// Each output format from one recorded grade document: JSON, JUnit, CSV (BOM, quoting), Markdown, HTML (escaping,
// no external URL, CSP), the terminal table; and merge of shards.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { KlabError } from '../../i18n/index.js';
import { toCsv, csvField } from '../../grade/report/csv.js';
import { toGradeJUnit } from '../../grade/report/junit.js';
import { toMarkdown } from '../../grade/report/md.js';
import { toHtml, CSP } from '../../grade/report/html.js';
import { renderTable, displayWidth } from '../../grade/report/table.js';
import { parseFormats } from '../../grade/output.js';
import { merge } from '../../grade/merge.js';
import { loadKey, sign, verify } from '../../grade/sign.js';
import { tempDir } from './_cli.js';
import { classDoc } from './_grade.js';


test('formats: parsed, deduplicated, unknown ones refused (exit 2)', () => {
  assert.equal(parseFormats('json,html, csv,json'), ['json', 'html', 'csv']);
  assert.equal(parseFormats(undefined), ['json', 'md', 'html']);
  for (const bad of ['xml', 'json,pdf', ',']) {
    try { parseFormats(bad); assert.unreachable(bad); } catch (e) { assert.instance(e, KlabError); assert.is((e as KlabError).exitCode, 2); }
  }
});

test('JSON document: versioned, bilingual texts, seed/version/context/time per trainee', async () => {
  const d = await classDoc();
  assert.is(d.schema, 'klab-grade');
  assert.is(d.schemaVersion, 1);
  const t = d.trainees.find((x) => x.id === 'lee')!;
  for (const k of ['id', 'name', 'seed', 'context', 'status', 'score', 'maxScore', 'ungradedPoints', 'startedAt', 'finishedAt', 'durationMs', 'klabVersion', 'labs']) assert.ok(k in t, k);
  const c = t.labs[0].checks[1];
  assert.equal(Object.keys(c.message).sort(), ['en', 'ko']);
  assert.is(c.counted, true);
  assert.equal(JSON.parse(JSON.stringify(d)), d);
});

test('JUnit: a testsuite per trainee, a testcase per check; error trainee → <error>; escaped', async () => {
  const x = toGradeJUnit(await classDoc(), 'en');
  assert.is((x.match(/<testsuite /g) ?? []).length, 6);
  assert.is((x.match(/<testcase /g) ?? []).length, 12);
  assert.match(x, /<testsuites name="klab grade" tests="12" failures="3" errors="3" skipped="1"/);
  assert.match(x, /<testsuite name="lee" timestamp="[^"]+" tests="2" failures="1" errors="0" skipped="0"/);
  assert.match(x, '<testcase classname="lee.hello" name="hello/greeting-configmap: greeting-configmap"');
  assert.match(x, /<testsuite name="jung"[^>]* errors="2"/);
  assert.match(x, '<property name="name" value="김민수"/>');
  assert.not.match(x, '<img', 'hostile strings are escaped');
  assert.match(x, '&lt;img src=&quot;http://127.0.0.1:9/evil.png&quot;');
});

test('CSV: BOM, CRLF, a row per trainee, a column per lab and the total; quoting; formulas defused; errors empty', async () => {
  const csv = toCsv(await classDoc(), 'en');
  assert.ok(csv.startsWith('\uFEFFid,name,seed,status,hello,total,max\r\n'));
  const lines = csv.slice(1).split('\r\n');
  assert.is(lines.length, 8, 'header + 6 trainees + final empty');
  assert.is(lines[1], 'kim,김민수,kim,graded,20,20,20');
  assert.is(lines[2], 'lee,"Lee, ""Jay""",lee,graded,10,10,20');
  assert.is(lines[3], `park,"'=HYPERLINK(""http://x"")",park,graded,0,0,20`);
  assert.ok(csv.includes('choi,"line\nbreak",choi,partial,10,10,20'));
  assert.ok(csv.includes('jung,jung,jung,error,,,20'), 'an error is an empty cell, not a zero');
  assert.is(csvField(' x'), '" x"');
  assert.is(csvField('-1'), "'-1");
  assert.is(csvField(-1), '-1');
});

test('Markdown: the matrix, the errors apart, failed checks with evidence; markup escaped', async () => {
  const md = toMarkdown(await classDoc(), 'en');
  assert.match(md, '| Trainee | Name | hello | Total | Status |');
  assert.match(md, '| kim | 김민수 | 20/20 | 20/20 | graded |');
  assert.match(md, '| choi | line break | 10/20\\* | 10/20\\* | partly graded |'.replace(/\\\*/g, '*'));
  assert.match(md, '| jung | jung | error | error | error |');
  assert.match(md, '## Trainees not graded (no points lost)');
  assert.match(md, '- **jung** (ctx-jung): Cannot reach the cluster');
  assert.match(md, '`fail` hello/greeting-configmap (0/10): data.message: expected "hola", found "hola\\\\n"');
  assert.match(md, '  - Field: data.message: "hola\\\\n" · events: none');
  assert.match(md, '(not counted: not the trainee’s doing)');
  assert.not.match(md, '<img');
  assert.not.match(md, '<script');
  const ko = toMarkdown(await classDoc(), 'ko');
  assert.match(ko, '| 실습자 | 이름 | hello | 합계 | 상태 |');
  assert.match(ko, '| jung | jung | 오류 | 오류 | 오류 |');
});

test('HTML (static): CSP default-src none with hashes, no external URL, everything escaped, every cell linked', async () => {
  const html = toHtml(sign(await classDoc(), loadKey(join(tempDir('klab-key-'), 'k'), true)), 'ko');
  assert.match(CSP, /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+';/);
  assert.match(html, `<meta http-equiv="Content-Security-Policy" content="${CSP}">`);
  assert.not.match(html, /\b(src|href|action)\s*=\s*["']?\s*(https?:)?\/\//i, 'no external src/href');
  assert.not.match(html, /url\(/i);
  assert.not.match(html, /<img|<svg/i);
  assert.not.match(html, /<[a-z][^>]*\son[a-z]+=/i, 'no element carries an event handler');
  assert.is((html.match(/<script/g) ?? []).length, 1, 'only klab\'s own script');
  assert.match(html, '&#60;img src=&#34;http://127.0.0.1:9/evil.png&#34;', 'the hostile text is shown as text');
  assert.is((html.match(/<tr data-trainee=/g) ?? []).length, 6);
  assert.is((html.match(/<article class="detail" id="d-\d+-0">/g) ?? []).length, 6);
  assert.match(html, /<td class="cell s10" data-lab="hello" data-score="20" data-max="20" data-status="graded"><a href="#d-0-0">/);
  assert.match(html, /<td class="cell s5" data-lab="hello" data-score="10" data-max="20" data-status="graded">/);
  assert.match(html, /<td class="cell s10" data-lab="hello" data-score="10" data-max="20" data-status="partial">/, 'partial: 10 of the 10 judged points');
  assert.match(html, /<td class="cell err" data-lab="hello" data-score="0" data-max="20" data-status="error">/);
  assert.match(html, 'HMAC-SHA256 key');
});

test('terminal table: aligned by display width (Hangul is two columns), control characters removed', async () => {
  assert.is(displayWidth('김민수'), 6);
  const t = renderTable(await classDoc(), 'ko').split('\n');
  assert.match(t[0], /^실습자\s+이름\s+hello\s+합계\s+상태$/);
  const col = (line: string) => displayWidth(line.slice(0, line.indexOf(line.includes('20/20') ? '20/20' : '오류')));
  assert.is(col(t[1]), col(t.find((l) => l.startsWith('jung'))!));
  assert.ok(t.some((l) => l.startsWith('choi') && l.includes('line?break')));
});

test('merge: shards put together, sorted, re-signable; a trainee in two shards or a lab max mismatch refused', async () => {
  const key = loadKey(join(tempDir('klab-key-'), 'k'), true);
  const all = await classDoc();
  const a = sign({ ...all, trainees: all.trainees.slice(0, 3) }, key);
  const b = sign({ ...all, trainees: all.trainees.slice(3) }, key);
  const m = merge([{ file: 'a.json', doc: a }, { file: 'b.json', doc: b }]);
  assert.is(m.mode, 'merge');
  assert.equal(m.trainees.map((t) => t.id), ['choi', 'evil', 'jung', 'kim', 'lee', 'park']);
  assert.equal(m.labs, all.labs);
  assert.equal(m.trainees.find((t) => t.id === 'lee'), all.trainees.find((t) => t.id === 'lee'));
  assert.ok(verify(sign(m, key), key).ok);
  try { merge([{ file: 'a.json', doc: a }, { file: 'a2.json', doc: a }]); assert.unreachable(); } catch (e) {
    assert.is((e as KlabError).exitCode, 2);
    assert.match((e as KlabError).text.en, "Trainee 'kim' is in both a.json and a2.json");
  }
  const other = { ...b, labs: [{ ...b.labs[0], maxScore: 30 }] };
  try { merge([{ file: 'a.json', doc: a }, { file: 'b.json', doc: other }]); assert.unreachable(); } catch (e) {
    assert.match((e as KlabError).text.en, "Lab 'hello' has a different maximum score in a.json (20) and b.json (30)");
  }
});

test.run();
