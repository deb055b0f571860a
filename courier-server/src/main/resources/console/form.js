// A form generated from a command type's JSON Schema (the subset the built-in types use), with
// inline validation before sending and the server's problem+json `field` shown at the same spot.
import { h, field, setFieldError, uid } from './ui.js';

function titleOf(name) {
  return name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function describe(schema) {
  const parts = [];
  if (schema.description) parts.push(schema.description);
  if (schema.minimum !== undefined && schema.maximum !== undefined) parts.push(`${schema.minimum}–${schema.maximum}`);
  if (schema.maxLength) parts.push(`at most ${schema.maxLength} characters`);
  if (schema.type === 'object') parts.push('JSON object');
  if (schema.type === 'array' && !schema.items?.enum) parts.push('one per line');
  return parts.join('; ') || undefined;
}

/** Builds the controls of one property; returns {row, read(), control}. */
function propertyControl(name, schema, required) {
  const id = uid('param');
  let control;
  let read;
  if (schema.enum) {
    control = h('select', { id, name },
      required ? null : h('option', { value: '' }, '(default)'),
      schema.enum.map((v) => h('option', { value: String(v) }, String(v))));
    read = () => (control.value === '' ? undefined : control.value);
  } else if (schema.type === 'boolean') {
    control = h('select', { id, name }, h('option', { value: '' }, '(default)'),
      h('option', { value: 'true' }, 'yes'), h('option', { value: 'false' }, 'no'));
    read = () => (control.value === '' ? undefined : control.value === 'true');
  } else if (schema.type === 'integer' || schema.type === 'number') {
    control = h('input', { id, name, type: 'number', inputmode: 'numeric',
      min: schema.minimum, max: schema.maximum, step: schema.type === 'integer' ? 1 : 'any' });
    read = () => (control.value.trim() === '' ? undefined : Number(control.value));
  } else if (schema.type === 'array' && schema.items?.enum) {
    const boxes = schema.items.enum.map((v) => h('input', { type: 'checkbox', value: v, id: uid('opt') }));
    control = h('fieldset', { id, class: 'choices' }, h('legend', { class: 'sr-only' }, titleOf(name)),
      boxes.map((box) => h('label', { class: 'choice', for: box.id }, box, ' ', box.value)));
    read = () => {
      const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
      return chosen.length ? chosen : undefined;
    };
  } else if (schema.type === 'array') {
    control = h('textarea', { id, name, rows: 3 });
    read = () => {
      const lines = control.value.split('\n').map((l) => l.trim()).filter(Boolean);
      return lines.length ? lines : undefined;
    };
  } else if (schema.type === 'object') {
    control = h('textarea', { id, name, rows: 4, spellcheck: 'false', class: 'mono', placeholder: '{}' });
    read = () => {
      if (control.value.trim() === '') return undefined;
      try {
        return JSON.parse(control.value);
      } catch {
        return { __invalid_json__: true };
      }
    };
  } else {
    const long = (schema.maxLength || 0) > 4096;
    control = long ? h('textarea', { id, name, rows: 3 }) : h('input', { id, name, type: 'text', autocomplete: 'off' });
    read = () => (control.value === '' ? undefined : control.value);
  }
  if (required) control.setAttribute('aria-required', 'true');
  const row = field(titleOf(name) + (required ? ' *' : ''), control, { hint: describe(schema) });
  return { row, read, control };
}

/** Checks one value against its schema; returns a message or null. */
export function check(value, schema, required) {
  if (value === undefined) return required ? 'Required.' : null;
  if (value && value.__invalid_json__) return 'Not valid JSON.';
  if (schema.enum && !schema.enum.includes(value)) return `One of: ${schema.enum.join(', ')}.`;
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return 'Must be text.';
      if (schema.minLength && value.length < schema.minLength) return `At least ${schema.minLength} characters.`;
      if (schema.maxLength && value.length > schema.maxLength) return `At most ${schema.maxLength} characters.`;
      if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return 'Not in the expected format.';
      return null;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || Number.isNaN(value)) return 'Must be a number.';
      if (schema.type === 'integer' && !Number.isInteger(value)) return 'Must be a whole number.';
      if (schema.minimum !== undefined && value < schema.minimum) return `At least ${schema.minimum}.`;
      if (schema.maximum !== undefined && value > schema.maximum) return `At most ${schema.maximum}.`;
      return null;
    case 'array':
      if (schema.minItems && value.length < schema.minItems) return `Pick at least ${schema.minItems}.`;
      if (schema.maxItems && value.length > schema.maxItems) return `At most ${schema.maxItems}.`;
      return null;
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? null : 'Must be a JSON object.';
    default:
      return null;
  }
}

/**
 * The form for one schema: {element, collect() -> {params, valid}, serverError(apiError) -> bool,
 * clear()}.
 */
export function schemaForm(schema) {
  const properties = schema?.properties || {};
  const required = new Set(schema?.required || []);
  const controls = Object.entries(properties).map(([name, property]) => ({
    name, property, required: required.has(name), ...propertyControl(name, property, required.has(name)),
  }));
  const general = h('div', { class: 'error', 'aria-live': 'polite' });
  const element = h('div', { class: 'schema-form' },
    controls.length ? controls.map((c) => c.row) : h('p', { class: 'muted' }, 'This command takes no parameters.'),
    general);
  function clear() {
    controls.forEach((c) => setFieldError(c.control, ''));
    general.textContent = '';
  }
  return {
    element,
    clear,
    collect() {
      clear();
      const params = {};
      let valid = true;
      let first = null;
      for (const c of controls) {
        const value = c.read();
        const problem = check(value, c.property, c.required);
        if (problem) {
          valid = false;
          setFieldError(c.control, problem);
          first = first || c.control;
        } else if (value !== undefined) {
          params[c.name] = value;
        }
      }
      first?.focus?.();
      return { params, valid };
    },
    /** Shows a server refusal next to the field it names (params.x) when it is one of ours. */
    serverError(e) {
      const name = (e.field || '').replace(/^params\.?/, '').split(/[.[]/)[0];
      const target = controls.find((c) => c.name === name);
      if (target) {
        setFieldError(target.control, e.message);
        target.control.focus?.();
        return true;
      }
      general.textContent = e.message;
      return false;
    },
  };
}
