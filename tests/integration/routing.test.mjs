// Routing and reliability under injected faults: failover, retries honouring Retry-After,
// fallbacks, the circuit breaker and its recovery, time-to-first-token cut-offs, request-level
// `models` / `provider` choices, the routing headers and hedged requests. Each test starts its
// own mock upstreams (tools/mock-provider, with fault knobs) and gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  startMock, startGateway, writeConfig, closedPort, rawRequest, sleep, waitFor,
  assertOpenAIError, MASTER_KEY, makeTempDir,
} from './harness.mjs';

// One model_list entry on a mock; `extra` lines go into litellm_params (YAML flow mapping body).
function entry(group, port, { extra = '', headers } = {}) {
  const h = headers ? `, extra_headers: {${Object.entries(headers).map(([k, v]) => `"${k}": "${v}"`).join(', ')}}` : '';
  return `  - model_name: ${group}
    litellm_params: {model: openai/m-${group}, api_base: "http://127.0.0.1:${port}/v1", api_key: k${extra ? `, ${extra}` : ''}${h}}`;
}

async function stack(entries, { router = '', switchyardRouter = '', general = '' } = {}) {
  const yaml = `model_list:
${entries.join('\n')}
general_settings:
  master_key: ${MASTER_KEY}
${general}
router_settings:
  num_retries: 0
${router}
switchyard_settings:
  drain_timeout: 1
  router:
    backoff_base: 0.02
    backoff_max: 0.2
${switchyardRouter}
`;
  const cfg = writeConfig(yaml);
  const gw = await startGateway({ configFile: cfg.file });
  return {
    gw,
    cfg,
    async stop() {
      const running = gw.child.running;
      const res = await gw.stop('SIGTERM');
      fs.rmSync(cfg.dir, { recursive: true, force: true });
      assert.ok(running, `switchyard died during the test:\n${gw.child.tail()}`);
      assert.equal(res.code, 0, gw.child.tail());
    },
  };
}

const auth = { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' };

function chat(gw, model, { stream = false, extra = {}, timeoutMs = 15000 } = {}) {
  return rawRequest(gw.url, {
    path: '/v1/chat/completions',
    headers: auth,
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }], ...extra }),
    timeoutMs,
  });
}

