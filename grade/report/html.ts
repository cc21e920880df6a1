// The offline HTML gradebook: one file, trainees × labs coloured by score; a cell opens its checks, diagnoses and
// evidence; ko/en toggle. No external asset and no request: a Content-Security-Policy of `default-src 'none'` with
// the hashes of the one stylesheet and the one script, and every string from a cluster or roster escaped.
import { createHash } from 'node:crypto';
import { tr, type Lang, type Text } from '../../i18n/index.js';
import type { GradeDoc, GradedCheck, GradedLab, TraineeResult } from '../types.js';
import { gmsg, type GradeMessageKey } from '../messages.js';
import { cellOf, cellText, counts, statusText, totalOf, type Cell } from './cells.js';

export function htmlEscape(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Both languages; CSS shows the chosen one. */
const both = (t: Text) => `<span lang="ko">${htmlEscape(t.ko)}</span><span lang="en">${htmlEscape(t.en)}</span>`;
const L = (k: GradeMessageKey, v: Record<string, string | number> = {}) => both(gmsg(k, v));
const plain = (s: string) => htmlEscape(s);
const textOf = (f: (l: Lang) => string): Text => ({ ko: f('ko'), en: f('en') });

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;background:#fafafa}
html[data-lang=ko] body [lang=en],html[data-lang=en] body [lang=ko]{display:none}
header{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}h1{font-size:1.4rem;margin:0}
table{border-collapse:collapse;margin:1rem 0;background:#fff}#matrix th{white-space:nowrap}th,td{border:1px solid #ccc;padding:.3rem .55rem;text-align:left;vertical-align:top}
#matrix td.cell{text-align:center;font-variant-numeric:tabular-nums;padding:0}#matrix td.cell a{display:block;padding:.3rem .55rem;color:inherit;text-decoration:none}#matrix td.cell[data-total]{padding:.3rem .55rem}
.s0{background:#f4a3a3}.s1{background:#f6b59a}.s2{background:#f8c792}.s3{background:#fad98a}.s4{background:#fbe784}.s5{background:#eef08a}.s6{background:#d8ec8e}.s7{background:#c1e695}.s8{background:#a9df9c}.s9{background:#93d8a3}.s10{background:#7fd1aa}
.err{background:#d9d2e9;font-style:italic}.missing{background:#eee}
.detail{display:none;border:1px solid #bbb;background:#fff;padding:.5rem 1rem;margin:1rem 0}.detail:target{display:block}
.pass{color:#18794e}.fail{color:#b3261e}.skip{color:#8a6d00}.error{color:#6b3fa0}
pre{white-space:pre-wrap;word-break:break-word;background:#f3f3f3;padding:.4rem;margin:.2rem 0}
.muted{color:#666}
`;
const SCRIPT = `
(function(){var h=document.documentElement,b=document.getElementById('lang');
b.addEventListener('click',function(){h.setAttribute('data-lang',h.getAttribute('data-lang')==='ko'?'en':'ko');});
h.setAttribute('data-ready','1');})();
`;
const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
export const CSP = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; img-src 'none'; base-uri 'none'; form-action 'none'`;

function shade(c: Cell): string {
  if (c.status === 'missing') return 'missing';
  if (c.status === 'error' || c.percent === null) return 'err';
  return `s${Math.max(0, Math.min(10, Math.floor(c.percent / 10)))}`;
}

function checkRow(r: GradedCheck): string {
  const ev = r.evidence.map((e) => `<div>${both(e.title)}<pre>${plain(e.lines.join('\n'))}</pre></div>`).join('');
  const hint = r.hint && r.status !== 'pass' ? `<div class="muted">${L('out.hint')}: ${both(r.hint)}</div>` : '';
  const note = r.counted ? '' : ` <span class="muted">(${L('out.notCounted')})</span>`;
  return `<tr data-check="${plain(r.id)}" data-status="${r.status}"><td class="${r.status}">${r.status}</td><td>${plain(r.id)}<br>${both(r.title)}</td>`
    + `<td>${r.points}/${r.maxPoints}${note}</td><td><pre>${both(r.message)}</pre>${hint}${ev}</td></tr>`;
}

function detail(t: TraineeResult, l: GradedLab, id: string): string {
  const head = `<h2>${plain(t.id)} — ${plain(l.lab)}: ${both(textOf((lang) => cellText(cellOf(t, l.lab), lang)))}</h2>`;
  const meta = `<p class="muted">${L('out.where', { seed: l.seed, namespace: l.namespace, context: t.context, time: t.startedAt, version: t.klabVersion })}</p>`;
  const err = t.error ? `<p class="error">${both(t.error)}</p>` : '';
  const rows = l.checks.map(checkRow).join('');
  const table = rows ? `<table><thead><tr><th>${L('out.status')}</th><th>${L('out.check')}</th><th>${L('out.points')}</th><th>${L('out.diagnosis')}</th></tr></thead><tbody>${rows}</tbody></table>` : '';
  return `<article class="detail" id="${id}">${head}${meta}${err}${table}</article>`;
}

export function toHtml(doc: GradeDoc, lang: Lang): string {
  const c = counts(doc);
  const head = `<tr><th>${L('out.trainee')}</th><th>${L('out.name')}</th>${doc.labs.map((l) => `<th title="${plain(l.title[lang])}">${plain(l.id)}</th>`).join('')}<th>${L('out.total')}</th><th>${L('out.status')}</th></tr>`;
  const details: string[] = [];
  const rows = doc.trainees.map((t, i) => {
    const cells = doc.labs.map((lab, j) => {
      const cell = cellOf(t, lab.id);
      const l = t.labs.find((x) => x.lab === lab.id);
      const id = `d-${i}-${j}`;
      if (l) details.push(detail(t, l, id));
      const inner = both(textOf((lg) => cellText(cell, lg)));
      return `<td class="cell ${shade(cell)}" data-lab="${plain(lab.id)}" data-score="${cell.score}" data-max="${cell.maxScore}" data-status="${cell.status}">${l ? `<a href="#${id}">${inner}</a>` : inner}</td>`;
    }).join('');
    const total = totalOf(t);
    return `<tr data-trainee="${plain(t.id)}"><th>${plain(t.id)}</th><td>${plain(t.name)}</td>${cells}<td class="cell ${shade(total)}" data-total="${t.score}">${both(textOf((lg) => cellText(total, lg)))}</td><td${t.flagged ? ' data-flagged="true"' : ''}>${both(textOf((lg) => statusText(t.status, lg) + (t.flagged ? ` ⚑ ${tr(gmsg('sub.flagged'), lg)}` : '')))}</td></tr>`;
  }).join('\n');
  const errors = doc.trainees.filter((t) => t.status === 'error').map((t) => `<li><b>${plain(t.id)}</b> (${plain(t.context)}): ${both(t.error ?? gmsg('out.error', {}))}</li>`).join('');
  const signed = doc.signature ? `HMAC-SHA256 key ${plain(doc.signature.keyId)}` : L('out.unsigned');
  return `<!doctype html>
<html lang="${lang}" data-lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<title>klab gradebook</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${L('out.title')}</h1><button id="lang" type="button">한국어 / English</button></header>
<p class="muted">${L('out.meta', { version: doc.klabVersion, time: doc.createdAt, n: doc.trainees.length, graded: c.graded, partial: c.partial, error: c.error })} · ${signed}</p>${doc.interrupted ? `\n<p class="error" id="interrupted">${L('sub.partialDoc')}</p>` : ''}
<table id="matrix"><thead>${head}</thead><tbody>
${rows}
</tbody></table>
<p class="muted">${L('out.partialNote')} ${L('out.clickCell')}</p>
${errors ? `<h2>${L('out.errors')}</h2><ul id="errors">${errors}</ul>` : ''}
<section id="details">
${details.join('\n')}
</section>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
