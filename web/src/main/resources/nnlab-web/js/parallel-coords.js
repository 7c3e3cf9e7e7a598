// A parallel-coordinates chart on Chart.js: a line chart whose category x axis holds one axis per
// parameter and a last one for the metric. Values are normalised to [0, 1] per axis (in log space
// for log-scale parameters, by rank for categories); lines are coloured by the metric.
import {viridis} from './colors.js';
import {fmtNum, fmtParam, paramKey} from './format.js';
import {lowerIsBetter, runLabel} from './run-params.js';

/**
 * Describes one axis from the values the runs take: numeric (linear or log) or categorical.
 * -> {name, kind: 'num'|'cat', log, min, max, categories, norm(v) -> [0,1] or null, ticks: [{t, label}]}
 */
export function makeAxis(name, values, logScale) {
  const present = values.filter(v => v !== undefined && v !== null);
  const numeric = present.length > 0 && present.every(v => typeof v === 'number' && Number.isFinite(v));
  if (numeric) {
    const log = logScale && present.every(v => v > 0);
    const f = log ? Math.log10 : v => v;
    const lo = Math.min(...present.map(f));
    const hi = Math.max(...present.map(f));
    const norm = v => (typeof v === 'number' && Number.isFinite(v) ? (hi === lo ? 0.5 : (f(v) - lo) / (hi - lo)) : null);
    const min = Math.min(...present);
    const max = Math.max(...present);
    const ticks = min === max ? [{t: 0.5, label: fmtNum(min)}] : [{t: 0, label: fmtNum(min)}, {t: 1, label: fmtNum(max)}];
    return {name, kind: 'num', log, min, max, norm, ticks};
  }
  const keys = [...new Map(present.map(v => [paramKey(v), v])).entries()]
    .sort((a, b) => compareValues(a[1], b[1]));
  const index = new Map(keys.map(([k], i) => [k, i]));
  const n = keys.length;
  const at = i => (n === 1 ? 0.5 : i / (n - 1));
  return {
    name, kind: 'cat', log: false, categories: keys.map(([, v]) => v),
    norm: v => (index.has(paramKey(v)) ? at(index.get(paramKey(v))) : null),
    ticks: keys.map(([, v], i) => ({t: at(i), label: fmtParam(v)})),
  };
}

function compareValues(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length - b.length || compareValues(a[0], b[0]);
  return String(a).localeCompare(String(b));
}

// Draws each axis as a vertical rule with its value labels (Chart.js has one y axis only).
const axisLabels = {
  id: 'nnlabParallelAxes',
  afterDatasetsDraw(chart) {
    const axes = chart.options.plugins.nnlabParallelAxes.axes;
    const {ctx, scales: {x, y}} = chart;
    ctx.save();
    ctx.font = '10px ' + (Chart.defaults.font.family || 'sans-serif');
    ctx.textBaseline = 'middle';
    axes.forEach((axis, i) => {
      const px = x.getPixelForValue(i);
      ctx.strokeStyle = '#888';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(px, y.getPixelForValue(0));
      ctx.lineTo(px, y.getPixelForValue(1));
      ctx.stroke();
      ctx.textAlign = i === axes.length - 1 ? 'right' : 'left';
      const dx = i === axes.length - 1 ? -4 : 4;
      for (const tick of axis.ticks) {
        const label = tick.label.length > 14 ? tick.label.slice(0, 13) + '\u2026' : tick.label;
        const py = y.getPixelForValue(tick.t);
        const w = ctx.measureText(label).width;
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fillRect(dx > 0 ? px + dx - 1 : px + dx - w - 1, py - 6, w + 2, 12);
        ctx.fillStyle = '#222';
        ctx.fillText(label, px + dx, py);
      }
    });
    ctx.restore();
  },
};

/**
 * Creates the chart. `runs` carry `params` and `metrics`; `metricOf(run)` gives the plotted metric
 * value; `logParams` is the set of parameter names on a log scale.
 */
export function createParallelChart(canvas, runs, paramNames, metric, metricOf, logParams) {
  const axes = paramNames.map(name => makeAxis(name, runs.map(r => (r.params || {})[name]), logParams.has(name)));
  const metricAxis = makeAxis(metric, runs.map(metricOf), false);
  axes.push(metricAxis);
  const lower = lowerIsBetter(metric);
  // Better runs are bright (yellow) and drawn last, on top, whatever the metric's direction.
  const goodness = r => {
    const t = metricAxis.norm(metricOf(r));
    return t === null ? -1 : lower ? 1 - t : t;
  };
  const ordered = [...runs].sort((a, b) => goodness(a) - goodness(b));
  const datasets = ordered.map(r => {
    const g = goodness(r);
    const color = g < 0 ? 'rgba(150,150,150,0.5)' : viridis(g, 0.85);
    return {
      label: runLabel(r), runId: r.id, metricValue: metricOf(r),
      data: axes.map(a => a.norm(a === metricAxis ? metricOf(r) : (r.params || {})[a.name])),
      borderColor: color, backgroundColor: color, borderWidth: 1.5, pointRadius: 2, pointHoverRadius: 4, spanGaps: false,
    };
  });
  return new Chart(canvas, {
    type: 'line',
    data: {labels: axes.map(a => a.name + (a.log ? ' (log)' : '')), datasets},
    plugins: [axisLabels],
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      layout: {padding: {left: 8, right: 8, top: 10}},
      interaction: {mode: 'nearest', intersect: true},
      scales: {
        x: {type: 'category', offset: false, grid: {display: false}, ticks: {font: {weight: 'bold'}}},
        y: {min: -0.04, max: 1.04, display: false},
      },
      plugins: {
        legend: {display: false},
        nnlabParallelAxes: {axes},
        tooltip: {callbacks: {
          title: items => items.length ? items[0].dataset.label : '',
          label: item => metric + ': ' + fmtNum(item.dataset.metricValue),
        }},
      },
    },
  });
}
