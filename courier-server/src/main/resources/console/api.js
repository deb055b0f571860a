// The console's only way to the server: the public JSON API with the operator's bearer token,
// and one live event stream (GET /api/v1/events) shared by every page.

const TOKEN_KEY = 'courier.token';

/** The permissions of each role, as the server's RolePermissions table grants them. */
const READS = ['commands:read', 'agents:read', 'enrollment:read', 'schedules:read', 'audit:read',
  'users:read'];
const ROLE_PERMISSIONS = {
  system_admin: ['*'],
  tenant_admin: ['*', '!tenants:write'],
  operator: ['commands:read', 'commands:write', 'agents:read', 'enrollment:read',
    'enrollment:write', 'schedules:read', 'schedules:write', 'terminal:open'],
  auditor: READS,
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.field = problem?.field;
  }
}

function decodeClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')));
  } catch {
    return null;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  get claims() {
    const token = this.token;
    return token ? decodeClaims(token) : null;
  },
  get valid() {
    const claims = this.claims;
    return !!claims && (!claims.exp || claims.exp * 1000 > Date.now());
  },
  get role() {
    return this.claims?.role;
  },
  get username() {
    return this.claims?.username;
  },
  get tenantId() {
    return this.claims?.tenant_id || null;
  },
  can(permission) {
    const granted = ROLE_PERMISSIONS[this.role] || [];
    if (granted.includes('!' + permission)) return false;
    return granted.includes('*') || granted.includes(permission);
  },
  store(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** Listeners told when the server says the token is no longer good. */
export const authLost = new EventTarget();

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (session.token) headers.Authorization = 'Bearer ' + session.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text };
    }
  }
  if (!response.ok) {
    if (response.status === 401 && path !== '/api/v1/auth/login') {
      authLost.dispatchEvent(new Event('lost'));
    }
    throw new ApiError(response.status, data);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

export async function login(username, password) {
  const answer = await api('POST', '/api/v1/auth/login', { username, password });
  session.store(answer.access_token);
  return answer;
}

/** Builds a query string from the defined, non-empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

/**
 * Reads a text/event-stream response with fetch (EventSource cannot send an Authorization
 * header) and calls onEvent({event, id, data}) per message. Resolves when the stream ends.
 */
export async function readEventStream(path, { signal, lastEventId, onEvent, onOpen }) {
  const headers = { Accept: 'text/event-stream', Authorization: 'Bearer ' + session.token };
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const response = await fetch(path, { headers, signal, cache: 'no-store' });
  if (!response.ok) {
    if (response.status === 401) authLost.dispatchEvent(new Event('lost'));
    throw new ApiError(response.status, await response.json().catch(() => null));
  }
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let message = { event: 'message', id: null, data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (message.data.length) {
          onEvent({ event: message.event, id: message.id, data: message.data.join('\n') });
        }
        message = { event: 'message', id: null, data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') message.event = text;
        else if (field === 'id') message.id = text;
        else if (field === 'data') message.data.push(text);
      }
    }
  }
}

/**
 * The console's one live connection: every page subscribes here instead of polling. Reconnects
 * with Last-Event-ID after a drop (with backoff), so no event is missed across a blip.
 */
class LiveEvents extends EventTarget {
  constructor() {
    super();
    this.lastId = null;
    this.controller = null;
    this.state = 'closed';
  }

  start() {
    if (this.controller) return;
    this.controller = new AbortController();
    this.loop(this.controller.signal);
  }

  stop() {
    this.controller?.abort();
    this.controller = null;
    this.setState('closed');
  }

  setState(state) {
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }

  async loop(signal) {
    let delay = 500;
    while (!signal.aborted && session.valid) {
      this.setState('connecting');
      try {
        await readEventStream('/api/v1/events', {
          signal,
          lastEventId: this.lastId,
          onOpen: () => {
            delay = 500;
            this.setState('live');
          },
          onEvent: (message) => {
            if (message.id) this.lastId = message.id;
            let data;
            try {
              data = JSON.parse(message.data);
            } catch {
              return;
            }
            this.dispatchEvent(new CustomEvent('event', { detail: data }));
          },
        });
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
          this.setState('closed');
          return;
        }
      }
      if (signal.aborted) return;
      this.setState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10000);
    }
  }

  /** Calls handler(event) for matching events until the returned function is called. */
  on(filter, handler) {
    const listener = (e) => {
      const event = e.detail;
      if (typeof filter === 'function' ? filter(event) : matches(event, filter)) handler(event);
    };
    this.addEventListener('event', listener);
    return () => this.removeEventListener('event', listener);
  }
}

function matches(event, filter) {
  if (filter.type && !event.type.startsWith(filter.type)) return false;
  if (filter.agent_id && event.payload?.agent_id !== filter.agent_id
      && event.subject_id !== filter.agent_id) return false;
  if (filter.command_id && event.subject_id !== filter.command_id
      && event.payload?.command_id !== filter.command_id) return false;
  if (filter.rollout_id && event.payload?.rollout_id !== filter.rollout_id
      && event.subject_id !== filter.rollout_id) return false;
  return true;
}

export const live = new LiveEvents();
