// From API metric points to plotted lines: the x axis (step, epoch, relative wall time), EMA
// smoothing, the min/max band of downsampled series, and seed groups (mean with a min-max band).
import {createEma} from './smoothing.js';
import {paramKey} from './format.js';

export const X_MODES = {step: 'step', epoch: 'epoch', time: 'wall time'};

/** The x of a point: its step, its epoch, or seconds since the run's start `t0`. */
export function xOf(mode, p, t0) {
  if (mode === 'epoch') return p.epoch;
  if (mode === 'time') return (p.wallTime - t0) / 1000;
  return p.step;
}

/**
 * The time a run's clock starts for the wall-time axis: its start, else its first point. Fixed
 * once known (as `run.t0`) so that live points line up with the ones already drawn.
 */
export function startTime(run) {
  if (run.t0 !== undefined) return run.t0;
  let t0 = run.started || Infinity;
  if (!run.started) for (const s of Object.values(run.series || {})) if (s.points.length) t0 = Math.min(t0, s.points[0].wallTime);
  if (!Number.isFinite(t0)) return Date.now();
  run.t0 = t0;
  return t0;
}

/**
 * One run's curve for a metric. -> {raw, smooth, min, max, ema}: arrays of {x, y}; min/max are
 * null unless the server bucketed the series (each bucket's value is its last point, min/max its
 * extremes, so a spike stays visible as a band). `ema` continues the smoothing for live points.
 */
export function runCurve(run, metric, mode, weight) {
  const series = (run.series || {})[metric];
  const points = series ? series.points : [];
  const t0 = startTime(run);
  const ema = createEma(weight);
  const raw = [];
  const smooth = [];
  for (const p of points) {
    const x = xOf(mode, p, t0);
    raw.push({x, y: p.value});
    smooth.push({x, y: ema.push(p.value)});
  }
  const banded = points.some(p => p.min !== undefined && p.max !== undefined && p.min !== p.max);
  const min = banded ? points.map(p => ({x: xOf(mode, p, t0), y: p.min ?? p.value})) : null;
  const max = banded ? points.map(p => ({x: xOf(mode, p, t0), y: p.max ?? p.value})) : null;
  return {raw, smooth, min, max, ema, t0};
}

/**
 * Groups runs that share every parameter except the seed. -> [{key, runs}] in the order of their
 * first run; a run without siblings is a group of one.
 */
export function groupBySeed(runs) {
  const groups = new Map();
  for (const run of runs) {
    const params = {...(run.params || {})};
    delete params.seed;
    const key = run.family + '|' + paramKey(Object.keys(params).sort().map(k => [k, params[k]]));
    if (!groups.has(key)) groups.set(key, {key, runs: []});
    groups.get(key).runs.push(run);
  }
  return [...groups.values()];
}

/**
 * The curve of a seed group: at every step any member logged, the mean of the members' raw values
 * (the faint line), the mean of their smoothed values (the line) and the min and max of their
 * smoothed values (the band). Members are smoothed one by one first, with the same weight.
 */
export function groupCurve(runs, metric, mode, weight) {
  const byStep = new Map();
  for (const run of runs) {
    const c = runCurve(run, metric, mode, weight);
    const points = ((run.series || {})[metric] || {points: []}).points;
    points.forEach((p, i) => {
      let acc = byStep.get(p.step);
      if (!acc) byStep.set(p.step, acc = {xs: [], raws: [], smooths: []});
      acc.xs.push(c.raw[i].x);
      if (Number.isFinite(p.value)) acc.raws.push(p.value);
      if (Number.isFinite(c.smooth[i].y)) acc.smooths.push(c.smooth[i].y);
    });
  }
  const mean = a => a.length ? a.reduce((s, v) => s + v, 0) / a.length : null;
  const raw = [];
  const smooth = [];
  const min = [];
  const max = [];
  for (const step of [...byStep.keys()].sort((a, b) => a - b)) {
    const acc = byStep.get(step);
    const x = mean(acc.xs);
    raw.push({x, y: mean(acc.raws)});
    smooth.push({x, y: mean(acc.smooths)});
    min.push({x, y: acc.smooths.length ? Math.min(...acc.smooths) : null});
    max.push({x, y: acc.smooths.length ? Math.max(...acc.smooths) : null});
  }
  return {raw, smooth, min: runs.length > 1 ? min : null, max: runs.length > 1 ? max : null, ema: null};
}
