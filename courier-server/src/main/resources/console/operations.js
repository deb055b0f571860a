// Operations pages: command history, rollouts, schedules, enrollment tokens and the audit log.
import { get, post, patch, del, query, live, session } from './api.js';
import { h, replace, badge, when, dateTime, debounce, sortableTable, pager, field, toast, errorText, setFieldError, copy } from './ui.js';
import { schemaForm } from './form.js';
import { context } from './app.js';

const FINAL = new Set(['completed', 'failed', 'timed_out', 'cancelled', 'expired']);
const COMMAND_STATES = ['', 'pending', 'accepted', 'running', 'cancelling', 'completed', 'failed', 'timed_out', 'cancelled', 'expired'];

/** A tenant picker for a system admin (whose writes must name a tenant); nothing for others. */
function tenantPicker(id) {
  if (session.tenantId) return null;
  const select = h('select', { id }, context.tenants.map((t) => h('option', { value: t.id }, `${t.name} (${t.id})`)));
  return select;
}

// ---------------------------------------------------------------------------------------------
// Command history

export async function commandsPage(view, { onLeave }) {
  const status = h('select', { id: 'history-status' }, COMMAND_STATES.map((s) => h('option', { value: s }, s || 'any')));
  const type = h('input', { id: 'history-type', placeholder: 'echo', autocomplete: 'off' });
  const agent = h('input', { id: 'history-agent', placeholder: 'agent id', autocomplete: 'off' });
  const since = h('select', { id: 'history-since' },
    [['', 'any time'], ['1', 'last hour'], ['24', 'last 24 hours'], ['168', 'last 7 days']].map(([v, l]) => h('option', { value: v }, l)));
  const error = h('p', { class: 'error', 'aria-live': 'polite' });
  const table = sortableTable([
    { key: 'type', label: 'Type', render: (c) => h('a', { href: '#/commands/' + c.id }, c.type) },
    { key: 'agent_id', label: 'Agent', render: (c) => h('a', { href: '#/agents/' + c.agent_id }, c.agent_id) },
    { key: 'status', label: 'Status', render: (c) => badge(c.status) },
    { key: 'result_summary', label: 'Summary', render: (c) => c.result_summary || c.error || '—' },
    { key: 'requested_by', label: 'By', render: (c) => c.requested_by || '—' },
    { key: 'created_at', label: 'Requested', render: (c) => when(c.created_at) },
  ], { caption: 'Commands', rowKey: 'id', empty: 'No command matches.' });
  const paging = pager((cursor) => get('/api/v1/commands' + query({
    status: status.value, type: type.value.trim(), agent_id: agent.value.trim(), limit: 50, cursor,
    since: since.value ? new Date(Date.now() - Number(since.value) * 3600000).toISOString() : '',
  })).then((p) => { error.textContent = ''; return p; }).catch((e) => { error.textContent = errorText(e); return { commands: [] }; }),
  (page) => table.setRows(page.commands));
  const reload = debounce(() => paging.first(), 250);
  [type, agent].forEach((i) => i.addEventListener('input', reload));
  [status, since].forEach((s) => s.addEventListener('change', reload));
  replace(view, h('h1', {}, 'Command history'),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); paging.first(); } },
      field('Status', status), field('Type', type), field('Agent', agent), field('Since', since)),
    error, table.element, paging.element);
  await paging.first();
  onLeave(live.on({ type: 'command.' }, (event) => {
    const row = table.rows.find((c) => c.id === event.subject_id);
    if (row) {
      row.status = event.payload.status;
      table.setRows(table.rows);
    }
  }));
}

