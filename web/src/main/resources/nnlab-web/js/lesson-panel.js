// The lesson of an experiment on its sweep page: the claim and its source, the last verdict (a
// lesson that did not hold is shown as such: that is a finding), and per check the measured
// numbers with a chart of the compared statistic, one point per run and a bar per group mean.
import * as api from './api.js';
import {h, replace, note} from './dom.js';
import {fmtNum, fmtAgo} from './format.js';

const VERDICT_TEXT = {HELD: 'held', NOT_HELD: 'did not hold', NOT_MEASURABLE: 'not measurable'};

/** Fills `container` with the experiment's latest verdict, or empties it when it has none. */
export async function renderLesson(container, experimentId, charts) {
  let verdicts;
  try {
    verdicts = await api.getVerdicts(experimentId);
  } catch (e) {
    replace(container, note('Could not load the lesson verdicts: ' + e.message, 'error'));
    return;
  }
  for (const key of Object.keys(charts)) if (key.startsWith('lesson:')) { charts[key].destroy(); delete charts[key]; }
  if (!verdicts.length) {
    replace(container);
    container.hidden = true;
    return;
  }
  container.hidden = false;
  const v = verdicts[verdicts.length - 1];
  replace(container,
    h('div', {class: 'panel-head'}, h('h3', null, 'Lesson'),
      verdictBadge(v.verdict),
      h('span', {class: 'muted small'}, 'judged ' + fmtAgo(v.created) + ' on runs ' + v.runIds.map(id => '#' + id).join(', '))),
    h('p', {class: 'lesson-claim', id: 'lesson-claim'}, v.lesson.claim),
    h('p', {class: 'muted small'}, 'Source: ', v.lesson.source),
    v.verdict === 'NOT_HELD' ? note('This lesson did not hold on these runs: the effect the course promises did not appear here.', 'error') : null,
    v.checks.map((c, i) => checkBlock(c, i, charts)));
}

function verdictBadge(verdict) {
  return h('span', {class: 'badge verdict-' + verdict.toLowerCase().replace('_', '-'), id: 'lesson-verdict', dataset: {verdict}},
    VERDICT_TEXT[verdict] || verdict);
}

function checkBlock(c, i, charts) {
  const groups = [c.group, c.other].filter(Boolean);
  const rows = groups.map(g => h('tr', null,
    h('td', null, groupLabel(g.params)),
    h('td', {class: 'num'}, fmtNum(g.mean)),
    h('td', {class: 'num'}, g.sd === null ? '\u2013' : fmtNum(g.sd)),
    h('td', null, g.runs.map(r => '#' + r.runId + ' ' + (r.text !== null ? r.text : fmtNum(r.value))).join(', '))));
  const canvas = h('canvas', {id: 'lesson-chart-' + i});
  const block = h('div', {class: 'lesson-check', dataset: {outcome: c.outcome}},
    h('div', null, verdictBadge(c.outcome), ' ', h('code', null, c.describe)),
    h('div', {class: 'muted small'}, c.reason),
    h('table', {class: 'lesson-numbers small'},
      h('thead', null, h('tr', null, h('th', null, 'group'), h('th', null, c.aggregate && c.aggregate !== 'mean' ? c.aggregate : 'mean'), h('th', null, 'sd'), h('th', null, 'runs'))),
      h('tbody', null, rows)),
    c.statistic === 'status' ? null : h('div', {class: 'canvas-box small'}, canvas));
  if (c.statistic !== 'status' && window.Chart) chart(canvas, c, groups, i, charts);
  return block;
}

function chart(canvas, c, groups, i, charts) {
  const labels = groups.map(g => groupLabel(g.params));
  const threshold = Array.isArray(c.value) ? c.value : typeof c.value === 'number' ? [c.value] : [];
  const datasets = [
    {type: 'bar', label: (c.aggregate || 'mean') + ' ' + c.statistic, data: groups.map(g => g.mean), backgroundColor: 'rgba(78,121,167,0.35)'},
    {type: 'scatter', label: 'runs', data: groups.flatMap((g, k) => g.runs.map(r => ({x: labels[k], y: r.value}))),
      backgroundColor: '#4e79a7', pointRadius: 4},
    ...threshold.map((t, k) => ({type: 'line', label: threshold.length > 1 ? (k ? 'high' : 'low') : 'threshold',
      data: labels.map(() => t), borderColor: '#e15759', borderDash: [5, 4], pointRadius: 0, borderWidth: 1.5})),
  ];
  charts['lesson:' + i] = new Chart(canvas, {
    data: {labels, datasets},
    options: {responsive: true, maintainAspectRatio: false, animation: false,
      scales: {y: {title: {display: true, text: c.statistic}, ticks: {callback: v => fmtNum(v), maxTicksLimit: 5}}},
      plugins: {legend: {display: true, position: 'bottom', labels: {boxWidth: 10, font: {size: 10}}}}},
  });
}

function groupLabel(params) {
  const entries = Object.entries(params || {});
  return entries.length ? entries.map(([k, v]) => k + '=' + (typeof v === 'object' ? JSON.stringify(v) : v)).join(' ') : 'all runs';
}
