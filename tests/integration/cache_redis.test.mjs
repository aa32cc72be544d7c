// The response cache's Redis level (cache_params.type: redis) through the real binaries and the
// official openai SDK: two gateway processes on one redis-server and one PostgreSQL (for the
// virtual keys both know). An answer fetched through A is a hit on B without an upstream call
// (the mock provider counts what it received), two virtual keys never share an entry, DELETE
// /cache reaches Redis, and a redis-server killed mid-run makes misses with 200s and no hang,
// then hits again once it is back. A is configured with host/port, B the LiteLLM way through
// REDIS_HOST / REDIS_PORT in its environment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  MASTER_KEY, MOCK_KEY, cleanEnv, makeTempDir, rawRequest, sdkClient, startGateway, startMock,
  waitFor, writeConfig,
} from './harness.mjs';
import { startPostgres, startRedis } from './servers.mjs';

let mock, pg, a, b;
// One redis-server for the file (null when it is not installed); after() removes it.
const redis = await startRedis();

const config = (redisLines) => `model_list:
  - model_name: gpt-4o-mini
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k}
general_settings:
  master_key: ${MASTER_KEY}
  database_url: ${pg.url}
litellm_settings:
  cache: true
  cache_params:
    type: redis
${redisLines}
    socket_timeout: 0.2
    ttl: 600
switchyard_settings:
  store_refresh_interval: 60
  cache: {max_size_mb: 16}
`;

before(async () => {
  pg = await startPostgres();
  if (!pg || !redis) return;
  mock = await startMock();
  const dir = makeTempDir('switchyard-cache-redis-');
  const withHost = writeConfig(config(`    host: 127.0.0.1\n    port: ${redis.port}`), dir);
  a = await startGateway({ configFile: withHost.file });
  const fromEnv = writeConfig(config(''), makeTempDir('switchyard-cache-redis-b-'));
  b = await startGateway({
    configFile: fromEnv.file,
    env: cleanEnv({ MOCK_KEY, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redis.port) }),
  });
});

after(async () => {
  if (a) await a.stop();
  if (b) await b.stop();
  await mock?.stop();
  pg?.stop();
  await redis?.remove();
});

const skip = (t) => {
  if (pg && redis) return false;
  t.skip('PostgreSQL or redis-server not installed (scripts/setup.sh --test)');
  return true;
};

let unique = 0;
const prompt = (label) => `redis cache test ${label} ${++unique} ${Date.now()}`;
const upstreamRequests = async () => (await mock.stats()).requests;

async function chat(gw, content, { key = MASTER_KEY, stream = false } = {}) {
  const client = sdkClient(`${gw.url}/v1`, key);
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], max_tokens: 16 };
  const started = Date.now();
  if (!stream) {
    const { data, response } = await client.chat.completions.create(body).withResponse();
    return {
      text: data.choices[0].message.content, data, ms: Date.now() - started,
      cache: response.headers.get('x-switchyard-cache'),
      level: response.headers.get('x-switchyard-cache-level'),
    };
  }
  const { data: s, response } = await client.chat.completions
    .create({ ...body, stream: true, stream_options: { include_usage: true } }).withResponse();
  const chunks = [];
  for await (const c of s) chunks.push(c);
  return {
    text: chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), chunks,
    cache: response.headers.get('x-switchyard-cache'),
    level: response.headers.get('x-switchyard-cache-level'),
  };
}

function admin(gw, method, p, body) {
  return rawRequest(gw.url, {
    method, path: p, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
  });
}

async function metric(gw, name) {
  const r = await rawRequest(gw.url, { method: 'GET', path: '/metrics' });
  const line = r.text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

// One command to the redis-server, as the test's own client: the integer answer (DBSIZE).
function redisInteger(...args) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: redis.port }, () => {
      s.write(`*${args.length}\r\n${args.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`);
    });
    s.on('data', (d) => {
      s.destroy();
      const text = d.toString();
      if (text.startsWith(':')) resolve(Number(text.slice(1)));
      else reject(new Error(`redis: ${text}`));
    });
    s.on('error', reject);
  });
}

// A kept answer goes to Redis right after the client got it (the store does not hold up the
// answer): wait until Redis holds `n` more keys than `before`.
async function inRedis(before, n = 1) {
  assert.ok(await waitFor(async () => (await redisInteger('DBSIZE')) >= before + n,
    { timeoutMs: 3000, intervalMs: 20 }), 'the answer reached Redis');
}

async function hitOn(gw, content, opts) {
  const r = await chat(gw, content, opts);
  assert.equal(r.cache, 'hit');
  return r;
}

test('an answer fetched through A is a hit on B, from Redis, then from B\'s memory', async (t) => {
  if (skip(t)) return;
  const p = prompt('shared');
  const before = await upstreamRequests();
  let keys = await redisInteger('DBSIZE');
  const first = await chat(a, p);
  assert.equal(first.cache, 'miss');
  await inRedis(keys);
  const onB = await hitOn(b, p);
  assert.equal(onB.level, 'redis');
  assert.equal(onB.text, first.text);
  assert.equal(onB.data.usage.prompt_tokens, first.data.usage.prompt_tokens);
  assert.equal(onB.data.usage.prompt_tokens_details?.cached_tokens, first.data.usage.prompt_tokens);
  const again = await chat(b, p);
  assert.equal(again.cache, 'hit');
  assert.equal(again.level, 'memory', 'a Redis hit fills the memory level');
  // A whole answer filled on A replays as a stream on B, with the live chunk structure.
  const p2 = prompt('stream');
  keys = await redisInteger('DBSIZE');
  const whole = await chat(a, p2);
  await inRedis(keys);
  const streamed = await chat(b, p2, { stream: true });
  assert.equal(streamed.cache, 'hit');
  assert.equal(streamed.level, 'redis');
  assert.equal(streamed.text, whole.text);
  assert.ok(streamed.chunks.find((c) => c.usage), 'the replayed stream carries usage');
  assert.equal(await upstreamRequests() - before, 2, 'B never called the upstream');

  const stats = await admin(b, 'GET', '/cache/stats');
  assert.equal(stats.status, 200, stats.text);
  assert.equal(stats.json.type, 'redis');
  assert.ok(stats.json.redis.hits >= 2, stats.text);
  assert.equal(stats.json.redis.up, true);
  assert.ok(await metric(b, 'switchyard_cache_redis_lookups_total{result="hit"}') >= 2);
});