export async function commandPage(view, { params: [id], onLeave }) {
  let command = await get('/api/v1/commands/' + encodeURIComponent(id));
  const details = h('dl', { class: 'facts', id: 'command-details' });
  const output = h('pre', { class: 'output', tabindex: '0', 'aria-label': 'Output' });
  const actions = h('div', { class: 'actions' });
  function draw() {
    const r = command.result || {};
    replace(details,
      fact('Status', badge(command.status)), fact('Type', command.type),
      fact('Agent', h('a', { href: '#/agents/' + command.agent_id }, command.agent_id)),
      fact('Parameters', h('code', {}, JSON.stringify(command.params))),
      fact('Priority', command.priority), fact('Requested by', command.requested_by || '—'),
      fact('Requested', dateTime(command.created_at)), fact('Accepted', dateTime(command.accepted_at)),
      fact('Started', dateTime(command.started_at)), fact('Completed', dateTime(command.completed_at)),
      fact('Summary', command.result_summary || '—'), fact('Exit code', r.exit_code ?? '—'),
      fact('Duration', r.duration_ms != null ? `${r.duration_ms} ms` : '—'),
      command.error ? fact('Error', command.error) : null,
      command.rollout_id ? fact('Rollout', h('a', { href: '#/rollouts/' + command.rollout_id }, command.rollout_id)) : null);
    output.textContent = r.output || '(no output stored)';
    replace(actions, session.can('commands:write') && !FINAL.has(command.status) && command.status !== 'cancelling'
      ? h('button', { type: 'button', class: 'danger', onclick: async () => {
        try {
          command = await del('/api/v1/commands/' + command.id);
          draw();
        } catch (e) { toast(errorText(e), 'bad'); }
      } }, 'Cancel command') : null);
  }
  draw();
  replace(view, h('p', { class: 'crumbs' }, h('a', { href: '#/commands' }, 'Commands'), ' / ', command.id),
    h('h1', {}, `${command.type} `, badge(command.status)), actions,
    h('section', { class: 'card' }, h('h2', {}, 'Details'), details),
    h('section', { class: 'card' }, h('h2', {}, 'Output'), output));
  onLeave(live.on({ command_id: command.id }, async () => {
    command = await get('/api/v1/commands/' + command.id);
    draw();
  }));
}

function fact(label, value) {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
}

// ---------------------------------------------------------------------------------------------
// Rollouts

const ROLLOUT_STATES = ['queued', 'pending', 'accepted', 'running', 'completed', 'failed', 'timed_out', 'cancelled', 'expired', 'skipped'];

export async function rolloutsPage(view, { onLeave }) {
  const table = sortableTable([
    { key: 'id', label: 'Rollout', render: (r) => h('a', { href: '#/rollouts/' + r.id }, r.id) },
    { key: 'type', label: 'Type' },
    { key: 'status', label: 'Status', render: (r) => badge(r.status) },
    { key: 'progress_percent', label: 'Progress', render: (r) => progress(r.progress_percent) },
    { key: 'target_count', label: 'Targets' },
    { key: 'created_at', label: 'Created', render: (r) => when(r.created_at) },
  ], { caption: 'Rollouts', rowKey: 'id', empty: 'No rollouts yet.' });
  const paging = pager((cursor) => get('/api/v1/rollouts' + query({ limit: 25, cursor })), (page) => table.setRows(page.rollouts));
  replace(view, h('h1', {}, 'Rollouts'),
    session.can('commands:write') ? await rolloutForm() : null,
    h('section', { class: 'card', 'aria-labelledby': 'rl-h' }, h('h2', { id: 'rl-h' }, 'All rollouts'), table.element, paging.element));
  onLeave(live.on((e) => e.type.startsWith('rollout.'), debounce(() => paging.reload(), 300)));
  await paging.first();
}

function progress(percent) {
  const bar = h('progress', { max: 100, value: percent ?? 0, 'aria-label': `${percent ?? 0} percent done` });
  return h('span', { class: 'progress' }, bar, ` ${percent ?? 0} %`);
}

