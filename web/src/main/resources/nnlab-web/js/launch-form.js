// #/launch: a form generated from the chosen family's parameter schema (GET /api/plugins). It
// builds the experiment spec of `./nnlab run SPEC.json`, POSTs it, shows the server's field-level
// errors next to their fields, and on success opens the new runs, whose curves then grow live.
import * as api from './api.js';
import {h, replace, note} from './dom.js';
import {navigate} from './route.js';
import {paramInput, readParam, parseGridValues, gridPlaceholder} from './param-inputs.js';

export function mount(root, query) {
  let alive = true;
  let families = [];
  let datasets = [];
  const fieldErrors = new Map(); // field key -> error element
  const inputs = new Map(); // param name -> input
  let gridRows = [];

  const familySelect = h('select', {id: 'launch-family', name: 'family', onchange: () => { renderDatasets(datasetSelect.value); renderParams(); }});
  const familyInfo = h('div', {class: 'muted small family-info'});
  const datasetSelect = h('select', {id: 'launch-dataset', name: 'dataset', oninput: () => suggestName()});
  const nameInput = h('input', {id: 'launch-name', name: 'name', type: 'text', maxlength: 200, spellcheck: 'false'});
  let nameEdited = false;
  nameInput.addEventListener('input', () => { nameEdited = true; preview(); });
  const descInput = h('input', {id: 'launch-description', name: 'description', type: 'text', placeholder: 'what this experiment asks (optional)'});
  const epochsInput = h('input', {id: 'launch-epochs', name: 'epochs', type: 'number', min: 1, step: 1});
  const seedsInput = h('input', {id: 'launch-seeds', name: 'seeds', type: 'text', placeholder: 'e.g. 1, 2, 3 (optional)', spellcheck: 'false'});
  const paramsBox = h('div', {class: 'param-grid'});
  const gridBox = h('div', {class: 'grid-rows'});
  const general = h('div', {class: 'form-error', role: 'alert'});
  const specPreview = h('pre', {class: 'spec-preview mono'});
  const submit = h('button', {type: 'submit', class: 'primary', id: 'launch-submit'}, 'Launch');

  const field = (key, label, input, help) => {
    const err = h('div', {class: 'field-error', dataset: {field: key}});
    fieldErrors.set(key, err);
    return h('div', {class: 'field', dataset: {field: key}}, h('label', {for: input.id}, label), input,
      help ? h('div', {class: 'help muted small'}, help) : null, err);
  };

  const form = h('form', {class: 'launch-form', novalidate: true, onsubmit: onSubmit, oninput: () => preview(), onchange: () => preview()},
    h('div', {class: 'toolbar'}, h('h2', null, 'Launch runs')),
    h('div', {class: 'form-row'},
      field('family', 'Model family', familySelect),
      field('dataset', 'Dataset', datasetSelect),
      field('epochs', 'Epochs', epochsInput),
      field('seeds', 'Seeds', seedsInput, 'one run per seed, for group-by-seed')),
    familyInfo,
    h('div', {class: 'form-row'},
      field('name', 'Experiment name', nameInput),
      field('description', 'Description', descInput)),
    h('h3', null, 'Parameters'),
    paramsBox,
    h('h3', null, 'Vary parameters (grid)'),
    h('p', {class: 'muted small'}, 'Each combination of the listed values becomes one run.'),
    gridBox,
    h('button', {type: 'button', onclick: () => addGridRow()}, '+ vary a parameter'),
    h('div', {class: 'submit-row'}, submit, general),
    h('details', {class: 'spec-details'}, h('summary', null, 'Experiment spec (the JSON of ./nnlab run)'), specPreview));
  replace(root, form);

  function family() {
    return families.find(f => f.id === familySelect.value);
  }

  function suggestName() {
    if (nameEdited) return;
    const d = new Date();
    const p = n => String(n).padStart(2, '0');
    nameInput.value = `${familySelect.value}-${datasetSelect.value}-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  }

  /** The datasets, with those the family cannot train on (no shared data kind) or that are missing disabled. */
  function renderDatasets(want) {
    const f = family();
    const accepts = d => !f || !d.kinds || (f.dataKinds || []).some(k => d.kinds.includes(k));
    const why = d => d.available === false ? ' (not available)' : accepts(d) ? '' : ' (' + (d.kinds || []).join(', ').toLowerCase() + ')';
    replace(datasetSelect, datasets.map(d => h('option', {value: d.name, disabled: d.available === false || !accepts(d),
      title: d.available === false ? 'Not available: ' + (d.howToGet || '') : (d.description || '')}, d.name + why(d))));
    const usable = datasets.filter(d => d.available !== false && accepts(d));
    datasetSelect.value = usable.some(d => d.name === want) ? want : (usable[0] ? usable[0].name : '');
  }

  function renderParams() {
    const f = family();
    inputs.clear();
    for (const key of [...fieldErrors.keys()]) if (key.startsWith('params.')) fieldErrors.delete(key);
    if (!f) {
      replace(paramsBox, note('No model family is installed.', 'error'));
      return;
    }
    replace(familyInfo, f.displayName + ' \u00b7 v' + f.version + ' \u00b7 ' + (f.description || ''));
    const epochs = f.params.find(p => p.name === 'epochs');
    if (!epochsInput.value) epochsInput.value = query.get('epochs') || (epochs ? epochs.default : 5);
    replace(paramsBox, f.params.filter(p => p.name !== 'epochs').map(spec => {
      const input = paramInput(spec);
      input.id = 'param-' + spec.name;
      inputs.set(spec.name, input);
      const err = h('div', {class: 'field-error', dataset: {field: 'params.' + spec.name}});
      fieldErrors.set('params.' + spec.name, err);
      return h('div', {class: 'field param-field', dataset: {param: spec.name}, title: spec.description || ''},
        h('label', {for: input.id}, spec.name, spec.logScale ? h('span', {class: 'muted small'}, ' log') : null),
        input,
        // A select or a checkbox already shows what is allowed.
        /^(choice|bool)$/i.test(spec.type) ? null : h('div', {class: 'help muted small'}, spec.allowed || ''),
        err);
    }));
    gridRows = [];
    replace(gridBox);
    suggestName();
    preview();
  }

  function addGridRow(name, values) {
    const f = family();
    if (!f) return;
    const names = f.params.filter(p => p.name !== 'epochs').map(p => p.name);
    const select = h('select', {class: 'grid-param', 'aria-label': 'Parameter to vary'}, names.map(n => h('option', {value: n}, n)));
    const valuesInput = h('input', {class: 'grid-values mono', type: 'text', 'aria-label': 'Values', spellcheck: 'false'});
    const err = h('div', {class: 'field-error'});
    const placeholder = () => {
      valuesInput.placeholder = gridPlaceholder(f.params.find(p => p.name === select.value));
    };
    select.addEventListener('change', placeholder);
    const row = {select, valuesInput, err};
    const el = h('div', {class: 'grid-row'}, select, valuesInput,
      h('button', {type: 'button', title: 'Remove', onclick: () => {
        gridRows = gridRows.filter(r => r !== row);
        el.remove();
        preview();
      }}, '\u00d7'), err);
    row.el = el;
    select.value = name || names.find(n => n === 'lr') || names[0];
    if (values) valuesInput.value = values;
    placeholder();
    gridRows.push(row);
    gridBox.appendChild(el);
    preview();
  }

  /** The spec from the form; parameters equal to their default are left out (the server fills them in). */
  function buildSpec() {
    const f = family();
    const spec = {name: nameInput.value.trim(), family: familySelect.value, dataset: datasetSelect.value};
    if (descInput.value.trim()) spec.description = descInput.value.trim();
    const epochs = epochsInput.value.trim();
    if (epochs !== '') spec.epochs = Number.isFinite(Number(epochs)) ? Number(epochs) : epochs;
    const params = {};
    const varied = new Set(gridRows.map(r => r.select.value));
    for (const p of (f ? f.params : [])) {
      const input = inputs.get(p.name);
      if (!input || varied.has(p.name)) continue;
      const v = readParam(p, input);
      if (v !== undefined && JSON.stringify(v) !== JSON.stringify(p.default)) params[p.name] = v;
    }
    if (Object.keys(params).length) spec.params = params;
    if (gridRows.length) {
      spec.grid = {};
      for (const r of gridRows) spec.grid[r.select.value] = parseGridValues(f.params.find(p => p.name === r.select.value), r.valuesInput.value);
    }
    const seeds = seedsInput.value.split(/[\s,]+/).filter(Boolean);
    if (seeds.length) spec.seeds = seeds.map(s => (Number.isFinite(Number(s)) ? Number(s) : s));
    return spec;
  }

  function preview() {
    specPreview.textContent = JSON.stringify(buildSpec(), null, 2);
  }

  function clearErrors() {
    for (const el of fieldErrors.values()) replace(el);
    for (const r of gridRows) replace(r.err);
    for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
    replace(general);
  }

  /** Puts a server problem next to its field: $.params.lr -> the lr input, $.grid.lr[1] -> that grid row. */
  function showFieldError(path, message) {
    const m = /^\$\.(params\.)?([A-Za-z0-9_]+)/.exec(path || '');
    const grid = /^\$\.grid\.([A-Za-z0-9_]+)/.exec(path || '');
    if (grid) {
      const row = gridRows.find(r => r.select.value === grid[1]);
      if (row) {
        row.err.appendChild(h('div', null, message));
        row.valuesInput.classList.add('invalid');
        return true;
      }
    }
    if (m) {
      const key = m[1] ? (m[2] === 'epochs' ? 'epochs' : 'params.' + m[2]) : m[2];
      const el = fieldErrors.get(key);
      if (el) {
        el.appendChild(h('div', null, message));
        const input = key.startsWith('params.') ? inputs.get(key.slice(7)) : form.querySelector('[name="' + key + '"]');
        if (input) input.classList.add('invalid');
        return true;
      }
    }
    return false;
  }

  async function onSubmit(e) {
    e.preventDefault();
    clearErrors();
    submit.disabled = true;
    submit.textContent = 'Launching\u2026';
    try {
      const res = await api.launch(buildSpec());
      if (!alive) return;
      navigate('compare', {ids: res.runIds.join(',')});
    } catch (err) {
      if (!alive) return;
      const unplaced = err.fields.filter(f => !showFieldError(f.path, f.message));
      const placed = err.fields.length - unplaced.length;
      const headline = err.status === 409 ? 'The run queue is full: ' + err.message
        : placed > 0 && unplaced.length === 0 ? 'Not launched: fix the highlighted field' + (placed > 1 ? 's.' : '.') : err.message;
      replace(general, h('div', null, headline),
        unplaced.map(f => h('div', {class: 'small'}, f.path + ': ' + f.message)));
      const first = form.querySelector('.invalid');
      if (first) first.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Launch';
    }
  }

  Promise.all([api.getPlugins(), api.getDatasets()]).then(([plugins, ds]) => {
    if (!alive) return;
    families = plugins.families || [];
    datasets = ds || [];
    replace(familySelect, families.map(f => h('option', {value: f.id}, f.displayName ? f.id + ' \u2014 ' + f.displayName : f.id)));
    const wantFamily = query.get('family');
    familySelect.value = families.some(f => f.id === wantFamily) ? wantFamily : (families.find(f => f.id === 'mlp') || families[0] || {}).id || '';
    renderDatasets(query.get('dataset'));
    renderParams();
    window.nnlab.launchReady = true;
  }).catch(err => replace(paramsBox, note('Could not load the plugins or datasets: ' + err.message, 'error')));

  return () => {
    alive = false;
    window.nnlab.launchReady = false;
  };
}

