// The console's shell: login, navigation by role, the live-connection indicator, and a hash router.
import { authLost, live, login, session, get } from './api.js';
import { h, replace, errorText, field } from './ui.js';
import { overviewPage, agentsPage, agentPage } from './fleet.js';
import { commandsPage, commandPage, rolloutsPage, rolloutPage, schedulesPage, enrollmentPage, auditPage } from './operations.js';
import { terminalPage, sessionsPage, sessionPage } from './terminal.js';

const NAV = [
  { path: '#/', label: 'Overview', permission: 'agents:read' },
  { path: '#/agents', label: 'Agents', permission: 'agents:read' },
  { path: '#/commands', label: 'Commands', permission: 'commands:read' },
  { path: '#/rollouts', label: 'Rollouts', permission: 'commands:read' },
  { path: '#/schedules', label: 'Schedules', permission: 'schedules:read' },
  { path: '#/enrollment', label: 'Enrollment', permission: 'enrollment:read' },
  { path: '#/audit', label: 'Audit log', permission: 'audit:read' },
  { path: '#/sessions', label: 'Terminal sessions', permission: 'audit:read' },
];

const ROUTES = [
  [/^#\/?$/, overviewPage],
  [/^#\/agents$/, agentsPage],
  [/^#\/agents\/([^/]+)$/, agentPage],
  [/^#\/commands$/, commandsPage],
  [/^#\/commands\/([^/]+)$/, commandPage],
  [/^#\/rollouts$/, rolloutsPage],
  [/^#\/rollouts\/([^/]+)$/, rolloutPage],
  [/^#\/schedules$/, schedulesPage],
  [/^#\/enrollment$/, enrollmentPage],
  [/^#\/audit$/, auditPage],
  [/^#\/terminal\/([^/]+)$/, terminalPage],
  [/^#\/sessions$/, sessionsPage],
  [/^#\/sessions\/([^/]+)$/, sessionPage],
];

const main = document.getElementById('main');
let cleanup = [];

/** Tenants a system admin can pick from; others have exactly their own. */
export const context = { tenants: [] };

function loginView(message) {
  live.stop();
  document.body.classList.add('logged-out');
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error' }, message || '');
  const form = h('form', { class: 'card login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Sign in to Courier'),
    field('Username', user), field('Password', password), error,
    h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      await login(user.value.trim(), password.value);
      password.value = '';
      await start();
    } catch (err) {
      error.textContent = err.status === 401 ? 'Wrong username or password.' : errorText(err);
      password.focus();
    }
  });
  document.getElementById('nav').replaceChildren();
  document.getElementById('who').replaceChildren();
  replace(main, form);
  user.focus();
}

function shell() {
  document.body.classList.remove('logged-out');
  const nav = document.getElementById('nav');
  replace(nav, h('ul', {}, NAV.filter((item) => session.can(item.permission)).map((item) =>
    h('li', {}, h('a', { href: item.path, dataset: { nav: item.path } }, item.label)))));
  const indicator = h('span', { class: 'live-state', id: 'live-state', role: 'status' }, 'offline');
  live.addEventListener('state', (e) => {
    indicator.textContent = e.detail === 'live' ? '● live' : e.detail;
    indicator.dataset.state = e.detail;
  });
  replace(document.getElementById('who'), indicator,
    h('span', { class: 'user', id: 'current-user' }, `${session.username} · ${session.role.replace('_', ' ')}`),
    h('button', { type: 'button', id: 'logout', onclick: () => { session.clear(); loginView('Signed out.'); } }, 'Sign out'));
}

async function start() {
  if (!session.valid) {
    loginView();
    return;
  }
  shell();
  live.start();
  try {
    context.tenants = (await get('/api/v1/tenants')).tenants || [];
  } catch {
    context.tenants = [];
  }
  route();
}

export function tenantForWrites() {
  // A system admin acts in a tenant: the one chosen in a form, else the only one there is.
  return session.tenantId || (context.tenants.length === 1 ? context.tenants[0].id : null);
}

async function route() {
  if (!session.valid) {
    loginView();
    return;
  }
  cleanup.forEach((fn) => fn());
  cleanup = [];
  const hash = location.hash || '#/';
  document.querySelectorAll('#nav a').forEach((a) => {
    const current = a.dataset.nav === '#/' ? hash === '#/' : hash.startsWith(a.dataset.nav);
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  for (const [pattern, page] of ROUTES) {
    const match = hash.match(pattern);
    if (match) {
      const view = h('div', { class: 'page' });
      replace(main, view);
      try {
        await page(view, { params: match.slice(1).map(decodeURIComponent), onLeave: (fn) => cleanup.push(fn) });
      } catch (e) {
        replace(view, h('p', { class: 'error', role: 'alert' }, errorText(e)));
      }
      const heading = view.querySelector('h1');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: true });
        document.title = `${heading.textContent} · Courier`;
      }
      return;
    }
  }
  replace(main, h('p', {}, 'No such page. ', h('a', { href: '#/' }, 'Go to the overview.')));
}

authLost.addEventListener('lost', () => {
  session.clear();
  loginView('Your session ended; sign in again.');
});
window.addEventListener('hashchange', route);
start();
