// chart-render: a static check of a Helm chart folder. Runs `helm template` (the helm on PATH, else klab's own
// pinned helm) on the trainee's chart with the given value files and `--set`, and asserts on what it renders —
// like helm-unittest's asserts, but on the trainee's own chart and without writing tests into it:
//   contains / notContains  a string somewhere in the selected documents ("must not contain": SENTRY__DSN in dev)
//   entries                 KEY → exact value (null: absent), found wherever the chart puts it: a map key
//                           (ConfigMap data, Secret data decoded from base64) or an env entry {name, value}
//   ordered                 KEY<prefix>0..n-1 equal a list, in order, and no more (range $index …)
//   fields                  a partial match on some selected object (checkers/match.ts)
// Template errors are reported as `<chart>/templates/<file>:<line>` with Helm's own message. Nothing in the cluster
// can change a chart folder: every verdict is settled at once (decision 0020).
import { existsSync, statSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { isAbsolute, join, resolve } from 'node:path';
import { fill } from '../i18n/index.js';
import type { Text } from '../i18n/index.js';
import { CheckError } from './types.js';
import type { CheckContext, Evidence, ProbeResult } from './types.js';
import { registerKind, tfill } from './registry.js';
import type { Spec } from './registry.js';
import { partialMatch, mismatchText } from './match.js';

export interface RenderedDoc { kind: string; name: string; source?: string; text: string; obj: Record<string, any> }
export interface RenderResult { ok: true; docs: RenderedDoc[]; output: string }
export interface RenderFailure { ok: false; where?: string; message: string; output: string }

/** The helm binary: $KLAB_HELM, else `helm` on PATH, else klab's own build (~/.cache/klab/bin/helm-<version>). */
export async function helmBinary(): Promise<string | undefined> {
  if (process.env.KLAB_HELM) return process.env.KLAB_HELM;
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'helm'))) return join(dir, 'helm');
  try {
    const { toolPath } = await import('../cluster/local/tools.js');
    const p = toolPath('helm');
    if (existsSync(p)) return p;
  } catch { /* not a source checkout with the local provider */ }
  return undefined;
}

/** Where Helm's error points in the chart, as `templates/x.yaml:12` (relative to the chart folder), or undefined. */
export function templateErrorLocation(stderr: string): string | undefined {
  const strip = (p: string) => p.replace(/^[^/]+\//, ''); // Helm names files "<chart name>/templates/…"
  let m = /template: ([^:\s]+):(\d+):\d+:/.exec(stderr) ?? /template: ([^:\s]+):(\d+):/.exec(stderr);
  if (m) return `${strip(m[1])}:${m[2]}`;
  if ((m = /parse error at \(([^:\s)]+):(\d+)\)/.exec(stderr))) return `${strip(m[1])}:${m[2]}`;
  if ((m = /YAML parse error on ([^:\s]+): .*?line (\d+)/.exec(stderr))) return `${strip(m[1])} (rendered line ${m[2]})`;
  if ((m = /YAML parse error on ([^:\s]+):/.exec(stderr))) return strip(m[1]);
  return undefined;
}

/** Split `helm template` output into documents (kind, name, the `# Source:` file, own text, parsed object). */
export async function splitRendered(output: string): Promise<RenderedDoc[]> {
  const { parse } = await import('yaml');
  const docs: RenderedDoc[] = [];
  for (const chunk of output.split(/^---\s*$/m)) {
    const src = /^# Source: (.+)$/m.exec(chunk)?.[1];
    let obj: any;
    try { obj = parse(chunk); } catch { obj = undefined; }
    if (!obj || typeof obj !== 'object') continue;
    docs.push({ kind: String(obj.kind ?? ''), name: String(obj.metadata?.name ?? ''), source: src, text: chunk, obj });
  }
  return docs;
}

