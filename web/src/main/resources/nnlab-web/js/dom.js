// DOM helpers. Every piece of user data (run names, params, notes, tags, errors, hints) goes in
// as text nodes: h() never parses HTML, so `<img src=x onerror=...>` in a run name stays text.

/**
 * Creates an element: h('td', {class: 'num', title: t}, 'text', childNode, [more]).
 * Attributes starting with "on" are listeners; `dataset` is an object; strings become text nodes.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'class') el.className = v;
      else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces every child of `el` with `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A status badge: FINISHED, RUNNING, ... */
export function statusBadge(status) {
  const s = String(status || 'UNKNOWN');
  return h('span', {class: 'badge status-' + s.toLowerCase(), dataset: {status: s}}, s);
}

/** A "loading" / "empty" / "error" line. */
export function note(text, kind = 'muted') {
  return h('div', {class: 'note ' + kind}, text);
}

/** Debounces `fn` by `ms`. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
