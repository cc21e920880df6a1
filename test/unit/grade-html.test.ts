// The HTML gradebook in headless Chromium (Debian's `chromium`, installed by scripts/install-system.sh): the page
// renders (screenshot), its script runs under the CSP, the matrix is asserted from the DOM, hostile strings from a
// cluster stay text; driven over the DevTools protocol, the ko/en toggle and a cell's details work; and neither
// Chromium's network log nor DevTools' request events see a request leave the page — both checked against a control
// page that does make requests, so the detection itself is tested.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import type { Writable, Readable } from 'node:stream';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toHtml } from '../../grade/report/html.js';
import { loadKey, sign } from '../../grade/sign.js';
import { tempDir } from './_cli.js';
import { classDoc } from './_grade.js';

function chromium(): string {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((c) => existsSync(c));
  if (!found) assert.unreachable('chromium is missing: install it with `sudo bash scripts/install-system.sh` (Debian package chromium) or set CHROMIUM=/path/to/chromium');
  return found!;
}

function run(url: string, ...mode: string[]): { stdout: string; netlog: string } {
  const dir = tempDir('klab-chromium-');
  const netlog = join(dir, 'net.json');
  const r = spawnSync(chromium(), [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, `--log-net-log=${netlog}`, ...mode, url,
  ], { encoding: 'utf8', timeout: 90_000 });
  assert.is(r.status, 0, `chromium exited with ${r.status}: ${r.stderr?.slice(-500)}`);
  return { stdout: r.stdout, netlog };
}

/** Requests the page made (not the browser's own): URL requests whose initiator is the file:// page. */
function pageRequests(netlogFile: string): string[] {
  let raw = readFileSync(netlogFile, 'utf8').trim();
  if (!raw.endsWith('}')) raw = raw.replace(/,?\s*$/, '') + ']}'; // a log cut short at exit
  const log = JSON.parse(raw) as { constants: { logEventTypes: Record<string, number> }; events: { type: number; params?: { url?: string; initiator?: string; network_isolation_key?: string } }[] };
  const start = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events.filter((e) => e.type === start && e.params?.url && (e.params.initiator === 'null' || /^file:/.test(e.params.network_isolation_key ?? '')))
    .map((e) => e.params!.url!);
}

/** Open `url` in headless Chromium driven over the DevTools protocol (--remote-debugging-pipe); the caller evaluates
 *  expressions in the page and reads the URLs of every request the page sent. */
