// The embedding projector of a word2vec run: its projection.json (a 2-D PCA of the most frequent
// words) as a Chart.js scatter with the words as labels (the most frequent ones, and every word the
// search matches: 500 labels at once would be unreadable), a word's name shown on hover, and a search
// box that highlights the words containing what is typed; beside it, a box that asks the server for a word's nearest
// neighbours. Words come from the corpus, so they go in as text only (h() and Chart.js's canvas
// text never parse HTML).
import * as api from './api.js';
import {h, note} from './dom.js';

export const PROJECTION_TYPE = 'application/vnd.nnlab.projection+json';

const BASE = 'rgba(31, 90, 160, 0.55)';
const HIT = 'rgba(214, 69, 65, 1)';
const FADED = 'rgba(31, 90, 160, 0.12)';
/** Words labelled when nothing is searched: the most frequent ones (projection.json lists them first). */
export const LABELLED_WORDS = 40;
/** At most this many search hits are labelled, so a one-letter search does not bury the plot. */
const LABELLED_HITS = 80;

// Draws the label of every point whose index is in chart.$labelled, next to the point.
const wordLabels = {
  id: 'wordLabels',
  afterDatasetsDraw(chart) {
    const meta = chart.getDatasetMeta(0), points = chart.data.datasets[0].data, ctx = chart.ctx;
    ctx.save();
    ctx.font = '11px sans-serif';
    ctx.textBaseline = 'middle';
    for (const i of chart.$labelled || []) {
      const el = meta.data[i];
      if (!el || el.skip) continue;
      ctx.fillStyle = chart.$hits && chart.$hits.has(i) ? HIT : 'rgba(40, 40, 40, 0.8)';
      ctx.fillText(points[i].word, el.x + 5, el.y);
    }
    ctx.restore();
  },
};

/** A scatter of {words, x, y} with a search box; the canvas carries data-words and data-highlighted for tests. */
export function embeddingProjector(p) {
  const words = (p.words || []).map(String);
  const points = words.map((w, i) => ({x: Number(p.x[i]), y: Number(p.y[i]), word: w}));
  const canvas = h('canvas', {class: 'projector-canvas', role: 'img',
    'aria-label': 'PCA projection of ' + words.length + ' word vectors',
    dataset: {words: words.length, highlighted: 0, labelled: 0, hovered: ''}});
  const wrap = h('div', {class: 'projector-chart'}, canvas);
  const chart = new Chart(canvas, {
    type: 'scatter',
    data: {datasets: [{data: points, pointRadius: 3, pointHoverRadius: 6, backgroundColor: words.map(() => BASE)}]},
    plugins: [wordLabels],
    options: {
      animation: false, maintainAspectRatio: false,
      // The hovered word, also on the canvas for tests (the tooltip itself is pixels).
      onHover: (_, active) => { canvas.dataset.hovered = active.length ? points[active[0].index].word : ''; },
      plugins: {
        legend: {display: false},
        tooltip: {callbacks: {label: ctx => ctx.raw.word}},
      },
      scales: {x: {title: {display: true, text: 'PC 1'}}, y: {title: {display: true, text: 'PC 2'}}},
    },
  });
  canvas.addEventListener('mouseleave', () => { canvas.dataset.hovered = ''; });
  function label(indices, hits) {
    chart.$labelled = indices;
    chart.$hits = hits;
    canvas.dataset.labelled = indices.length;
  }
  label(points.slice(0, LABELLED_WORDS).map((_, i) => i), new Set());
  chart.update();
  const found = h('span', {class: 'muted small projector-found'});
  const search = h('input', {type: 'search', class: 'projector-search', placeholder: 'Highlight a word\u2026',
    'aria-label': 'Highlight words containing', oninput: () => highlight(search.value)});
  function highlight(text) {
    const q = text.trim().toLowerCase();
    let hits = 0;
    const hitIndices = [];
    chart.data.datasets[0].backgroundColor = points.map((pt, i) => {
      if (!q) return BASE;
      if (pt.word.toLowerCase().includes(q)) { hits++; hitIndices.push(i); return HIT; }
      return FADED;
    });
    if (q) label(hitIndices.slice(0, LABELLED_HITS), new Set(hitIndices));
    else label(points.slice(0, LABELLED_WORDS).map((_, i) => i), new Set());
    chart.data.datasets[0].pointRadius = points.map(pt => (q && pt.word.toLowerCase().includes(q) ? 6 : 3));
    chart.update();
    canvas.dataset.highlighted = hits;
    found.textContent = q ? hits + ' of ' + points.length + ' words match' : '';
  }
  const explained = Array.isArray(p.explained)
    ? h('span', {class: 'muted small'}, 'PC 1 and 2 explain ' + (100 * p.explained[0]).toFixed(1) + '% and '
      + (100 * p.explained[1]).toFixed(1) + '% of the variance')
    : null;
  return h('div', {class: 'projector'}, h('div', {class: 'projector-tools'}, search, ' ', found), wrap, explained);
}

/** A query box: type a word, get its k nearest neighbours by cosine from GET /api/runs/{id}/neighbours. */
export function neighbourBox(runId) {
  const input = h('input', {type: 'text', class: 'neighbour-word', placeholder: 'A word of the vocabulary', 'aria-label': 'Word'});
  const result = h('div', {class: 'neighbour-result'});
  async function ask(e) {
    e.preventDefault();
    const word = input.value.trim();
    if (!word) return;
    result.replaceChildren(note('Looking up ' + word + '\u2026'));
    try {
      const a = await api.getNeighbours(runId, word, 10);
      result.replaceChildren(h('ol', {class: 'neighbour-list'},
        a.neighbours.map(n => h('li', {dataset: {word: n.word}}, h('span', {class: 'mono'}, n.word), ' ',
          h('span', {class: 'muted small'}, n.similarity.toFixed(3))))));
    } catch (err) {
      // A word outside the vocabulary is an answer, not a failure: say so plainly.
      result.replaceChildren(err.error === 'unknown_word' ? note(err.message, 'unknown-word') : note(err.message, 'error'));
    }
  }
  return h('form', {class: 'neighbour-box', onsubmit: ask},
    h('label', null, 'Nearest neighbours of ', input), ' ', h('button', {type: 'submit'}, 'Find'), result);
}
