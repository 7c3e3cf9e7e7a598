// One Chart.js line chart per metric: for every plotted line (a run, or a seed group) a min/max
// band (when there is one), the raw curve faint, and the smoothed curve on top.
import {withAlpha} from './colors.js';
import {fmtNum, fmtSeconds} from './format.js';

/**
 * The datasets of one line. Each carries `lineId`, `runIds` and `role` ('min', 'max', 'raw',
 * 'smoothed') so that live updates and tests find them without relying on order.
 * @param {{id: string, label: string, color: string, runIds: number[], hidden?: boolean}} line
 * @param {{raw: object[], smooth: object[], min: object[]|null, max: object[]|null}} curve
 */
export function lineDatasets(line, curve, metric) {
  const common = {lineId: line.id, runIds: line.runIds, metric, hidden: !!line.hidden, pointRadius: 0,
    pointHitRadius: 6, spanGaps: false};
  const out = [];
  if (curve.min && curve.max) {
    out.push({...common, role: 'min', label: line.label + ' min', data: curve.min, borderWidth: 0,
      borderColor: 'transparent', backgroundColor: 'transparent', fill: false});
    // fill '-1' shades the area between this (max) and the previous dataset (min).
    out.push({...common, role: 'max', label: line.label + ' max', data: curve.max, borderWidth: 0,
      borderColor: 'transparent', backgroundColor: withAlpha(line.color, 0.14), fill: '-1'});
  }
  out.push({...common, role: 'raw', label: line.label + ' (raw)', data: curve.raw, borderWidth: 1,
    borderColor: withAlpha(line.color, 0.25), backgroundColor: 'transparent', fill: false});
  // A curve of a few points (validation metrics per epoch) shows its points.
  out.push({...common, role: 'smoothed', label: line.label, data: curve.smooth, borderWidth: 1.8,
    pointRadius: curve.smooth.length <= 12 ? 2 : 0,
    borderColor: line.color, backgroundColor: line.color, fill: false});
  return out;
}

/**
 * Creates the chart of `metric` on `canvas`.
 * @param {{mode: string, logY: boolean, xMax: number|undefined}} opts x axis mode ('step', 'epoch', 'time'),
 *   log y, and the right end of the x axis shared by the view's charts
 */
export function createCurveChart(canvas, metric, datasets, opts) {
  const chart = new Chart(canvas, {
    type: 'line',
    data: {datasets},
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      normalized: true,
      interaction: {mode: 'nearest', axis: 'x', intersect: false},
      scales: {
        x: {
          type: 'linear',
          // Every chart of a view spans the same x range, so a point in time lines up across metrics.
          min: 0,
          max: opts.xMax,
          title: {display: true, text: opts.mode === 'time' ? 'wall time (since start)' : opts.mode},
          ticks: {maxTicksLimit: 8, callback: v => opts.mode === 'time' ? fmtSeconds(v) : fmtNum(v)},
          grid: {color: '#eee'},
        },
        y: {
          type: opts.logY ? 'logarithmic' : 'linear',
          ticks: {maxTicksLimit: 6, callback: v => fmtNum(v)},
          grid: {color: '#eee'},
        },
      },
      plugins: {
        legend: {display: false},
        tooltip: {
          filter: item => item.dataset.role === 'smoothed',
          callbacks: {
            title: items => items.length ? (opts.mode === 'time' ? fmtSeconds(items[0].parsed.x) : opts.mode + ' ' + fmtNum(items[0].parsed.x)) : '',
            label: item => {
              const raw = item.chart.data.datasets.find(d => d.lineId === item.dataset.lineId && d.role === 'raw');
              const r = raw && raw.data[item.dataIndex];
              return item.dataset.label + ': ' + fmtNum(item.parsed.y) + (r && r.y !== item.parsed.y ? ' (raw ' + fmtNum(r.y) + ')' : '');
            },
          },
        },
      },
    },
  });
  fitFlatAxis(chart);
  chart.update('none');
  return chart;
}

/**
 * A constant curve (a fixed learning rate stored as float32 wobbles in its 9th digit) would be
 * stretched over the whole height; give such a chart a +-10% range around the value instead.
 */
function fitFlatAxis(chart) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of chart.data.datasets) {
    for (const p of d.data) {
      if (p && Number.isFinite(p.y)) {
        lo = Math.min(lo, p.y);
        hi = Math.max(hi, p.y);
      }
    }
  }
  const y = chart.options.scales.y;
  const flat = Number.isFinite(lo) && hi - lo <= 1e-6 * Math.max(Math.abs(hi), Math.abs(lo), 1e-12);
  y.min = flat ? (lo === 0 ? -1 : lo - Math.abs(lo) * 0.1) : undefined;
  y.max = flat ? (hi === 0 ? 1 : hi + Math.abs(hi) * 0.1) : undefined;
}

/** Replaces every dataset of `chart`, keeping which lines the user hid. */
export function setDatasets(chart, datasets) {
  chart.data.datasets = datasets;
  fitFlatAxis(chart);
  chart.update('none');
}

/**
 * Appends live points of one line: `raw` and `smooth` are arrays of {x, y}; the band, if shown,
 * grows by the same points (a live point is its own min and max).
 */
export function appendToLine(chart, lineId, raw, smooth) {
  for (const d of chart.data.datasets) {
    if (d.lineId !== lineId) continue;
    if (d.role === 'smoothed') d.data.push(...smooth);
    else d.data.push(...raw);
  }
  fitFlatAxis(chart);
  chart.update('none');
}

/** Moves the right end of the x axis (live points went past it). */
export function setXMax(chart, xMax) {
  chart.options.scales.x.max = xMax;
  chart.update('none');
}
