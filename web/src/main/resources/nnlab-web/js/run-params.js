// Which parameters vary among a set of runs, and how metrics are ordered and judged.
import {paramKey} from './format.js';

// The knobs people compare first; other parameters follow alphabetically.
const KEY_PARAMS = ['optimizer', 'lr', 'activation', 'hidden', 'batchSize', 'weightDecay', 'momentum', 'init', 'dropout',
  'batchNorm', 'schedule', 'epochs', 'seed'];

function byImportance(a, b) {
  const ia = KEY_PARAMS.indexOf(a);
  const ib = KEY_PARAMS.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return a.localeCompare(b);
}

/**
 * Splits the parameter names of `runs` into those whose value differs between runs and those all
 * runs share. -> {varying: [name], constant: [name]}, key parameters (optimizer, lr, ...) first.
 * A run without the parameter (another family: softmax has no `hidden`) differs from every run that
 * has it: a parameter is constant only when every run has it, with one value.
 */
export function splitParams(runs) {
  const names = new Set();
  for (const r of runs) for (const k of Object.keys(r.params || {})) names.add(k);
  const varying = [];
  const constant = [];
  for (const name of [...names].sort(byImportance)) {
    const values = new Set(runs.map(r => paramKey((r.params || {})[name])));
    (values.size > 1 ? varying : constant).push(name);
  }
  return {varying, constant};
}

const CHART_ORDER = ['train_loss', 'val_loss', 'train_acc', 'val_acc', 'test_loss', 'test_acc', 'lr'];
/** In a table of many runs the held-out results come first. */
export const TABLE_ORDER = ['val_acc', 'val_loss', 'test_acc', 'test_loss', 'train_acc', 'train_loss', 'lr'];

/** Metric keys in a reading order (losses, accuracies, test, lr by default), then the rest alphabetically. */
export function sortMetricKeys(keys, order = CHART_ORDER) {
  return [...new Set(keys)].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
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
