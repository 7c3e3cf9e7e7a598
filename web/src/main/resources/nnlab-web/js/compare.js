// #/compare?ids=1,2,3: learning curves of several runs overlaid (one chart per metric, EMA
// smoothing, step/epoch/wall-time x axis, log y, bucket bands, seed groups), then their parameters,
// final metrics, the files each run stored (artifacts), per-layer statistics and diagnostics.
// RUNNING runs grow live from the SSE stream.
import * as api from './api.js';
import {subscribe} from './live.js';
import {h, replace, statusBadge, note, debounce} from './dom.js';
import {runColor} from './colors.js';
import {sortMetricKeys, runLabel, splitParams} from './run-params.js';
import {fmtParam} from './format.js';
import {X_MODES, xOf, startTime, runCurve, groupBySeed, groupCurve} from './curve-data.js';
import {lineDatasets, createCurveChart, setDatasets, appendToLine, setXMax} from './curve-chart.js';
import {layerStats, renderLayerCharts} from './layer-charts.js';
import {paramTable, finalMetricsTable, runCard} from './run-details.js';
import {setQuery} from './route.js';
import {artifactGrid} from './artifacts.js';

const ACTIVE = new Set(['QUEUED', 'RUNNING']);

export function mount(root, query) {
  const ids = [...new Set((query.get('ids') || '').split(',').map(s => Number(s.trim())).filter(n => n > 0))];
  if (ids.length === 0) {
    const last = sessionStorage.getItem('nnlab.lastCompare');
    replace(root, h('h2', null, 'Compare runs'),
      note('Select two or more runs in the Runs table and press Compare.'),
      h('div', {class: 'toolbar'}, h('a', {href: '#/runs'}, 'Go to the runs table'),
        last ? h('a', {href: '#/compare?ids=' + last}, 'Back to the last comparison (runs ' + last + ')') : null));
    return null;
  }
  sessionStorage.setItem('nnlab.lastCompare', ids.join(','));
  const smoothingParam = query.get('smoothing');
  const state = {
    weight: smoothingParam === null ? 0.6 : Math.min(Math.max(Number(smoothingParam) || 0, 0), 0.99),
    mode: X_MODES[query.get('x')] ? query.get('x') : 'step',
    logY: query.get('logy') === '1',
    group: query.get('group') === '1',
    onlyDiffering: ids.length > 1,
    layerStat: 'dead_fraction',
    hidden: new Set(),
  };
  const charts = window.nnlab.charts;
  const runs = ids.map((id, i) => ({id, color: runColor(i), series: {}, layers: null, events: [], status: 'LOADING'}));
  const byId = new Map(runs.map(r => [r.id, r]));
  const emaState = new Map(); // lineId|metric -> the EMA that continues a line with live points
  const cardCache = new Map(); // run id -> {sig, el}
  let layersSig = null;
  let artifactsSig = null;
  let loaded = false;
  let buffered = [];
  let alive = true;

  const slider = h('input', {id: 'smoothing', type: 'range', min: 0, max: 0.99, step: 0.01, value: state.weight,
    'aria-label': 'Smoothing', oninput: () => {
      state.weight = Number(slider.value);
      sliderValue.textContent = state.weight.toFixed(2);
      saveQuery();
      refreshCurves();
    }});
  const sliderValue = h('span', {class: 'slider-value mono'}, state.weight.toFixed(2));
  const xSelect = h('select', {id: 'x-axis', 'aria-label': 'x axis', onchange: () => {
    state.mode = xSelect.value;
    saveQuery();
    renderCharts();
  }}, Object.entries(X_MODES).map(([k, label]) => h('option', {value: k, selected: k === state.mode}, label)));
  const logBox = h('input', {id: 'log-y', type: 'checkbox', checked: state.logY, onchange: () => {
    state.logY = logBox.checked;
    saveQuery();
    renderCharts();
  }});
  const groupBox = h('input', {id: 'group-seeds', type: 'checkbox', checked: state.group, onchange: () => {
    state.group = groupBox.checked;
    saveQuery();
    renderCharts();
  }});
  const legend = h('div', {class: 'legend'});
  const curves = h('div', {class: 'chart-grid'}, note('Loading runs\u2026'));
  const params = h('div', {class: 'table-wrap'});
  const metrics = h('div', {class: 'table-wrap'});
  const layerSelect = h('select', {'aria-label': 'Layer statistic', onchange: () => {
    state.layerStat = layerSelect.value;
    renderLayers();
  }});
  const layers = h('div', {class: 'small-grid'});
  const cards = h('div', {class: 'run-cards'});
  const artifacts = h('div', {id: 'artifacts'});
  const problems = h('div');

  replace(root,
    h('div', {class: 'toolbar compare-toolbar'},
      h('h2', null, ids.length === 1 ? 'Run #' + ids[0] : 'Compare ' + ids.length + ' runs'),
      h('label', {class: 'control', title: 'TensorBoard-style debiased exponential moving average, the same weight for every run'},
        'smoothing ', slider, sliderValue),
      h('label', {class: 'control'}, 'x ', xSelect),
      h('label', {class: 'control'}, logBox, ' log y'),
      h('label', {class: 'control', title: 'Runs that differ only in their seed: mean line, min-max band'}, groupBox, ' group by seed'),
      h('span', {class: 'spacer'}),
      h('a', {href: '#/runs?sel=' + ids.join(',')}, 'change selection')),
    problems, legend, curves,
    h('section', {class: 'panel'},
      h('div', {class: 'panel-head'}, h('h3', null, 'Parameters'),
        h('label', {class: 'control'}, h('input', {type: 'checkbox', checked: state.onlyDiffering, onchange: e => {
          state.onlyDiffering = e.target.checked;
          renderDetails();
        }}), ' only differing')),
      params),
    h('section', {class: 'panel'}, h('div', {class: 'panel-head'}, h('h3', null, 'Final metrics')), metrics),
    h('section', {class: 'panel'},
      h('div', {class: 'panel-head'}, h('h3', null, 'Artifacts'),
        h('span', {class: 'muted small'}, 'files the runs stored: the test-set confusion matrix (rows: true class, '
          + 'colour: share of the row), weight pictures, the final weights')),
      artifacts),
    h('section', {class: 'panel'},
      h('div', {class: 'panel-head'}, h('h3', null, 'Per-layer statistics'), layerSelect,
        h('span', {class: 'muted small'}, 'dead_fraction: share of a ReLU layer\u2019s units that output 0 for every training sample since the previous point; '
          + 'dead_fraction_probe: the same on up to 1,000 fixed validation samples at each epoch end')),
      layers),
    h('section', {class: 'panel'}, h('div', {class: 'panel-head'}, h('h3', null, 'Runs and diagnostics')), cards));

  function saveQuery() {
    setQuery({ids: ids.join(','), smoothing: state.weight === 0.6 ? '' : state.weight, x: state.mode === 'step' ? '' : state.mode,
      logy: state.logY ? '1' : '', group: state.group ? '1' : ''});
  }

  // --- what is plotted: one line per run, or one per seed group ---
  function lines() {
    const ready = runs.filter(r => r.status !== 'LOADING' && r.status !== 'MISSING');
    if (!state.group) {
      return ready.map(r => ({id: 'r' + r.id, label: runLabel(r), color: r.color, runIds: [r.id], runs: [r]}));
    }
    // A group is named by what tells it apart from the other groups (its run names carry a seed).
    const unseeded = ready.map(r => {
      const params = {...(r.params || {})};
      delete params.seed;
      return {params};
    });
    const {varying} = splitParams(unseeded);
    return groupBySeed(ready).map(g => {
      const first = g.runs[0];
      if (g.runs.length === 1) return {id: 'g' + first.id, label: runLabel(first), color: first.color, runIds: [first.id], runs: g.runs};
      const what = varying.map(k => k + '=' + fmtParam((first.params || {})[k])).join(' ') || first.family || 'runs';
      const seeds = g.runs.map(r => (r.params || {}).seed).filter(s => s !== undefined);
      const label = what + ' \u2014 mean of ' + g.runs.length + ' seeds (' + seeds.join(', ') + '; runs '
        + g.runs.map(r => '#' + r.id).join(' ') + ')';
      return {id: 'g' + first.id, label, color: first.color, runIds: g.runs.map(r => r.id), runs: g.runs};
    });
  }

  function curveOf(line, metric) {
    if (line.runs.length > 1) return groupCurve(line.runs, metric, state.mode, state.weight);
    const c = runCurve(line.runs[0], metric, state.mode, state.weight);
    emaState.set(line.id + '|' + metric, c.ema);
    return c;
  }

  function datasetsFor(metric) {
    return lines().flatMap(line => lineDatasets({...line, hidden: state.hidden.has(line.id)}, curveOf(line, metric), metric));
  }

  /** Metrics worth a chart: anything with a curve; a one-point test metric lives in the final table. */
  function metricKeys() {
    const counts = new Map();
    for (const r of runs) {
      for (const [k, s] of Object.entries(r.series)) counts.set(k, Math.max(counts.get(k) || 0, s.points.length));
    }
    return sortMetricKeys([...counts.keys()].filter(k => counts.get(k) > 1 || (counts.get(k) === 1 && !k.startsWith('test_'))));
  }

  /** Learning rates compared across a sweep differ by powers of ten: their chart is log y by itself. */
  function spansDecades(key) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of runs) {
      for (const p of ((r.series[key] || {}).points || [])) {
        if (!(p.value > 0)) return false;
        lo = Math.min(lo, p.value);
        hi = Math.max(hi, p.value);
      }
    }
    return hi / lo >= 10;
  }

  /** The largest x of any point of any run: the right end of every curve chart. */
  function xMax() {
    let max = -Infinity;
    for (const r of runs) {
      for (const s of Object.values(r.series)) {
        const last = s.points[s.points.length - 1];
        if (last) max = Math.max(max, xOf(state.mode, last, startTime(r)));
      }
    }
    return Number.isFinite(max) && max > 0 ? max : undefined;
  }

  function renderCharts() {
    for (const key of Object.keys(charts)) {
      if (!key.startsWith('layers:')) {
        charts[key].destroy();
        delete charts[key];
      }
    }
    emaState.clear();
    renderLegend();
    const keys = metricKeys();
    if (keys.length === 0) {
      const waiting = runs.some(r => ACTIVE.has(r.status));
      replace(curves, note(waiting ? 'Waiting for the first points\u2026' : 'These runs recorded no metrics.'));
      return;
    }
    const logY = key => state.logY || (key === 'lr' && spansDecades(key));
    replace(curves, keys.map(key => {
      const canvas = h('canvas', {id: 'chart-' + key});
      const box = h('div', {class: 'chart-card', dataset: {metric: key}},
        h('div', {class: 'chart-title'}, key, logY(key) ? h('span', {class: 'muted small'}, ' log') : null),
        h('div', {class: 'canvas-box'}, canvas));
      return box;
    }));
    for (const key of keys) {
      charts[key] = createCurveChart(document.getElementById('chart-' + key), key, datasetsFor(key),
        {mode: state.mode, logY: logY(key), xMax: xMax()});
    }
  }

  /** The smoothing weight changed: recompute every line in place (no new charts). */
  function refreshCurves() {
    emaState.clear();
    for (const key of metricKeys()) if (charts[key]) setDatasets(charts[key], datasetsFor(key));
  }

  function renderLegend() {
    replace(legend, lines().map(line => {
      const chip = h('button', {class: 'legend-chip' + (state.hidden.has(line.id) ? ' off' : ''), type: 'button',
        title: 'Show or hide in every chart', dataset: {lineId: line.id}, onclick: () => {
          state.hidden.has(line.id) ? state.hidden.delete(line.id) : state.hidden.add(line.id);
          chip.classList.toggle('off');
          for (const [key, chart] of Object.entries(charts)) {
            if (key.startsWith('layers:')) continue;
            for (const d of chart.data.datasets) if (d.lineId === line.id) d.hidden = state.hidden.has(line.id);
            chart.update('none');
          }
        }},
      h('span', {class: 'swatch', style: 'background:' + line.color}), line.label);
      const counts = new Map();
      for (const r of line.runs) counts.set(r.status, (counts.get(r.status) || 0) + 1);
      const statuses = [...counts].map(([st, n]) => [n > 1 ? h('span', {class: 'muted small'}, n + '\u00d7') : null, statusBadge(st)]);
      const stoppable = line.runs.filter(r => ACTIVE.has(r.status));
      return h('span', {class: 'legend-item'}, chip, statuses,
        stoppable.map(r => h('button', {class: 'small danger', title: 'Stop run ' + r.id + ' after its current step',
          onclick: async e => {
            e.target.disabled = true;
            try {
              await api.stopRun(r.id);
            } catch (err) {
              replace(problems, note('Could not stop run ' + r.id + ': ' + err.message, 'error'));
            }
          }}, 'stop')));
    }));
    const missing = runs.filter(r => r.status === 'MISSING');
    if (missing.length) replace(problems, note(missing.map(r => 'Run ' + r.id + ': ' + r.problem).join('; '), 'error'));
  }

  function renderDetails() {
    const ready = runs.filter(r => r.status !== 'LOADING' && r.status !== 'MISSING');
    replace(params, paramTable(ready, state.onlyDiffering));
    replace(metrics, finalMetricsTable(ready));
    // A card is rebuilt only when what it shows changed, so the 5 s refresh of a running run does
    // not wipe a note being typed.
    replace(cards, ready.map(r => {
      const sig = JSON.stringify([r.status, r.started, r.ended, r.error, (r.events || []).length, (r.notes || []).length, r.tags]);
      const cached = cardCache.get(r.id);
      if (cached && cached.sig === sig) return cached.el;
      const el = runCard(r, () => renderDetails());
      cardCache.set(r.id, {sig, el});
      return el;
    }));
  }

  /** Rebuilt only when a run's list of files changed, so images and heat maps are not fetched again. */
  function renderArtifacts() {
    const ready = runs.filter(r => r.status !== 'LOADING' && r.status !== 'MISSING');
    const sig = JSON.stringify(ready.map(r => [r.id, (r.artifacts || []).map(a => a.name + ':' + a.sha256)]));
    if (sig === artifactsSig) return;
    artifactsSig = sig;
    replace(artifacts, artifactGrid(ready));
  }

  function renderLayers() {
    const ready = runs.filter(r => r.layers);
    const sig = JSON.stringify([state.layerStat, ready.map(r => [r.id, Object.values((r.layers.series || {})[state.layerStat] || {}).map(s => s.length)])]);
    if (sig === layersSig) return;
    layersSig = sig;
    const stats = layerStats(ready);
    if (!stats.includes(state.layerStat) && stats.length) state.layerStat = stats[0];
    replace(layerSelect, stats.map(s => h('option', {value: s, selected: s === state.layerStat}, s)));
    layerSelect.hidden = stats.length === 0;
    if (stats.length === 0) {
      for (const key of Object.keys(charts)) if (key.startsWith('layers:')) { charts[key].destroy(); delete charts[key]; }
      replace(layers, note('No per-layer statistics recorded.'));
      return;
    }
    renderLayerCharts(layers, ready, state.layerStat, charts);
  }

  // --- loading ---
  async function loadRun(run) {
    try {
      const [row, m, l, ev, files] = await Promise.all([api.getRun(run.id), api.getMetrics(run.id, {maxPoints: 1000}),
        api.getLayers(run.id).catch(() => null), api.getEvents(run.id).catch(() => []), api.getArtifacts(run.id).catch(() => [])]);
      Object.assign(run, row, {color: run.color, series: m.series || {}, layers: l, events: ev, artifacts: files});
    } catch (e) {
      run.status = 'MISSING';
      run.problem = e.status === 404 ? 'no such run' : e.message;
    }
  }

  async function refreshRun(run) {
    try {
      const [row, l, ev, files] = await Promise.all([api.getRun(run.id), api.getLayers(run.id).catch(() => run.layers),
        api.getEvents(run.id).catch(() => run.events), api.getArtifacts(run.id).catch(() => run.artifacts)]);
      if (!alive) return;
      Object.assign(run, row, {color: run.color, series: run.series, layers: l, events: ev, artifacts: files});
      renderLegend();
      renderDetails();
      renderLayers();
      renderArtifacts();
    } catch (e) {
      // The run may have been deleted meanwhile; keep what is shown.
    }
  }

  // --- live ---
  function applyPoints(ev) {
    const run = byId.get(ev.runId);
    if (!run || run.status === 'MISSING') return;
    const series = run.series[ev.key] || (run.series[ev.key] = {points: [], total: 0, bucketed: false});
    const lastStep = series.points.length ? series.points[series.points.length - 1].step : -Infinity;
    // The SSE stream and the initial fetch overlap: keep only points past what is already there.
    const fresh = ev.points.filter(p => p.step > lastStep);
    if (fresh.length === 0) return;
    series.points.push(...fresh);
    series.total += fresh.length;
    updateSummary(run, ev.key, fresh);
    const chart = charts[ev.key];
    if (!chart) {
      if (metricKeys().includes(ev.key)) renderCharts();
      return;
    }
    const line = lines().find(l => l.runIds.includes(run.id));
    const ema = line && emaState.get(line.id + '|' + ev.key);
    if (!line || line.runs.length > 1 || !ema) {
      setDatasets(chart, datasetsFor(ev.key));
      extendX();
      return;
    }
    const t0 = startTime(run);
    const raw = fresh.map(p => ({x: xOf(state.mode, p, t0), y: p.value}));
    const smooth = fresh.map((p, i) => ({x: raw[i].x, y: ema.push(p.value)}));
    appendToLine(chart, line.id, raw, smooth);
    extendX();
  }

  function extendX() {
    const max = xMax();
    for (const key of metricKeys()) {
      const chart = charts[key];
      if (chart && max !== undefined && !(chart.options.scales.x.max >= max)) setXMax(chart, max);
    }
  }

  function updateSummary(run, key, fresh) {
    run.metrics = run.metrics || {};
    const s = run.metrics[key] || (run.metrics[key] = {last: null, min: null, max: null, lastStep: null, count: 0});
    for (const p of fresh) {
      s.last = p.value;
      s.lastStep = p.step;
      s.count++;
      if (Number.isFinite(p.value)) {
        s.min = s.min === null ? p.value : Math.min(s.min, p.value);
        s.max = s.max === null ? p.value : Math.max(s.max, p.value);
      }
    }
    renderMetricsSoon();
  }
  const renderMetricsSoon = debounce(() => alive && replace(metrics, finalMetricsTable(runs.filter(r => r.status !== 'MISSING' && r.status !== 'LOADING'))), 1000);
  const refreshSoon = new Map();
  const staleRuns = new Set();

  const offPoints = subscribe('points', ev => {
    if (!byId.has(ev.runId)) return;
    if (!loaded) buffered.push(ev);
    else applyPoints(ev);
  });
  const offRun = subscribe('run', ev => {
    const run = byId.get(ev.id);
    if (!run) return;
    if (!loaded) {
      // The fetch may already hold this change, or not: fetch the run again once loaded.
      staleRuns.add(run);
      return;
    }
    run.status = ev.status;
    renderLegend();
    if (!refreshSoon.has(run.id)) refreshSoon.set(run.id, debounce(() => refreshRun(run), 700));
    refreshSoon.get(run.id)();
  });
  // Layer statistics and diagnostics are not on the stream: poll them while a run is active.
  const poll = setInterval(() => {
    for (const r of runs) if (r.status === 'RUNNING') refreshRun(r);
  }, 5000);

  Promise.all(runs.map(loadRun)).then(() => {
    if (!alive) return;
    loaded = true;
    renderCharts();
    renderDetails();
    renderLayers();
    renderArtifacts();
    for (const ev of buffered) applyPoints(ev);
    buffered = [];
    for (const run of staleRuns) refreshRun(run);
    staleRuns.clear();
    window.nnlab.compareReady = true;
  });

  return () => {
    alive = false;
    window.nnlab.compareReady = false;
    offPoints();
    offRun();
    clearInterval(poll);
  };
}

