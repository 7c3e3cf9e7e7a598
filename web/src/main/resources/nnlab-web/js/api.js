// The JSON API of server/API.md, and nothing else. Errors become ApiError with the server's
// message and field-level problems.

const TOKEN_KEY = 'nnlab.token';

/** A non-loopback server needs a token: taken once from `?token=` in the page URL, then remembered. */
export function token() {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl);
  return sessionStorage.getItem(TOKEN_KEY);
}

export class ApiError extends Error {
  /** @param {number} status @param {{error?: string, message?: string, fields?: {path: string, message: string}[]}} body */
  constructor(status, body) {
    super(body && body.message ? body.message : 'HTTP ' + status);
    this.status = status;
    this.error = body && body.error;
    this.fields = (body && body.fields) || [];
  }
}

function url(path, query) {
  const u = new URL(path, location.origin);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v));
    }
  }
  return u.pathname + u.search;
}

async function request(method, path, {query, body} = {}) {
  const headers = {'Accept': 'application/json'};
  const t = token();
  if (t) headers['Authorization'] = 'Bearer ' + t;
  // The server refuses a POST (or any body) that is not declared JSON: a cross-site form cannot send it.
  if (body !== undefined || method === 'POST') headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url(path, query), {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    throw new ApiError(0, {error: 'network', message: 'cannot reach the nnlab server (' + e.message + ')'});
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    if (res.ok) throw new ApiError(res.status, {message: 'the server answered something that is not JSON'});
  }
  if (res.status === 401) {
    const why = (json && json.message) || 'this server needs a token';
    throw new ApiError(401, {...json, message: why + ' \u2014 open the address ./nnlab serve printed (it ends in ?token=...)'});
  }
  if (!res.ok) throw new ApiError(res.status, json || {message: text || 'HTTP ' + res.status});
  return json;
}

/** -> {total, runs: [RunRow]} */
export const listRuns = ({filter, sort, limit, offset, experiment, q} = {}) =>
  request('GET', '/api/runs', {query: {filter, sort, limit, offset, experiment, q}});
/** -> RunRow + provenance, config, tags, notes */
export const getRun = id => request('GET', `/api/runs/${id}`);
/** -> {runId, series: {key: {points, total, bucketed}}} */
export const getMetrics = (id, {keys, maxPoints = 1000} = {}) =>
  request('GET', `/api/runs/${id}/metrics`, {query: {keys: keys && keys.join(','), maxPoints}});
/** -> {latest, series: {stat: {layer: [{step, value}]}}} */
export const getLayers = id => request('GET', `/api/runs/${id}/layers`);
/** -> [{step, level, code, message, hint, wallTime}] */
export const getEvents = id => request('GET', `/api/runs/${id}/events`);
export const metricsCsvUrl = id => `/api/runs/${id}/metrics.csv`;
/** The headers of a fetch outside request(): the token, when the server needs one. */
function authHeaders(extra) {
  const headers = {...extra};
  const t = token();
  if (t) headers['Authorization'] = 'Bearer ' + t;
  return headers;
}

/**
 * A GET of an API file with the token in its header: the server takes a token in the address only
 * on the live stream, so that it never lands in history, logs or Referer headers.
 */
async function fetchFile(path, accept) {
  let res;
  try {
    res = await fetch(path, {headers: authHeaders(accept ? {'Accept': accept} : {})});
  } catch (e) {
    throw new ApiError(0, {error: 'network', message: 'cannot reach the nnlab server (' + e.message + ')'});
  }
  if (!res.ok) {
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null; // not JSON: keep the status
    }
    throw new ApiError(res.status, body || {message: 'HTTP ' + res.status});
  }
  return res;
}

/** Saves an API file (a CSV, an artifact) under `filename`: fetched with the token header, handed over as a blob link. */
export async function downloadFile(path, filename) {
  const blob = await (await fetchFile(path)).blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}

/** An address for an API file that an <img> can show: fetched with the token header, as a blob URL. */
export async function blobUrl(path) {
  return URL.createObjectURL(await (await fetchFile(path)).blob());
}

/** Downloads a run's metrics as CSV (see downloadFile). */
export const downloadMetricsCsv = id => downloadFile(metricsCsvUrl(id), 'run-' + id + '-metrics.csv');

/** -> [{name, mediaType, size, sha256, created, url}] */
export const getArtifacts = id => request('GET', `/api/runs/${id}/artifacts`);

/** An artifact's content as text (a confusion matrix, a log), with the token in the header. */
export async function getArtifactText(path) {
  return (await fetchFile(path)).text();
}
/** The k words nearest to `word` in a word2vec run's vectors: {word, neighbours: [{word, similarity}]}. */
export const getNeighbours = (id, word, k = 10) => request('GET', `/api/runs/${id}/neighbours`, {query: {word, k}});
export const stopRun = id => request('POST', `/api/runs/${id}/stop`);
export const deleteRun = id => request('DELETE', `/api/runs/${id}`);
export const addNote = (id, text) => request('POST', `/api/runs/${id}/notes`, {body: {text}});
export const addTag = (id, key, value) => request('POST', `/api/runs/${id}/tags`, {body: {key, value}});
/** -> 202 {experiment: {id, name}, runIds} */
export const launch = spec => request('POST', '/api/runs', {body: spec});
/** -> [{id, name, created, runCount, spec}] */
export const listExperiments = () => request('GET', '/api/experiments');
/** -> [{id, experimentId, created, verdict, lesson: {claim, source, checks}, checks: [...], runIds}], oldest first */
export const getRungs = experimentId => request('GET', `/api/experiments/${experimentId}/rungs`);
export const getImportance = (experimentId, metric, summary) =>
  request('GET', `/api/experiments/${experimentId}/importance`, {query: {metric, summary}});
export const getVerdicts = experimentId => request('GET', `/api/experiments/${experimentId}/verdicts`);
/** -> {families: [...], failures: [{jar, reason}], pending: [{jar, reason}], folders: [...]} */
export const getPlugins = () => request('GET', '/api/plugins');
/** Rescans the plugins folders now; -> the same as getPlugins */
export const reloadPlugins = () => request('POST', '/api/plugins/reload');
/** -> [{name, description, available, location, howToGet}] */
export const getDatasets = () => request('GET', '/api/datasets');
