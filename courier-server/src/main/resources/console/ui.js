// Small DOM helpers: no framework, no inline HTML strings from data (text nodes only).

/** h('button', {class: 'primary', onclick: fn}, 'Run') */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      element.className = value;
    } else if (key === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (key === 'value' && 'value' in element) {
      element.value = value;
    } else if (value === true) {
      element.setAttribute(key, '');
    } else {
      element.setAttribute(key, value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value);
  append(element, children);
  return element;
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let nextId = 0;
export const uid = (prefix = 'f') => `${prefix}-${++nextId}`;

export function ago(iso) {
  if (!iso) return '—';
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export function when(iso) {
  if (!iso) return '—';
  return h('time', { datetime: iso, title: new Date(iso).toLocaleString() }, ago(iso));
}

export function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

const STATUS_CLASS = {
  online: 'ok', completed: 'ok', succeeded: 'ok',
  offline: 'muted', pending: 'info', accepted: 'info', running: 'busy', cancelling: 'warn',
  failed: 'bad', timed_out: 'bad', expired: 'warn', cancelled: 'muted', decommissioned: 'muted',
  active: 'busy', paused: 'warn', succeeded_with_errors: 'warn', aborted: 'bad', denied: 'bad',
};
export function badge(status) {
  const text = String(status ?? '—');
  return h('span', { class: 'badge ' + (STATUS_CLASS[text] || 'muted') }, text.replace(/_/g, ' '));
}

export function labels(map) {
  const entries = Object.entries(map || {});
  if (!entries.length) return h('span', { class: 'muted' }, 'none');
  return h('span', { class: 'labels' }, entries.map(([k, v]) => h('code', { class: 'label' }, `${k}=${v}`)));
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** A polite live region for status messages screen readers should hear. */
export function toast(text, kind = 'info') {
  const region = document.getElementById('toasts');
  const note = h('div', { class: 'toast ' + kind, role: kind === 'bad' ? 'alert' : 'status' }, text);
  region.append(note);
  setTimeout(() => note.remove(), 5000);
}

export function errorText(e) {
  return e?.field ? `${e.message} (${e.field})` : e?.message || String(e);
}

/**
 * A table whose header buttons sort the loaded rows; columns: [{key, label, render?, sort?}].
 * Returns {element, setRows(rows)}.
 */
export function sortableTable(columns, { caption, rowKey, empty = 'Nothing here yet.' } = {}) {
  let rows = [];
  let sortKey = null;
  let ascending = true;
  const body = h('tbody');
  const headers = columns.map((column) => {
    const th = h('th', { scope: 'col' });
    if (column.sort === false) {
      th.append(column.label);
    } else {
      th.setAttribute('aria-sort', 'none');
      th.append(h('button', {
        type: 'button', class: 'sort',
        onclick: () => {
          ascending = sortKey === column.key ? !ascending : true;
          sortKey = column.key;
          headers.forEach((other) => other.hasAttribute('aria-sort') && other.setAttribute('aria-sort', 'none'));
          th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
          draw();
        },
      }, column.label));
    }
    return th;
  });
  const table = h('table', {}, caption ? h('caption', { class: 'sr-only' }, caption) : null,
    h('thead', {}, h('tr', {}, headers)), body);
  function value(row, column) {
    const v = column.sortValue ? column.sortValue(row) : row[column.key];
    return v === undefined || v === null ? '' : v;
  }
  function draw() {
    let shown = rows;
    if (sortKey) {
      const column = columns.find((c) => c.key === sortKey);
      shown = [...rows].sort((a, b) => {
        const x = value(a, column);
        const y = value(b, column);
        const order = typeof x === 'number' && typeof y === 'number'
          ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        return ascending ? order : -order;
      });
    }
    replace(body, shown.length ? shown.map((row) => h('tr', { dataset: rowKey ? { key: row[rowKey] } : {} },
      columns.map((column) => h('td', { dataset: { label: column.label } },
        column.render ? column.render(row) : String(value(row, column)))))) :
      h('tr', {}, h('td', { colspan: columns.length, class: 'muted empty' }, empty)));
  }
  draw();
  return {
    element: h('div', { class: 'table-wrap' }, table),
    setRows(next) {
      rows = next;
      draw();
    },
    get rows() {
      return rows;
    },
  };
}

/** Previous/next over a cursor-paged list: load(cursor) returns {items, next_cursor}. */
export function pager(load, onPage) {
  const stack = [];
  let current = '';
  let next = '';
  const prevButton = h('button', { type: 'button', onclick: () => go(stack.pop() ?? '', false) }, '← Previous');
  const nextButton = h('button', { type: 'button', onclick: () => go(next, true) }, 'Next →');
  const info = h('span', { class: 'muted', 'aria-live': 'polite' });
  async function go(cursor, forward) {
    if (forward) stack.push(current);
    current = cursor;
    const page = await load(cursor);
    next = page.next_cursor || '';
    prevButton.disabled = stack.length === 0;
    nextButton.disabled = !next;
    info.textContent = `Page ${stack.length + 1}`;
    onPage(page);
  }
  return {
    element: h('nav', { class: 'pager', 'aria-label': 'Pages' }, prevButton, info, nextButton),
    first: () => {
      stack.length = 0;
      return go('', false);
    },
    reload: () => go(current, false),
  };
}

export function field(label, control, { hint, error } = {}) {
  const id = control.id || (control.id = uid());
  const hintEl = hint ? h('div', { class: 'hint', id: id + '-hint' }, hint) : null;
  const errorEl = h('div', { class: 'error', id: id + '-error', 'aria-live': 'polite' }, error || '');
  control.setAttribute('aria-describedby', [hintEl ? id + '-hint' : null, id + '-error'].filter(Boolean).join(' '));
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl, errorEl);
}

export function setFieldError(control, message) {
  const errorEl = document.getElementById(control.id + '-error');
  if (errorEl) errorEl.textContent = message || '';
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    toast('Copied to the clipboard.', 'ok');
  } catch {
    toast('Copy failed: select the text and copy it by hand.', 'warn');
  }
}
