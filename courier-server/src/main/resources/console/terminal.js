// The terminal page (issue 9 §5): a live shell on one agent through a tunnel session, and a
// read-only replay of finished sessions' transcripts for auditors. xterm.js comes from WebJars.
import { get, post, query, session } from './api.js';
import { h, replace, badge, dateTime, when, sortableTable, pager, toast, errorText } from './ui.js';

const XTERM = '/webjars/xterm/4.9.0';
const FIT = '/webjars/xterm-addon-fit/0.3.0';
const OPEN = new Set(['active', 'ready']);

let loading = null;
/** Loads xterm.js and its fit add-on once (UMD scripts from this origin; the CSP allows them). */
function loadXterm() {
  if (!loading) {
    const script = (src) => new Promise((resolve, reject) => {
      const element = h('script', { src });
      element.addEventListener('load', resolve);
      element.addEventListener('error', () => reject(new Error('could not load ' + src)));
      document.head.append(element);
    });
    document.head.append(h('link', { rel: 'stylesheet', href: XTERM + '/css/xterm.css' }));
    loading = script(XTERM + '/lib/xterm.js').then(() => script(FIT + '/lib/xterm-addon-fit.js'));
  }
  return loading;
}

function newTerminal(host, options = {}) {
  const term = new window.Terminal({
    cursorBlink: !options.disableStdin, convertEol: false, fontSize: 14, scrollback: 5000,
    theme: { background: '#0d1117', foreground: '#e6edf3' }, ...options,
  });
  const fit = new window.FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(host);
  fit.fit();
  return { term, fit };
}

function fact(label, value) {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
}

// ---------------------------------------------------------------------------------------------
// Live terminal

export async function terminalPage(view, { params: [agentId], onLeave }) {
  const agent = await get('/api/v1/agents/' + encodeURIComponent(agentId));
  await loadXterm();
  const state = h('span', { id: 'terminal-state', role: 'status' });
  const facts = h('dl', { class: 'facts', id: 'terminal-session' });
  const actions = h('div', { class: 'actions' });
  const screen = h('div', { class: 'terminal', id: 'terminal', 'aria-label': `Terminal on ${agent.hostname}` });
  replace(view,
    h('p', { class: 'crumbs' }, h('a', { href: '#/agents' }, 'Agents'), ' / ',
      h('a', { href: '#/agents/' + encodeURIComponent(agent.id) }, agent.hostname), ' / terminal'),
    h('h1', {}, `Terminal on ${agent.hostname} `, state), actions,
    h('section', { class: 'card' }, facts),
    screen,
    h('p', { class: 'hint' }, 'Everything typed here is recorded in the session transcript and the audit trail. Leaving the page closes the session.'));
  const { term, fit } = newTerminal(screen);
  let current = null;
  let socket = null;
  let leaving = false;
  let retries = 0;

  function show(sessionView, note) {
    current = sessionView || current;
    const status = note || current?.status || 'connecting';
    replace(state, badge(status === 'ready' ? 'online' : OPEN.has(status) ? 'pending' : status === 'reconnecting' ? 'reconnecting' : 'closed'), ' ', status);
    if (current) {
      replace(facts, fact('Session', h('code', {}, current.session_id)), fact('Status', current.status),
        fact('Opened', dateTime(current.opened_at)), fact('Expires', dateTime(current.expires_at)),
        fact('Commands', current.commands ?? 0), current.close_reason ? fact('Closed because', current.close_reason) : null);
    }
    const open = current && OPEN.has(current.status) && status !== 'closed';
    replace(actions,
      open ? h('button', { type: 'button', class: 'danger', id: 'close-session', onclick: closeSession }, 'Close session') : null,
      !open ? h('button', { type: 'button', class: 'primary', id: 'new-session', onclick: () => start() }, 'Open a new session') : null);
  }

  async function start() {
    retries = 0;
    term.reset();
    show(null, 'opening');
    try {
      show(await post('/api/v1/tunnel/open', { agent_id: agent.id }));
      connect();
    } catch (e) {
      show(null, 'closed');
      term.writeln('\x1b[31m' + errorText(e) + '\x1b[0m');
    }
  }

  function connect() {
    const url = new URL(`/api/v1/tunnel/${current.session_id}/stream`, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = query({ access_token: session.token, cols: term.cols, rows: term.rows });
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      retries = 0;
      term.focus();
    });
    socket.addEventListener('message', (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (frame.type === 'output') term.write(frame.data);
      else if (frame.type === 'status') {
        current = { ...current, status: frame.status, close_reason: frame.reason || current.close_reason };
        show(current);
      } else if (frame.type === 'error') term.writeln('\r\n\x1b[31m' + frame.error + '\x1b[0m');
    });
    socket.addEventListener('close', async (event) => {
      socket = null;
      if (leaving) return;
      if (event.code === 4000 || !OPEN.has(current?.status)) {
        await refresh();
        show(current, 'closed');
        return;
      }
      // A dropped connection: re-attach while the server still has the session open.
      await refresh();
      if (OPEN.has(current?.status) && retries < 5) {
        retries++;
        show(current, 'reconnecting');
        setTimeout(connect, Math.min(500 * 2 ** retries, 5000));
      } else {
        show(current, 'closed');
      }
    });
  }

  async function refresh() {
    try {
      const answer = await get('/api/v1/tunnel/status' + query({ session_id: current.session_id, include_closed: 'true' }));
      const found = (answer.sessions || [answer]).find((s) => s.session_id === current.session_id);
      if (found) current = found;
    } catch {
      // Keep what we knew.
    }
  }

  async function closeSession() {
    try {
      show(await post('/api/v1/tunnel/close', { session_id: current.session_id }), 'closed');
    } catch (e) {
      toast(errorText(e), 'bad');
    }
  }

  term.onData((data) => socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ type: 'input', data })));
  term.onResize(({ cols, rows }) => socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ type: 'resize', cols, rows })));
  const onWindowResize = () => fit.fit();
  window.addEventListener('resize', onWindowResize);
  onLeave(() => {
    leaving = true;
    window.removeEventListener('resize', onWindowResize);
    if (current && OPEN.has(current.status)) post('/api/v1/tunnel/close', { session_id: current.session_id }).catch(() => {});
    socket?.close();
    term.dispose();
  });
  await start();
}

