// One shared EventSource on /api/live; views subscribe to `run`, `points` and `plugins` events while mounted.
import {token} from './api.js';

const handlers = {run: new Set(), points: new Set(), plugins: new Set()};
let source = null;

function setStatus(text, cls) {
  const el = document.getElementById('live-status');
  if (!el) return;
  el.textContent = text;
  el.className = 'live-status ' + cls;
}

function connect() {
  const t = token();
  source = new EventSource('/api/live' + (t ? '?token=' + encodeURIComponent(t) : ''));
  source.onopen = () => setStatus('live', 'on');
  // EventSource reconnects by itself; this only tells the user.
  source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting', 'off');
  for (const name of Object.keys(handlers)) {
    source.addEventListener(name, e => {
      let data;
      try {
        data = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      for (const fn of [...handlers[name]]) {
        try {
          fn(data);
        } catch (err) {
          console.error('live ' + name + ' handler failed', err);
        }
      }
    });
  }
}

/**
 * Calls `fn(data)` for every SSE event `name` ('run', 'points' or 'plugins') until the returned function is called.
 * `run`: {id, status, name, experimentId}; `points`: {runId, key, points: [{step, epoch, wallTime, value}]};
 * `plugins` (a plugin JAR was added, replaced or removed): {families, failures, pending}.
 */
export function subscribe(name, fn) {
  if (!source) connect();
  handlers[name].add(fn);
  return () => handlers[name].delete(fn);
}

export function start() {
  if (!source) connect();
}
