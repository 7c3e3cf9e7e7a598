// The files runs stored, side by side in the compare view: one row per artifact name, one column per
// run. Images show inline, text as text, a confusion matrix as a heat map drawn on a canvas, anything
// else as a download link. Every name, class name and text goes in as text (h() never parses HTML;
// canvas text is pixels), and the files are fetched from the API, never embedded as markup.
import * as api from './api.js';
import {h, note} from './dom.js';
import {PROJECTION_TYPE, embeddingProjector, neighbourBox} from './projector.js';
import {HESSIAN_TYPE, hessianSpectrum} from './hessian-chart.js';

export const CONFUSION_TYPE = 'application/vnd.nnlab.confusion+json';
/** Text larger than this is offered as a download instead of being shown. */
const MAX_TEXT_BYTES = 200 * 1024;

/** What an artifact is shown as, from its media type. */
export function kindOf(a) {
  const type = String(a.mediaType || '').split(';')[0].trim().toLowerCase();
  if (type === CONFUSION_TYPE) return 'confusion';
  if (type === PROJECTION_TYPE) return 'projection';
  if (type === HESSIAN_TYPE) return 'hessian';
  if (/^image\/(png|jpeg|gif|webp|bmp)$/.test(type)) return 'image';
  if (a.size <= MAX_TEXT_BYTES && (type.startsWith('text/') || type === 'application/json' || type.endsWith('+json'))) return 'text';
  return 'download';
}

function fmtBytes(n) {
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  return (n / 1024 / 1024).toFixed(1) + ' MiB';
}

/** A link that downloads through api.downloadFile (the token in a header, never in the address). */
function downloadLink(a) {
  return h('a', {class: 'artifact-download', href: a.url, download: a.name, onclick: e => {
    e.preventDefault();
    api.downloadFile(a.url, a.name).catch(err => alert('Could not download ' + a.name + ': ' + err.message));
  }}, '\u2193 ' + a.name, h('span', {class: 'muted small'}, ' (' + fmtBytes(a.size) + ')'));
}

/** An <img> whose picture is fetched with the token header and shown from a blob URL. */
function image(a) {
  const img = h('img', {class: 'artifact-image', alt: a.name});
  api.blobUrl(a.url).then(u => {
    img.onload = () => URL.revokeObjectURL(u);
    img.src = u;
  }).catch(e => img.replaceWith(note('Cannot show ' + a.name + ': ' + e.message, 'error')));
  return img;
}

/**
 * The panel body: artifact names as rows, runs as columns. `runs` carry `id`, `color` and `artifacts`
 * (the list of GET /api/runs/{id}/artifacts).
 */
export function artifactGrid(runs) {
  const names = [...new Set(runs.flatMap(r => (r.artifacts || []).map(a => a.name)))].sort(byKind(runs));
  if (names.length === 0) return note('These runs stored no artifacts.');
  const head = h('div', {class: 'artifact-row artifact-head', style: columns(runs)},
    h('div', {class: 'artifact-name'}),
    runs.map(r => h('div', {class: 'artifact-run', title: r.name || ''},
      h('span', {class: 'swatch', style: 'background:' + r.color}), '#' + r.id)));
  const rows = names.map(name => h('div', {class: 'artifact-row', style: columns(runs), dataset: {artifact: name}},
    h('div', {class: 'artifact-name mono', title: name}, name),
    runs.map(r => {
      const a = (r.artifacts || []).find(x => x.name === name);
      return h('div', {class: 'artifact-cell', dataset: {runId: r.id}}, a ? view(a, r) : h('span', {class: 'muted small'}, '\u2014'));
    })));
  return h('div', {class: 'artifact-grid'}, head, rows);
}

/** Pictures first, then confusion matrices, then text, then downloads; by name within each. */
function byKind(runs) {
  const order = {projection: 0, image: 1, confusion: 2, hessian: 2, text: 3, download: 4};
  const kinds = new Map();
  for (const r of runs) for (const a of r.artifacts || []) if (!kinds.has(a.name)) kinds.set(a.name, kindOf(a));
  return (x, y) => (order[kinds.get(x)] - order[kinds.get(y)]) || (x < y ? -1 : x > y ? 1 : 0);
}

function columns(runs) {
  return 'grid-template-columns: 160px repeat(' + runs.length + ', minmax(0, 1fr))';
}

