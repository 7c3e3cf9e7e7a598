// The tables and cards under the compare view's charts: parameters side by side (differences
// highlighted), final metrics, and each run's diagnostics, error, tags and notes.
import * as api from './api.js';
import {h, replace, statusBadge, note} from './dom.js';
import {fmtNum, fmtParam, fmtTime, fmtDuration, runDuration, paramKey} from './format.js';
import {sortMetricKeys, lowerIsBetter, bestOf, runLabel} from './run-params.js';

function runHead(run) {
  return h('th', {class: 'run-col', title: run.name || ''},
    h('span', {class: 'swatch', style: 'background:' + run.color}), '#' + run.id);
}

const PROVENANCE = [['dataset', 'dataset'], ['datasetChecksum', 'dataset checksum'], ['pluginId', 'plugin'],
  ['pluginVersion', 'plugin version'], ['nnlabVersion', 'nnlab version'], ['gitCommit', 'git commit']];

/** Parameters as rows, runs as columns; rows whose values differ come first and are highlighted. */
export function paramTable(runs, onlyDiffering) {
  const names = [...new Set(runs.flatMap(r => Object.keys(r.params || {})))].sort();
  const differs = name => new Set(runs.map(r => paramKey((r.params || {})[name]))).size > 1;
  const ordered = [...names.filter(differs), ...names.filter(n => !differs(n))];
  const rows = ordered.filter(n => !onlyDiffering || differs(n)).map(name =>
    h('tr', {class: differs(name) ? 'differs' : '', dataset: {param: name}},
      h('th', {class: 'param-name'}, name),
      runs.map(r => h('td', null, fmtParam((r.params || {})[name])))));
  const prov = PROVENANCE.map(([key, label]) => {
    const values = runs.map(r => (r.provenance || {})[key]);
    if (values.every(v => v === null || v === undefined)) return null;
    const d = new Set(values.map(paramKey)).size > 1;
    if (onlyDiffering && !d) return null;
    return h('tr', {class: 'provenance' + (d ? ' differs' : '')},
      h('th', {class: 'param-name muted'}, label), values.map(v => h('td', {class: 'mono small clip', title: v ?? ''}, v ?? '')));
  }).filter(Boolean);
  if (rows.length === 0 && prov.length === 0) return note(onlyDiffering ? 'The runs share every parameter.' : 'No parameters.');
  return h('table', {class: 'grid params-table'},
    h('thead', null, h('tr', null, h('th', null, 'parameter'), runs.map(runHead))),
    h('tbody', null, rows, prov));
}

/** Runs as rows, metrics as columns: the last value, the best value under it; the best run in bold. */
export function finalMetricsTable(runs) {
  const keys = sortMetricKeys(runs.flatMap(r => Object.keys(r.metrics || {})));
  if (keys.length === 0) return note('No metrics yet.');
  const bestRun = {};
  for (const k of keys) {
    const lasts = runs.map(r => ((r.metrics || {})[k] || {}).last).filter(Number.isFinite);
    if (lasts.length > 1 && k !== 'lr') bestRun[k] = lowerIsBetter(k) ? Math.min(...lasts) : Math.max(...lasts);
  }
  return h('table', {class: 'grid metrics-table'},
    h('thead', null, h('tr', null, h('th', null, 'run'), h('th', null, 'status'),
      keys.map(k => h('th', {class: 'num', title: 'last value; below: ' + (lowerIsBetter(k) ? 'min' : 'max')}, k)),
      h('th', {class: 'num'}, 'time'))),
    h('tbody', null, runs.map(r => h('tr', {dataset: {runId: r.id}},
      h('td', {class: 'name'}, h('span', {class: 'swatch', style: 'background:' + r.color}), runLabel(r)),
      h('td', null, statusBadge(r.status)),
      keys.map(k => {
        const s = (r.metrics || {})[k];
        if (!s) return h('td', {class: 'num muted'}, '\u2013');
        const best = bestOf(k, s);
        return h('td', {class: 'num' + (bestRun[k] === s.last ? ' best' : ''), title: `${s.count} points, last at step ${s.lastStep}`},
          fmtNum(s.last), k === 'lr' ? null : h('div', {class: 'sub muted'}, (lowerIsBetter(k) ? 'min ' : 'max ') + fmtNum(best)));
      }),
      h('td', {class: 'num muted'}, fmtDuration(runDuration(r)))))));
}

/** One card per run: status, times, error, diagnostics with their hints, tags, notes (with a form to add one). */
export function runCard(run, onChanged) {
  const events = run.events || [];
  const noteInput = h('input', {type: 'text', placeholder: 'add a note', 'aria-label': 'Note for run ' + run.id});
  const noteError = h('span', {class: 'error-text'});
  const addNote = async e => {
    e.preventDefault();
    const text = noteInput.value.trim();
    if (!text) return;
    try {
      const created = await api.addNote(run.id, text);
      run.notes = [...(run.notes || []), created];
      noteInput.value = '';
      onChanged(run);
    } catch (err) {
      replace(noteError, err.message);
    }
  };
  return h('div', {class: 'run-card', dataset: {runId: run.id}},
    h('div', {class: 'run-card-head'},
      h('span', {class: 'swatch', style: 'background:' + run.color}),
      h('span', {class: 'run-title'}, runLabel(run)),
      statusBadge(run.status),
      h('span', {class: 'muted small'}, [run.family, run.experiment, run.provenance && run.provenance.dataset].filter(Boolean).join(' \u00b7 ')),
      h('span', {class: 'spacer'}),
      h('span', {class: 'muted small', title: 'created ' + fmtTime(run.created)}, run.started ? 'started ' + fmtTime(run.started) : 'not started'),
      run.started ? h('span', {class: 'muted small'}, fmtDuration(runDuration(run))) : null,
      h('a', {class: 'small csv-link', href: api.metricsCsvUrl(run.id), title: 'Every metric point of this run as CSV',
        onclick: e => {
          e.preventDefault();
          api.downloadMetricsCsv(run.id).catch(err => alert('Could not download the CSV: ' + err.message));
        }}, 'CSV')),
    run.error ? h('pre', {class: 'run-error'}, run.error) : null,
    Object.keys(run.tags || {}).length
      ? h('div', {class: 'tags'}, Object.entries(run.tags).map(([k, v]) => h('span', {class: 'tag'}, k + (v ? '=' + v : ''))))
      : null,
    events.length
      ? h('ul', {class: 'events'}, events.map(ev => h('li', {class: 'event level-' + String(ev.level).toLowerCase()},
        h('span', {class: 'badge level'}, ev.level),
        ev.step !== null && ev.step !== undefined ? h('span', {class: 'muted small step'}, 'step ' + ev.step) : null,
        h('code', {class: 'code'}, ev.code),
        h('span', {class: 'message'}, ev.message),
        ev.hint ? h('div', {class: 'hint'}, ev.hint) : null)))
      : h('div', {class: 'muted small'}, 'No diagnostics.'),
    h('div', {class: 'notes'},
      (run.notes || []).map(n => h('div', {class: 'note-item'}, h('span', {class: 'muted small'}, fmtTime(n.created)), ' ', n.text)),
      h('form', {class: 'note-form', onsubmit: addNote}, noteInput, h('button', {type: 'submit'}, 'Add'), noteError)));
}
