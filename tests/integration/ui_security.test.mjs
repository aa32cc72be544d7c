// The admin UI's security, without a browser: every admin and UI data route refuses without a
// session or with a non-admin key, a session's writes need its CSRF token and a same-origin
// Origin, the session cookie's flags, logout, an admin-role virtual key, no key material in the
// UI's files or in the logs, and the first load's size budget (≤ 300 KB compressed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { MASTER_KEY, makeTempDir, rawRequest, sleep } from './harness.mjs';
import { adminCall, sessionCall, startUiStack, uiLogin } from './ui_harness.mjs';

let stack;
let gw;
let logDir;
let logFile;

before(async () => {
  logDir = makeTempDir('switchyard-ui-log-');
  logFile = path.join(logDir, 'access.log');
  stack = await startUiStack({ logFile });
  gw = stack.gw;
});
after(() => fs.rmSync(logDir, { recursive: true, force: true }));

// Every route the UI reads or writes through (and the live log), with a body for the writes.
const ROUTES = [
  ['GET', '/key/list'], ['GET', '/key/info?key=x'], ['POST', '/key/generate', {}], ['POST', '/key/update', { key: 'x' }],
  ['POST', '/key/block', { key: 'x' }], ['POST', '/key/unblock', { key: 'x' }], ['POST', '/key/regenerate', { key: 'x' }],
  ['POST', '/key/delete', { keys: ['x'] }], ['GET', '/team/list'], ['POST', '/team/new', {}], ['POST', '/team/delete', { team_ids: ['x'] }],
  ['POST', '/team/member_add', { team_id: 'x', member: { user_id: 'u' } }], ['GET', '/user/list'], ['POST', '/user/new', {}],
  ['POST', '/user/delete', { user_ids: ['x'] }], ['POST', '/team/update', { team_id: 'x', max_budget: 1 }],
  ['POST', '/user/update', { user_id: 'x', blocked: true }], ['POST', '/team/member_delete', { team_id: 'x', user_id: 'u' }],
  ['GET', '/team/info?team_id=x'], ['GET', '/user/info?user_id=x'], ['GET', '/spend/logs'], ['GET', '/global/spend/report'],
  ['GET', '/spend/buckets'], ['GET', '/model/info'], ['GET', '/model_group/info'], ['GET', '/health'],
  ['GET', '/cache/stats'], ['GET', '/live/requests'],
];

test('every admin route refuses without a key or session, with a bad session, and with a non-admin key', async () => {
  const plain = (await adminCall(gw, 'POST', '/key/generate', { key_alias: 'plain' })).json.key;
  for (const [method, p, body] of ROUTES) {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const none = await rawRequest(gw.url, { method, path: p, body: data, headers: { 'content-type': 'application/json' } });
    assert.equal(none.status, 401, `${method} ${p} without credentials: ${none.text}`);
    const forged = await rawRequest(gw.url, {
      method, path: p, body: data,
      headers: { 'content-type': 'application/json', cookie: 'sy_session=forged-session-id', 'x-csrf-token': 'x', origin: gw.url },
    });
    assert.equal(forged.status, 401, `${method} ${p} with a forged session: ${forged.text}`);
    const virtual = await adminCall(gw, method, p, body, plain);
    assert.equal(virtual.status, 403, `${method} ${p} with a non-admin key: ${virtual.text}`);
  }
});