test('two virtual keys never share an entry, across instances either', async (t) => {
  if (skip(t)) return;
  const keys = [];
  for (const alias of ['redis-cache-a', 'redis-cache-b']) {
    const r = await admin(a, 'POST', '/key/generate', { key_alias: alias });
    assert.equal(r.status, 200, r.text);
    keys.push(r.json.key);
  }
  // B learns of keys made on A through PostgreSQL.
  for (const key of keys) {
    assert.ok(await waitFor(async () => (await admin(b, 'GET',
      `/key/info?key=${encodeURIComponent(key)}`)).status === 200, { timeoutMs: 5000 }));
  }
  const p = prompt('tenants');
  const before = await upstreamRequests();
  const stored = await redisInteger('DBSIZE');
  assert.equal((await chat(a, p, { key: keys[0] })).cache, 'miss');
  await inRedis(stored);
  const hit = await hitOn(b, p, { key: keys[0] });
  assert.equal(hit.level, 'redis');
  assert.equal((await chat(b, p, { key: keys[1] })).cache, 'miss', 'key b never gets key a\'s answer');
  assert.equal((await chat(a, p)).cache, 'miss', 'nor does the master key');
  assert.equal(await upstreamRequests() - before, 3);

  // The hit is in B's spend log as a cache hit that cost nothing.
  const logs = await waitFor(async () => {
    const r = await admin(b, 'GET', `/spend/logs?api_key=${encodeURIComponent(keys[0])}`);
    return r.status === 200 && r.json.some((l) => l.cache_hit === 'True') && r.json;
  }, { timeoutMs: 5000 });
  assert.ok(logs, 'a cache-hit row for key a');
  assert.equal(logs.find((l) => l.cache_hit === 'True').spend, 0);
});

test('DELETE /cache on one instance deletes the namespace\'s entries in Redis', async (t) => {
  if (skip(t)) return;
  const p = prompt('flush');
  const p2 = prompt('flush-unseen');
  const stored = await redisInteger('DBSIZE');
  await chat(a, p);
  await chat(a, p2);
  await inRedis(stored, 2);
  await hitOn(b, p);
  const flushed = await admin(a, 'DELETE', '/cache?namespace=default');
  assert.equal(flushed.status, 200, flushed.text);
  assert.ok(flushed.json.deleted_redis >= 2, flushed.text);
  assert.ok(flushed.json.deleted_memory >= 2, flushed.text);
  assert.equal(flushed.json.deleted, flushed.json.deleted_redis + flushed.json.deleted_memory);
  const before = await upstreamRequests();
  assert.equal((await chat(b, p2)).cache, 'miss', 'gone from Redis (B never held it)');
  assert.equal((await chat(a, p)).cache, 'miss', 'gone from A\'s memory and from Redis');
  assert.equal(await upstreamRequests() - before, 2);
  // Another instance's memory keeps its copy: DELETE /cache flushes the instance it reaches.
  assert.equal((await chat(b, p)).cache, 'hit');
});

test('redis-server killed mid-run: misses with 200s and no hang; restarted: hits again', async (t) => {
  if (skip(t)) return;
  const p = prompt('outage-before');
  const stored = await redisInteger('DBSIZE');
  await chat(a, p);
  await inRedis(stored);
  await hitOn(b, p);
  await redis.stop();
  const before = await upstreamRequests();
  for (let i = 0; i < 6; i++) {
    const q = prompt('outage');
    const onA = await chat(a, q);
    assert.equal(onA.cache, 'miss');
    assert.ok(onA.ms < 2000, `no hang: ${onA.ms} ms`);
    const onB = await chat(b, q);
    assert.equal(onB.cache, 'miss', 'nothing shared while Redis is down');
    assert.ok(onB.ms < 2000, `no hang: ${onB.ms} ms`);
  }
  assert.equal(await upstreamRequests() - before, 12);
  // What B already holds in memory still hits.
  assert.equal((await chat(b, p)).cache, 'hit');
  assert.equal(await metric(a, 'switchyard_cache_redis_up'), 0);
  assert.ok(await metric(a, 'switchyard_cache_redis_failures_total') >= 1);
  const down = await admin(a, 'DELETE', '/cache');
  assert.equal(down.status, 503, down.text);
  assert.match(down.json.error.message, /Redis/);

  await redis.start();
  // Within the probe interval (1 s) both instances use Redis again.
  const p3 = prompt('outage-after');
  let filled;
  await waitFor(async () => {
    const q = `${p3} ${Math.random()}`;
    const before = await redisInteger('DBSIZE');
    await chat(a, q);
    if (!await waitFor(async () => (await redisInteger('DBSIZE')) > before, { timeoutMs: 300, intervalMs: 20 })) return false;
    filled = await chat(b, q);
    return filled.cache === 'hit';
  }, { timeoutMs: 8000, intervalMs: 200 });
  assert.equal(filled.cache, 'hit');
  assert.equal(filled.level, 'redis');
  assert.equal(await metric(a, 'switchyard_cache_redis_up'), 1);
});
