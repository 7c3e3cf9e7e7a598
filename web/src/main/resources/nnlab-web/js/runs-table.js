// #/runs: the run list. Server-side filter (the filter language), search, sort and paging; the
// parameters that vary among the listed runs and the final metrics as columns; multi-select to compare;
// status and metric cells follow the SSE stream.
import * as api from './api.js';
import {subscribe} from './live.js';
import {h, replace, statusBadge, note, debounce} from './dom.js';
import {fmtNum, fmtParam, fmtAgo, fmtTime, fmtDuration, runDuration} from './format.js';
import {splitParams, sortMetricKeys, lowerIsBetter, TABLE_ORDER} from './run-params.js';
import {setQuery, navigate} from './route.js';

const PAGE_SIZES = [25, 50, 100, 200];
// Beyond this many varying parameters the metrics would leave the screen; the rest are one click away.
const MAX_PARAM_COLUMNS = 7;
const TERMINAL = new Set(['FINISHED', 'FAILED', 'DIVERGED', 'INTERRUPTED', 'STOPPED']);

export function mount(root, query) {
  const state = {
    filter: query.get('filter') || '',
    q: query.get('q') || '',
    sort: query.get('sort') || 'id desc',
    experiment: query.get('experiment') || '',
    limit: Number(query.get('limit')) || 50,
    offset: Number(query.get('offset')) || 0,
    allParams: query.get('allParams') === '1',
    selected: new Set((query.get('sel') || '').split(',').filter(Boolean).map(Number)),
  };
  let alive = true;
  let runs = [];
  let total = 0;
  let cells = new Map(); // run id -> {row, status, metrics: {key: td}, duration}
  let loadSeq = 0;

  const filterInput = h('input', {
    class: 'filter-input mono', type: 'text', value: state.filter, spellcheck: 'false', 'aria-label': 'Filter',
    placeholder: 'filter, e.g. params.lr < 0.01 and metrics.val_acc > 0.9   (Enter)',
    onkeydown: e => {
      if (e.key === 'Enter') applyFilter();
    },
  });
  const searchInput = h('input', {
    class: 'search-input', type: 'search', value: state.q, placeholder: 'search name, family, experiment, status',
    'aria-label': 'Search', oninput: debounce(() => {
      state.q = searchInput.value.trim();
      state.offset = 0;
      load();
    }, 250),
  });
  const experimentSelect = h('select', {'aria-label': 'Experiment', onchange: () => {
    state.experiment = experimentSelect.value;
    state.offset = 0;
    load();
  }}, h('option', {value: ''}, 'all experiments'));
  const compareButton = h('button', {class: 'primary compare-button', onclick: () => {
    navigate('compare', {ids: [...state.selected].sort((a, b) => a - b).join(',')});
  }}, 'Compare');
  const clearButton = h('button', {onclick: () => {
    state.selected.clear();
    render();
  }}, 'Clear selection');
  const sweepLink = h('a', {class: 'sweep-link', hidden: true}, 'Sweep view');
  const filterError = h('div', {class: 'filter-error', role: 'alert'});
  // The server names the error's position; a caret under the filter text points at it.
  const filterCaret = h('pre', {class: 'filter-caret'});
  const shared = h('div', {class: 'shared-params'});
  const tableWrap = h('div', {class: 'table-wrap'});
  const pager = h('div', {class: 'pager'});

  replace(root,
    h('div', {class: 'toolbar'},
      filterInput,
      h('button', {onclick: applyFilter}, 'Apply'),
      searchInput,
      experimentSelect,
      sweepLink,
      h('span', {class: 'spacer'}),
      clearButton,
      compareButton),
    filterError, filterCaret, shared, tableWrap, pager);

  function applyFilter() {
    state.filter = filterInput.value.trim();
    state.offset = 0;
    load();
  }

  let experiments = [];
  api.listExperiments().then(list => {
    if (!alive) return;
    experiments = list;
    updateSweepLink();
    for (const e of list) {
      experimentSelect.appendChild(h('option', {value: e.name}, e.name + ' (' + e.runCount + ')'));
    }
    experimentSelect.value = state.experiment;
  }).catch(() => {});

  function saveQuery() {
    setQuery({
      filter: state.filter, q: state.q, sort: state.sort === 'id desc' ? '' : state.sort,
      experiment: state.experiment, limit: state.limit === 50 ? '' : state.limit, offset: state.offset || '',
      allParams: state.allParams ? '1' : '', sel: [...state.selected].join(','),
    });
  }

  async function load() {
    const seq = ++loadSeq;
    saveQuery();
    try {
      const page = await api.listRuns({
        filter: state.filter, q: state.q, sort: state.sort, limit: state.limit, offset: state.offset,
        experiment: state.experiment,
      });
      if (!alive || seq !== loadSeq) return;
      runs = page.runs;
      total = page.total;
      replace(filterError);
      replace(filterCaret);
      filterInput.classList.remove('invalid');
      render();
    } catch (e) {
      if (!alive || seq !== loadSeq) return;
      if (e.status === 400) {
        // The server names the position of a syntax error; show its message as is, next to the box.
        replace(filterError, e.message);
        filterInput.classList.add('invalid');
        const at = /position (\d+)/.exec(e.message);
        if (at) replace(filterCaret, state.filter + '\n' + ' '.repeat(Number(at[1])) + '^');
      } else {
        replace(tableWrap, note('Could not list runs: ' + e.message, 'error'));
      }
    }
  }

  function sortParts() {
    const [field, dir = 'asc'] = state.sort.split(/\s+/);
    return {field, dir};
  }

  function header(label, field, cls, title) {
    if (!field) return h('th', {class: cls, title}, label);
    const {field: f, dir} = sortParts();
    const active = f === field || f === field + '.last';
    const arrow = active ? (dir === 'desc' ? ' \u25be' : ' \u25b4') : '';
    return h('th', {
      class: (cls || '') + ' sortable' + (active ? ' sorted' : ''), title: title || 'Sort by ' + field,
      dataset: {sort: field}, onclick: () => {
        let next;
        if (active) next = dir === 'desc' ? 'asc' : 'desc';
        else if (field.startsWith('metrics.')) next = lowerIsBetter(field) ? 'asc' : 'desc';
        else next = field === 'id' || field === 'created' ? 'desc' : 'asc';
        state.sort = field + ' ' + next;
        state.offset = 0;
        load();
      },
    }, label, arrow);
  }

  function render() {
    const ids = [...state.selected];
    compareButton.disabled = ids.length < 2;
    compareButton.textContent = ids.length < 2 ? 'Compare (select 2+)' : 'Compare ' + ids.length + ' runs';
    clearButton.hidden = ids.length === 0;
    updateSweepLink();
    renderShared();
    renderTable();
    renderPager();
  }

  function updateSweepLink() {
    const e = experiments.find(x => x.name === state.experiment);
    sweepLink.hidden = !e;
    if (e) sweepLink.href = '#/sweep?experiment=' + e.id;
  }

  /** -> {varying, constant, columns}: the parameter columns shown, varying ones first. */
  function paramColumns() {
    const {varying, constant} = splitParams(runs);
    const columns = runs.length < 2 || state.allParams ? [...varying, ...constant] : varying.slice(0, MAX_PARAM_COLUMNS);
    return {varying, constant, columns};
  }

  function renderShared() {
    const {varying, constant, columns} = paramColumns();
    const hidden = varying.filter(k => !columns.includes(k));
    if (runs.length < 2 || (constant.length === 0 && hidden.length === 0)) {
      replace(shared);
      return;
    }
    const valueOf = k => runs[0].params[k];
    replace(shared,
      constant.length ? h('span', {class: 'muted'}, 'Same for all ' + runs.length + ' listed runs: ') : null,
      constant.map(k => h('span', {class: 'kv'}, h('span', {class: 'k'}, k), '=', h('span', {class: 'v'}, fmtParam(valueOf(k))))),
      hidden.length ? h('span', {class: 'muted'}, hidden.length + ' more varying: ' + hidden.join(', ') + '. ') : null,
      h('label', {class: 'inline'},
        h('input', {type: 'checkbox', checked: state.allParams, onchange: e => {
          state.allParams = e.target.checked;
          render();
        }}), ' all parameters as columns'));
  }

  function renderTable() {
    cells = new Map();
    if (runs.length === 0) {
      const filtered = state.filter || state.q || state.experiment;
      replace(tableWrap, note(filtered ? 'No run matches.'
        : 'No runs yet. Launch one from the Launch page, or run ./nnlab run experiments/quickstart.json --db <this store>.'));
      return;
    }
    const {varying, columns: paramCols} = paramColumns();
    const metricKeys = sortMetricKeys(runs.flatMap(r => Object.keys(r.metrics || {})), TABLE_ORDER);
    const pageIds = runs.map(r => r.id);
    const allOnPage = pageIds.every(id => state.selected.has(id));
    const selectAll = h('input', {type: 'checkbox', 'aria-label': 'Select every run of this page', checked: allOnPage,
      onchange: e => {
        for (const id of pageIds) e.target.checked ? state.selected.add(id) : state.selected.delete(id);
        render();
      }});
    const head = h('tr', null,
      h('th', {class: 'check'}, selectAll),
      header('#', 'id', 'num'),
      header('status', 'status'),
      header('name', 'name'),
      paramCols.map(k => header(k, 'params.' + k, 'param' + (varying.includes(k) ? ' varying' : ''))),
      metricKeys.map(k => header(k, 'metrics.' + k + '.last', 'num metric',
        'Last value of ' + k + '; sort by it')),
      header('created', 'created'),
      h('th', {class: 'num'}, 'time'));
    const body = runs.map(run => row(run, paramCols, varying, metricKeys));
    replace(tableWrap, h('table', {class: 'grid runs-table'}, h('thead', null, head), h('tbody', null, body)));
  }

  function row(run, paramCols, varying, metricKeys) {
    const checkbox = h('input', {type: 'checkbox', 'aria-label': 'Select run ' + run.id, checked: state.selected.has(run.id),
      onchange: e => {
        e.target.checked ? state.selected.add(run.id) : state.selected.delete(run.id);
        render();
      }});
    const status = h('td', null, statusBadge(run.status));
    const nameCell = h('td', {class: 'name'},
      h('a', {href: '#/compare?ids=' + run.id, class: 'run-name', title: 'Open run ' + run.id}, run.name || '(unnamed)'),
      h('div', {class: 'sub muted'}, [run.experiment, run.family].filter(Boolean).join(' \u00b7 ')),
      run.error ? h('div', {class: 'sub error-text', title: run.error}, run.error) : null);
    const metricCells = {};
    const tds = metricKeys.map(k => {
      const s = (run.metrics || {})[k];
      const td = h('td', {class: 'num metric', title: s ? `last ${fmtNum(s.last)} at step ${s.lastStep}; min ${fmtNum(s.min)}, max ${fmtNum(s.max)}; ${s.count} points` : ''},
        s ? fmtNum(s.last) : '');
      metricCells[k] = td;
      return td;
    });
    const duration = h('td', {class: 'num muted'}, fmtDuration(runDuration(run)));
    const tr = h('tr', {class: state.selected.has(run.id) ? 'selected' : '', dataset: {runId: run.id}},
      h('td', {class: 'check'}, checkbox),
      h('td', {class: 'num muted'}, String(run.id)),
      status,
      nameCell,
      paramCols.map(k => paramCell(run, k, varying)),
      tds,
      h('td', {class: 'muted', title: fmtTime(run.created)}, fmtAgo(run.created)),
      duration);
    cells.set(run.id, {row: tr, status, metrics: metricCells, duration, run});
    return tr;
  }

  /** A parameter the run does not have (another family's) is shown as absent, never as a value. */
  function paramCell(run, k, varying) {
    const cls = 'param' + (varying.includes(k) ? ' varying' : '');
    const v = (run.params || {})[k];
    if (v === undefined) return h('td', {class: cls + ' absent muted', title: 'run ' + run.id + ' has no parameter ' + k}, '\u2014');
    return h('td', {class: cls}, fmtParam(v));
  }

  function renderPager() {
    if (total === 0) {
      replace(pager);
      return;
    }
    const from = state.offset + 1;
    const to = Math.min(state.offset + runs.length, total);
    const go = offset => {
      state.offset = Math.max(0, offset);
      load();
    };
    replace(pager,
      h('button', {disabled: state.offset === 0, onclick: () => go(0)}, '\u00ab'),
      h('button', {disabled: state.offset === 0, onclick: () => go(state.offset - state.limit)}, '\u2039 prev'),
      h('span', {class: 'range'}, `${from}\u2013${to} of ${total}`),
      h('button', {disabled: to >= total, onclick: () => go(state.offset + state.limit)}, 'next \u203a'),
      h('button', {disabled: to >= total, onclick: () => go(Math.floor((total - 1) / state.limit) * state.limit)}, '\u00bb'),
      h('select', {'aria-label': 'Runs per page', onchange: e => {
        state.limit = Number(e.target.value);
        go(0);
      }}, PAGE_SIZES.map(n => h('option', {value: n, selected: n === state.limit}, n + ' per page'))));
  }

  // Live: patch the rows in place; reload (debounced) when a run appears or ends so that the
  // final metrics and the order are the server's.
  const reload = debounce(load, 800);
  const offRun = subscribe('run', ev => {
    const c = cells.get(ev.id);
    if (c) {
      c.run.status = ev.status;
      if (ev.status === 'RUNNING' && !c.run.started) c.run.started = Date.now();
      replace(c.status, statusBadge(ev.status));
      if (TERMINAL.has(ev.status)) reload();
    } else if (state.offset === 0) {
      reload();
    }
  });
  const offPoints = subscribe('points', ev => {
    const c = cells.get(ev.runId);
    if (!c || !c.metrics[ev.key] || ev.points.length === 0) return;
    const last = ev.points[ev.points.length - 1];
    c.metrics[ev.key].textContent = fmtNum(last.value);
    c.metrics[ev.key].classList.add('live');
  });
  const ticker = setInterval(() => {
    for (const c of cells.values()) if (c.run.status === 'RUNNING') c.duration.textContent = fmtDuration(runDuration(c.run));
  }, 1000);

  load();
  return () => {
    alive = false;
    offRun();
    offPoints();
    clearInterval(ticker);
  };
}