/** Run `helm template`. A chart Helm cannot render is a RenderFailure (the trainee's to fix), not an exception. */
export async function renderChart(o: { helm: string; chart: string; release: string; namespace: string; values: string[]; set: Record<string, unknown>; signal?: AbortSignal; timeoutMs?: number }): Promise<RenderResult | RenderFailure> {
  const args = ['template', o.release, o.chart, '--namespace', o.namespace];
  for (const v of o.values) args.push('-f', v);
  for (const [k, v] of Object.entries(o.set)) args.push(typeof v === 'string' ? '--set-string' : '--set', `${k}=${v}`);
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string; err?: Error }>((res) => {
    execFile(o.helm, args, { cwd: o.chart, timeout: o.timeoutMs ?? 60_000, maxBuffer: 32 << 20, signal: o.signal, env: { ...process.env, HELM_NO_PLUGINS: '1' } },
      (err, stdout, stderr) => res({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : null) : 0, stdout: String(stdout), stderr: String(stderr), err: err ?? undefined }));
  });
  if (r.code === null) {
    throw new CheckError(fill({ ko: '`helm template` 을 실행하지 못했습니다: {e}', en: 'Could not run `helm template`: {e}' }, { e: r.err?.message ?? 'killed' }));
  }
  if (r.code !== 0) {
    const message = r.stderr.trim().split('\n').filter((l) => !/^WARNING|^walk\.go/.test(l)).join('\n').replace(/^Error: /, '') || `exit ${r.code}`;
    return { ok: false, where: templateErrorLocation(r.stderr), message, output: r.stderr };
  }
  return { ok: true, docs: await splitRendered(r.stdout), output: r.stdout };
}

export interface Entry { key: string; value: string; at: string }

/**
 * Every KEY → value pair of the documents, wherever a chart may put an environment variable: scalar map entries
 * (ConfigMap data, a Secret's data decoded from base64, stringData) and `{name, value}` items (container env).
 */
export function entriesOf(docs: RenderedDoc[]): Entry[] {
  const out: Entry[] = [];
  for (const d of docs) {
    const at = `${d.kind}/${d.name}`;
    const walk = (v: unknown, inSecretData: boolean) => {
      if (Array.isArray(v)) { for (const x of v) walk(x, false); return; }
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if (typeof o.name === 'string' && 'value' in o && (o.value === null || typeof o.value !== 'object')) out.push({ key: o.name, value: o.value == null ? '' : String(o.value), at });
      for (const [k, x] of Object.entries(o)) {
        if (x === null || typeof x !== 'object') {
          if (x === undefined) continue;
          let value = x === null ? '' : String(x);
          if (inSecretData) value = Buffer.from(value, 'base64').toString('utf8');
          out.push({ key: k, value, at });
        } else walk(x, d.kind === 'Secret' && k === 'data' && o === d.obj);
      }
    };
    walk(d.obj, false);
  }
  return out;
}

interface Assertion {
  select?: { kind?: string; name?: string };
  contains?: string;
  notContains?: string;
  entries?: Record<string, string | number | boolean | null>;
  ordered?: { prefix: string; values: (string | number)[] };
  fields?: Record<string, unknown>;
}

const T = (ko: string, en: string): Text => ({ ko, en });

