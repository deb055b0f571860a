// Fleet pages: the overview, the agents list and one agent with its Remote commands panel.
import { get, post, patch, query, live, session, readEventStream } from './api.js';
import { h, svg, replace, badge, labels, when, dateTime, debounce, sortableTable, pager, field, toast, errorText } from './ui.js';
import { schemaForm } from './form.js';

const FINAL = new Set(['completed', 'failed', 'timed_out', 'cancelled', 'expired']);
const BAD = new Set(['failed', 'timed_out', 'expired']);

// ---------------------------------------------------------------------------------------------
// Overview

export async function overviewPage(view, { onLeave }) {
  const counts = h('dl', { class: 'stats', id: 'fleet-counts' });
  const chart = h('figure', { class: 'chart', id: 'outcome-chart' });
  const failures = sortableTable([
    { key: 'type', label: 'Type' },
    { key: 'agent_id', label: 'Agent', render: (c) => h('a', { href: '#/agents/' + c.agent_id }, c.agent_id) },
    { key: 'status', label: 'Status', render: (c) => badge(c.status) },
    { key: 'error', label: 'Reason', render: (c) => c.error || c.result_summary || '—' },
    { key: 'completed_at', label: 'When', render: (c) => when(c.completed_at || c.updated_at) },
  ], { caption: 'Recent failures', empty: 'No failures. ' });
  replace(view,
    h('h1', {}, 'Fleet overview'),
    h('section', { 'aria-labelledby': 'counts-h' }, h('h2', { id: 'counts-h', class: 'sr-only' }, 'Agents'), counts),
    h('section', { class: 'card', 'aria-labelledby': 'chart-h' }, h('h2', { id: 'chart-h' }, 'Command outcomes, last 24 hours'), chart),
    h('section', { class: 'card', 'aria-labelledby': 'fail-h' }, h('h2', { id: 'fail-h' }, 'Recent failures'), failures.element));

  async function loadCounts() {
    const c = await get('/api/v1/agents/summary');
    replace(counts,
      stat('Agents', c.total, 'total'), stat('Online', c.online, 'ok'),
      stat('Offline', c.offline, 'muted'), stat('Decommissioned', c.decommissioned, 'muted'));
  }
  const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  let recent = [];
  async function loadCommands() {
    if (!session.can('commands:read')) return;
    const page = await get('/api/v1/commands' + query({ since, limit: 1000 }));
    recent = page.commands;
    drawChart(chart, recent);
    failures.setRows(recent.filter((c) => BAD.has(c.status)).slice(0, 10));
  }
  const refreshCounts = debounce(loadCounts, 400);
  const refreshCommands = debounce(loadCommands, 800);
  onLeave(live.on({ type: 'agent.' }, refreshCounts));
  onLeave(live.on((e) => e.type.startsWith('command.') && FINAL.has(e.payload?.status), refreshCommands));
  await Promise.all([loadCounts(), loadCommands()]);
}

function stat(label, value, kind) {
  return h('div', { class: 'stat ' + kind }, h('dt', {}, label), h('dd', {}, String(value)));
}

/** Stacked hourly bars of completed / failed / other final outcomes, drawn as SVG. */
function drawChart(figure, commands) {
  const hours = 24;
  const now = Date.now();
  const buckets = Array.from({ length: hours }, () => ({ ok: 0, bad: 0, other: 0 }));
  for (const c of commands) {
    if (!FINAL.has(c.status)) continue;
    const at = Date.parse(c.completed_at || c.updated_at || c.created_at);
    const index = hours - 1 - Math.floor((now - at) / 3600000);
    if (index < 0 || index >= hours) continue;
    const kind = c.status === 'completed' ? 'ok' : BAD.has(c.status) ? 'bad' : 'other';
    buckets[index][kind]++;
  }
  const max = Math.max(1, ...buckets.map((b) => b.ok + b.bad + b.other));
  const width = 720;
  const height = 180;
  const bar = width / hours;
  const total = buckets.reduce((s, b) => ({ ok: s.ok + b.ok, bad: s.bad + b.bad, other: s.other + b.other }), { ok: 0, bad: 0, other: 0 });
  const graphic = svg('svg', { viewBox: `0 0 ${width} ${height + 20}`, role: 'img', 'aria-labelledby': 'chart-desc', preserveAspectRatio: 'none' },
    svg('desc', { id: 'chart-desc' }, `${total.ok} completed, ${total.bad} failed or timed out, ${total.other} cancelled in the last 24 hours`),
    buckets.map((b, i) => {
      let y = height;
      return ['ok', 'bad', 'other'].map((kind) => {
        const hgt = (b[kind] / max) * (height - 10);
        y -= hgt;
        return hgt > 0 ? svg('rect', { x: i * bar + 2, y, width: bar - 4, height: hgt, class: 'bar ' + kind },
          svg('title', {}, `${b[kind]} ${kind === 'ok' ? 'completed' : kind === 'bad' ? 'failed' : 'cancelled'}, ${hours - 1 - i} h ago`)) : null;
      });
    }),
    svg('line', { x1: 0, y1: height, x2: width, y2: height, class: 'axis' }),
    svg('text', { x: 0, y: height + 16, class: 'tick' }, '24 h ago'),
    svg('text', { x: width, y: height + 16, class: 'tick end' }, 'now'));
  replace(figure, graphic, h('figcaption', { class: 'legend' },
    h('span', { class: 'key ok' }, `completed ${total.ok}`),
    h('span', { class: 'key bad' }, `failed/timed out ${total.bad}`),
    h('span', { class: 'key other' }, `cancelled ${total.other}`)));
}