test('the login takes the master key or a proxy_admin key, never another key, and sets a strict cookie', async () => {
  const wrong = await uiLogin(gw, 'sk-not-a-key');
  assert.equal(wrong.status, 401);
  assert.equal(wrong.setCookie, '');
  const plain = (await adminCall(gw, 'POST', '/key/generate', {})).json.key;
  const notAdmin = await uiLogin(gw, plain);
  assert.equal(notAdmin.status, 401);
  assert.equal(notAdmin.json.error.message, wrong.json.error.message, 'the two refusals look alike');
  const bad = await rawRequest(gw.url, { method: 'POST', path: '/ui/api/login', body: 'nope', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);

  const s = await uiLogin(gw, MASTER_KEY);
  assert.equal(s.status, 200, JSON.stringify(s.json));
  assert.match(s.setCookie, /^sy_session=[A-Za-z0-9_-]{43}; /);
  const flags = s.setCookie.split(';').map((f) => f.trim());
  assert.ok(flags.includes('HttpOnly'), s.setCookie);
  assert.ok(flags.includes('SameSite=Strict'), s.setCookie);
  assert.ok(flags.includes('Path=/'), s.setCookie);
  assert.ok(flags.some((f) => /^Max-Age=\d+$/.test(f)), s.setCookie);
  assert.ok(!flags.includes('Secure'), 'plain HTTP: no Secure flag');
  assert.equal(s.json.role, 'master_key');
  assert.match(s.csrf, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(!JSON.stringify(s.json).includes(MASTER_KEY));

  // Behind a TLS-terminating proxy the cookie is Secure.
  const tls = await uiLogin(gw, MASTER_KEY, { 'x-forwarded-proto': 'https' });
  assert.ok(tls.setCookie.split(';').map((f) => f.trim()).includes('Secure'), tls.setCookie);

  // A login posted from another site is refused.
  const cross = await uiLogin(gw, MASTER_KEY, { origin: 'http://evil.example' });
  assert.equal(cross.status, 403);
  assert.equal(cross.setCookie, '');

  // An admin-role virtual key logs in; blocking it ends its session.
  const adminKey = (await adminCall(gw, 'POST', '/key/generate', { metadata: { user_role: 'proxy_admin' } })).json.key;
  const a = await uiLogin(gw, adminKey);
  assert.equal(a.status, 200, JSON.stringify(a.json));
  assert.equal(a.json.role, 'proxy_admin');
  assert.equal((await sessionCall(gw, a, 'GET', '/key/list')).status, 200);
  assert.equal((await adminCall(gw, 'POST', '/key/block', { key: adminKey })).status, 200);
  assert.equal((await sessionCall(gw, a, 'GET', '/key/list')).status, 401);
});

test('a session reads freely but writes only with its CSRF token and a same-origin Origin', async () => {
  const s = await uiLogin(gw, MASTER_KEY);
  const info = await sessionCall(gw, s, 'GET', '/ui/api/session');
  assert.equal(info.status, 200);
  assert.equal(info.json.csrf_token, s.csrf);
  assert.equal((await sessionCall(gw, s, 'GET', '/key/list')).status, 200);

  const body = { key_alias: 'csrf-probe' };
  const noToken = await sessionCall(gw, s, 'POST', '/key/generate', body, { csrf: null });
  assert.equal(noToken.status, 403, noToken.text);
  assert.equal(noToken.json.error.code, 'csrf_refused');
  const wrongToken = await sessionCall(gw, s, 'POST', '/key/generate', body, { csrf: 'A'.repeat(43) });
  assert.equal(wrongToken.status, 403);
  const otherSite = await sessionCall(gw, s, 'POST', '/key/generate', body, { origin: 'http://evil.example' });
  assert.equal(otherSite.status, 403);
  const other = await uiLogin(gw, MASTER_KEY);
  const otherSessionsToken = await sessionCall(gw, s, 'POST', '/key/generate', body, { csrf: other.csrf });
  assert.equal(otherSessionsToken.status, 403, 'a token is its own session\'s only');
  const flush = await sessionCall(gw, s, 'DELETE', '/cache', undefined, { csrf: null });
  assert.equal(flush.status, 403);
  const list = await adminCall(gw, 'GET', '/key/list?return_full_object=true');
  assert.ok(!list.json.keys.some((k) => k.key_alias === 'csrf-probe'), 'no refused write happened');

  const good = await sessionCall(gw, s, 'POST', '/key/generate', body);
  assert.equal(good.status, 200, good.text);

  // Logout needs the token too, then ends the session and clears the cookie.
  assert.equal((await sessionCall(gw, s, 'POST', '/ui/api/logout', {}, { csrf: null })).status, 403);
  const out = await sessionCall(gw, s, 'POST', '/ui/api/logout', {});
  assert.equal(out.status, 200);
  assert.match([out.headers['set-cookie']].flat()[0], /^sy_session=; .*Max-Age=0/);
  assert.equal((await sessionCall(gw, s, 'GET', '/key/list')).status, 401);
  assert.equal((await sessionCall(gw, s, 'GET', '/ui/api/session')).status, 401);
});

test('the UI files are served with types, compression, caching and an SPA fallback', async () => {
  const index = await rawRequest(gw.url, { method: 'GET', path: '/ui' });
  assert.equal(index.status, 200);
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(index.headers['cache-control'], 'no-cache');
  assert.match(index.headers['content-security-policy'], /default-src 'self'/);
  assert.equal(index.headers['x-frame-options'], 'DENY');
  assert.equal(index.headers['x-content-type-options'], 'nosniff');
  for (const p of ['/ui/', '/ui/keys', '/ui/keys/abc']) {
    const r = await rawRequest(gw.url, { method: 'GET', path: p });
    assert.equal(r.status, 200, p);
    assert.equal(r.text, index.text, `${p} is the app`);
  }
  assert.equal((await rawRequest(gw.url, { method: 'GET', path: '/ui/assets/missing.js' })).status, 404);
  assert.equal((await rawRequest(gw.url, { method: 'POST', path: '/ui/keys', body: '' })).status, 405);
  const again = await rawRequest(gw.url, { method: 'GET', path: '/ui', headers: { 'if-none-match': index.headers.etag } });
  assert.equal(again.status, 304);

  // Everything the page loads: its scripts and styles, each compressed, cached for good.
  const assets = [...index.text.matchAll(/(?:src|href)="(\/ui\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(assets.some((a) => a.endsWith('.js')), index.text);
  let firstLoad = Buffer.byteLength(zlib.brotliCompressSync(index.text));
  for (const a of assets) {
    const r = await fetch(`${gw.url}${a}`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(r.status, 200, a);
    const bytes = Buffer.from(await r.arrayBuffer());
    if (a.startsWith('/ui/assets/')) {
      assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(r.headers.get('content-encoding'), 'br', a);
      assert.match(r.headers.get('content-type'), a.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      // fetch decodes; the size on the wire is what the gateway sent.
      firstLoad += Buffer.byteLength(zlib.brotliCompressSync(bytes));
      const gz = await rawRequest(gw.url, { method: 'GET', path: a, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gz.headers['content-encoding'], 'gzip');
    } else {
      firstLoad += bytes.length;
    }
  }
  assert.ok(firstLoad <= 300 * 1024, `first load ${firstLoad} bytes compressed, budget 300 KB`);
});

test('no key material in the UI files or in the logs', async () => {
  const created = await adminCall(gw, 'POST', '/key/generate', { key_alias: 'secret-check' });
  const key = created.json.key;
  const r = await rawRequest(gw.url, {
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(r.status, 200, r.text);
  const s = await uiLogin(gw, MASTER_KEY);
  const index = await rawRequest(gw.url, { method: 'GET', path: '/ui' });
  const files = [index.text];
  for (const m of index.text.matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)) {
    files.push(await (await fetch(`${gw.url}${m[1]}`)).text());
  }
  for (const text of files) {
    assert.ok(!text.includes(MASTER_KEY), 'the master key is not in the UI');
    assert.ok(!text.includes(key), 'a key is not in the UI');
    assert.ok(!/localStorage\.setItem\([^)]*(key|token|csrf)/i.test(text.replace(/'sy-theme'/g, '')),
      'nothing but the theme goes to localStorage');
  }
  await sleep(300);  // the access log's writer thread
  const logs = fs.readFileSync(logFile, 'utf8') + gw.child.stdout + gw.child.stderr;
  assert.ok(logs.includes('secret-check'), 'the request was logged');
  for (const secret of [MASTER_KEY, key, s.cookie.split('=')[1], s.csrf]) {
    assert.ok(!logs.includes(secret), 'no key, session id or CSRF token in the logs');
  }
});

// Reads an SSE response until its text includes `needle` (or 5 s pass); returns the text.
async function readUntil(res, needle) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const until = Date.now() + 5000;
  while (!text.includes(needle) && Date.now() < until) {
    const { value, done } = await Promise.race([reader.read(), sleep(500).then(() => ({}))]);
    if (done) break;
    if (value) text += decoder.decode(value, { stream: true });
  }
  return text;
}

test('the live log streams finished requests over SSE to a session, and Last-Event-ID resumes', async () => {
  const s = await uiLogin(gw, MASTER_KEY);
  const ctl = new AbortController();
  const res = await fetch(`${gw.url}/live/requests?backlog=0`, { headers: { cookie: s.cookie }, signal: ctl.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/event-stream/);
  const reading = readUntil(res, 'live-probe-1');
  const r = await rawRequest(gw.url, {
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', 'x-request-id': 'live-probe-1' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(r.status, 200);
  const text = await reading;
  ctl.abort();
  const event = text.split('\n\n').find((e) => e.includes('live-probe-1'));
  assert.ok(event, text);
  const id = Number(event.match(/^id: (\d+)$/m)[1]);
  assert.match(event, /^event: request$/m);
  const line = JSON.parse(event.match(/^data: (.*)$/m)[1]);
  assert.equal(line.request_id, 'live-probe-1');
  assert.equal(line.status, 200);
  assert.equal(line.model, 'gpt-4o-mini');
  assert.ok(line.total_us > 0);

  // A reconnect (here with the master key, as a script would) after the event before it gets
  // that request again, first.
  const ctl2 = new AbortController();
  const again = await fetch(`${gw.url}/live/requests`, {
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'last-event-id': String(id - 1) }, signal: ctl2.signal,
  });
  const resumed = await readUntil(again, 'live-probe-1');
  ctl2.abort();
  const events = resumed.split('\n\n').filter((e) => e.startsWith('id: '));
  assert.equal(Number(events[0].match(/^id: (\d+)$/m)[1]), id, resumed);

  // A request whose only deployment fails and that falls back to another group: its line lists
  // each attempt, why it was made and how it ended.
  const ctl3 = new AbortController();
  const watch = await fetch(`${gw.url}/live/requests?backlog=0`, {
    headers: { authorization: `Bearer ${MASTER_KEY}` }, signal: ctl3.signal,
  });
  const reading3 = readUntil(watch, 'live-probe-2');
  const fellBack = await rawRequest(gw.url, {
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', 'x-request-id': 'live-probe-2' },
    body: JSON.stringify({ model: 'broken', messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(fellBack.status, 200, fellBack.text);
  const text3 = await reading3;
  ctl3.abort();
  const line3 = JSON.parse(text3.split('\n\n').find((e) => e.includes('live-probe-2')).match(/^data: (.*)$/m)[1]);
  assert.equal(line3.fallbacks, 1);
  assert.equal(line3.attempt_list.length, 2, JSON.stringify(line3));
  const [a, b] = line3.attempt_list;
  assert.deepEqual({ ...a, latency_us: 0 }, { deployment: 'broken#3', provider: 'openai', reason: 'first', outcome: 'failed', status: 503, error: 'upstream_server', latency_us: 0 });
  assert.deepEqual({ ...b, latency_us: 0 }, { deployment: 'gpt-4o-mini#0', provider: 'openai', reason: 'fallback', outcome: 'answered', status: 200, latency_us: 0 });
  assert.ok(a.latency_us > 0 && b.latency_us > 0);
  assert.equal(line3.deployment, 'gpt-4o-mini#0');
});

test('GET /spend/buckets totals the rollups per hour or day and group, with filters and 400s', async () => {
  const created = await adminCall(gw, 'POST', '/key/generate', { key_alias: 'bucket-key' });
  const key = created.json.key;
  for (let i = 0; i < 3; i++) {
    const r = await rawRequest(gw.url, {
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'hello' }] }),
    });
    assert.equal(r.status, 200);
  }
  let b;
  const until = Date.now() + 5000;
  do {
    await sleep(100);
    b = (await adminCall(gw, 'GET', `/spend/buckets?bucket=hour&group_by=key&api_key=${key}`)).json;
  } while (b.totals.requests < 3 && Date.now() < until);
  assert.equal(b.bucket, 'hour');
  assert.equal(b.group_by, 'key');
  assert.equal(b.totals.requests, 3);
  assert.equal(b.buckets.length, 1);
  const [one] = b.buckets;
  assert.equal(one.label, 'bucket-key');
  assert.equal(one.requests, 3);
  assert.ok(one.spend > 0 && one.total_tokens > 0);
  assert.equal(one.start_ms % 3600e3, 0);
  assert.equal(new Date(one.start).getTime(), one.start_ms);
  const info = (await adminCall(gw, 'GET', `/key/info?key=${key}`)).json.info;
  assert.ok(Math.abs(one.spend - info.spend) < 1e-12, `${one.spend} vs ${info.spend}`);
  // Time to first token: only streams have one, counted in the rollups' buckets.
  assert.equal(b.totals.ttft_requests, 0);
  assert.equal(b.totals.ttft_p50_ms, null);
  const streamed = await rawRequest(gw.url, {
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, max_tokens: 8, messages: [{ role: 'user', content: 'hello' }] }),
  });
  assert.equal(streamed.status, 200);
  let t;
  const untilStream = Date.now() + 5000;
  do {
    await sleep(100);
    t = (await adminCall(gw, 'GET', `/spend/buckets?bucket=hour&api_key=${key}`)).json;
  } while (t.totals.requests < 4 && Date.now() < untilStream);
  assert.equal(t.totals.ttft_requests, 1, JSON.stringify(t.totals));
  assert.ok(t.totals.ttft_p50_ms > 0 && t.totals.ttft_p50_ms <= t.totals.ttft_p95_ms, JSON.stringify(t.totals));
  assert.equal(t.totals.ttft_buckets.reduce((n, c) => n + c, 0), 1);
  assert.equal(t.buckets[0].ttft_requests, 1);

  // top=1: the buckets keep the first group by spend and sum the rest into "_other"; `groups`
  // lists every group, most spend first.
  const second = (await adminCall(gw, 'POST', '/key/generate', { key_alias: 'bucket-key-2' })).json.key;
  const r2 = await rawRequest(gw.url, {
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${second}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'hello' }] }),
  });
  assert.equal(r2.status, 200);
  let ranked;
  const until2 = Date.now() + 5000;
  do {
    await sleep(100);
    ranked = (await adminCall(gw, 'GET', '/spend/buckets?bucket=day&group_by=key&top=1')).json;
  } while (!ranked.groups.some((g) => g.label === 'bucket-key-2') && Date.now() < until2);
  const labels = ranked.groups.map((g) => g.label);
  assert.ok(labels.indexOf('bucket-key') < labels.indexOf('bucket-key-2'), labels.join());
  assert.ok(ranked.groups.every((g, i) => i === 0 || ranked.groups[i - 1].spend >= g.spend));
  assert.equal(new Set(ranked.buckets.map((x) => x.group)).size, 2);
  assert.ok(ranked.buckets.some((x) => x.group === '_other' && x.label === 'other'));
  assert.equal(ranked.buckets.reduce((n, x) => n + x.requests, 0), ranked.totals.requests);

  const day = (await adminCall(gw, 'GET', '/spend/buckets?bucket=day&group_by=model')).json;
  assert.ok(day.buckets.every((x) => x.start_ms % 86400e3 === 0));
  assert.ok(day.buckets.some((x) => x.group === 'gpt-4o-mini' && x.requests >= 3));
  const none = (await adminCall(gw, 'GET', '/spend/buckets?start_date=2001-01-01&end_date=2001-01-02')).json;
  assert.equal(none.buckets.length, 0);
  assert.equal(none.totals.requests, 0);
  for (const q of ['bucket=week', 'group_by=planet', 'start_date=yesterday', 'bucket=hour&start_date=2020-01-01', 'top=0', 'top=x']) {
    const r = await adminCall(gw, 'GET', `/spend/buckets?${q}`);
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assert.equal(r.json.error.type, 'invalid_request_error');
  }
});

// Last but one: it empties a client address's budget of failed logins.
test('failed logins are throttled per client address: 429 with Retry-After, for a right key too, until it refills; another address logs in meanwhile', async () => {
  // 127.0.0.2 is another client on Linux loopback; the earlier tests logged in from 127.0.0.1.
  const flooder = { localAddress: '127.0.0.2' };
  let throttled;
  for (let i = 0; i < 12 && !throttled; ++i) {
    const r = await uiLogin(gw, `sk-guess-${i}`, {}, flooder);
    if (r.status === 429) throttled = r;
    else assert.equal(r.status, 401);
  }
  assert.ok(throttled, 'a 429 within 12 failed logins (the burst is 10)');
  assert.equal(throttled.setCookie, '');
  assert.equal(throttled.json.error.code, 'login_throttled');
  assert.equal(throttled.json.error.type, 'rate_limit_error');
  const again = await uiLogin(gw, MASTER_KEY, {}, flooder);
  assert.equal(again.status, 429, 'the right key is refused alike while throttled');
  const wait = Number(again.headers['retry-after']);
  assert.ok(wait >= 1 && wait <= 6, `Retry-After ${again.headers['retry-after']}`);
  // The flood locks out only its own address: an admin elsewhere logs in at once.
  const elsewhere = await uiLogin(gw, MASTER_KEY, {}, { localAddress: '127.0.0.1' });
  assert.equal(elsewhere.status, 200, JSON.stringify(elsewhere.json));
  assert.equal((await uiLogin(gw, 'sk-wrong', {}, { localAddress: '127.0.0.3' })).status, 401,
    'a third address has a budget of its own');
  await sleep(wait * 1000 + 100);
  assert.equal((await uiLogin(gw, MASTER_KEY, {}, flooder)).status, 200, 'logins work again once a token came back');
});

test('SIGTERM ends an open live-log stream and the gateway exits cleanly within the drain', async () => {
  const res = await fetch(`${gw.url}/live/requests`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
  assert.equal(res.status, 200);
  const reading = res.text();
  const started = Date.now();
  await stack.stop();  // asserts exit code 0
  await reading;  // the stream was ended by the gateway
  assert.ok(Date.now() - started < 2000, 'the stream did not hold the drain up');
});