async function rolloutForm() {
  const types = (await get('/api/v1/command-types')).command_types;
  const tenant = tenantPicker('rollout-tenant');
  const type = h('select', { id: 'rollout-type' }, types.map((t) => h('option', { value: t.name }, t.name)));
  const mode = h('select', { id: 'rollout-selector-kind' }, h('option', { value: 'labels' }, 'agents with labels'),
    h('option', { value: 'all' }, 'every agent'), h('option', { value: 'agent_ids' }, 'these agent ids'));
  const selector = h('input', { id: 'rollout-selector', placeholder: 'env=prod,os in (linux)', autocomplete: 'off' });
  const preview = h('p', { class: 'preview', id: 'rollout-preview', 'aria-live': 'polite' });
  const concurrency = h('input', { id: 'rollout-concurrency', placeholder: 'e.g. 10 or 25%', autocomplete: 'off' });
  const maxErrors = h('input', { id: 'rollout-max-errors', placeholder: 'e.g. 1 or 5%', autocomplete: 'off' });
  const paramsHost = h('div');
  let form;
  const showType = () => {
    form = schemaForm(types.find((t) => t.name === type.value).params_schema);
    replace(paramsHost, form.element);
  };
  type.addEventListener('change', showType);
  showType();
  const selectorValue = () => (mode.value === 'all' ? { all: true } : mode.value === 'labels'
    ? { labels: selector.value.trim() } : { agent_ids: selector.value.split(',').map((s) => s.trim()).filter(Boolean) });
  const updatePreview = debounce(async () => {
    selector.disabled = mode.value === 'all';
    const q = mode.value === 'all' ? { all: 'true' } : mode.value === 'labels' ? { labels: selector.value.trim() } : { agent_ids: selector.value.trim() };
    if (mode.value !== 'all' && !selector.value.trim()) {
      preview.textContent = 'Type a selector to see how many agents it picks.';
      return;
    }
    try {
      const p = await get('/api/v1/rollouts/preview' + query({ ...q, tenant_id: tenant?.value }));
      preview.textContent = `Matches ${p.count} agent${p.count === 1 ? '' : 's'} (${p.online} online, ${p.offline} offline).`;
      setFieldError(selector, '');
    } catch (e) {
      preview.textContent = '';
      setFieldError(selector, e.message);
    }
  }, 250);
  selector.addEventListener('input', updatePreview);
  mode.addEventListener('change', updatePreview);
  tenant?.addEventListener('change', updatePreview);
  updatePreview();
  const submit = h('button', { type: 'submit', class: 'primary', id: 'create-rollout' }, 'Start rollout');
  const formEl = h('form', { class: 'card', id: 'rollout-form', novalidate: true, 'aria-labelledby': 'nr-h' },
    h('h2', { id: 'nr-h' }, 'New rollout'),
    tenant ? field('Tenant', tenant) : null,
    h('div', { class: 'row' }, field('Command', type), field('Target', mode), field('Selector', selector, { hint: 'Label expression, or comma-separated agent ids' })),
    preview, paramsHost,
    h('div', { class: 'row' }, field('Max concurrency', concurrency, { hint: 'Default: all at once' }), field('Max errors', maxErrors, { hint: 'Stop after this many failures' })),
    submit);
  formEl.addEventListener('submit', async (e) => {
    e.preventDefault();
    const { params, valid } = form.collect();
    if (!valid) return;
    const body = { selector: selectorValue(), type: type.value, params };
    if (tenant) body.tenant_id = tenant.value;
    const limit = (v) => (/^\d+$/.test(v) ? Number(v) : v);
    if (concurrency.value.trim()) body.max_concurrency = limit(concurrency.value.trim());
    if (maxErrors.value.trim()) body.max_errors = limit(maxErrors.value.trim());
    submit.disabled = true;
    try {
      const rollout = await post('/api/v1/rollouts', body);
      location.hash = '#/rollouts/' + rollout.id;
    } catch (err) {
      if (err.field === 'selector' || err.field === 'labels') setFieldError(selector, err.message);
      else if (err.field === 'max_concurrency') setFieldError(concurrency, err.message);
      else if (err.field === 'max_errors') setFieldError(maxErrors, err.message);
      else if (!form.serverError(err)) toast(errorText(err), 'bad');
    } finally {
      submit.disabled = false;
    }
  });
  return formEl;
}