async function devtools(url: string) {
  const dir = tempDir('klab-cdp-');
  const child = spawn(chromium(), ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${dir}`, '--remote-debugging-pipe', 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const toBrowser = child.stdio[3] as Writable, fromBrowser = child.stdio[4] as Readable;
  let buf = '', next = 0;
  const waiting = new Map<number, (m: { result?: any; error?: { message: string } }) => void>();
  const events: { method: string; params: any }[] = [];
  const loaded = new Promise<void>((res) => { fromBrowser.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\0'); i >= 0; i = buf.indexOf('\0')) {
      const m = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      if (m.id && waiting.has(m.id)) { waiting.get(m.id)!(m); waiting.delete(m.id); } else events.push(m);
      if (m.method === 'Page.loadEventFired') res();
    }
  }); });
  const send = (method: string, params: object = {}, sessionId?: string) => new Promise<any>((res, rej) => {
    const id = ++next;
    const timer = setTimeout(() => rej(new Error(`DevTools ${method}: no answer in 20s`)), 20_000);
    waiting.set(id, (m) => { clearTimeout(timer); if (m.error) rej(new Error(`${method}: ${m.error.message}`)); else res(m.result); });
    toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
  });
  let sessionId = '';
  try {
    const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
    ({ sessionId } = await send('Target.attachToTarget', { targetId, flatten: true }));
    await send('Network.enable', {}, sessionId);
    await send('Page.enable', {}, sessionId);
    await send('Page.navigate', { url }, sessionId);
    await Promise.race([loaded, new Promise((_, rej) => setTimeout(() => rej(new Error('the page did not load in 20s')), 20_000))]);
  } catch (e) { child.kill(); throw e; }
  return {
    js: async (expression: string) => (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)).result.value,
    requests: () => events.filter((e) => e.method === 'Network.requestWillBeSent').map((e) => e.params.request.url as string),
    close: () => child.kill(),
  };
}

let page = '';
test.before(async () => {
  const dir = tempDir('klab-gradebook-');
  page = join(dir, 'gradebook.html');
  writeFileSync(page, toHtml(sign(await classDoc(), loadKey(join(dir, 'k'), true)), 'en'));
});

test('the gradebook renders to a screenshot', () => {
  const png = join(tempDir('klab-shot-'), 'gradebook.png');
  run(pathToFileURL(page).href + '#d-1-0', `--screenshot=${png}`, '--window-size=1280,1000', '--hide-scrollbars');
  assert.ok(existsSync(png), 'no screenshot');
  assert.equal([...readFileSync(png).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  assert.ok(statSync(png).size > 10_000, `screenshot too small to hold the page: ${statSync(png).size} bytes`);
});

test('the DOM: matrix content, the script ran under the CSP, hostile strings stayed text, no request left the page', () => {
  const { stdout: dom, netlog } = run(pathToFileURL(page).href, '--dump-dom');
  assert.match(dom, /<html lang="en" data-lang="en" data-ready="1">/, 'klab\'s script ran (its CSP hash is right)');
  assert.match(dom, '<title>klab gradebook</title>', 'an injected script would have changed the title');
  const row = (id: string) => new RegExp(`<tr data-trainee="${id}">(.*?)</tr>`, 's').exec(dom)?.[1] ?? '';
  assert.match(row('kim'), '<td>김민수</td>');
  assert.match(row('kim'), /data-lab="hello" data-score="20" data-max="20" data-status="graded"/);
  assert.match(row('lee'), /data-lab="hello" data-score="10" data-max="20" data-status="graded"><a href="#d-1-0"><span lang="ko">10\/20<\/span><span lang="en">10\/20<\/span>/);
  assert.match(row('park'), /data-score="0" data-max="20" data-status="graded"/);
  assert.match(row('choi'), /data-status="partial"><a href="#d-3-0"><span lang="ko">10\/20\*<\/span>/);
  assert.match(row('jung'), /class="cell err"[^>]*data-status="error"><a href="#d-4-0"><span lang="ko">오류<\/span><span lang="en">error<\/span>/);
  assert.is((dom.match(/<tr data-trainee=/g) ?? []).length, 6);
  const detail = /<article class="detail" id="d-1-0">(.*?)<\/article>/s.exec(dom)?.[1] ?? '';
  assert.match(detail, 'data.message: "hola\\n"\nevents: none', 'evidence in the cell\'s details');
  assert.match(detail, 'seed lee · namespace hello-');
  assert.is((dom.match(/<img|<svg/g) ?? []).length, 0, 'no element injected by a diagnosis or a name');
  assert.is((dom.match(/<script/g) ?? []).length, 1);
  assert.match(dom, '&lt;img src="http://127.0.0.1:9/evil.png"', 'the hostile string is visible as text');
  assert.equal(pageRequests(netlog), [], 'the page made no request');
});

const CONTROL = '<!doctype html><img src="http://127.0.0.1:9/canary.png"><script>fetch("http://127.0.0.1:9/fetch-canary").catch(function(){})</script>';

test('control: the same network checks see requests a page does make', async () => {
  const ctl = join(tempDir('klab-control-'), 'control.html');
  writeFileSync(ctl, CONTROL);
  const { netlog } = run(pathToFileURL(ctl).href, '--dump-dom');
  const seen = pageRequests(netlog);
  assert.ok(seen.includes('http://127.0.0.1:9/canary.png'), `canary not seen in the network log: ${JSON.stringify(seen)}`);
  const b = await devtools(pathToFileURL(ctl).href);
  try {
    for (let i = 0; i < 40 && !b.requests().includes('http://127.0.0.1:9/fetch-canary'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(b.requests().includes('http://127.0.0.1:9/canary.png'), `canary not seen over DevTools: ${JSON.stringify(b.requests())}`);
    assert.ok(b.requests().includes('http://127.0.0.1:9/fetch-canary'));
  } finally { b.close(); }
});

test('DevTools: the ko/en toggle switches the language, a cell opens its details, the page sends no request', async () => {
  const b = await devtools(pathToFileURL(page).href);
  const js = b.js;
  try {
    const shown = `[...document.querySelectorAll('#matrix tr[data-trainee="jung"] td.cell span')].filter((e) => getComputedStyle(e).display !== 'none').map((e) => e.textContent).join()`;
    assert.is(await js('document.documentElement.dataset.lang'), 'en');
    assert.is(await js(shown), 'error,error');
    await js(`document.getElementById('lang').click()`);
    assert.is(await js('document.documentElement.dataset.lang'), 'ko');
    assert.is(await js(shown), '오류,오류');
    assert.is(await js(`getComputedStyle(document.getElementById('d-1-0')).display`), 'none');
    await js(`document.querySelector('#matrix tr[data-trainee="lee"] td.cell a').click()`);
    assert.is(await js(`getComputedStyle(document.getElementById('d-1-0')).display`), 'block', 'clicking the cell shows its checks');
    assert.match(await js(`document.getElementById('d-1-0').innerText`), 'data.message: "hola\\n"');
    assert.is(await js('document.title'), 'klab gradebook');
    const requests = b.requests();
    assert.equal(requests.filter((u) => !u.startsWith('file:')), [], 'no request left the page');
    assert.ok(requests.some((u) => u.startsWith('file:')), 'the request log works (the page itself is in it)');
  } finally { b.close(); }
});

test.run();
