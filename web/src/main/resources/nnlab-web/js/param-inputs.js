// The right input for each parameter type of a family's schema, and reading values back:
// int/float -> number with min/max, choice -> select, bool -> checkbox, int_list -> comma list,
// string -> one line of text in the family's own syntax (e.g. a layer stack).
import {h} from './dom.js';

/** An input for one ParamSpec ({name, type, default, min, max, choices, ...}), filled with its default. */
export function paramInput(spec) {
  const type = String(spec.type || '').toLowerCase();
  const name = spec.name;
  if (type === 'bool') return h('input', {type: 'checkbox', name, checked: spec.default === true});
  if (type === 'choice') {
    return h('select', {name}, (spec.choices || []).map(c => h('option', {value: c, selected: c === spec.default}, c)));
  }
  if (type === 'int_list') {
    return h('input', {type: 'text', name, class: 'mono', spellcheck: 'false', placeholder: 'e.g. 128, 64',
      value: Array.isArray(spec.default) ? spec.default.join(', ') : ''});
  }
  if (type === 'string') {
    return h('input', {type: 'text', name, class: 'mono', spellcheck: 'false', value: spec.default ?? ''});
  }
  // int and float: the browser's spinner honours min/max; the server still validates
  // (exclusive bounds such as lr > 0 cannot be said in HTML).
  return h('input', {type: 'number', name, class: 'num',
    step: type === 'int' ? 1 : 'any',
    min: spec.min ?? undefined, max: spec.max ?? undefined,
    value: spec.default ?? ''});
}

/** A list of ints from "128, 64" (text that is not a number is kept, so the server can name it). */
function parseIntList(text) {
  return text.split(/[\s,\[\]]+/).filter(Boolean).map(t => (/^-?\d+$/.test(t) ? Number(t) : t));
}

function parseNumber(text) {
  const t = String(text).trim();
  if (t === '') return undefined;
  return Number.isFinite(Number(t)) ? Number(t) : t;
}

/** The value of an input made by paramInput, typed as the schema says; undefined when left empty. */
export function readParam(spec, input) {
  const type = String(spec.type || '').toLowerCase();
  if (type === 'bool') return input.checked;
  if (type === 'choice') return input.value;
  if (type === 'string') return input.value.trim() === '' ? undefined : input.value.trim();
  if (type === 'int_list') return input.value.trim() === '' ? undefined : parseIntList(input.value);
  return parseNumber(input.value);
}

/**
 * Grid values typed by the user: "0.01, 0.1, 1" for numbers, "sgd, adam" for choices,
 * "true, false" for booleans, "128; 256, 256" (lists separated by ';') for int lists.
 */
export function parseGridValues(spec, text) {
  const type = String((spec && spec.type) || '').toLowerCase();
  if (type === 'int_list') return text.split(';').map(s => s.trim()).filter(Boolean).map(parseIntList);
  // Strings may hold commas (a layer stack), so their grid values are separated by ';' as lists are.
  if (type === 'string') return text.split(';').map(s => s.trim()).filter(Boolean);
  const parts = text.split(',').map(s => s.trim()).filter(Boolean);
  if (type === 'bool') return parts.map(p => (p === 'true' ? true : p === 'false' ? false : p));
  if (type === 'choice') return parts;
  return parts.map(parseNumber);
}

export function gridPlaceholder(spec) {
  const type = String((spec && spec.type) || '').toLowerCase();
  if (type === 'int_list') return 'lists separated by ;  e.g. 64; 128, 128';
  if (type === 'string') return 'values separated by ;';
  if (type === 'bool') return 'true, false';
  if (type === 'choice') return (spec.choices || []).slice(0, 3).join(', ');
  return 'comma-separated, e.g. 0.001, 0.01, 0.1';
}