// ---------------------------------------------------------------------------------------------
// Agents list: server-side search, filters and cursor paging, so 10,000 agents stay fast.

export async function agentsPage(view, { onLeave }) {
  const search = h('input', { id: 'agent-search', type: 'search', placeholder: 'hostname or id', autocomplete: 'off' });
  const status = h('select', { id: 'agent-status' },
    ['', 'online', 'offline', 'decommissioned'].map((s) => h('option', { value: s }, s || 'any')));
  const labelFilter = h('input', { id: 'agent-labels', placeholder: 'env=prod,os=linux', autocomplete: 'off' });
  const size = h('select', { id: 'agent-page-size' }, [25, 50, 100, 200].map((n) => h('option', { value: n, selected: n === 50 }, String(n))));
  const error = h('p', { class: 'error', 'aria-live': 'polite' });
  const table = sortableTable([
    { key: 'hostname', label: 'Hostname', render: (a) => h('a', { href: '#/agents/' + encodeURIComponent(a.id) }, a.hostname) },
    { key: 'status', label: 'Status', render: (a) => badge(a.status) },
    { key: 'os', label: 'OS', render: (a) => [a.os, a.arch].filter(Boolean).join(' / ') || '—' },
    { key: 'version', label: 'Version', render: (a) => a.version || '—' },
    { key: 'labels', label: 'Labels', render: (a) => labels(a.labels), sortValue: (a) => Object.entries(a.labels || {}).join(',') },
    { key: 'last_heartbeat_at', label: 'Last heartbeat', render: (a) => when(a.last_heartbeat_at) },
  ], { caption: 'Agents', rowKey: 'id', empty: 'No agent matches.' });
  const paging = pager(
    (cursor) => get('/api/v1/agents' + query({ q: search.value.trim(), status: status.value, labels: labelFilter.value.trim(), limit: size.value, cursor }))
      .then((page) => { error.textContent = ''; return page; })
      .catch((e) => { error.textContent = errorText(e); return { agents: [], next_cursor: '' }; }),
    (page) => table.setRows(page.agents));
  const reload = debounce(() => paging.first(), 250);
  [search, labelFilter].forEach((input) => input.addEventListener('input', reload));
  [status, size].forEach((select) => select.addEventListener('change', reload));
  replace(view,
    h('h1', {}, 'Agents'),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); paging.first(); } },
      field('Search', search), field('Status', status), field('Labels', labelFilter, { hint: 'key=value, comma-separated' }), field('Per page', size)),
    error, table.element, paging.element);
  await paging.first();
  // Presence changes repaint the row in place; no polling.
  onLeave(live.on({ type: 'agent.' }, (event) => {
    const row = table.rows.find((a) => a.id === event.subject_id);
    if (row && (event.type === 'agent.online' || event.type === 'agent.offline')) {
      row.status = event.type.slice('agent.'.length);
      if (event.type === 'agent.online') row.last_heartbeat_at = event.created_at;
      table.setRows(table.rows);
    }
  }));
}

// ---------------------------------------------------------------------------------------------
// One agent: health, inventory, labels, the Remote commands panel and its history.

