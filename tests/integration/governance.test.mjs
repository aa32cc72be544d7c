// Virtual keys, budgets, limits, cost and spend persistence, driven through the real binaries
// with a SQLite store in a temp dir; the last test runs two gateways on one real PostgreSQL
// server (the store suite in unit_tests covers both backends statement by statement).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  MASTER_KEY, makeTempDir, rawRequest, sleep, startGateway, startMock, waitFor, writeConfig,
  assertOpenAIError, runSwitchyard,
} from './harness.mjs';
import { startPostgres } from './servers.mjs';

// gpt-4o-mini's list price, as in data/model_prices.json.
const INPUT = 1.5e-7;
const OUTPUT = 6e-7;

let mock;
const dirs = [];

before(async () => { mock = await startMock(); });
after(async () => {
  await mock.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function config(dir, { flush = 0.05, refresh = 5, admission = '' } = {}) {
  return writeConfig(`model_list:
  - model_name: gpt-4o-mini
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k}
  - model_name: embedder
    litellm_params: {model: openai/text-embedding-3-small, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k}
general_settings:
  master_key: ${MASTER_KEY}
  database_url: sqlite://${path.join(dir, 'spend.db')}
switchyard_settings:
  spend_flush_interval: ${flush}
  store_refresh_interval: ${refresh}
  drain_timeout: 5
${admission ? `  budget_admission: ${admission}\n` : ''}`, dir);
}

async function gateway(opts) {
  const dir = makeTempDir('switchyard-gov-');
  dirs.push(dir);
  const cfg = config(dir, opts);
  const gw = await startGateway({ configFile: cfg.file });
  return { gw, dir, cfg };
}

async function restart(cfg) {
  return startGateway({ configFile: cfg.file });
}

function admin(gw, method, p, body, key = MASTER_KEY) {
  return rawRequest(gw.url, {
    method, path: p, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
}

function chat(gw, key, { model = 'gpt-4o-mini', stream = false, maxTokens = 16 } = {}) {
  return rawRequest(gw.url, {
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, ...(maxTokens === null ? {} : { max_tokens: maxTokens }), messages: [{ role: 'user', content: 'hello there' }] }),
  });
}

async function newKey(gw, body = {}) {
  const r = await admin(gw, 'POST', '/key/generate', body);
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.key, /^sk-/);
  return r.json.key;
}

async function keyInfo(gw, key) {
  const r = await admin(gw, 'GET', `/key/info?key=${encodeURIComponent(key)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.info;
}

async function spendLogs(gw, query = '') {
  const r = await admin(gw, 'GET', `/spend/logs?limit=10000${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('cost header, spend logs for whole and streamed answers, key shown once', async () => {
  const { gw } = await gateway();
  try {
    const key = await newKey(gw, { key_alias: 'cost' });
    const r = await chat(gw, key);
    assert.equal(r.status, 200, r.text);
    const u = r.json.usage;
    const expected = u.prompt_tokens * INPUT + u.completion_tokens * OUTPUT;
    assert.ok(Math.abs(Number(r.headers['x-switchyard-cost']) - expected) < 1e-12, JSON.stringify(r.headers));
    assert.equal(r.headers['x-litellm-response-cost'], r.headers['x-switchyard-cost']);
    const s = await chat(gw, key, { stream: true });
    assert.equal(s.status, 200);
    const logs = await waitFor(async () => {
      const l = await spendLogs(gw, `&api_key=${encodeURIComponent(key)}`);
      return l.length === 2 && l;
    });
    assert.ok(logs, 'two spend-log rows');
    for (const row of logs) {
      assert.ok(Math.abs(row.spend - expected) < 1e-12, JSON.stringify(row));
      assert.equal(row.key_alias, 'cost');
      assert.notEqual(row.api_key, key, 'the key itself is never stored');
    }
    assert.deepEqual(logs.map((l) => l.metadata.stream).sort(), [false, true]);
    const info = await keyInfo(gw, key);
    assert.ok(Math.abs(info.spend - 2 * expected) < 1e-12);
    assert.equal(info.key, undefined, 'the key is shown only by /key/generate');
    assert.ok(!gw.child.stdout.includes(key) && !gw.child.stderr.includes(key), 'key in the logs');
  } finally {
    await gw.stop();
  }
});

test('budget_admission: strict — 100 parallel requests against a nearly spent key do not overshoot its budget', async () => {
  const { gw } = await gateway({ admission: 'strict' });
  try {
    const probe = await newKey(gw);
    const one = Number((await chat(gw, probe)).headers['x-switchyard-cost']);
    const budget = one * 10.5;
    const key = await newKey(gw, { max_budget: budget });
    const results = await Promise.all(Array.from({ length: 100 }, () => chat(gw, key)));
    const ok = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 400);
    assert.equal(ok + refused.length, 100, results.map((r) => r.status).join(','));
    for (const r of refused) {
      assertOpenAIError(assert, r.json, { status: 400 });
      assert.equal(r.json.error.code, 'budget_exceeded');
      assert.match(r.json.error.message, /Budget has been exceeded: key/);
    }
    const spend = (await keyInfo(gw, key)).spend;
    const overshoot = Math.max(0, spend - budget);
    console.log(`# parallel, strict: ${ok} admitted, ${refused.length} refused, spend ${spend.toExponential(4)} ` +
      `of max_budget ${budget.toExponential(4)}, overshoot ${overshoot} USD`);
    assert.ok(ok >= 8 && ok <= 10, `admitted ${ok}`);
    assert.equal(overshoot, 0);
  } finally {
    await gw.stop();
  }
});

test('default (LiteLLM) admission: a key with max_budget 0.00005 serves its first request, is refused once spend passes it', async () => {
  const { gw } = await gateway();
  try {
    // Its estimate (1,024 default output tokens at gpt-4o-mini's price, ~0.0006 USD) is larger
    // than the whole budget: LiteLLM admits it anyway, since nothing has been spent yet.
    const key = await newKey(gw, { max_budget: 0.00005 });
    const big = (k) => chat(gw, k, { maxTokens: null });
    const first = await big(key);
    assert.equal(first.status, 200, first.text);
    let spent = Number(first.headers['x-switchyard-cost']);
    let served = 1;
    let refused;
    while (served < 100) {
      const r = await big(key);
      if (r.status !== 200) { refused = r; break; }
      spent += Number(r.headers['x-switchyard-cost']);
      served += 1;
    }
    assert.ok(refused, 'refused once the budget is spent');
    assert.ok(spent >= 0.00005, `refused only after spend ${spent} passed the budget`);
    assert.equal(refused.status, 400, refused.text);
    assertOpenAIError(assert, refused.json, { status: 400 });
    assert.equal(refused.json.error.code, 'budget_exceeded');
    assert.match(refused.json.error.message,
      /^Budget has been exceeded: key '.*' has spent 0\.\d{6} USD of its max_budget 0\.000050 USD\.$/);
    assert.ok(!/estimated/.test(refused.json.error.message), refused.json.error.message);
    const info = await keyInfo(gw, key);
    assert.ok(Math.abs(info.spend - spent) < 1e-12, `${info.spend} vs ${spent}`);
    console.log(`# litellm admission: ${served} served, spend ${spent.toExponential(4)} of 5e-5`);

    // Parallel requests cannot multiply the overshoot: a reservation in flight fills the budget.
    const probe = await newKey(gw);
    const one = Number((await chat(gw, probe)).headers['x-switchyard-cost']);
    const budget = one * 10.5;
    const pkey = await newKey(gw, { max_budget: budget });
    const results = await Promise.all(Array.from({ length: 100 }, () => chat(gw, pkey)));
    const ok = results.filter((r) => r.status === 200).length;
    assert.equal(ok + results.filter((r) => r.status === 400).length, 100);
    const pspend = (await keyInfo(gw, pkey)).spend;
    assert.ok(ok >= 8 && ok <= 11, `admitted ${ok}`);
    assert.ok(pspend - budget <= one + 1e-12, `overshoot ${pspend - budget} beyond one request ${one}`);
  } finally {
    await gw.stop();
  }
});

test('budget_admission: strict refuses the first request whose estimate does not fit, saying so', async () => {
  const { gw } = await gateway({ admission: 'strict' });
  try {
    const key = await newKey(gw, { max_budget: 0.00005 });
    const r = await chat(gw, key, { maxTokens: null });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.code, 'budget_exceeded');
    assert.match(r.json.error.message,
      /has spent 0\.000000 USD of its max_budget 0\.000050 USD; this request is estimated at up to 0\.000\d+ USD, which would pass the budget \(budget_admission: strict\)\.$/);
    assert.equal((await chat(gw, key, { maxTokens: 16 })).status, 200, 'a request that fits is served');
  } finally {
    await gw.stop();
  }
});

test('budget resets on schedule; expired, blocked and disallowed-model keys get 401', async () => {
  const { gw } = await gateway();
  try {
    const key = await newKey(gw, { max_budget: 1e-7, budget_duration: '2s' });  // one request
    assert.equal((await chat(gw, key)).status, 200);
    const spent = await chat(gw, key);
    assert.equal(spent.status, 400, spent.text);
    await sleep(2200);
    assert.equal((await chat(gw, key)).status, 200, 'budget reset after 2s');

    const short = await newKey(gw, { duration: '1s' });
    assert.equal((await chat(gw, short)).status, 200);
    await sleep(1200);
    const expired = await chat(gw, short);
    assert.equal(expired.status, 401);
    assert.equal(expired.json.error.code, 'expired_key');

    const limited = await newKey(gw, { models: ['gpt-4o-mini'] });
    assert.equal((await chat(gw, limited)).status, 200);
    const denied = await rawRequest(gw.url, {
      path: '/v1/embeddings',
      headers: { authorization: `Bearer ${limited}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'embedder', input: 'x' }),
    });
    assert.equal(denied.status, 401);
    assert.equal(denied.json.error.code, 'key_model_access_denied');

    const upd = await admin(gw, 'POST', '/key/update', { key: limited, blocked: true });
    assert.equal(upd.status, 200, upd.text);
    const blocked = await chat(gw, limited);
    assert.equal(blocked.status, 401);
    assert.equal(blocked.json.error.code, 'key_blocked');
    const del = await admin(gw, 'POST', '/key/delete', { keys: [limited] });
    assert.equal(del.status, 200, del.text);
    assert.equal((await chat(gw, limited)).status, 401);
  } finally {
    await gw.stop();
  }
});

test('team limits bind every key of the team; key limits bind only the key', async () => {
  const { gw } = await gateway();
  try {
    const team = await admin(gw, 'POST', '/team/new', { team_alias: 'research', rpm_limit: 3 });
    assert.equal(team.status, 200, team.text);
    const teamId = team.json.team_id;
    const a = await newKey(gw, { team_id: teamId });
    const b = await newKey(gw, { team_id: teamId, rpm_limit: 1 });
    assert.equal((await chat(gw, b)).status, 200);
    const bLimited = await chat(gw, b);
    assert.equal(bLimited.status, 429);
    assert.match(bLimited.json.error.message, /key/);
    assert.equal((await chat(gw, a)).status, 200);
    assert.equal((await chat(gw, a)).status, 200);
    const teamLimited = await chat(gw, a);
    assert.equal(teamLimited.status, 429);
    assert.match(teamLimited.json.error.message, /team 'research'/);
    const info = await admin(gw, 'GET', `/team/info?team_id=${teamId}`);
    assert.equal(info.status, 200);
    assert.equal(info.json.keys.length, 2);
    // LiteLLM's admission: served while spend is under the budget, so one request passes it.
    const user = await admin(gw, 'POST', '/user/new', { user_email: 'a@example.com', max_budget: 1e-9 });
    assert.equal(user.status, 200, user.text);
    const userKey = user.json.key;
    assert.equal((await chat(gw, userKey)).status, 200);  // spend 0 is under the budget
    const overUser = await chat(gw, userKey);
    assert.equal(overUser.status, 400);
    assert.match(overUser.json.error.message, /user '/);
  } finally {
    await gw.stop();
  }
});

test('admin API: master key only, clear 400s for bad input', async () => {
  const { gw } = await gateway();
  try {
    const key = await newKey(gw);
    assert.equal((await admin(gw, 'POST', '/key/generate', {}, key)).status, 403);
    assert.equal((await admin(gw, 'GET', '/key/list', undefined, 'sk-wrong')).status, 401);
    const cases = [
      [{ max_budget: -1 }, /max_budget/],
      [{ max_budget: 'ten' }, /max_budget/],
      [{ models: 'gpt-4o-mini' }, /models/],
      [{ tpm_limit: 1.5 }, /tpm_limit/],
      [{ budget_duration: '3 weeks' }, /budget_duration/],
      [{ rpm_limit: 1e300 }, /rpm_limit/],
      [{ unknown_field: 1 }, /Unknown field 'unknown_field'/],
      [{ team_id: 'no-such-team' }, /does not exist/],
      [{ max_budget: 1, soft_budget: 2 }, /soft_budget/],
    ];
    for (const [body, re] of cases) {
      const r = await admin(gw, 'POST', '/key/generate', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${r.text}`);
      assertOpenAIError(assert, r.json, { status: 400 });
      assert.match(r.json.error.message, re);
    }
    const notJson = await rawRequest(gw.url, {
      path: '/key/generate', body: '{oops', headers: { authorization: `Bearer ${MASTER_KEY}` },
    });
    assert.equal(notJson.status, 400);
    assert.equal((await admin(gw, 'GET', '/spend/logs?start_date=yesterday')).status, 400);
    assert.equal((await admin(gw, 'GET', '/global/spend/report?group_by=planet')).status, 400);
    assert.equal((await admin(gw, 'GET', '/key/info?key=sk-nope')).status, 404);
    const list = await admin(gw, 'GET', '/key/list');
    assert.equal(list.status, 200);
    assert.equal(list.json.keys.length, 1);
  } finally {
    await gw.stop();
  }
});

test('restart keeps keys and spend; SIGTERM writes every queued row', async () => {
  // A long batch window: without the flush on SIGTERM these rows would be lost.
  const { gw, cfg } = await gateway({ flush: 5 });
  const key = await newKey(gw, { key_alias: 'persist' });
  const n = 20;
  for (let i = 0; i < n; ++i) assert.equal((await chat(gw, key)).status, 200);
  const before = (await keyInfo(gw, key)).spend;
  const res = await gw.stop('SIGTERM');
  assert.equal(res.code, 0);
  const gw2 = await restart(cfg);
  try {
    const logs = await spendLogs(gw2, `&api_key=${encodeURIComponent(key)}`);
    assert.equal(logs.length, n, 'no spend-log row lost on SIGTERM');
    const after = (await keyInfo(gw2, key)).spend;
    assert.ok(Math.abs(after - before) < 1e-12, `${before} vs ${after}`);
    assert.equal((await chat(gw2, key)).status, 200, 'the key works after a restart');
  } finally {
    await gw2.stop();
  }
});

test('kill -9 loses at most the last batch window', async () => {
  const { gw, cfg } = await gateway({ flush: 0.1 });
  const key = await newKey(gw);
  const n = 20;
  for (let i = 0; i < n; ++i) assert.equal((await chat(gw, key)).status, 200);
  await sleep(250);  // older than one window: must be on disk
  const lastBatch = 5;
  await Promise.all(Array.from({ length: lastBatch }, () => chat(gw, key)));
  await gw.stop('SIGKILL');
  const gw2 = await restart(cfg);
  try {
    const logs = await spendLogs(gw2, `&api_key=${encodeURIComponent(key)}`);
    console.log(`# kill -9: ${logs.length} of ${n + lastBatch} rows kept`);
    assert.ok(logs.length >= n && logs.length <= n + lastBatch, `${logs.length}`);
  } finally {
    await gw2.stop();
  }
});

test('CLI manages keys in the same store', async () => {
  const dir = makeTempDir('switchyard-gov-cli-');
  dirs.push(dir);
  const cfg = config(dir);
  const created = runSwitchyard(['keys', 'create', '--config', cfg.file, '--alias', 'cli',
    '--max-budget', '5', '--models', 'gpt-4o-mini,embedder']);
  assert.equal(created.code, 0, created.stderr);
  const key = JSON.parse(created.stdout).key;
  const bad = runSwitchyard(['keys', 'create', '--config', cfg.file, '--max-budget', '-5']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /max_budget/);
  const gw = await startGateway({ configFile: cfg.file });
  try {
    assert.equal((await chat(gw, key)).status, 200);
  } finally {
    await gw.stop();
  }
  const list = runSwitchyard(['keys', 'list', '--config', cfg.file]);
  assert.equal(list.code, 0, list.stderr);
  const keys = JSON.parse(list.stdout).keys;
  assert.equal(keys.length, 1);
  assert.equal(keys[0].key_alias, 'cli');
  assert.ok(keys[0].spend > 0);
  const del = runSwitchyard(['keys', 'delete', '--config', cfg.file, key]);
  assert.equal(del.code, 0, del.stderr);
});

test('two gateways on one PostgreSQL share keys, budgets and spend', async (t) => {
  const pg = await startPostgres();
  if (!pg) {
    t.skip('PostgreSQL server binaries not installed (scripts/setup.sh --test)');
    return;
  }
  const dir = makeTempDir('switchyard-gov-pg-');
  dirs.push(dir);
  const cfg = writeConfig(fs.readFileSync(config(dir, { refresh: 0.2 }).file, 'utf8')
    .replace(/database_url: .*/, `database_url: ${pg.url}`), dir);
  const gw1 = await startGateway({ configFile: cfg.file });
  const gw2 = await startGateway({ configFile: cfg.file });
  try {
    const probe = await newKey(gw1);
    const one = Number((await chat(gw1, probe)).headers['x-switchyard-cost']);
    // Admitted while spend is under the budget: after 0, 1 and 2 requests, not after 3.
    const key = await newKey(gw1, { max_budget: one * 2.5 });
    assert.equal((await chat(gw1, key)).status, 200);
    assert.equal((await chat(gw1, key)).status, 200);
    // gw2 learns the key and gw1's spend from the store within a refresh interval.
    const seen = await waitFor(async () => {
      const info = await admin(gw2, 'GET', `/key/info?key=${encodeURIComponent(key)}`);
      return info.status === 200 && info.json.info.spend >= 2 * one * 0.999 && info.json.info;
    });
    assert.ok(seen, 'gw2 sees the key and its spend');
    assert.equal((await chat(gw2, key)).status, 200);
    const over = await chat(gw2, key);
    assert.equal(over.status, 400, 'the budget is shared: 3 requests fit, not 4');
    const spend = await waitFor(async () => {
      const info = await keyInfo(gw1, key);
      return Math.abs(info.spend - 3 * one) < 1e-12 && info.spend;
    });
    assert.ok(spend, 'gw1 sees all three requests');
  } finally {
    await gw1.stop();
    await gw2.stop();
    pg.stop();
  }
});

test('PostgreSQL: a key created or blocked on one gateway is served or refused by another within 1 s (LISTEN/NOTIFY), with a 60 s timed refresh', async (t) => {
  const pg = await startPostgres();
  if (!pg) {
    t.skip('PostgreSQL server binaries not installed (scripts/setup.sh --test)');
    return;
  }
  const dir = makeTempDir('switchyard-gov-notify-');
  dirs.push(dir);
  const cfg = writeConfig(fs.readFileSync(config(dir, { refresh: 60 }).file, 'utf8')
    .replace(/database_url: .*/, `database_url: ${pg.url}`), dir);
  const gws = [await startGateway({ configFile: cfg.file }), await startGateway({ configFile: cfg.file })];
  try {
    // Served by the second gateway within 1 s of being created on the first.
    const key = await newKey(gws[0]);
    const created = Date.now();
    let served;
    while (Date.now() - created < 1000) {
      served = await chat(gws[1], key);
      if (served.status === 200) break;
      await sleep(20);
    }
    assert.equal(served.status, 200, `not served by gw2 within 1 s: ${served.text}`);
    t.diagnostic(`created on gw1, served by gw2 after ${Date.now() - created} ms`);
    // Refused by the second within 1 s of being blocked on the first.
    assert.equal((await admin(gws[0], 'POST', '/key/block', { key })).status, 200);
    const blocked = Date.now();
    let refused;
    while (Date.now() - blocked < 1000) {
      refused = await chat(gws[1], key);
      if (refused.status === 401) break;
      await sleep(20);
    }
    assert.equal(refused.status, 401, `still served by gw2 1 s after the block: ${refused.status}`);
    t.diagnostic(`blocked on gw1, refused by gw2 after ${Date.now() - blocked} ms`);
    // A deleted key too.
    const other = await newKey(gws[1]);
    assert.ok(await waitFor(async () => (await chat(gws[0], other)).status === 200,
      { timeoutMs: 1000, intervalMs: 20 }), 'a key created on gw2 is served by gw1 within 1 s');
    assert.equal((await admin(gws[1], 'POST', '/key/delete', { keys: [other] })).status, 200);
    assert.ok(await waitFor(async () => (await chat(gws[0], other)).status === 401,
      { timeoutMs: 1000, intervalMs: 20 }), 'a key deleted on gw2 is refused by gw1 within 1 s');
  } finally {
    for (const gw of gws) await gw.stop();
    pg.stop();
  }
});
