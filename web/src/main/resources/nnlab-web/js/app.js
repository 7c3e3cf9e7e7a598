// Hash routing: #/runs, #/compare?ids=1,2, #/sweep?experiment=3, #/launch, #/plugins.
// A view is a module with mount(root, query) -> cleanup; the router calls the cleanup on leaving.
import * as runsTable from './runs-table.js';
import * as compare from './compare.js';
import * as sweep from './sweep.js';
import * as launchForm from './launch-form.js';
import * as plugins from './plugins.js';
import {start as startLive} from './live.js';
import {h, replace} from './dom.js';
import {parseHash} from './route.js';

const VIEWS = {runs: runsTable, compare, sweep, launch: launchForm, plugins};

// Tests and curious users reach the Chart.js instances here, by chart name (e.g. charts['train_loss']).
window.nnlab = window.nnlab || {charts: {}};

let cleanup = null;

function render() {
  const {route, query} = parseHash();
  if (cleanup) {
    try {
      cleanup();
    } catch (e) {
      console.error(e);
    }
    cleanup = null;
  }
  for (const chart of Object.values(window.nnlab.charts)) chart.destroy();
  window.nnlab.charts = {};
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.route === route);
  const root = document.getElementById('view');
  const view = VIEWS[route];
  if (!view) {
    replace(root, h('div', {class: 'note error'}, 'No such page: ' + route));
    return;
  }
  replace(root);
  root.className = 'view view-' + route;
  document.title = 'nnlab \u00b7 ' + route;
  cleanup = view.mount(root, query) || null;
}

if (window.Chart) {
  Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font-sans') || 'system-ui';
  Chart.defaults.font.size = 11;
  Chart.defaults.color = '#444';
  Chart.defaults.animation = false;
}
window.addEventListener('hashchange', render);
startLive();
render();
