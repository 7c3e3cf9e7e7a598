// Which parameters vary among a set of runs, and how metrics are ordered and judged.
import {paramKey} from './format.js';

/**
 * Splits the parameter names of `runs` into those whose value differs between runs (first) and
 * those all runs share. -> {varying: [name], constant: [name]} (each alphabetical).
 */
export function splitParams(runs) {
  const names = new Set();
  for (const r of runs) for (const k of Object.keys(r.params || {})) names.add(k);
  const varying = [];
  const constant = [];
  for (const name of [...names].sort()) {
    const values = new Set(runs.map(r => paramKey((r.params || {})[name])));
    (values.size > 1 ? varying : constant).push(name);
  }
  return {varying, constant};
}

const METRIC_ORDER = ['train_loss', 'val_loss', 'train_acc', 'val_acc', 'test_loss', 'test_acc', 'lr'];

/** Metric keys in a reading order: losses, accuracies, test, lr, then the rest alphabetically. */
export function sortMetricKeys(keys) {
  return [...new Set(keys)].sort((a, b) => {
    const ia = METRIC_ORDER.indexOf(a);
    const ib = METRIC_ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a.localeCompare(b);
  });
}

/** Whether lower is better for a metric (losses, errors, perplexity) rather than higher (accuracy). */
export function lowerIsBetter(key) {
  return /loss|err|perplexity|nll|mse/i.test(key);
}

/** The best value a run reached for a metric summary {last, min, max}. */
export function bestOf(key, summary) {
  if (!summary) return null;
  return lowerIsBetter(key) ? summary.min : summary.max;
}

/** A short label for a run: "#12 name". */
export function runLabel(run) {
  return '#' + run.id + (run.name ? ' ' + run.name : '');
}
