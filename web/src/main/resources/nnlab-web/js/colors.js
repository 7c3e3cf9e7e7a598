// Run colours (Tableau 10, then a second, darker cycle) and a sequential scale for metric values.

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7',
  '#9c755f', '#bab0ac', '#1f4e79', '#a0522d', '#8b1a1a', '#2f6f6a', '#2e6b2a', '#9c7c00', '#6b3f6b', '#c75b6b'];

/** The colour of the i-th run of a view. */
export function runColor(i) {
  return PALETTE[i % PALETTE.length];
}

/** `#rrggbb` with an alpha, as rgba(). */
export function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

// Viridis, sampled: perceptually uniform and readable by colour-blind users.
const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137],
  [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];

/** A colour for t in [0, 1] (0 dark purple, 1 yellow). */
export function viridis(t, alpha = 1) {
  const x = Math.min(Math.max(Number.isFinite(t) ? t : 0, 0), 1) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  const c = VIRIDIS[i].map((a, k) => Math.round(a + (VIRIDIS[i + 1][k] - a) * f));
  return `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;
}