function view(a, run) {
  switch (kindOf(a)) {
    case 'projection': return loading(a, async box => {
      const p = JSON.parse(await api.getArtifactText(a.url));
      box.replaceChildren(embeddingProjector(p), neighbourBox(run.id), h('div', null, downloadLink(a)));
    });
    case 'hessian': return loading(a, async box => {
      box.replaceChildren(hessianSpectrum(JSON.parse(await api.getArtifactText(a.url))), h('div', null, downloadLink(a)));
    });
    case 'image':
      return h('div', null,
        image(a),
        h('div', null, downloadLink(a)));
    case 'confusion': return loading(a, async box => {
      const m = JSON.parse(await api.getArtifactText(a.url));
      box.replaceChildren(confusionHeatmap(m), h('div', null, downloadLink(a)));
    });
    case 'text': return loading(a, async box => {
      box.replaceChildren(h('pre', {class: 'artifact-text'}, await api.getArtifactText(a.url)), h('div', null, downloadLink(a)));
    });
    default: return downloadLink(a);
  }
}

/** A box that fills itself once the file is fetched; a failure shows the reason and the download link. */
function loading(a, fill) {
  const box = h('div', {class: 'artifact-loading'}, note('Loading ' + a.name + '\u2026'));
  fill(box).catch(e => box.replaceChildren(note('Cannot show ' + a.name + ': ' + e.message, 'error'), downloadLink(a)));
  return box;
}

/**
 * A confusion matrix {classes, counts} as a heat map: rows the true class, columns the predicted
 * one, each cell coloured by its share of the row (so a rare class is as readable as a common one)
 * and labelled with its count.
 */
export function confusionHeatmap(m) {
  const classes = (m.classes || []).map(String);
  const counts = m.counts || [];
  const n = classes.length;
  const cell = Math.max(14, Math.min(40, Math.floor(420 / Math.max(n, 1))));
  const label = s => (s.length > 10 ? s.slice(0, 9) + '\u2026' : s);
  const ctx0 = document.createElement('canvas').getContext('2d');
  ctx0.font = '11px sans-serif';
  const margin = Math.ceil(Math.max(20, ...classes.map(c => ctx0.measureText(label(c)).width))) + 22;
  const size = margin + n * cell + 4;
  const ratio = window.devicePixelRatio || 1;
  const canvas = h('canvas', {class: 'confusion-heatmap', width: Math.round(size * ratio), height: Math.round(size * ratio),
    style: 'width:' + size + 'px;height:' + size + 'px', role: 'img',
    'aria-label': 'Confusion matrix of ' + n + ' classes: rows the true class, columns the predicted class',
    dataset: {classes: n, total: counts.flat().reduce((s, v) => s + v, 0)}});
  const ctx = canvas.getContext('2d');
  ctx.scale(ratio, ratio);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let i = 0; i < n; i++) {
    const row = counts[i] || [];
    const sum = row.reduce((s, v) => s + v, 0);
    for (let j = 0; j < n; j++) {
      const v = row[j] || 0;
      const share = sum > 0 ? v / sum : 0;
      const x = margin + j * cell, y = margin + i * cell;
      ctx.fillStyle = shade(share);
      ctx.fillRect(x, y, cell - 1, cell - 1);
      if (cell >= 18 && v > 0) {
        ctx.fillStyle = share > 0.55 ? '#fff' : '#1d2329';
        ctx.font = (cell >= 30 ? 11 : 9) + 'px sans-serif';
        ctx.fillText(String(v), x + cell / 2, y + cell / 2, cell - 2);
      }
    }
  }
  ctx.fillStyle = '#3a434d';
  ctx.font = '11px sans-serif';
  for (let i = 0; i < n; i++) {
    ctx.textAlign = 'right';
    ctx.fillText(label(classes[i]), margin - 4, margin + i * cell + cell / 2);
    ctx.save();
    ctx.translate(margin + i * cell + cell / 2, margin - 4);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'left';
    ctx.fillText(label(classes[i]), 0, 0);
    ctx.restore();
  }
  ctx.fillStyle = '#6b7480';
  ctx.textAlign = 'left';
  ctx.fillText('true \u2193  predicted \u2192', 2, 8);
  return canvas;
}

/** White to the UI's accent blue as the row share goes from 0 to 1. */
function shade(share) {
  const mix = (a, b) => Math.round(a + (b - a) * Math.sqrt(share));
  return 'rgb(' + mix(255, 31) + ',' + mix(255, 90) + ',' + mix(255, 160) + ')';
}