export async function rolloutPage(view, { params: [id], onLeave }) {
  let rollout = await get('/api/v1/rollouts/' + encodeURIComponent(id));
  const bar = h('progress', { max: 100, id: 'rollout-progress', 'aria-labelledby': 'rp-label' });
  const label = h('span', { id: 'rp-label', class: 'big' });
  const counts = h('dl', { class: 'stats small', id: 'rollout-counts' });
  const status = h('span', { id: 'rollout-status' });
  const actions = h('div', { class: 'actions' });
  const children = sortableTable([
    { key: 'agent_id', label: 'Agent', render: (c) => h('a', { href: '#/agents/' + c.agent_id }, c.agent_id) },
    { key: 'status', label: 'Status', render: (c) => badge(c.status) },
    { key: 'result_summary', label: 'Summary', render: (c) => c.result_summary || c.error || '—' },
    { key: 'id', label: 'Command', render: (c) => h('a', { href: '#/commands/' + c.id }, c.id) },
  ], { caption: 'Commands of this rollout', rowKey: 'id' });
  function draw() {
    bar.value = rollout.progress_percent;
    label.textContent = `${rollout.progress_percent} %`;
    replace(status, badge(rollout.status));
    replace(counts, ROLLOUT_STATES.filter((s) => rollout.counts[s] !== undefined).map((s) =>
      h('div', { class: 'stat', dataset: { state: s } }, h('dt', {}, s.replace('_', ' ')), h('dd', {}, String(rollout.counts[s])))));
    replace(actions, session.can('commands:write') && ['canary', 'running'].includes(rollout.status)
      ? h('button', { type: 'button', class: 'danger', id: 'cancel-rollout', onclick: async () => {
        try {
          rollout = await del('/api/v1/rollouts/' + rollout.id);
          draw();
        } catch (e) { toast(errorText(e), 'bad'); }
      } }, 'Cancel rollout') : null);
  }
  async function refresh() {
    rollout = await get('/api/v1/rollouts/' + rollout.id);
    draw();
    children.setRows((await get('/api/v1/commands' + query({ rollout_id: rollout.id, limit: 200 }))).commands);
  }
  draw();
  replace(view, h('p', { class: 'crumbs' }, h('a', { href: '#/rollouts' }, 'Rollouts'), ' / ', rollout.id),
    h('h1', {}, `Rollout of ${rollout.type} `, status), actions,
    h('section', { class: 'card' }, h('h2', {}, 'Progress'), h('div', { class: 'progress-line' }, bar, label),
      h('p', { class: 'muted' }, `${rollout.target_count} targets · selector ${JSON.stringify(rollout.selector)} · max concurrency ${JSON.stringify(rollout.max_concurrency)}`), counts),
    h('section', { class: 'card' }, h('h2', {}, 'Commands'), children.element));
  // Subscribe before reading: a small rollout can finish while the first read is on its way.
  onLeave(live.on({ rollout_id: rollout.id }, debounce(refresh, 150)));
  await refresh();
}

// ---------------------------------------------------------------------------------------------
// Schedules

export async function schedulesPage(view, { onLeave }) {
  const table = sortableTable([
    { key: 'name', label: 'Name' },
    { key: 'type', label: 'Command' },
    { key: 'cron_expression', label: 'When', render: (s) => h('code', {}, `${s.cron_expression} (${s.timezone})`) },
    { key: 'enabled', label: 'Enabled', render: (s) => (s.enabled ? 'yes' : 'no') },
    { key: 'next_run_at', label: 'Next run', render: (s) => dateTime(s.next_run_at) },
    { key: 'id', label: '', sort: false, render: (s) => session.can('schedules:write')
      ? h('button', { type: 'button', onclick: () => edit(s) }, 'Edit') : '' },
  ], { caption: 'Schedules', rowKey: 'id', empty: 'No schedules yet.' });
  const paging = pager((cursor) => get('/api/v1/schedules' + query({ limit: 50, cursor })), (page) => table.setRows(page.schedules));
  const formHost = h('div');
  async function edit(schedule) {
    replace(formHost, await scheduleForm(schedule, () => { replace(formHost); paging.reload(); }));
    formHost.querySelector('input')?.focus();
  }
  replace(view, h('h1', {}, 'Schedules'),
    session.can('schedules:write') ? h('button', { type: 'button', class: 'primary', id: 'new-schedule', onclick: () => edit(null) }, 'New schedule') : null,
    formHost, h('section', { class: 'card' }, h('h2', {}, 'All schedules'), table.element, paging.element));
  await paging.first();
  onLeave(live.on({ type: 'schedule.' }, debounce(() => paging.reload(), 300)));
}

