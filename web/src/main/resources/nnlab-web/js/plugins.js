// #/plugins: the installed model families (version, JAR, data kinds, parameter schema), the JARs
// that failed to load and why, and the data sets the server knows.
import * as api from './api.js';
import {h, replace, note} from './dom.js';
import {fmtParam} from './format.js';

export function mount(root) {
  let alive = true;
  const body = h('div', null, note('Loading\u2026'));
  replace(root, h('div', {class: 'toolbar'}, h('h2', null, 'Plugins')), body);

  Promise.all([api.getPlugins(), api.getDatasets().catch(() => [])]).then(([plugins, datasets]) => {
    if (!alive) return;
    const families = plugins.families || [];
    const failures = plugins.failures || [];
    replace(body,
      failures.length ? h('section', {class: 'panel failures'},
        h('div', {class: 'panel-head'}, h('h3', null, 'Failed to load (' + failures.length + ')')),
        h('table', {class: 'grid'}, h('thead', null, h('tr', null, h('th', null, 'JAR'), h('th', null, 'reason'))),
          h('tbody', null, failures.map(f => h('tr', {class: 'failure'},
            h('td', {class: 'mono'}, f.jar || ''), h('td', {class: 'error-text pre'}, f.reason || '')))))) : null,
      families.length ? families.map(familyCard) : note('No model family is installed.', 'error'),
      h('section', {class: 'panel'},
        h('div', {class: 'panel-head'}, h('h3', null, 'Data sets')),
        h('table', {class: 'grid datasets-table'},
          h('thead', null, h('tr', null, h('th', null, 'name'), h('th', null, 'kind'), h('th', null, 'available'), h('th', null, 'description'),
            h('th', null, 'location / how to get it'))),
          h('tbody', null, datasets.map(d => h('tr', null,
            h('td', {class: 'mono'}, d.name),
            h('td', null, (d.kinds || []).map(k => h('span', {class: 'tag'}, k))),
            h('td', null, d.available ? h('span', {class: 'badge status-finished'}, 'yes') : h('span', {class: 'badge status-queued'}, 'no')),
            h('td', null, d.description || ''),
            h('td', {class: 'mono small'}, d.available ? d.location || '' : d.howToGet || '')))))));
  }).catch(e => alive && replace(body, note('Could not load the plugins: ' + e.message, 'error')));

  return () => {
    alive = false;
  };
}

function familyCard(f) {
  return h('section', {class: 'panel family', dataset: {family: f.id}},
    h('div', {class: 'panel-head'},
      h('h3', null, f.displayName || f.id),
      h('code', null, f.id),
      h('span', {class: 'muted'}, 'v' + (f.version || '?')),
      h('span', {class: 'muted small mono'}, f.jar || ''),
      (f.dataKinds || []).map(k => h('span', {class: 'tag'}, k)),
      h('span', {class: 'spacer'}),
      h('a', {href: '#/launch?family=' + encodeURIComponent(f.id)}, 'launch\u2026')),
    f.description ? h('p', {class: 'description'}, f.description) : null,
    h('table', {class: 'grid schema-table'},
      h('thead', null, h('tr', null, h('th', null, 'parameter'), h('th', null, 'type'), h('th', null, 'default'),
        h('th', null, 'allowed'), h('th', null, 'scale'), h('th', null, 'description'))),
      h('tbody', null, (f.params || []).map(p => h('tr', {dataset: {param: p.name}},
        h('td', {class: 'mono'}, p.name),
        h('td', {class: 'muted'}, String(p.type || '').toLowerCase()),
        h('td', {class: 'mono'}, fmtParam(p.default)),
        h('td', {class: 'small'}, p.allowed || ''),
        h('td', {class: 'small muted'}, p.logScale ? 'log' : ''),
        h('td', {class: 'small'}, p.description || ''))))));
}