export async function agentPage(view, { params: [id], onLeave }) {
  const agent = await get('/api/v1/agents/' + encodeURIComponent(id));
  const health = h('dl', { class: 'facts', id: 'agent-health' });
  function drawHealth() {
    replace(health,
      fact('Status', badge(agent.status)), fact('Last heartbeat', when(agent.last_heartbeat_at)),
      fact('Version', agent.version || '—'), fact('Enrolled', dateTime(agent.enrolled_at)),
      fact('Commands completed', agent.counters?.commands_completed ?? 0),
      fact('Commands failed', agent.counters?.commands_failed ?? 0),
      fact('Capabilities', (agent.capabilities || []).join(', ') || '—'));
  }
  drawHealth();
  const inventory = h('dl', { class: 'facts', id: 'agent-inventory' },
    fact('Hostname', agent.hostname), fact('OS', agent.os || '—'), fact('Architecture', agent.arch || '—'),
    fact('Agent id', h('code', {}, agent.id)), fact('Tenant', agent.tenant_id));
  const history = sortableTable([
    { key: 'type', label: 'Type', render: (c) => h('a', { href: '#/commands/' + c.id }, c.type) },
    { key: 'status', label: 'Status', render: (c) => badge(c.status) },
    { key: 'result_summary', label: 'Summary', render: (c) => c.result_summary || c.error || '—' },
    { key: 'requested_by', label: 'By', render: (c) => c.requested_by || '—' },
    { key: 'created_at', label: 'Requested', render: (c) => when(c.created_at) },
  ], { caption: 'Command history', rowKey: 'id', empty: 'No commands yet.' });
  const historyPager = pager((cursor) => get(`/api/v1/agents/${encodeURIComponent(id)}/commands` + query({ limit: 20, cursor })),
    (page) => { history.setRows(page.commands); showInventory(page.commands); });

  function showInventory(commands) {
    const last = commands.find((c) => c.type === 'collect_inventory' && c.status === 'completed');
    inventory.querySelector('.inventory-result')?.remove();
    if (last) {
      inventory.append(h('div', { class: 'inventory-result' }, fact('Last inventory', `${last.result_summary || 'collected'} (${new Date(last.completed_at).toLocaleString()})`)));
    }
  }

  const terminal = !session.can('terminal:open') ? null
    : (agent.capabilities || []).includes('tunnel') && agent.status === 'online'
      ? h('a', { class: 'button primary', id: 'open-terminal', href: '#/terminal/' + encodeURIComponent(agent.id) }, 'Open terminal')
      : h('span', { class: 'muted', id: 'terminal-unavailable' }, (agent.capabilities || []).includes('tunnel')
        ? 'Terminal: the agent is offline.' : 'Terminal: not enabled on this agent (--enable-terminal).');
  replace(view,
    h('p', { class: 'crumbs' }, h('a', { href: '#/agents' }, 'Agents'), ' / ', agent.hostname),
    h('h1', {}, agent.hostname, ' ', badge(agent.status)),
    terminal ? h('div', { class: 'actions' }, terminal) : null,
    h('div', { class: 'grid' },
      h('section', { class: 'card', 'aria-labelledby': 'health-h' }, h('h2', { id: 'health-h' }, 'Health'), health),
      h('section', { class: 'card', 'aria-labelledby': 'inv-h' }, h('h2', { id: 'inv-h' }, 'Inventory'), inventory),
      labelsCard(agent)),
    await commandPanel(agent, onLeave, () => historyPager.reload()),
    h('section', { class: 'card', 'aria-labelledby': 'hist-h' }, h('h2', { id: 'hist-h' }, 'Command history'), history.element, historyPager.element));
  await historyPager.first();
  const reloadHistory = debounce(() => historyPager.reload(), 300);
  onLeave(live.on({ agent_id: id }, (event) => {
    if (event.type === 'agent.online' || event.type === 'agent.offline') {
      agent.status = event.type.slice(6);
      agent.last_heartbeat_at = event.created_at;
      drawHealth();
    }
    if (event.type.startsWith('command.')) reloadHistory();
  }));
}

function fact(label, value) {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
}

function labelsCard(agent) {
  const card = h('section', { class: 'card', 'aria-labelledby': 'labels-h' }, h('h2', { id: 'labels-h' }, 'Labels'));
  const shown = h('div', { id: 'agent-labels-view' }, labels(agent.labels));
  card.append(shown);
  if (session.can('agents:write')) {
    const input = h('input', { id: 'agent-labels-edit', value: Object.entries(agent.labels || {}).map(([k, v]) => `${k}=${v}`).join(',') });
    const form = h('form', { class: 'inline' }, field('Edit labels', input, { hint: 'key=value, comma-separated' }),
      h('button', { type: 'submit' }, 'Save labels'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const map = {};
      for (const pair of input.value.split(',').map((s) => s.trim()).filter(Boolean)) {
        const at = pair.indexOf('=');
        map[at < 0 ? pair : pair.slice(0, at).trim()] = at < 0 ? '' : pair.slice(at + 1).trim();
      }
      try {
        const updated = await patch('/api/v1/agents/' + encodeURIComponent(agent.id), { labels: map });
        agent.labels = updated.labels;
        replace(shown, labels(updated.labels));
        toast('Labels saved.', 'ok');
      } catch (err) {
        toast(errorText(err), 'bad');
      }
    });
    card.append(form);
  }
  return card;
}

