// Three gateway processes on one PostgreSQL and one Redis behind a round-robin front, configured
// the LiteLLM way (router_settings.redis_host / redis_port, general_settings.database_url): one
// set of limits, budgets and cooldowns for all three, and per-instance limits while Redis is
// down (docs/scale-out.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  MASTER_KEY, closedPort, makeTempDir, rawRequest, runSwitchyard, sleep, startGateway, startMock,
  waitFor,
} from './harness.mjs';
import { startPostgres, startRedis } from './servers.mjs';

let mock, pg, redis, gws = [], front, dir, configText;
const configFiles = [];

// The front: each request to the next gateway in turn, as haproxy's roundrobin does.
function startFront(backends) {
  let next = 0;
  const server = http.createServer((req, res) => {
    const target = backends[next++ % backends.length];
    const up = http.request({ host: '127.0.0.1', port: target.port, method: req.method,
      path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  })));
}

function admin(url, method, p, body) {
  return rawRequest(url, {
    method, path: p, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
  });
}

// A paced stream (about 0.4 s), checked to be complete: content, then [DONE].
async function completeStream(url, model) {
  const r = await rawRequest(url, {
    path: '/v1/chat/completions', timeoutMs: 20000,
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'roll' }],
      mock: { completion_tokens: 12, tokens_per_second: 30 } }),
  });
  return r.status === 200 && r.text.trimEnd().endsWith('data: [DONE]') && r.text.includes('"content"');
}

function chat(url, key, model = 'gpt-4o-mini') {
  return rawRequest(url, {
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] }),
  });
}

async function newKey(body) {
  const r = await admin(gws[0].url, 'POST', '/key/generate', body);
  assert.equal(r.status, 200, r.text);
  return r.json.key;
}

// Each gateway knows the key (LISTEN/NOTIFY carries it within milliseconds).
async function knownEverywhere(key) {
  for (const gw of gws) {
    const ok = await waitFor(async () => {
      const r = await admin(gw.url, 'GET', `/key/info?key=${encodeURIComponent(key)}`);
      return r.status === 200;
    }, { timeoutMs: 3000 });
    assert.ok(ok, 'the key reaches every instance');
  }
}

async function metric(gw, name) {
  const r = await rawRequest(gw.url, { method: 'GET', path: '/metrics' });
  const line = r.text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

before(async () => {
  pg = await startPostgres();
  redis = await startRedis();
  if (!pg || !redis) return;
  mock = await startMock();
  const dead = await closedPort();
  dir = makeTempDir('switchyard-scale-');
  configText = `model_list:
  - model_name: gpt-4o-mini
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k}
  - model_name: flaky
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${dead}/v1", api_key: k}
    model_info: {id: flaky-dead}
  - model_name: flaky
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k}
    model_info: {id: flaky-live}
router_settings:
  redis_host: 127.0.0.1
  redis_port: ${redis.port}
  allowed_fails: 0
  cooldown_time: 60
general_settings:
  master_key: ${MASTER_KEY}
  database_url: ${pg.url}
switchyard_settings:
  store_refresh_interval: 60
  shared_limits: {expected_instances: 3, sync_interval: 0.02}
`;
  // A config file per instance, as each host has its own copy: a rollout changes them in turn.
  for (let i = 0; i < 3; i++) {
    const file = path.join(dir, `config-${i}.yaml`);
    fs.writeFileSync(file, configText);
    configFiles.push(file);
    gws.push(await startGateway({ configFile: file }));
  }
  front = await startFront(gws);
});

after(async () => {
  await front?.close();
  for (const gw of gws) await gw.stop();
  await mock?.stop();
  await redis?.remove();
  pg?.stop();
});

const skip = (t) => {
  if (pg && redis) return false;
  t.skip('PostgreSQL or redis-server not installed (scripts/setup.sh --test)');
  return true;
};

test('a key with rpm_limit 100 gets at most 100 successes a minute across three instances', async (t) => {
  if (skip(t)) return;
  // One minute window for the whole run: not started in a minute's last 20 s.
  if (Date.now() % 60000 > 40000) await sleep(60000 - (Date.now() % 60000) + 100);
  const key = await newKey({ rpm_limit: 100 });
  await knownEverywhere(key);
  const statuses = [];
  // 10 clients in parallel through the front, 150 requests in all.
  let sent = 0;
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (sent < 150) {
      sent++;
      statuses.push((await chat(front.url, key)).status);
    }
  }));
  const ok = statuses.filter((s) => s === 200).length;
  const limited = statuses.filter((s) => s === 429).length;
  assert.equal(ok + limited, 150, `only 200 and 429: ${statuses}`);
  t.diagnostic(`${ok} of 150 admitted against rpm_limit 100`);
  assert.ok(ok <= 100, `${ok} successes: never past the limit`);
  // The documented bound below the limit: what other instances still hold in their leases
  // (two slices of 100 / (4 x 3) = 8).
  assert.ok(ok >= 100 - 2 * 8, `${ok} successes`);
});

test('a team budget spent through one instance stops all three', async (t) => {
  if (skip(t)) return;
  const team = await admin(gws[0].url, 'POST', '/team/new', { team_alias: 'scale', max_budget: 1e-9 });
  assert.equal(team.status, 200, team.text);
  const key = await newKey({ team_id: team.json.team_id });
  await knownEverywhere(key);
  assert.equal((await chat(gws[0].url, key)).status, 200);
  for (const gw of gws) {
    const refused = await waitFor(async () => {
      const r = await chat(gw.url, key);
      return r.status === 400 && /budget/i.test(r.text);
    }, { timeoutMs: 1500 });
    assert.ok(refused, `instance ${gw.port} refuses the spent team`);
  }
});

