// Number, time and parameter formatting shared by the views.

/** 4 significant digits; exponent notation for very small or large magnitudes. */
export function fmtNum(v) {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e7) return String(v);
  if (a < 1e-4 || a >= 1e6) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** A parameter value as the user wrote it: lists as [128, 64], booleans and strings as is. */
export function fmtParam(v) {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return '[' + v.map(fmtParam).join(', ') + ']';
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A stable key for comparing parameter values (lists and objects by content). */
export function paramKey(v) {
  return v === undefined ? '\u2205' : JSON.stringify(v);
}

/** "3 min ago", "2 h ago", "5 d ago". */
export function fmtAgo(ms, now = Date.now()) {
  if (!ms) return '';
  const s = Math.max(0, (now - ms) / 1000);
  if (s < 60) return Math.round(s) + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' d ago';
}

/** "1m 45s", "2h 03m". */
export function fmtDuration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm ' + String(s % 60).padStart(2, '0') + 's';
  return Math.floor(s / 3600) + 'h ' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + 'm';
}

/** An ISO-like local date and time for titles. */
export function fmtTime(ms) {
  if (!ms) return '';
  const d = new Date(ms);
  const p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Seconds as a compact axis label: 45s, 3m, 1.5h. */
export function fmtSeconds(s) {
  if (Math.abs(s) < 120) return fmtNum(Math.round(s * 10) / 10) + 's';
  if (Math.abs(s) < 7200) return fmtNum(Math.round(s / 6) / 10) + 'm';
  return fmtNum(Math.round(s / 360) / 10) + 'h';
}

/** The run duration so far (running) or in total (ended). */
export function runDuration(run, now = Date.now()) {
  if (!run.started) return null;
  return (run.ended || now) - run.started;
}