// ---------------------------------------------------------------------------------------------
// Sessions and their transcripts, for auditors

export async function sessionsPage(view) {
  const table = sortableTable([
    { key: 'session_id', label: 'Session', render: (s) => h('a', { href: '#/sessions/' + s.session_id }, s.session_id) },
    { key: 'agent_id', label: 'Agent', render: (s) => h('a', { href: '#/agents/' + s.agent_id }, s.agent_id) },
    { key: 'user_id', label: 'Operator' },
    { key: 'status', label: 'Status', render: (s) => badge(s.status === 'ready' ? 'running' : s.status) },
    { key: 'commands', label: 'Commands' },
    { key: 'opened_at', label: 'Opened', render: (s) => when(s.opened_at) },
    { key: 'close_reason', label: 'Closed because', render: (s) => s.close_reason || '—' },
  ], { caption: 'Terminal sessions', rowKey: 'session_id', empty: 'No terminal sessions yet.' });
  const paging = pager((cursor) => get('/api/v1/tunnel/sessions' + query({ cursor, limit: 50 })), (page) => table.setRows(page.sessions || []));
  replace(view, h('h1', {}, 'Terminal sessions'),
    h('p', { class: 'hint' }, 'Every session of the tenant; open one to replay its transcript.'), table.element, paging.element);
  await paging.first();
}

export async function sessionPage(view, { params: [sessionId] }) {
  await loadXterm();
  const screen = h('div', { class: 'terminal', id: 'transcript', 'aria-label': 'Transcript replay (read only)' });
  const facts = h('dl', { class: 'facts' });
  const notes = h('ol', { class: 'transcript-notes', id: 'transcript-notes' });
  replace(view, h('p', { class: 'crumbs' }, h('a', { href: '#/sessions' }, 'Terminal sessions'), ' / ', sessionId),
    h('h1', {}, 'Session transcript'), h('section', { class: 'card' }, facts), screen,
    h('section', { class: 'card' }, h('h2', {}, 'Commands and events'), notes));
  const { term } = newTerminal(screen, { disableStdin: true, cursorBlink: false });
  let after = 0;
  let first = true;
  for (let page = 0; page < 200; page++) {
    const answer = await get(`/api/v1/tunnel/${encodeURIComponent(sessionId)}/transcript` + query({ after_seq: after, limit: 1000 }));
    if (first) {
      const s = answer.session;
      replace(facts, fact('Agent', h('a', { href: '#/agents/' + s.agent_id }, s.agent_id)), fact('Operator', s.user_id),
        fact('Status', badge(s.status)), fact('Opened', dateTime(s.opened_at)), fact('Closed', dateTime(s.closed_at)),
        fact('Closed because', s.close_reason || '—'), fact('Bytes in / out', `${s.bytes_in ?? 0} / ${s.bytes_out ?? 0}`));
      first = false;
    }
    for (const entry of answer.entries) {
      if (entry.kind === 'output') term.write(entry.data);
      else {
        notes.append(h('li', { class: entry.kind === 'denied' || entry.kind === 'error' ? 'error' : '' },
          h('time', { datetime: entry.at }, new Date(entry.at).toLocaleTimeString()), ' ',
          h('strong', {}, entry.kind), ' ', entry.channel, entry.data ? ': ' : '', entry.data ? h('code', {}, entry.data) : null));
      }
    }
    if (!answer.next_after_seq || answer.entries.length === 0) break;
    after = answer.next_after_seq;
  }
  if (notes.children.length === 0) notes.append(h('li', { class: 'muted' }, 'No commands or events recorded.'));
}