test('a deployment cooled down by failures on one instance is skipped by the others', async (t) => {
  if (skip(t)) return;
  // Until the shuffle picks the dead deployment once on the first instance: it cools down.
  const tripped = await waitFor(async () => {
    await chat(gws[0].url, MASTER_KEY, 'flaky');
    return (await metric(gws[0], 'switchyard_deployment_state{deployment="flaky#1",model_group="flaky",state="cooling_down"}')) === 1;
  }, { timeoutMs: 10000, intervalMs: 10 });
  assert.ok(tripped, 'the dead deployment cools down on the first instance');
  for (const gw of gws.slice(1)) {
    const seen = await waitFor(async () =>
      (await metric(gw, 'switchyard_deployment_state{deployment="flaky#1",model_group="flaky",state="cooling_down"}')) === 1,
    { timeoutMs: 1000 });
    if (!seen) {
      const r = await rawRequest(gw.url, { method: 'GET', path: '/metrics' });
      const lines = r.text.split('\n').filter((l) => /^switchyard_(deployment_state|shared)/.test(l));
      assert.fail(`instance ${gw.port} skips it too:\n${lines.join('\n')}`);
    }
    const failures = await metric(gw, 'switchyard_deployment_failures_total{deployment="flaky#1"}');
    assert.equal(failures, 0, 'without having failed on it itself');
  }
});

test('a key blocked on one instance is refused by the other two within 1 s', async (t) => {
  if (skip(t)) return;
  const key = await newKey({});
  await knownEverywhere(key);
  const block = await admin(gws[0].url, 'POST', '/key/block', { key });
  assert.equal(block.status, 200, block.text);
  const start = Date.now();
  for (const gw of gws.slice(1)) {
    const refused = await waitFor(async () => (await chat(gw.url, key)).status === 401,
      { timeoutMs: 1000, intervalMs: 20 });
    assert.ok(refused, `instance ${gw.port} refuses the blocked key`);
  }
  assert.ok(Date.now() - start < 1500);
});

test('Redis killed: service goes on with per-instance limits; Redis back: shared again', async (t) => {
  if (skip(t)) return;
  const key = await newKey({ rpm_limit: 30 });
  await knownEverywhere(key);
  await redis.stop();
  for (const gw of gws) {
    assert.ok(await waitFor(async () => (await metric(gw, 'switchyard_shared_limits_up')) === 0,
      { timeoutMs: 3000 }), 'each instance notices the outage');
  }
  // 30 / 3 instances = 10 on each: 30 in all through the front, none hangs or errors.
  const statuses = [];
  for (let i = 0; i < 45; i++) statuses.push((await chat(front.url, key)).status);
  assert.equal(statuses.filter((s) => s === 200).length, 30, `${statuses}`);
  assert.equal(statuses.filter((s) => s === 429).length, 15);
  await redis.start();
  for (const gw of gws) {
    assert.ok(await waitFor(async () => (await metric(gw, 'switchyard_shared_limits_up')) === 1,
      { timeoutMs: 4000 }), 'each instance shares again');
  }
  assert.equal((await chat(front.url, MASTER_KEY)).status, 200);
});

test('a config rolled out one instance at a time: streams through the front all finish, each instance serves the new config after its reload', async (t) => {
  if (skip(t)) return;
  // The new config adds a model group; check-config is the pre-flight of each step.
  const next = configText.replace('model_list:\n', `model_list:
  - model_name: rolled
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k}
`);
  const candidate = path.join(dir, 'candidate.yaml');
  fs.writeFileSync(candidate, next);
  const preflight = runSwitchyard(['check-config', candidate]);
  assert.equal(preflight.code, 0, preflight.stderr);
  let rolling = true;
  const outcomes = [];
  const load = Array.from({ length: 4 }, async () => {
    while (rolling) outcomes.push(await completeStream(front.url, 'gpt-4o-mini'));
  });
  for (let i = 0; i < gws.length; i++) {
    const before = gws[i].child.stderr.split('config reloaded from').length;
    // Renamed into place, so that the reload never reads half a file.
    fs.writeFileSync(`${configFiles[i]}.tmp`, next);
    fs.renameSync(`${configFiles[i]}.tmp`, configFiles[i]);
    gws[i].child.proc.kill('SIGHUP');
    assert.ok(await waitFor(() => gws[i].child.stderr.split('config reloaded from').length > before,
      { timeoutMs: 5000, intervalMs: 20 }), `instance ${gws[i].port} reloads`);
    assert.ok(await completeStream(gws[i].url, 'rolled'), `instance ${gws[i].port} serves the new group`);
    for (const other of gws.slice(i + 1)) {
      assert.equal((await chat(other.url, MASTER_KEY, 'rolled')).status, 404,
        'an instance not rolled yet still serves the old config');
    }
    await sleep(300);  // streams in flight across the reload
  }
  rolling = false;
  await Promise.all(load);
  assert.ok(outcomes.length >= 8, `${outcomes.length} streams`);
  assert.equal(outcomes.filter((ok) => !ok).length, 0, 'every stream finished');
  assert.equal((await chat(front.url, MASTER_KEY)).status, 200);
});