async function health(gw) {
  const r = await rawRequest(gw.url, { method: 'GET', path: '/health', headers: auth });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const setFaults = (mock, faults) =>
  fetch(`${mock.url}/mock/faults`, { method: 'POST', body: JSON.stringify(faults) }).then((r) => r.arrayBuffer());

test('500s fail over to the healthy deployment, trip the breaker, and /health shows it', async () => {
  const bad = await startMock(['--error-rate', '1', '--error-status', '500']);
  const good = await startMock();
  const s = await stack([entry('chat', bad.port, { extra: 'order: 1' }), entry('chat', good.port, { extra: 'order: 2' })],
    { router: '  allowed_fails: 2\n  cooldown_time: 30' });
  try {
    for (let i = 0; i < 6; i++) {
      const r = await chat(s.gw, 'chat');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-deployment'], 'chat#1');
      assert.equal(r.headers['x-switchyard-api-base'], '127.0.0.1');
      assert.ok(Number(r.headers['x-switchyard-overhead-ms']) >= 0);
    }
    // Three failures (> allowed_fails 2) opened the breaker: the bad one is not asked again.
    assert.equal((await bad.stats()).requests, 3);
    const r = await chat(s.gw, 'chat');
    assert.equal(r.headers['x-switchyard-attempts'], '1');
    const h = await health(s.gw);
    const byId = Object.fromEntries(h.deployments.map((d) => [d.id, d]));
    assert.equal(byId['chat#0'].state, 'cooling_down');
    assert.equal(byId['chat#0'].last_error, 'upstream_server');
    assert.equal(byId['chat#1'].state, 'healthy');
    assert.equal(h.unhealthy_count, 1);
    assert.ok(!JSON.stringify(h).includes('api_key') && !JSON.stringify(h).includes('"k"'));
    const denied = await rawRequest(s.gw.url, { method: 'GET', path: '/health' });
    assert.equal(denied.status, 401);
  } finally {
    await s.stop();
    await bad.stop();
    await good.stop();
  }
});

test('429 with Retry-After is retried after the wait it asks for', async () => {
  const mock = await startMock();
  const s = await stack([entry('chat', mock.port)], { router: '  num_retries: 2\n  allowed_fails: 10' });
  try {
    await setFaults(mock, { status: 429, retry_after: 1 });
    const started = Date.now();
    const pending = chat(s.gw, 'chat');
    await sleep(300);
    await setFaults(mock, {});
    const r = await pending;
    assert.equal(r.status, 200, r.text);
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.equal(r.headers['x-switchyard-retries'], '1');
    assert.equal(r.headers['x-switchyard-attempts'], '2');
  } finally {
    await s.stop();
    await mock.stop();
  }
});

test('529/503 overloaded and connection refused fail over invisibly', async () => {
  const mock = await startMock();
  const dead = await closedPort();
  const s = await stack([
    entry('chat', mock.port, { extra: 'order: 1', headers: { 'x-mock-status': '529' } }),
    entry('chat', mock.port, { extra: 'order: 2', headers: { 'x-mock-status': '503' } }),
    entry('chat', dead, { extra: 'order: 3' }),
    entry('chat', mock.port, { extra: 'order: 4' }),
  ], { router: '  allowed_fails: 100' });
  try {
    for (const stream of [false, true]) {
      const r = await chat(s.gw, 'chat', { stream });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-deployment'], 'chat#3');
      assert.equal(r.headers['x-switchyard-attempts'], '4');
      assert.equal(r.headers['x-switchyard-retries'], '3');
      if (stream) assert.match(r.text, /data: \[DONE\]/);
    }
  } finally {
    await s.stop();
    await mock.stop();
  }
});

test('a stream with a slow first token is cut off and served elsewhere', async () => {
  const mock = await startMock();
  const s = await stack([
    entry('chat', mock.port, { extra: 'order: 1', headers: { 'x-mock-ttft-ms': '5000' } }),
    entry('chat', mock.port, { extra: 'order: 2' }),
  ], { router: '  allowed_fails: 100', switchyardRouter: '    stream_ttft_timeout: 0.4' });
  try {
    const started = Date.now();
    const r = await chat(s.gw, 'chat', { stream: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#1');
    assert.match(r.text, /data: \[DONE\]/);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  } finally {
    await s.stop();
    await mock.stop();
  }
});

test('a stream that breaks after its first bytes ends with an error event, not a retry', async () => {
  const mock = await startMock();
  const s = await stack([
    entry('chat', mock.port, { extra: 'order: 1', headers: { 'x-mock-disconnect-after': '2' } }),
    entry('chat', mock.port, { extra: 'order: 2' }),
  ], { router: '  allowed_fails: 100' });
  try {
    const r = await chat(s.gw, 'chat', { stream: true });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#0');
    assert.match(r.text, /"error"/);
    assert.doesNotMatch(r.text, /\[DONE\]/);
    const h = await health(s.gw);
    assert.equal(h.deployments.find((d) => d.id === 'chat#0').total_failures, 1);
  } finally {
    await s.stop();
    await mock.stop();
  }
});

test('a deployment that recovers gets traffic back after its cooldown (half-open probe)', async () => {
  const flaky = await startMock();
  const steady = await startMock();
  const s = await stack([entry('chat', flaky.port, { extra: 'order: 1' }), entry('chat', steady.port, { extra: 'order: 2' })],
    { router: '  allowed_fails: 0\n  cooldown_time: 1' });
  try {
    await setFaults(flaky, { status: 500 });
    let r = await chat(s.gw, 'chat');
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#1');
    r = await chat(s.gw, 'chat');
    assert.equal(r.headers['x-switchyard-attempts'], '1', 'cooling deployment skipped');
    assert.equal((await flaky.stats()).requests, 1);
    await setFaults(flaky, {});
    const back = await waitFor(async () => {
      const x = await chat(s.gw, 'chat');
      return x.headers['x-switchyard-deployment'] === 'chat#0' ? x : null;
    }, { timeoutMs: 4000, intervalMs: 100 });
    assert.ok(back, 'traffic returned to the recovered deployment');
    const h = await health(s.gw);
    assert.equal(h.deployments.find((d) => d.id === 'chat#0').state, 'healthy');
  } finally {
    await s.stop();
    await flaky.stop();
    await steady.stop();
  }
});

test('fallbacks to another group, and 429 with Retry-After once everything is cooling', async () => {
  const bad = await startMock(['--error-rate', '1', '--error-status', '500']);
  const bad2 = await startMock(['--error-rate', '1', '--error-status', '500']);
  const good = await startMock();
  // Two upstreams: identical entries would be one upstream, with one state.
  const s = await stack([entry('primary', bad.port), entry('backup', good.port),
    entry('lonely', bad.port), entry('lonely', bad2.port)],
    { router: '  allowed_fails: 0\n  cooldown_time: 30\n  fallbacks: [{primary: [backup]}]' });
  try {
    const r = await chat(s.gw, 'primary');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-switchyard-fallbacks'], '1');
    assert.equal(r.headers['x-switchyard-deployment'], 'backup#1');
    const first = await chat(s.gw, 'lonely');
    assert.equal(first.status, 502, first.text);
    assert.equal(first.headers['x-switchyard-attempts'], '2');
    assert.equal(first.headers['x-switchyard-retries'], '1');
    const cooling = await chat(s.gw, 'lonely');
    assert.equal(cooling.status, 429, cooling.text);
    assertOpenAIError(assert, cooling.json, { status: 429 });
    assert.equal(cooling.json.error.code, 'no_deployment_available');
    assert.ok(Number(cooling.headers['retry-after']) >= 29, cooling.headers['retry-after']);
  } finally {
    await s.stop();
    await bad.stop();
    await bad2.stop();
    await good.stop();
  }
});

test('request-level models list and provider preferences, stripped before the upstream', async () => {
  const bad = await startMock(['--error-rate', '1', '--error-status', '500']);
  const good = await startMock();
  const s = await stack([entry('primary', bad.port), entry('second', good.port), entry('second', good.port)],
    { router: '  allowed_fails: 100' });
  try {
    let r = await chat(s.gw, 'primary', { extra: { models: ['primary', 'second'] } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-switchyard-fallbacks'], '1');
    const sent = (await good.stats()).last_request.body;
    assert.equal(sent.models, undefined);
    assert.equal(sent.provider, undefined);
    for (let i = 0; i < 5; i++) {
      r = await chat(s.gw, 'second', { extra: { provider: { only: ['second#2'] } } });
      assert.equal(r.headers['x-switchyard-deployment'], 'second#2');
    }
    r = await chat(s.gw, 'second', { extra: { provider: { ignore: ['openai'] } } });
    assert.equal(r.status, 404, r.text);
    assert.equal(r.json.error.code, 'no_deployment_matches');
    r = await chat(s.gw, 'second', { extra: { provider: { sort: 'fastest' } } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.param, 'provider.sort');
  } finally {
    await s.stop();
    await bad.stop();
    await good.stop();
  }
});

test('background health checks cool a failing deployment down without traffic, and bring it back', async () => {
  const flaky = await startMock();
  const steady = await startMock();
  await setFaults(flaky, { status: 500 });
  const s = await stack([entry('chat', flaky.port, { extra: 'order: 1' }), entry('chat', steady.port, { extra: 'order: 2' })], {
    router: '  allowed_fails: 0\n  cooldown_time: 60',
    general: '  background_health_checks: true\n  health_check_interval: 0.2',
  });
  try {
    const stateOf = async () => (await health(s.gw)).deployments.find((d) => d.id === 'chat#0').state;
    assert.ok(await waitFor(async () => (await stateOf()) === 'cooling_down', { timeoutMs: 5000 }),
      'the failing deployment cooled down from its checks alone');
    let r = await chat(s.gw, 'chat');
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#1');
    assert.equal(r.headers['x-switchyard-attempts'], '1');
    await setFaults(flaky, {});
    assert.ok(await waitFor(async () => (await stateOf()) === 'healthy', { timeoutMs: 5000 }),
      'a passing check ended the 60 s cooldown early');
    // Only the checks reached it meanwhile: one-token requests.
    assert.equal((await flaky.stats()).last_request.body.max_tokens, 1);
    r = await chat(s.gw, 'chat');
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#0');
  } finally {
    await s.stop();
    await flaky.stop();
    await steady.stop();
  }
});

test('deployment state survives a config reload (SIGHUP): a cooling deployment stays cooling', async () => {
  const bad = await startMock(['--error-rate', '1', '--error-status', '500']);
  const good = await startMock();
  const entries = [entry('chat', bad.port, { extra: 'order: 1' }), entry('chat', good.port, { extra: 'order: 2' })];
  const s = await stack(entries, { router: '  allowed_fails: 0\n  cooldown_time: 60' });
  try {
    let r = await chat(s.gw, 'chat');
    assert.equal(r.headers['x-switchyard-attempts'], '2');
    const yaml = fs.readFileSync(s.cfg.file, 'utf8').replace('model_list:\n',
      `model_list:\n${entry('added', good.port)}\n`);
    fs.writeFileSync(s.cfg.file, yaml);
    s.gw.child.proc.kill('SIGHUP');
    assert.ok(await waitFor(() => s.gw.child.stderr.includes('config reloaded'), { timeoutMs: 5000 }),
      s.gw.child.tail());
    const h = await health(s.gw);
    assert.ok(h.deployments.some((d) => d.id === 'added#0'), 'the new config is served');
    // Ids moved with the new entry in front (the bad one is chat#1 now); its state moved along.
    assert.equal(h.deployments.find((d) => d.id === 'chat#1').state, 'cooling_down');
    assert.equal(h.deployments.find((d) => d.id === 'chat#2').state, 'healthy');
    r = await chat(s.gw, 'chat');
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#2');
    assert.equal(r.headers['x-switchyard-attempts'], '1');
    assert.equal((await bad.stats()).requests, 1);
    r = await chat(s.gw, 'added');
    assert.equal(r.status, 200);
  } finally {
    await s.stop();
    await bad.stop();
    await good.stop();
  }
});

test('deployments at their rpm or max_parallel_requests are skipped; 429 with Retry-After when all are', async () => {
  const mock = await startMock();
  const s = await stack([
    entry('limited', mock.port, { extra: 'rpm: 1' }),
    entry('narrow', mock.port, { extra: 'max_parallel_requests: 1', headers: { 'x-mock-latency-ms': '600' } }),
    entry('narrow', mock.port, { extra: 'max_parallel_requests: 1, api_version: other', headers: { 'x-mock-latency-ms': '600' } }),
  ]);
  try {
    assert.equal((await chat(s.gw, 'limited')).status, 200);
    const r = await chat(s.gw, 'limited');
    assert.equal(r.status, 429, r.text);
    assert.equal(r.json.error.code, 'no_deployment_available');
    const wait = Number(r.headers['retry-after']);
    assert.ok(wait >= 1 && wait <= 60, `retry-after ${wait}`);
    // Two slots in the group: two requests at once are served by one deployment each, a third
    // finds both busy.
    const [a, b, c] = await Promise.all([chat(s.gw, 'narrow'), chat(s.gw, 'narrow'),
      sleep(150).then(() => chat(s.gw, 'narrow'))]);
    assert.deepEqual([a.status, b.status].sort(), [200, 200]);
    assert.notEqual(a.headers['x-switchyard-deployment'], b.headers['x-switchyard-deployment']);
    assert.equal(c.status, 429, c.text);
  } finally {
    await s.stop();
    await mock.stop();
  }
});

// Hedged requests: two mocks per test so that each deployment's upstream counters are its own.
const hedging = (spec, group = 'chat') => `    hedging:\n      ${group}: ${spec}`;
const deployment = (h, id) => h.deployments.find((d) => d.id === id);

// Sends a chat request and closes the connection after `ms` without reading the answer.
function chatThenHangUp(gw, ms) {
  const u = new URL(gw.url);
  const body = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
  return new Promise((resolve) => {
    const req = http.request({
      host: u.hostname, port: u.port, method: 'POST', path: '/v1/chat/completions', agent: false,
      headers: { ...auth, 'content-length': String(Buffer.byteLength(body)) },
    }, (res) => res.resume());
    req.on('error', () => {});
    req.end(body);
    setTimeout(() => { req.destroy(); resolve(); }, ms);
  });
}

test('hedging: a slow first deployment is raced by the next one, which answers; the slow one is cut', async () => {
  const slow = await startMock(['--latency-ms', '4000']);
  const fast = await startMock(['--latency-ms', '100']);
  const s = await stack([entry('chat', slow.port, { extra: 'order: 1' }), entry('chat', fast.port, { extra: 'order: 2' })],
    { switchyardRouter: hedging('{delay: 0.3}') });
  try {
    const started = Date.now();
    const r = await chat(s.gw, 'chat');
    const took = Date.now() - started;
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.object, 'chat.completion');
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#1');
    assert.equal(r.headers['x-switchyard-hedged'], 'true');
    assert.equal(r.headers['x-switchyard-attempts'], '2');
    assert.equal(r.headers['x-switchyard-retries'], '0');
    // About delay + the fast answer, far from the slow one's 4 s.
    assert.ok(took >= 380 && took < 2500, `took ${took} ms`);
    // The slow upstream saw its connection closed while it was still preparing the answer.
    const cut = await waitFor(async () => (await slow.stats()).abandoned_requests === 1, { timeoutMs: 2000 });
    assert.ok(cut, JSON.stringify(await slow.stats()));
    const h = await health(s.gw);
    assert.equal(deployment(h, 'chat#0').total_failures, 0, 'the loser is not a failure');
    assert.equal(deployment(h, 'chat#0').in_flight, 0);
    assert.equal(deployment(h, 'chat#1').in_flight, 0);
    assert.equal(deployment(h, 'chat#0').state, 'healthy');
    const metrics = await (await fetch(`${s.gw.url}/metrics`)).text();
    assert.match(metrics, /\nswitchyard_hedges_total\{model_group="chat"\} 1\n/);
  } finally {
    await s.stop();
    await slow.stop();
    await fast.stop();
  }
});

test('hedging: a stream whose first content is late is raced; one clean stream reaches the client', async () => {
  // The slow upstream sends its headers and role event at once, then stalls before any content.
  const slow = await startMock(['--ttft-ms', '4000']);
  const fast = await startMock(['--latency-ms', '50']);
  const s = await stack([entry('chat', slow.port, { extra: 'order: 1' }), entry('chat', fast.port, { extra: 'order: 2' })],
    { switchyardRouter: hedging('{delay: 0.3}') });
  try {
    const started = Date.now();
    const r = await chat(s.gw, 'chat', { stream: true });
    const took = Date.now() - started;
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#1');
    assert.equal(r.headers['x-switchyard-hedged'], 'true');
    assert.equal(r.text.match(/data: \[DONE\]/g)?.length, 1, r.text);
    const ids = new Set([...r.text.matchAll(/"id":"([^"]+)"/g)].map((m) => m[1]));
    assert.equal(ids.size, 1, `events of one upstream only: ${[...ids]}`);
    assert.equal(r.text.match(/"role":"assistant"/g)?.length, 1, 'one opening event');
    assert.ok(took >= 330 && took < 2500, `took ${took} ms`);
    const cut = await waitFor(async () => (await slow.stats()).aborted_streams === 1, { timeoutMs: 2000 });
    assert.ok(cut, JSON.stringify(await slow.stats()));
    assert.equal((await fast.stats()).completed_streams, 1);
  } finally {
    await s.stop();
    await slow.stop();
    await fast.stop();
  }
});

test('hedging: off for a group, or a first answer within the delay, sends no second request', async () => {
  const first = await startMock(['--latency-ms', '600']);
  const second = await startMock();
  const s = await stack([
    entry('chat', first.port, { extra: 'order: 1' }), entry('chat', second.port, { extra: 'order: 2' }),
    entry('plain', first.port, { extra: 'order: 1' }), entry('plain', second.port, { extra: 'order: 2' }),
  ], { switchyardRouter: hedging('{delay: 2}') });
  try {
    // Deployment ids number the whole model_list.
    for (const [model, firstId] of [['plain', 'plain#2'], ['chat', 'chat#0']]) {
      const r = await chat(s.gw, model);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['x-switchyard-deployment'], firstId);
      assert.equal(r.headers['x-switchyard-hedged'], undefined);
      assert.equal(r.headers['x-switchyard-attempts'], '1');
    }
    assert.equal((await second.stats()).requests, 0);
    assert.equal((await first.stats()).requests, 2);
  } finally {
    await s.stop();
    await first.stop();
    await second.stop();
  }
});

test('hedging: a failing hedge leaves the first attempt to answer', async () => {
  const slow = await startMock(['--latency-ms', '800']);
  const broken = await startMock(['--error-rate', '1', '--error-status', '500']);
  const s = await stack([entry('chat', slow.port, { extra: 'order: 1' }), entry('chat', broken.port, { extra: 'order: 2' })],
    { switchyardRouter: hedging('{delay: 0.2}') });
  try {
    const started = Date.now();
    const r = await chat(s.gw, 'chat', { stream: true });
    const took = Date.now() - started;
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#0');
    assert.equal(r.headers['x-switchyard-hedged'], 'true');
    assert.match(r.text, /data: \[DONE\]/);
    assert.ok(took >= 780, `took ${took} ms`);
    assert.equal((await broken.stats()).requests, 1);
    const h = await health(s.gw);
    assert.equal(deployment(h, 'chat#1').total_failures, 1);
    assert.equal(deployment(h, 'chat#0').total_failures, 0);
  } finally {
    await s.stop();
    await slow.stop();
    await broken.stop();
  }
});

test('hedging: when both racers fail, the plan goes on to the next deployment', async () => {
  const slowBroken = await startMock(['--latency-ms', '500', '--error-rate', '1', '--error-status', '503']);
  const broken = await startMock(['--error-rate', '1', '--error-status', '500']);
  const good = await startMock();
  const s = await stack([
    entry('chat', slowBroken.port, { extra: 'order: 1' }), entry('chat', broken.port, { extra: 'order: 2' }),
    entry('chat', good.port, { extra: 'order: 3' }),
  ], { router: '  allowed_fails: 100', switchyardRouter: hedging('{delay: 0.1}') });
  try {
    const r = await chat(s.gw, 'chat');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#2');
    assert.equal(r.headers['x-switchyard-attempts'], '3');
    assert.equal(r.headers['x-switchyard-hedged'], 'true');
    for (const m of [slowBroken, broken, good]) assert.equal((await m.stats()).requests, 1);
    const h = await health(s.gw);
    assert.equal(deployment(h, 'chat#0').total_failures, 1);
    assert.equal(deployment(h, 'chat#1').total_failures, 1);
    for (const id of ['chat#0', 'chat#1', 'chat#2']) assert.equal(deployment(h, id).in_flight, 0);
  } finally {
    await s.stop();
    for (const m of [slowBroken, broken, good]) await m.stop();
  }
});

test('hedging: a client that leaves during the race aborts both upstream requests', async () => {
  const a = await startMock(['--latency-ms', '4000']);
  const b = await startMock(['--latency-ms', '4000']);
  const s = await stack([entry('chat', a.port, { extra: 'order: 1' }), entry('chat', b.port, { extra: 'order: 2' })],
    { switchyardRouter: hedging('{delay: 0.2}') });
  try {
    await chatThenHangUp(s.gw, 700);
    for (const m of [a, b]) {
      const cut = await waitFor(async () => (await m.stats()).abandoned_requests === 1, { timeoutMs: 2000 });
      assert.ok(cut, JSON.stringify(await m.stats()));
    }
    const h = await health(s.gw);
    for (const id of ['chat#0', 'chat#1']) {
      assert.equal(deployment(h, id).in_flight, 0);
      assert.equal(deployment(h, id).total_failures, 0);
    }
  } finally {
    await s.stop();
    await a.stop();
    await b.stop();
  }
});

test('hedging: latency_factor waits for latency history, then hedges after factor × the average', async () => {
  const first = await startMock(['--latency-ms', '100']);
  const second = await startMock();
  const s = await stack([entry('chat', first.port, { extra: 'order: 1' }), entry('chat', second.port, { extra: 'order: 2' })],
    { switchyardRouter: hedging('{latency_factor: 2, min_delay: 0.05}') });
  try {
    let r = await chat(s.gw, 'chat');
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#0', 'no history: no hedge');
    assert.equal(r.headers['x-switchyard-hedged'], undefined);
    await setFaults(first, { latency_ms: 3000 });
    const started = Date.now();
    r = await chat(s.gw, 'chat');
    const took = Date.now() - started;
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-switchyard-deployment'], 'chat#1');
    assert.equal(r.headers['x-switchyard-hedged'], 'true');
    // The average is one ~100 ms sample: the hedge starts after ~200 ms.
    assert.ok(took >= 190 && took < 1500, `took ${took} ms`);
    const h = await health(s.gw);
    assert.ok(deployment(h, 'chat#0').latency_ms < 1000, 'the abandoned attempt teaches no latency');
  } finally {
    await s.stop();
    await first.stop();
    await second.stop();
  }
});

test('hedging: only the answering deployment\'s usage is charged to the key', async () => {
  // The loser would report far more tokens, had it been allowed to finish.
  const slow = await startMock(['--ttft-ms', '4000', '--completion-tokens', '500']);
  const fast = await startMock(['--completion-tokens', '7']);
  const dir = makeTempDir('switchyard-hedge-');
  // A group named after a model of the price data, so that the spend has a price.
  const group = 'gpt-4o-mini';
  const s = await stack([
    entry(group, slow.port, { extra: 'order: 1' }), entry(group, fast.port, { extra: 'order: 2' }),
  ], { general: `  database_url: sqlite://${path.join(dir, 'spend.db')}`, switchyardRouter: hedging('{delay: 0.3}', group) });
  try {
    const generated = await rawRequest(s.gw.url, { path: '/key/generate', headers: auth, body: '{"key_alias":"hedged"}' });
    assert.equal(generated.status, 200, generated.text);
    const key = generated.json.key;
    const r = await rawRequest(s.gw.url, {
      path: '/v1/chat/completions',
      headers: { ...auth, authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: group, stream: true, stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-switchyard-hedged'], 'true');
    assert.match(r.text, /"completion_tokens":7\b/);
    const logs = await waitFor(async () => {
      const l = await rawRequest(s.gw.url, { method: 'GET', path: '/spend/logs?limit=100', headers: auth });
      return Array.isArray(l.json) && l.json.length === 1 && l.json;
    });
    assert.ok(logs, 'one spend-log row');
    const [row] = logs;
    assert.equal(row.model_id, `${group}#1`);
    assert.equal(row.completion_tokens, 7);
    // gpt-4o-mini's list price, as in data/model_prices.json.
    assert.ok(row.metadata.cost_known, JSON.stringify(row));
    assert.ok(Math.abs(row.spend - (row.prompt_tokens * 1.5e-7 + 7 * 6e-7)) < 1e-12, JSON.stringify(row));
  } finally {
    await s.stop();
    await slow.stop();
    await fast.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
