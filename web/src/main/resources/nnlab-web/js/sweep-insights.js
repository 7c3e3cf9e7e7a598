// Two panels of the sweep page: the successive-halving rungs of an experiment (which runs each rung
// trained, their score, which went on) and the parameters' importance for the chosen metric
// (correlation, log10 where the schema says log scale, and a random forest's permutation importance).
// Every name and value goes in as text (h() never parses HTML).
import * as api from './api.js';
import {h, replace, note} from './dom.js';
import {fmtNum} from './format.js';
import {statusBadge} from './dom.js';

/** Fills `container` with the rungs, or hides it when the experiment has none. */
export async function renderRungs(container, experimentId) {
  let r;
  try {
    r = await api.getRungs(experimentId);
  } catch (e) {
    container.hidden = false;
    replace(container, note('Could not load the rungs: ' + e.message, 'error'));
    return;
  }
  if (!r.halving || !r.rungs.length) {
    replace(container);
    container.hidden = true;
    return;
  }
  container.hidden = false;
  const hv = r.halving;
  const lower = hv.metric.endsWith('_loss');
  replace(container,
    h('div', {class: 'panel-head'}, h('h3', null, 'Successive halving'),
      h('span', {class: 'muted small'}, 'rungs of ' + hv.epochs.join(', ') + ' epoch(s); each keeps the best ' +
        Math.round(hv.keep * 100) + '% by ' + hv.metric + ' (' + (lower ? 'lowest' : 'highest') + ' last value)')),
    h('div', {class: 'rungs'}, r.rungs.map(rung => h('div', {class: 'rung', dataset: {rung: rung.rung}},
      h('h4', null, 'Rung ' + rung.rung + (rung.epochs ? ' \u00b7 ' + rung.epochs + ' epoch(s)' : '') + ' \u00b7 ' + rung.runs.length + ' run(s)'),
      h('table', {class: 'grid rung-table'},
        h('thead', null, h('tr', null, h('th', null, 'run'), h('th', null, 'status'), h('th', {class: 'num'}, hv.metric),
          h('th', null, 'next rung'))),
        h('tbody', null, rung.runs.map(run => h('tr', {dataset: {runId: run.id, promoted: String(run.promoted)}},
          h('td', null, h('a', {href: '#/compare?ids=' + run.id}, '#' + run.id + ' ' + run.name)),
          h('td', null, statusBadge(run.status)),
          h('td', {class: 'num'}, run.score === null ? '\u2014' : fmtNum(run.score)),
          h('td', null, run.promoted === null ? h('span', {class: 'muted'}, 'last rung')
            : run.promoted ? h('span', {class: 'badge promoted'}, 'promoted') : h('span', {class: 'muted'}, 'stopped here'))))))))));
}

/**
 * Fills `container` with the importance of each varying parameter for `metric` (`summary`: last or
 * best). `charts.importance` holds the bar chart of the forest's shares.
 */
export async function renderImportance(container, experimentId, metric, summary, charts) {
  if (charts.importance) charts.importance.destroy();
  delete charts.importance;
  if (!metric) {
    replace(container, note('Pick a metric above.'));
    return;
  }
  let r;
  try {
    r = await api.getImportance(experimentId, metric, summary);
  } catch (e) {
    replace(container, note('Could not compute the importance: ' + e.message, 'error'));
    return;
  }
  if (!r.params.length) {
    replace(container, note('No parameter varies among the ' + r.runs + ' finished run(s) with ' + metric + '.'), h('p', {class: 'muted small'}, r.note));
    return;
  }
  const canvas = h('canvas', {id: 'importance-chart'});
  const fmtR = v => v === null ? '\u2014' : (v >= 0 ? '+' : '') + v.toFixed(2);
  replace(container,
    h('table', {class: 'grid importance-table', id: 'importance-table'},
      h('thead', null, h('tr', null, h('th', null, 'parameter'), h('th', {class: 'num'}, 'importance'),
        h('th', {class: 'num'}, 'correlation'), h('th', null, ''))),
      h('tbody', null, r.params.map(p => h('tr', {dataset: {param: p.name}},
        h('td', null, p.name + (p.log ? ' (log)' : '')),
        h('td', {class: 'num', dataset: {importance: p.importance === null ? '' : String(p.importance)}},
          p.importance === null ? '\u2014' : (100 * p.importance).toFixed(0) + '%'),
        h('td', {class: 'num', dataset: {correlation: p.correlation === null ? '' : String(p.correlation)}}, fmtR(p.correlation)),
        h('td', {class: 'muted small'}, p.categorical ? 'categorical: no correlation' : ''))))),
    h('div', {class: 'canvas-box'}, canvas),
    h('p', {class: 'muted small', id: 'importance-note'}, r.note + '. Importance: the share of a random forest\'s permutation ' +
      'importance (how much shuffling the parameter raises the out-of-bag error); correlation: Pearson\'s r with ' + metric +
      ' (log10 of log-scale parameters).'));
  const shown = r.params.filter(p => p.importance !== null);
  if (!shown.length) return;
  charts.importance = new Chart(canvas, {
    type: 'bar',
    data: {labels: shown.map(p => p.name), datasets: [
      {label: 'importance', data: shown.map(p => p.importance), backgroundColor: '#4e79a7'},
      {label: '|correlation|', data: shown.map(p => p.correlation === null ? 0 : Math.abs(p.correlation)), backgroundColor: '#f28e2b'}]},
    options: {indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false,
      scales: {x: {min: 0, max: 1}}, plugins: {legend: {position: 'bottom'}}},
  });
}
