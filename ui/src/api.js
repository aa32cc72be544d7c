// The admin API as the UI calls it: same-origin fetches that carry the HttpOnly session cookie
// (never a key), and the session's CSRF token on every request that changes state. The token
// lives in this module's memory only; a reload asks /ui/api/session for it again.
let csrfToken = '';
let onLoggedOut = () => {};

export function setLoggedOutHandler(fn) { onLoggedOut = fn; }
export function setCsrfToken(token) { csrfToken = token ?? ''; }

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = csrfToken;
  }
  const r = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!r.ok) {
    if (r.status === 401 && !path.startsWith('/ui/api/')) onLoggedOut();
    const message = json?.error?.message ?? `${method} ${path}: HTTP ${r.status}`;
    throw new ApiError(r.status, message, json);
  }
  return json;
}

export const get = (path) => api('GET', path);

export const post = (path, body) => api('POST', path, body ?? {});

export async function currentSession() {
  try {
    const s = await get('/ui/api/session');
    setCsrfToken(s.csrf_token);
    return s;
  } catch {
    return null;
  }
}

export async function login(key) {
  const s = await post('/ui/api/login', { key });
  setCsrfToken(s.csrf_token);
  return s;
}

export async function logout() {
  try { await post('/ui/api/logout'); } finally { setCsrfToken(''); }
}

// Query strings from an object, skipping empty values.
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}
