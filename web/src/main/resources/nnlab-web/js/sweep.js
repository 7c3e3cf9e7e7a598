// #/sweep?experiment=ID: one experiment's runs as a scatter of any parameter against any final
// metric (log x for log-scale parameters) and as parallel coordinates of parameters -> metric.
import * as api from './api.js';
import {subscribe} from './live.js';
import {h, replace, note, debounce} from './dom.js';
import {fmtNum, fmtParam, fmtAgo, fmtTime, paramKey} from './format.js';
import {splitParams, sortMetricKeys, lowerIsBetter, runLabel} from './run-params.js';
import {createParallelChart} from './parallel-coords.js';
import {runColor, viridis} from './colors.js';
import {setQuery, navigate} from './route.js';
import {renderLesson} from './lesson-panel.js';
import {renderRungs, renderImportance} from './sweep-insights.js';

const STATUS_COLORS = {FINISHED: '#4e79a7', STOPPED: '#76b7b2', RUNNING: '#f28e2b', DIVERGED: '#e15759',
  FAILED: '#e15759', INTERRUPTED: '#bab0ac', QUEUED: '#bab0ac'};

export function mount(root, query) {
  const experimentId = Number(query.get('experiment'));
  if (!experimentId) return mountList(root);
  let alive = true;
  const state = {param: query.get('param') || '', metric: query.get('metric') || '', summary: query.get('summary') || 'last',
    color: query.get('color') || 'status',
    logX: query.get('logx') === null ? null : query.get('logx') === '1'};
  let experiment = null;
  let runs = [];
  let schema = new Map(); // param name -> ParamSpec
  const charts = window.nnlab.charts;

  const head = h('div', {class: 'sweep-head'}, note('Loading\u2026'));
  const paramSelect = h('select', {id: 'sweep-param', 'aria-label': 'Parameter', onchange: () => {
    state.param = paramSelect.value;
    state.logX = null;
    renderScatter();
  }});
  const metricSelect = h('select', {id: 'sweep-metric', 'aria-label': 'Metric', onchange: () => {
    state.metric = metricSelect.value;
    renderScatter();
    renderParallel();
    renderImportance(importanceBox, experimentId, state.metric, state.summary, charts);
  }});
  const summarySelect = h('select', {id: 'sweep-summary', 'aria-label': 'Summary', onchange: () => {
    state.summary = summarySelect.value;
    renderScatter();
    renderParallel();
    renderImportance(importanceBox, experimentId, state.metric, state.summary, charts);
  }}, h('option', {value: 'last'}, 'last value'), h('option', {value: 'best'}, 'best value'));
  summarySelect.value = state.summary;
  const colorSelect = h('select', {id: 'sweep-color', 'aria-label': 'Colour by', onchange: () => {
    state.color = colorSelect.value;
    renderScatter();
  }});
  const logBox = h('input', {id: 'sweep-logx', type: 'checkbox', onchange: () => {
    state.logX = logBox.checked;
    renderScatter();
  }});
  const scatterBox = h('div', {class: 'canvas-box tall'});
  const scatterNote = h('div', {class: 'muted small'});
  const scatterLegend = h('div', {class: 'legend small'});
  const parallelBox = h('div', {class: 'canvas-box tall'});
  const parallelNote = h('div', {class: 'muted small'});
  const lessonPanel = h('section', {class: 'panel', id: 'lesson-panel', hidden: true});
  const rungsPanel = h('section', {class: 'panel', id: 'rungs-panel', hidden: true});
  const importanceBox = h('div', {id: 'importance'});

  replace(root, head, lessonPanel, rungsPanel,
    h('section', {class: 'panel'},
      h('div', {class: 'panel-head'}, h('h3', null, 'Parameter vs metric'),
        h('label', {class: 'control'}, 'x ', paramSelect),
        h('label', {class: 'control'}, 'y ', metricSelect, ' ', summarySelect),
        h('label', {class: 'control'}, logBox, ' log x'),
        h('label', {class: 'control'}, 'colour ', colorSelect)),
      scatterBox, scatterLegend, scatterNote),
    h('section', {class: 'panel'},
      h('div', {class: 'panel-head'}, h('h3', null, 'Parallel coordinates'),
        h('span', {class: 'muted small'}, 'one axis per varying parameter, then the metric; bright = better')),
      parallelBox, parallelNote),
    h('section', {class: 'panel', id: 'importance-panel'},
      h('div', {class: 'panel-head'}, h('h3', null, 'Parameter importance'),
        h('span', {class: 'muted small'}, 'for the metric and summary chosen above')),
      importanceBox));

  const metricOf = run => {
    const s = (run.metrics || {})[state.metric];
    if (!s) return null;
    const v = state.summary === 'best' ? (lowerIsBetter(state.metric) ? s.min : s.max) : s.last;
    return Number.isFinite(v) ? v : null;
  };

  function saveQuery() {
    setQuery({experiment: experimentId, param: state.param, metric: state.metric, color: state.color === 'status' ? '' : state.color,
      summary: state.summary === 'last' ? '' : state.summary, logx: state.logX === null ? '' : state.logX ? '1' : '0'});
  }

  async function load() {
    try {
      const [experiments, plugins] = await Promise.all([api.listExperiments(), api.getPlugins().catch(() => ({families: []}))]);
      experiment = experiments.find(e => e.id === experimentId);
      if (!experiment) {
        replace(head, note('No experiment ' + experimentId + '.', 'error'), h('a', {href: '#/sweep'}, 'All experiments'));
        return;
      }
      const page = await api.listRuns({experiment: experiment.name, limit: 1000, sort: 'id asc'});
      if (!alive) return;
      runs = page.runs;
      renderLesson(lessonPanel, experimentId, charts);
      renderRungs(rungsPanel, experimentId);
      const family = (plugins.families || []).find(f => f.id === (experiment.spec || {}).family || (runs[0] && f.id === runs[0].family));
      schema = new Map(((family && family.params) || []).map(p => [p.name, p]));
      render();
    } catch (e) {
      if (alive) replace(head, note('Could not load the experiment: ' + e.message, 'error'));
    }
  }

  function render() {
    const spec = experiment.spec || {};
    replace(head,
      h('div', {class: 'toolbar'},
        h('h2', null, experiment.name),
        h('span', {class: 'muted'}, [spec.family, spec.dataset, runs.length + ' runs', 'created ' + fmtAgo(experiment.created)].filter(Boolean).join(' \u00b7 ')),
        h('span', {class: 'spacer'}),
        h('a', {href: '#/runs?experiment=' + encodeURIComponent(experiment.name)}, 'runs table'),
        h('a', {href: '#/compare?ids=' + runs.map(r => r.id).slice(0, 20).join(',')}, 'compare curves')),
      spec.description ? h('p', {class: 'description'}, spec.description) : null);
    const {varying, constant} = splitParams(runs);
    const params = [...varying, ...constant];
    if (!params.includes(state.param)) state.param = varying[0] || params[0] || '';
    replace(paramSelect,
      varying.length ? h('optgroup', {label: 'varying'}, varying.map(p => h('option', {value: p}, p))) : null,
      constant.length ? h('optgroup', {label: 'constant'}, constant.map(p => h('option', {value: p}, p))) : null);
    paramSelect.value = state.param;
    const metrics = sortMetricKeys(runs.flatMap(r => Object.keys(r.metrics || {})));
    if (!metrics.includes(state.metric)) state.metric = metrics.includes('val_acc') ? 'val_acc' : metrics[0] || '';
    replace(metricSelect, metrics.map(m => h('option', {value: m}, m)));
    metricSelect.value = state.metric;
    if (state.color !== 'status' && !varying.includes(state.color)) state.color = 'status';
    replace(colorSelect, h('option', {value: 'status'}, 'status'), varying.map(p => h('option', {value: p}, p)));
    colorSelect.value = state.color;
    renderScatter();
    renderParallel();
    renderImportance(importanceBox, experimentId, state.metric, state.summary, charts);
  }

  function renderScatter() {
    saveQuery();
    if (charts.scatter) charts.scatter.destroy();
    delete charts.scatter;
    if (!state.param || !state.metric) {
      replace(scatterBox, note('No runs with parameters and metrics yet.'));
      return;
    }
    const values = runs.map(r => (r.params || {})[state.param]);
    const numeric = values.every(v => typeof v === 'number');
    const spec = schema.get(state.param);
    const positive = numeric && values.every(v => v > 0);
    if (state.logX === null) state.logX = !!(spec && spec.logScale) && positive;
    logBox.checked = state.logX && positive;
    logBox.disabled = !positive;
    const categories = numeric ? null : [...new Map(values.map(v => [paramKey(v), fmtParam(v)])).values()].sort();
    const points = runs.map(r => ({x: numeric ? r.params[state.param] : fmtParam((r.params || {})[state.param]), y: metricOf(r), run: r}))
      .filter(p => p.y !== null && p.x !== undefined);
    const missing = runs.length - points.length;
    replace(scatterNote, missing ? missing + ' run(s) without a ' + state.metric + ' value are not shown.' : '');
    const colorOf = pointColors(points.map(p => p.run));
    const canvas = h('canvas', {id: 'sweep-scatter'});
    replace(scatterBox, canvas);
    charts.scatter = new Chart(canvas, {
      type: 'scatter',
      data: {datasets: [{
        label: state.metric, data: points,
        pointBackgroundColor: points.map(p => colorOf(p.run)),
        pointBorderColor: '#fff', pointRadius: 5, pointHoverRadius: 7,
      }]},
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        onClick: (e, items) => {
          if (items.length) navigate('compare', {ids: items.map(i => points[i.index].run.id).join(',')});
        },
        scales: {
          x: numeric
            ? {type: logBox.checked ? 'logarithmic' : 'linear', title: {display: true, text: state.param + (logBox.checked ? ' (log)' : '')},
              ticks: {callback: v => fmtNum(v), maxTicksLimit: 10}}
            : {type: 'category', labels: categories, offset: true, title: {display: true, text: state.param}},
          y: {title: {display: true, text: state.metric + ' (' + state.summary + ')'}, ticks: {callback: v => fmtNum(v)}},
        },
        plugins: {
          legend: {display: false},
          tooltip: {callbacks: {label: item => {
            const p = points[item.dataIndex];
            return [runLabel(p.run) + ' (' + p.run.status + ')', state.param + ' = ' + fmtParam(p.run.params[state.param]),
              state.metric + ' = ' + fmtNum(p.y)];
          }}},
        },
      },
    });
  }

  /** Colours points by status or by a parameter (categories: the run palette; numbers: viridis, log for log-scale ones). */
  function pointColors(shown) {
    if (state.color === 'status') {
      const statuses = [...new Set(shown.map(r => r.status))];
      replace(scatterLegend, statuses.map(st => h('span', {class: 'legend-item'},
        h('span', {class: 'swatch', style: 'background:' + (STATUS_COLORS[st] || '#4e79a7')}), st)));
      return r => STATUS_COLORS[r.status] || '#4e79a7';
    }
    const values = shown.map(r => (r.params || {})[state.color]);
    if (values.every(v => typeof v === 'number')) {
      const spec = schema.get(state.color);
      const log = !!(spec && spec.logScale) && values.every(v => v > 0);
      const f = log ? Math.log10 : v => v;
      const lo = Math.min(...values.map(f));
      const hi = Math.max(...values.map(f));
      replace(scatterLegend, h('span', {class: 'legend-item'}, state.color + ': ',
        h('span', {class: 'swatch', style: 'background:' + viridis(0)}), fmtNum(Math.min(...values)), ' \u2192 ',
        h('span', {class: 'swatch', style: 'background:' + viridis(1)}), fmtNum(Math.max(...values)), log ? ' (log)' : ''));
      return r => viridis(hi === lo ? 0.5 : (f(r.params[state.color]) - lo) / (hi - lo));
    }
    const byKey = new Map(values.map(v => [paramKey(v), v]));
    const keys = [...byKey.keys()].sort();
    replace(scatterLegend, keys.map((k, i) => h('span', {class: 'legend-item'},
      h('span', {class: 'swatch', style: 'background:' + runColor(i)}), state.color + '=' + fmtParam(byKey.get(k)))));
    return r => runColor(keys.indexOf(paramKey((r.params || {})[state.color])));
  }

  function renderParallel() {
    if (charts.parallel) charts.parallel.destroy();
    delete charts.parallel;
    const {varying} = splitParams(runs);
    if (!state.metric || varying.length === 0) {
      replace(parallelBox, note(runs.length < 2 ? 'Needs two or more runs.' : 'The runs share every parameter.'));
      replace(parallelNote);
      return;
    }
    const shown = varying.slice(0, 10);
    replace(parallelNote, varying.length > shown.length ? 'Showing the first ' + shown.length + ' of ' + varying.length + ' varying parameters.' : '');
    const canvas = h('canvas', {id: 'sweep-parallel'});
    replace(parallelBox, canvas);
    const logParams = new Set([...schema.values()].filter(p => p.logScale).map(p => p.name));
    charts.parallel = createParallelChart(canvas, runs, shown, state.metric, metricOf, logParams);
  }

  const reload = debounce(load, 1000);
  const offRun = subscribe('run', ev => {
    if (ev.experimentId === experimentId) reload();
  });
  load();
  return () => {
    alive = false;
    offRun();
  };
}

