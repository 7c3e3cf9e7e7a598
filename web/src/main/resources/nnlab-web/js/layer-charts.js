// Per-layer statistics over time as small multiples: one small chart per run, one line per layer
// (dead ReLU share by default; saturation, gradient norms, update ratios on request).
import {h, replace, note} from './dom.js';
import {runColor} from './colors.js';
import {fmtNum} from './format.js';
import {runLabel} from './run-params.js';

const SHARE_STATS = new Set(['dead_fraction', 'dead_fraction_probe', 'negative_fraction', 'saturation']);

/** Every layer statistic any of the runs recorded, dead_fraction first. */
export function layerStats(runs) {
  const stats = new Set();
  for (const r of runs) for (const s of Object.keys((r.layers && r.layers.series) || {})) stats.add(s);
  return [...stats].sort((a, b) => (a === 'dead_fraction' ? -1 : b === 'dead_fraction' ? 1 : a.localeCompare(b)));
}

/**
 * Draws one chart per run into `container` and registers each as `charts['layers:' + runId]`.
 * A run that did not record `stat` (a sigmoid network has no dead ReLUs) says so instead.
 */
export function renderLayerCharts(container, runs, stat, charts) {
  for (const key of Object.keys(charts)) {
    if (key.startsWith('layers:')) {
      charts[key].destroy();
      delete charts[key];
    }
  }
  const cells = runs.map(run => {
    const byLayer = ((run.layers && run.layers.series) || {})[stat] || {};
    const layers = Object.keys(byLayer).sort();
    const title = h('div', {class: 'small-title'}, h('span', {class: 'swatch', style: 'background:' + run.color}), runLabel(run));
    if (layers.length === 0) {
      return h('div', {class: 'small-chart empty'}, title, note('no ' + stat + ' recorded'));
    }
    const canvas = h('canvas');
    const cell = h('div', {class: 'small-chart', dataset: {runId: run.id}}, title, h('div', {class: 'canvas-box small'}, canvas));
    const share = SHARE_STATS.has(stat);
    charts['layers:' + run.id] = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: layers.map((layer, i) => ({
          label: layer, layer, runId: run.id, stat, data: byLayer[layer].map(p => ({x: p.step, y: p.value})),
          borderColor: runColor(i), backgroundColor: runColor(i), borderWidth: 1.5, pointRadius: 0,
        })),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: {mode: 'nearest', axis: 'x', intersect: false},
        scales: {
          x: {type: 'linear', title: {display: true, text: 'step'}, ticks: {maxTicksLimit: 5, callback: v => fmtNum(v)}},
          y: share ? {min: 0, max: 1, ticks: {callback: v => Math.round(v * 100) + '%', maxTicksLimit: 5}}
            : {ticks: {callback: v => fmtNum(v), maxTicksLimit: 5}},
        },
        plugins: {
          legend: {display: true, position: 'bottom', labels: {boxWidth: 10, boxHeight: 2, font: {size: 10}}},
          tooltip: {callbacks: {label: item => item.dataset.label + ': ' + (share ? (item.parsed.y * 100).toFixed(1) + '%' : fmtNum(item.parsed.y))}},
        },
      },
    });
    return cell;
  });
  replace(container, runs.length ? cells : note('No runs.'));
}