async function scheduleForm(schedule, done) {
  const types = (await get('/api/v1/command-types')).command_types;
  const tenant = schedule ? null : tenantPicker('schedule-tenant');
  const name = h('input', { id: 'schedule-name', value: schedule?.name || '' });
  const cron = h('input', { id: 'schedule-cron', value: schedule?.cron_expression || '0 3 * * *', class: 'mono', autocomplete: 'off' });
  const zone = h('input', { id: 'schedule-zone', value: schedule?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', autocomplete: 'off' });
  const type = h('select', { id: 'schedule-type' }, types.map((t) => h('option', { value: t.name, selected: schedule?.type === t.name }, t.name)));
  const labelsInput = h('input', { id: 'schedule-selector', value: schedule?.selector?.labels || '', placeholder: 'env=prod (empty: every agent)' });
  const enabled = h('input', { id: 'schedule-enabled', type: 'checkbox', checked: schedule ? schedule.enabled : true });
  const preview = h('div', { class: 'preview', id: 'schedule-preview', 'aria-live': 'polite' });
  const paramsHost = h('div');
  let form;
  const showType = () => {
    form = schemaForm(types.find((t) => t.name === type.value).params_schema);
    replace(paramsHost, form.element);
  };
  type.addEventListener('change', showType);
  showType();
  const updatePreview = debounce(async () => {
    try {
      const p = await get('/api/v1/schedules/preview' + query({ cron_expression: cron.value.trim(), timezone: zone.value.trim(), count: 5 }));
      setFieldError(cron, '');
      setFieldError(zone, '');
      replace(preview, h('p', {}, h('strong', {}, p.description), ` (${p.timezone})`),
        h('ol', { class: 'runs' }, p.next_runs.map((t) => h('li', {}, new Date(t).toLocaleString(undefined, { timeZone: p.timezone, dateStyle: 'full', timeStyle: 'short' })))));
    } catch (e) {
      replace(preview);
      setFieldError(e.field === 'timezone' ? zone : cron, e.message);
    }
  }, 250);
  [cron, zone].forEach((i) => i.addEventListener('input', updatePreview));
  updatePreview();
  const formEl = h('form', { class: 'card', id: 'schedule-form', novalidate: true },
    h('h2', {}, schedule ? `Edit ${schedule.name}` : 'New schedule'),
    tenant ? field('Tenant', tenant) : null,
    h('div', { class: 'row' }, field('Name', name), field('Cron expression', cron, { hint: 'minute hour day month weekday' }), field('Time zone', zone)),
    preview,
    h('div', { class: 'row' }, field('Command', type), field('Agents with labels', labelsInput), h('label', { class: 'choice' }, enabled, ' Enabled')),
    paramsHost, h('button', { type: 'submit', class: 'primary' }, schedule ? 'Save schedule' : 'Create schedule'),
    h('button', { type: 'button', onclick: done }, 'Close'));
  formEl.addEventListener('submit', async (e) => {
    e.preventDefault();
    const { params, valid } = form.collect();
    if (!name.value.trim()) {
      setFieldError(name, 'Required.');
      return;
    }
    if (!valid) return;
    const body = {
      name: name.value.trim(), cron_expression: cron.value.trim(), timezone: zone.value.trim(), type: type.value, params,
      selector: labelsInput.value.trim() ? { labels: labelsInput.value.trim() } : { all: true }, enabled: enabled.checked,
    };
    if (tenant) body.tenant_id = tenant.value;
    try {
      if (schedule) await patch('/api/v1/schedules/' + schedule.id, body);
      else await post('/api/v1/schedules', body);
      toast(schedule ? 'Schedule saved.' : 'Schedule created.', 'ok');
      done();
    } catch (err) {
      const target = { name, cron_expression: cron, timezone: zone, selector: labelsInput }[err.field];
      if (target) setFieldError(target, err.message);
      else if (!form.serverError(err)) toast(errorText(err), 'bad');
    }
  });
  return formEl;
}

// ---------------------------------------------------------------------------------------------
// Enrollment tokens

export async function enrollmentPage(view) {
  const created = h('div', { id: 'new-token', 'aria-live': 'polite' });
  const table = sortableTable([
    { key: 'id', label: 'Token id', render: (t) => h('code', {}, t.id) },
    { key: 'labels', label: 'Default labels', render: (t) => Object.entries(t.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ') || '—' },
    { key: 'uses', label: 'Used', render: (t) => `${t.uses ?? 0} / ${t.max_uses ?? '∞'}` },
    { key: 'expires_at', label: 'Expires', render: (t) => dateTime(t.expires_at) },
    { key: 'revoked_at', label: 'State', render: (t) => (t.revoked_at ? badge('revoked') : Date.parse(t.expires_at) < Date.now() ? badge('expired') : badge('active')) },
    { key: 'actions', label: '', sort: false, render: (t) => session.can('enrollment:write') && !t.revoked_at
      ? h('button', { type: 'button', class: 'danger', onclick: async () => {
        try {
          await del('/api/v1/enrollment-tokens/' + t.id);
          toast('Token revoked.', 'ok');
          load();
        } catch (e) { toast(errorText(e), 'bad'); }
      } }, 'Revoke') : '' },
  ], { caption: 'Enrollment tokens', rowKey: 'id', empty: 'No tokens.' });
  async function load() {
    table.setRows((await get('/api/v1/enrollment-tokens')).enrollment_tokens);
  }
  let form = null;
  if (session.can('enrollment:write')) {
    const tenant = tenantPicker('token-tenant');
    const hours = h('input', { id: 'token-hours', type: 'number', min: 1, value: 24 });
    const uses = h('input', { id: 'token-uses', type: 'number', min: 1, value: 1 });
    const labelsInput = h('input', { id: 'token-labels', placeholder: 'env=prod,site=paris' });
    form = h('form', { class: 'card', id: 'token-form', 'aria-labelledby': 'nt-h' }, h('h2', { id: 'nt-h' }, 'New enrollment token'),
      tenant ? field('Tenant', tenant) : null,
      h('div', { class: 'row' }, field('Valid for (hours)', hours), field('Max uses', uses), field('Default labels', labelsInput, { hint: 'key=value, comma-separated' })),
      h('button', { type: 'submit', class: 'primary', id: 'create-token' }, 'Create token'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const labels = {};
      for (const pair of labelsInput.value.split(',').map((s) => s.trim()).filter(Boolean)) {
        const at = pair.indexOf('=');
        if (at <= 0) {
          setFieldError(labelsInput, 'Use key=value pairs.');
          return;
        }
        labels[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
      }
      setFieldError(labelsInput, '');
      const body = { expires_in_seconds: Number(hours.value) * 3600, max_uses: Number(uses.value), labels };
      if (tenant) body.tenant_id = tenant.value;
      try {
        const token = await post('/api/v1/enrollment-tokens', body);
        const command = `./courier agent --server ${location.origin} --enroll ${token.token} --state-dir ./agent-state`;
        replace(created, h('div', { class: 'card highlight' },
          h('h2', {}, 'Token created'),
          h('p', {}, 'Shown once. Run this on the host to enroll it:'),
          h('pre', { class: 'output', id: 'install-command', tabindex: '0' }, command),
          h('button', { type: 'button', onclick: () => copy(command) }, 'Copy command'), ' ',
          h('button', { type: 'button', onclick: () => copy(token.token) }, 'Copy token only')));
        load();
      } catch (err) {
        toast(errorText(err), 'bad');
      }
    });
  }
  replace(view, h('h1', {}, 'Enrollment tokens'), form, created,
    h('section', { class: 'card' }, h('h2', {}, 'Tokens'), table.element));
  await load();
}

// ---------------------------------------------------------------------------------------------
// Audit log

export async function auditPage(view) {
  const actor = h('input', { id: 'audit-actor', placeholder: 'user:alice', autocomplete: 'off' });
  const action = h('input', { id: 'audit-action', placeholder: 'command.create', autocomplete: 'off' });
  const outcome = h('select', { id: 'audit-outcome' }, ['', 'succeeded', 'denied', 'failed'].map((o) => h('option', { value: o }, o || 'any')));
  const verify = h('p', { id: 'audit-verify', 'aria-live': 'polite' });
  const table = sortableTable([
    { key: 'at', label: 'When', render: (r) => dateTime(r.at || r.created_at) },
    { key: 'actor', label: 'Actor' },
    { key: 'action', label: 'Action', render: (r) => h('code', {}, r.action) },
    { key: 'target', label: 'Target', render: (r) => r.target || '—' },
    { key: 'outcome', label: 'Outcome', render: (r) => badge(r.outcome) },
    { key: 'source_ip', label: 'From', render: (r) => r.source_ip || r.ip || '—' },
  ], { caption: 'Audit records', empty: 'No records match.' });
  const paging = pager((cursor) => get('/api/v1/audit' + query({ actor: actor.value.trim(), action: action.value.trim(), outcome: outcome.value, limit: 50, cursor })),
    (page) => table.setRows(page.records));
  const reload = debounce(() => paging.first(), 250);
  [actor, action].forEach((i) => i.addEventListener('input', reload));
  outcome.addEventListener('change', reload);
  replace(view, h('h1', {}, 'Audit log'),
    h('div', { class: 'actions' }, h('button', { type: 'button', id: 'verify-audit', onclick: async () => {
      try {
        const v = await get('/api/v1/audit/verify');
        verify.textContent = v.intact ? `The hash chains are intact (${v.chains.length} checked).` : 'A chain is broken: the trail was altered.';
        verify.className = v.intact ? 'ok' : 'error';
      } catch (e) { verify.textContent = errorText(e); }
    } }, 'Verify the hash chain'), verify),
    h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); paging.first(); } },
      field('Actor', actor), field('Action', action), field('Outcome', outcome)),
    table.element, paging.element);
  await paging.first();
}