/** #/sweep without an experiment: pick one. */
function mountList(root) {
  const body = h('div', null, note('Loading\u2026'));
  replace(root, h('div', {class: 'toolbar'}, h('h2', null, 'Sweeps')),
    h('p', {class: 'muted'}, 'Each experiment (a grid, a random search, a batch of seeds) shown as parameter-vs-metric plots.'), body);
  api.listExperiments().then(list => {
    if (list.length === 0) {
      replace(body, note('No experiments yet.'));
      return;
    }
    replace(body, h('table', {class: 'grid'},
      h('thead', null, h('tr', null, h('th', {class: 'num'}, '#'), h('th', null, 'experiment'), h('th', null, 'family'),
        h('th', null, 'dataset'), h('th', {class: 'num'}, 'runs'), h('th', null, 'created'), h('th', null, 'description'))),
      h('tbody', null, list.map(e => h('tr', null,
        h('td', {class: 'num muted'}, String(e.id)),
        h('td', null, h('a', {href: '#/sweep?experiment=' + e.id}, e.name)),
        h('td', null, (e.spec || {}).family || ''),
        h('td', null, (e.spec || {}).dataset || ''),
        h('td', {class: 'num'}, String(e.runCount)),
        h('td', {class: 'muted', title: fmtTime(e.created)}, fmtAgo(e.created)),
        h('td', {class: 'description-cell'}, (e.spec || {}).description || ''))))));
  }).catch(e => replace(body, note('Could not list experiments: ' + e.message, 'error')));
  return null;
}
