// The artifact hessian_spectrum.json (HessianAtEnd): the loss Hessian's Ritz values at the end of
// training with their quadrature weights, as a stem chart on a symmetric-log x axis, and the numbers
// that say what it means.
import {h} from './dom.js';
import {fmtNum} from './format.js';

export const HESSIAN_TYPE = 'application/vnd.nnlab.hessian-spectrum+json';

/** The chart and a one-line reading of the spectrum `s` (the artifact's JSON). */
export function hessianSpectrum(s) {
  const values = s.ritzValues || [];
  const weights = s.weights || [];
  const canvas = h('canvas', {class: 'hessian-chart', role: 'img',
    'aria-label': 'Hessian spectrum: ' + values.length + ' Ritz values with their weights'});
  const box = h('div', {class: 'hessian-spectrum', dataset: {negativeShare: String(s.negativeShare), max: String(s.max),
    min: String(s.min), count: String(values.length)}},
    h('div', {class: 'canvas-box'}, canvas),
    h('p', {class: 'small'}, 'largest eigenvalues ' + (s.top || []).map(fmtNum).join(', ') + '; smallest ' + fmtNum(s.min) +
      '; negative share ' + (100 * s.negativeShare).toFixed(1) + '%'),
    h('p', {class: 'muted small'}, (s.negativeShareMeans || '') + '; tolerance ' + fmtNum(s.tolerance) + '. ' + (s.method || '') +
      ', ' + s.parameters + ' parameters.'));
  // asinh spreads values of both signs across decades, as a log axis would for one sign.
  const points = values.map((v, i) => ({x: Math.asinh(v), y: weights[i], v}));
  box.chart = new Chart(canvas, {
    type: 'bar',
    data: {datasets: [{label: 'quadrature weight', data: points, backgroundColor: points.map(p => p.v < -s.tolerance ? '#e15759' : '#4e79a7'),
      barThickness: 3}]},
    options: {responsive: true, maintainAspectRatio: false, animation: false, parsing: {xAxisKey: 'x', yAxisKey: 'y'},
      scales: {x: {type: 'linear', title: {display: true, text: 'eigenvalue (asinh scale; red: negative)'},
        ticks: {callback: v => fmtNum(Math.sinh(v))}},
      y: {type: 'logarithmic', title: {display: true, text: 'weight'}}},
      plugins: {legend: {display: false}, tooltip: {callbacks: {label: item => 'eigenvalue ' + fmtNum(points[item.dataIndex].v) +
        ', weight ' + fmtNum(points[item.dataIndex].y)}}}},
  });
  return box;
}
