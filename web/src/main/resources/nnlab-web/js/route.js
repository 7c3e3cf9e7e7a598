// The hash route: #/NAME?query. Views read their query here and write it back without re-mounting.

/** -> {route: 'runs', query: URLSearchParams} */
export function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  const route = (q < 0 ? hash : hash.slice(0, q)) || 'runs';
  return {route, query: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1))};
}

/** Changes the query of the current route without re-mounting the view (filters, sort, selection). */
export function setQuery(params) {
  const {route} = parseHash();
  const s = queryString(params);
  history.replaceState(null, '', '#/' + route + (s ? '?' + s : ''));
}

/** Goes to another view: navigate('compare', {ids: '1,2'}). */
export function navigate(route, params = {}) {
  const s = queryString(params);
  location.hash = '#/' + route + (s ? '?' + s : '');
}

function queryString(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  // Commas in id lists read better unescaped.
  return q.toString().replace(/%2C/g, ',');
}
