// TensorBoard's debiased exponential moving average, as a pure module.
//
// last = last * w + (1 - w) * v, then divide by 1 - w^n (n = finite values seen so far). Starting
// from 0 would drag the first points towards 0; the division removes that start-up bias (the same
// correction as Adam's moment estimates). The result at a point depends only on the points before
// it, never on the series' length, so runs of different lengths smoothed with one weight stay
// comparable and a live curve's old points do not move when new ones arrive.

/**
 * A running smoother: push(v) returns the smoothed value at v. Non-finite values (NaN from a
 * diverged run, sent as null) pass through unchanged and leave the average as it was.
 * @param {number} weight in [0, 1); 0 is no smoothing
 */
export function createEma(weight) {
  const w = Math.min(Math.max(Number(weight) || 0, 0), 0.999);
  let last = 0;
  let n = 0;
  return {
    push(v) {
      if (v === null || v === undefined || !Number.isFinite(v)) return v === undefined ? null : v;
      if (w === 0) return v;
      last = last * w + (1 - w) * v;
      n++;
      return last / (1 - Math.pow(w, n));
    },
  };
}

/** The debiased EMA of every value of `values` (numbers or nulls). */
export function emaSmooth(values, weight) {
  const ema = createEma(weight);
  return values.map(v => ema.push(v));
}