/** Steps of the lifecycle the panel shows, with the seed's names beside Courier's. */
const STEPS = [['pending', 'requested'], ['accepted', 'accepted'], ['running', 'running'], ['completed', 'succeeded']];

export async function commandPanel(agent, onLeave, onChange) {
  const section = h('section', { class: 'card', id: 'remote-commands', 'aria-labelledby': 'rc-h' }, h('h2', { id: 'rc-h' }, 'Remote commands'));
  const types = (await get('/api/v1/command-types')).command_types;
  const canRun = session.can('commands:write') && agent.status !== 'decommissioned';
  const select = h('select', { id: 'command-type' }, types.map((t) => h('option', { value: t.name }, t.name)));
  const description = h('p', { class: 'hint', id: 'command-type-description' });
  const formHost = h('div');
  const tracker = h('div', { class: 'tracker', id: 'command-tracker', 'aria-live': 'polite' });
  let form;
  function showType() {
    const type = types.find((t) => t.name === select.value);
    description.textContent = type.description;
    form = schemaForm(type.params_schema);
    replace(formHost, form.element);
  }
  select.addEventListener('change', showType);
  showType();
  const run = h('button', { type: 'submit', class: 'primary', id: 'run-command' }, 'Run');
  const formEl = h('form', { id: 'command-form', novalidate: true }, field('Command', select), description, formHost,
    canRun ? run : h('p', { class: 'muted', id: 'run-not-allowed' }, session.can('commands:write')
      ? 'This agent is decommissioned.' : 'Your role can view commands but not run them.'));
  formEl.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!canRun) return;
    const { params, valid } = form.collect();
    if (!valid) return;
    run.disabled = true;
    try {
      const command = await post('/api/v1/commands', { agent_id: agent.id, type: select.value, params });
      follow(command);
      onChange?.();
    } catch (err) {
      if (!form.serverError(err)) toast(errorText(err), 'bad');
    } finally {
      run.disabled = false;
    }
  });

  let stopFollowing = null;
  function follow(command) {
    stopFollowing?.();
    const output = h('pre', { class: 'output', id: 'command-output', tabindex: '0', 'aria-label': 'Command output' });
    const summary = h('div', { class: 'summary', id: 'command-summary' });
    const steps = h('ol', { class: 'steps', id: 'command-steps' });
    const controller = new AbortController();
    replace(tracker, h('h3', {}, 'Command ', h('a', { href: '#/commands/' + command.id }, command.id)), steps, summary, output);
    function draw(current) {
      const reached = STEPS.findIndex(([s]) => s === current.status);
      const final = FINAL.has(current.status);
      replace(steps, STEPS.map(([status, seedName], i) => {
        const failedHere = final && current.status !== 'completed' && i === STEPS.length - 1;
        const done = final ? (current.status === 'completed' || i < STEPS.length - 1) : i <= reached;
        return h('li', { class: failedHere ? 'step bad' : done ? 'step done' : 'step', 'aria-current': (!final && i === reached) ? 'step' : null },
          failedHere ? current.status.replace('_', ' ') : `${status}${seedName !== status ? ' (' + seedName + ')' : ''}`);
      }));
      tracker.dataset.status = current.status;
      if (final) {
        const result = current.result || {};
        replace(summary, h('p', {}, badge(current.status), ' ', h('strong', { id: 'command-result-summary' }, current.result_summary || current.error || result.status || current.status)),
          h('p', { class: 'muted' }, [result.exit_code !== null && result.exit_code !== undefined ? `exit code ${result.exit_code}` : null,
            result.duration_ms !== null && result.duration_ms !== undefined ? `${result.duration_ms} ms` : null].filter(Boolean).join(' · ')));
        if (result.output && !output.textContent) output.textContent = result.output;
        output.hidden = !output.textContent;
      }
    }
    draw(command);
    const refresh = async () => {
      const current = await get('/api/v1/commands/' + command.id);
      draw(current);
      if (FINAL.has(current.status)) onChange?.();
    };
    const off = live.on({ command_id: command.id }, (event) => {
      draw({ ...command, status: event.payload.status });
      if (FINAL.has(event.payload.status)) refresh();
    });
    // The stream may have carried the first events before this page subscribed: read once.
    refresh();
    readEventStream(`/api/v1/commands/${command.id}/output`, {
      signal: controller.signal,
      onEvent: (message) => {
        if (message.event === 'output') output.textContent += JSON.parse(message.data).data;
        if (message.event === 'truncated') output.textContent += '\n[output truncated]\n';
      },
    }).catch(() => {});
    stopFollowing = () => { off(); controller.abort(); };
  }
  onLeave(() => stopFollowing?.());
  section.append(formEl, tracker);
  return section;
}