/** The verdicts of one assertion on rendered documents; an empty list means it holds. */
export function judge(a: Assertion, all: RenderedDoc[]): Text[] {
  const bad: Text[] = [];
  const docs = all.filter((d) => (!a.select?.kind || d.kind === a.select.kind) && (!a.select?.name || d.name === a.select.name));
  const what = a.select?.kind ? `${a.select.kind}${a.select.name ? '/' + a.select.name : ''}` : '';
  const inWhat: Text = what ? fill(T(' ({w})', ' ({w})'), { w: what }) : T('', '');
  if (a.select && !docs.length) {
    bad.push(fill(T('렌더링 결과에 {w}{w:이/가} 없습니다 (있는 것: {list}).', 'The rendered chart has no {w} (it has: {list}).'), { w: what || '?', list: all.map((d) => `${d.kind}/${d.name}`).join(', ') || '-' }));
    return bad;
  }
  if (a.contains !== undefined && !docs.some((d) => d.text.includes(a.contains!))) {
    bad.push(tfill(T('렌더링 결과{in}에 "{s}"이(가) 없습니다.', 'The rendered chart{in} does not contain "{s}".'), { s: a.contains, in: inWhat }));
  }
  if (a.notContains !== undefined) {
    const hits = docs.filter((d) => d.text.includes(a.notContains!));
    if (hits.length) {
      const where = hits.map((d) => `${d.kind}/${d.name}${d.source ? ` (${d.source.replace(/^[^/]+\//, '')})` : ''}`).join(', ');
      bad.push(fill(T('렌더링 결과에 "{s}"이(가) 있으면 안 되는데 {where}에 있습니다.', 'The rendered chart must not contain "{s}", but {where} does.'), { s: a.notContains, where }));
    }
  }
  const entries = entriesOf(docs);
  for (const [key, want] of Object.entries(a.entries ?? {})) {
    const found = entries.filter((e) => e.key === key);
    if (want === null) {
      if (found.length) bad.push(fill(T('{k}{k:이/가} 없어야 하는데 {at}에 있습니다 (값 "{v}").', '{k} must be absent, but {at} has it (value "{v}").'), { k: key, at: found[0].at, v: found[0].value }));
    } else if (!found.length) {
      const near = [...new Set(entries.map((e) => e.key).filter((k) => k.toLowerCase().replace(/[^a-z0-9]/g, '') === key.toLowerCase().replace(/[^a-z0-9]/g, '')))];
      bad.push(fill(T('{k}{k:이/가} 렌더링 결과에 없습니다{near}.', '{k} is not in the rendered chart{nearEn}.'), { k: key, near: near.length ? ` (비슷한 이름: ${near.join(', ')})` : '', nearEn: near.length ? ` (similar name: ${near.join(', ')})` : '' }));
    } else if (!found.some((e) => e.value === String(want))) {
      bad.push(fill(T('{k}: 기대 "{want}", 렌더링 결과 "{got}" ({at}).', '{k}: expected "{want}", rendered "{got}" ({at}).'), { k: key, want: String(want), got: found[0].value, at: found[0].at }));
    }
  }
  if (a.ordered) {
    const { prefix, values } = a.ordered;
    const idx = new Map<number, string>();
    const others: string[] = [];
    for (const e of entries) {
      if (!e.key.startsWith(prefix)) continue;
      const n = e.key.slice(prefix.length);
      if (/^\d+$/.test(n)) idx.set(Number(n), e.value); else others.push(e.key);
    }
    const got = [...idx.entries()].sort((x, y) => x[0] - y[0]).map(([n, v]) => `${prefix}${n}=${v}`);
    const want = values.map((v, i) => `${prefix}${i}=${v}`);
    if (got.join('\n') !== want.join('\n')) {
      const why: Text = idx.size && !idx.has(0) && idx.has(1)
        ? T(' 번호가 1부터 시작합니다: range 의 $index 는 0부터입니다.', ' The numbers start at 1: range\'s $index starts at 0.')
        : !idx.size ? (others.length ? fill(T(' ({o}: 번호가 붙지 않았습니다)', ' ({o}: no number after the prefix)'), { o: others.join(', ') }) : T(' (하나도 없습니다: 값 키 이름을 확인하세요)', ' (none at all: check the values key name)'))
          : T('', '');
      bad.push(fill(T('{p}N 이 목록과 순서대로 같지 않습니다: 기대 [{want}], 렌더링 결과 [{got}].{why}', '{p}N do not match the list in order: expected [{want}], rendered [{got}].{whyEn}'),
        { p: prefix, want: want.join(', '), got: got.join(', ') || '-', why: why.ko, whyEn: why.en }));
    }
  }
  if (a.fields) {
    const results = docs.map((d) => partialMatch(a.fields, d.obj));
    if (!results.some((ms) => ms.length === 0)) {
      const best = results.sort((x, y) => x.length - y.length)[0] ?? [];
      const t = mismatchText(best);
      bad.push({ ko: `렌더링 결과${inWhat.ko}가 기대와 다릅니다: ${t.ko.join('; ')}`, en: `The rendered chart${inWhat.en} differs: ${t.en.join('; ')}` });
    }
  }
  return bad;
}

async function probe(spec: Spec, ctx: CheckContext): Promise<ProbeResult> {
  const chart = resolve(String(spec.chart));
  const valueFiles: string[] = spec.values ?? [];
  const shownChart = spec.chart as string;
  const settled = true;
  if (!existsSync(join(chart, 'Chart.yaml'))) {
    const why = !existsSync(chart) ? T('폴더가 없습니다', 'no such folder') : !statSync(chart).isDirectory() ? T('폴더가 아닙니다', 'not a folder') : T('Chart.yaml 이 없습니다', 'no Chart.yaml in it');
    return { ok: false, settled, verifiedBy: 'spec', observed: { chart, found: false },
      reasons: [fill(T('차트 폴더 {c}: {why}.', 'Chart folder {c}: {whyEn}.'), { c: shownChart, why: why.ko, whyEn: why.en })],
      hints: [T('`helm create <이름>` 으로 만들거나 Chart.yaml 과 templates/ 가 있는 폴더를 만드세요.', 'Make one with `helm create <name>`, or a folder with Chart.yaml and templates/.')] };
  }
  const missing = valueFiles.filter((f) => !existsSync(isAbsolute(f) ? f : join(chart, f)));
  if (missing.length) {
    return { ok: false, settled, verifiedBy: 'spec', observed: { chart, missingValues: missing },
      reasons: [fill(T('values 파일이 없습니다: {list} (차트 폴더 {c} 기준).', 'Values file missing: {list} (relative to the chart folder {c}).'), { list: missing.join(', '), c: shownChart })] };
  }
  const helm = await helmBinary();
  if (!helm) return { ok: false, reasons: [], skip: T('helm 이 없습니다: PATH 에 helm 을 두세요 (klab doctor).', 'helm not found: put helm on PATH (klab doctor).') };
  const r = await renderChart({ helm, chart, release: spec.release ?? 'release-name', namespace: spec.namespace ?? ctx.namespace, values: valueFiles.map((f) => (isAbsolute(f) ? f : join(chart, f))), set: spec.set ?? {}, signal: ctx.signal });
  const how = [...valueFiles.map((f) => `-f ${f}`), ...Object.entries(spec.set ?? {}).map(([k, v]) => `--set ${k}=${v}`)].join(' ');
  if (!r.ok) {
    const evidence: Evidence[] = [{ kind: 'note', title: T('helm template 의 오류', 'helm template error'), lines: r.message.split('\n').slice(0, 12) }];
    return { ok: false, settled, verifiedBy: 'spec', evidence, observed: { chart, rendered: false, where: r.where ?? null },
      reasons: [r.where
        ? fill(T('차트가 렌더링되지 않습니다 ({how}): {c}/{where}: {m}', 'The chart does not render ({how}): {c}/{where}: {m}'), { how: how || '-', c: shownChart.replace(/\/$/, ''), where: r.where, m: r.message.split('\n')[0] })
        : fill(T('차트가 렌더링되지 않습니다 ({how}): {m}', 'The chart does not render ({how}): {m}'), { how: how || '-', m: r.message.split('\n')[0] })],
      hints: [fill(T('`helm template {rel} . {how} --debug` 로 직접 보세요.', 'See for yourself: `helm template {rel} . {how} --debug`.'), { rel: spec.release ?? 'release-name', how })] };
  }
  const bad: Text[] = [];
  for (const a of (spec.assert ?? []) as Assertion[]) bad.push(...judge(a, r.docs));
  const objects = r.docs.map((d) => `${d.kind}/${d.name}`);
  const head = fill(T('helm template ({how}): 오브젝트 {n}개', 'helm template ({how}): {n} objects'), { how: how || '-', n: r.docs.length });
  return { ok: bad.length === 0, settled, verifiedBy: 'spec', reasons: [head, ...bad], observed: { chart, rendered: true, objects } };
}

const assertionSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    select: { type: 'object', properties: { kind: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } }, additionalProperties: false },
    contains: { type: 'string', minLength: 1 },
    notContains: { type: 'string', minLength: 1 },
    entries: { type: 'object', minProperties: 1, additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
    ordered: { type: 'object', required: ['prefix', 'values'], additionalProperties: false, properties: { prefix: { type: 'string', minLength: 1 }, values: { type: 'array', items: { type: ['string', 'number'] } } } },
    fields: { type: 'object' },
  },
};

registerKind({
  kind: 'chart-render',
  description: { ko: 'Helm 차트 폴더를 helm template 으로 렌더링해 본 결과 (값 파일, --set; 포함/불포함, 정확한 값, 순서 있는 키; 템플릿 오류는 파일:줄)', en: 'What a Helm chart folder renders with helm template (value files, --set; contains / must not contain, exact values, ordered keys; template errors as file:line)' },
  properties: {
    chart: { type: 'string', minLength: 1 },
    release: { type: 'string', minLength: 1 },
    namespace: { type: 'string', minLength: 1 },
    values: { type: 'array', items: { type: 'string', minLength: 1 } },
    set: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    assert: { type: 'array', items: assertionSchema },
  },
  required: ['chart'],
  defaultTimeoutMs: 0,
  title: (s) => fill({ ko: '차트 렌더링 {c} {v}', en: 'Chart renders: {c} {v}' }, { c: s.chart, v: (s.values ?? []).join(' ') }),
  probe,
});
