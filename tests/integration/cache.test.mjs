// The response cache (stages/cache) through the real binaries and the official SDKs: exact hits
// for OpenAI chat and Anthropic Messages, entries filled by a stream and hit by a whole answer
// and the reverse, the SDKs' stream helpers over a replayed stream, LiteLLM's per-request
// controls, namespaces per virtual key, the admin API, spend logs and metrics. The mock provider
// counts the requests it received: a hit is a request it never saw.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  MASTER_KEY, makeTempDir, rawRequest, startGateway, startMock, writeConfig, sdkClient, waitFor,
} from './harness.mjs';

const Anthropic = (await import('@anthropic-ai/sdk')).default;

let mock, gw, dir, openai, anthropic;

before(async () => {
  mock = await startMock();
  dir = makeTempDir('switchyard-cache-');
  const cfg = writeConfig(`model_list:
  - model_name: gpt-4o-mini
    litellm_params: {model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k}
general_settings:
  master_key: ${MASTER_KEY}
  database_url: sqlite://${path.join(dir, 'spend.db')}
litellm_settings:
  cache: true
  cache_params: {type: local, ttl: 600}
switchyard_settings:
  spend_flush_interval: 0.05
  cache: {max_size_mb: 16}
`, dir);
  gw = await startGateway({ configFile: cfg.file });
  openai = sdkClient(`${gw.url}/v1`);
  anthropic = new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0, timeout: 30000 });
});

after(async () => {
  if (gw) await gw.stop();
  if (mock) await mock.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

let unique = 0;
// A prompt no other test sends, so that each test starts with a miss.
const prompt = (label) => `cache test ${label} ${++unique} ${Date.now()}`;
const upstreamRequests = async () => (await mock.stats()).requests;

async function chat(content, { stream = false, extra = {}, client = openai } = {}) {
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], max_tokens: 16, ...extra };
  if (!stream) {
    const { data, response } = await client.chat.completions.create(body).withResponse();
    return { text: data.choices[0].message.content, data, cache: response.headers.get('x-switchyard-cache') };
  }
  const { data: s, response } = await client.chat.completions
    .create({ ...body, stream: true, stream_options: { include_usage: true } }).withResponse();
  const chunks = [];
  for await (const c of s) chunks.push(c);
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  return { text, chunks, cache: response.headers.get('x-switchyard-cache') };
}

function admin(method, p, key = MASTER_KEY, body) {
  return rawRequest(gw.url, {
    method, path: p, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
}

test('an exact repeat of a chat request is answered from the cache, marked so', async () => {
  const p = prompt('chat');
  const before = await upstreamRequests();
  const first = await chat(p);
  assert.equal(first.cache, 'miss');
  const second = await chat(p);
  assert.equal(second.cache, 'hit');
  assert.equal(second.text, first.text);
  assert.equal(second.data.usage.prompt_tokens, first.data.usage.prompt_tokens);
  assert.equal(second.data.usage.prompt_tokens_details?.cached_tokens, first.data.usage.prompt_tokens,
    'a hit says its whole prompt was cached');
  // Fields that do not change the answer do not change the key.
  const third = await chat(p, { extra: { user: 'someone', metadata: { a: '1' } } });
  assert.equal(third.cache, 'hit');
  // Ones that do, do.
  const other = await chat(p, { extra: { temperature: 0.3 } });
  assert.equal(other.cache, 'miss');
  assert.equal(await upstreamRequests() - before, 2);
});

test('a streamed answer fills an entry a whole request hits, and the reverse', async () => {
  const p1 = prompt('stream-fill');
  const before = await upstreamRequests();
  const streamed = await chat(p1, { stream: true });
  assert.equal(streamed.cache, 'miss');
  assert.ok(streamed.text.length > 0);
  const whole = await chat(p1);
  assert.equal(whole.cache, 'hit');
  assert.equal(whole.text, streamed.text);

  const p2 = prompt('whole-fill');
  const w = await chat(p2);
  assert.equal(w.cache, 'miss');
  const s = await chat(p2, { stream: true });
  assert.equal(s.cache, 'hit');
  assert.equal(s.text, w.text);
  const usage = s.chunks.find((c) => c.usage)?.usage;
  assert.ok(usage, 'the replayed stream carries usage when asked');
  assert.equal(usage.prompt_tokens, w.data.usage.prompt_tokens);
  assert.equal(await upstreamRequests() - before, 2);
});

test('a replayed stream has the live chunk structure and works with the SDK stream helper', async () => {
  const p = prompt('structure');
  const live = await chat(p, { stream: true });
  const replayed = await chat(p, { stream: true });
  assert.equal(replayed.cache, 'hit');
  const shape = (chunks) => chunks.map((c) => [
    c.object, c.choices.length, c.choices[0]?.delta?.role ?? null,
    typeof c.choices[0]?.delta?.content, c.choices[0]?.finish_reason ?? null, Boolean(c.usage)]);
  assert.deepEqual(shape(replayed.chunks), shape(live.chunks));
  // openai's helper accumulates the replayed stream into a whole completion.
  const completions = openai.chat.completions.stream ? openai.chat.completions
    : openai.beta.chat.completions;
  const runner = completions.stream({
    model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: p }],
  });
  const done = await runner.finalChatCompletion();
  assert.equal(done.choices[0].message.content, live.text);
  assert.equal(done.choices[0].finish_reason, live.chunks.find((c) => c.choices[0]?.finish_reason)
    .choices[0].finish_reason);
});

test('Anthropic Messages: exact hit, and the SDK stream helper over a replayed stream', async () => {
  const p = prompt('messages');
  const before = await upstreamRequests();
  const body = { model: 'gpt-4o-mini', max_tokens: 32, messages: [{ role: 'user', content: p }] };
  const { data: first, response: r1 } = await anthropic.messages.create(body).withResponse();
  assert.equal(r1.headers.get('x-switchyard-cache'), 'miss');
  const { data: second, response: r2 } = await anthropic.messages.create(body).withResponse();
  assert.equal(r2.headers.get('x-switchyard-cache'), 'hit');
  assert.deepEqual(second.content, first.content);
  assert.equal(second.stop_reason, first.stop_reason);
  const stream = anthropic.messages.stream(body);
  const text = [];
  stream.on('text', (t) => text.push(t));
  const final = await stream.finalMessage();
  assert.equal(text.join(''), first.content.map((b) => b.text ?? '').join(''));
  assert.deepEqual(final.content, first.content);
  assert.equal(await upstreamRequests() - before, 1);
  // An OpenAI chat request with the same words is another endpoint: never the same entry.
  const c = await chat(p, { extra: { max_tokens: 32 } });
  assert.equal(c.cache, 'miss');
});

test('controls: no-cache, no-store, ttl, s-maxage, the Cache-Control header, bad controls', async () => {
  const p = prompt('controls');
  const before = await upstreamRequests();
  assert.equal((await chat(p, { extra: { cache: { 'no-store': true } } })).cache, 'miss');
  assert.equal((await chat(p)).cache, 'miss', 'no-store kept nothing');
  assert.equal((await chat(p)).cache, 'hit');
  assert.equal((await chat(p, { extra: { cache: { 'no-cache': true } } })).cache, 'bypass');
  const header = await openai.chat.completions.create(
    { model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: p }] },
    { headers: { 'cache-control': 'no-cache' } }).withResponse();
  assert.equal(header.response.headers.get('x-switchyard-cache'), 'bypass');
  assert.equal(await upstreamRequests() - before, 4);
  // The upstream never sees the cache member.
  const last = (await mock.stats()).last_request.body;
  assert.equal(last.cache, undefined, JSON.stringify(last));

  const short = prompt('ttl');
  assert.equal((await chat(short, { extra: { cache: { ttl: 1 } } })).cache, 'miss');
  assert.equal((await chat(short)).cache, 'hit');
  await new Promise((r) => setTimeout(r, 1300));
  assert.equal((await chat(short)).cache, 'miss', 'expired after its own ttl');
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await chat(short, { extra: { cache: { 's-maxage': 1 } } })).cache, 'miss',
    'older than s-maxage');

  const bad = await rawRequest(gw.url, {
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: p }], cache: { ttl: 'soon' } }),
  });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.param, 'cache.ttl');
});

test('two virtual keys never share an entry; a request namespace stays inside its key', async () => {
  const keys = [];
  for (const alias of ['cache-a', 'cache-b']) {
    const r = await admin('POST', '/key/generate', MASTER_KEY, { key_alias: alias });
    assert.equal(r.status, 200, r.text);
    keys.push(r.json.key);
  }
  const [a, b] = keys.map((k) => sdkClient(`${gw.url}/v1`, k));
  const p = prompt('tenants');
  const before = await upstreamRequests();
  assert.equal((await chat(p, { client: a })).cache, 'miss');
  assert.equal((await chat(p, { client: a })).cache, 'hit');
  assert.equal((await chat(p, { client: b })).cache, 'miss', 'key b never gets key a\'s answer');
  assert.equal((await chat(p, { client: b })).cache, 'hit');
  assert.equal((await chat(p)).cache, 'miss', 'nor does the master key');
  assert.equal((await chat(p, { client: b, extra: { cache: { namespace: 'docs' } } })).cache, 'miss');
  assert.equal((await chat(p, { client: b, extra: { cache: { namespace: 'docs' } } })).cache, 'hit');
  assert.equal(await upstreamRequests() - before, 4);

  // Spend logs: a hit is recorded, costs nothing, and says what it saved.
  const logs = await waitFor(async () => {
    const r = await admin('GET', `/spend/logs?api_key=${encodeURIComponent(keys[0])}`);
    return r.status === 200 && r.json.length === 2 && r.json;
  });
  assert.ok(logs, 'two spend-log rows for key a');
  const hit = logs.find((l) => l.cache_hit === 'True');
  const miss = logs.find((l) => l.cache_hit === 'False');
  assert.ok(hit && miss, JSON.stringify(logs));
  assert.equal(hit.spend, 0);
  assert.ok(miss.spend > 0);
  assert.ok(Math.abs(hit.metadata.saved_cache_cost - miss.spend) < 1e-12, JSON.stringify(hit));
  assert.equal(hit.model, miss.model);
});

test('admin: /cache/stats and DELETE /cache are master-key only; a flush empties a namespace', async () => {
  const p = prompt('flush');
  await chat(p);
  assert.equal((await chat(p)).cache, 'hit');
  const stats = await admin('GET', '/cache/stats');
  assert.equal(stats.status, 200, stats.text);
  assert.ok(stats.json.hits >= 1 && stats.json.entries >= 1 && stats.json.bytes > 0, stats.text);
  assert.ok(stats.json.bytes <= stats.json.max_bytes);
  const key = (await admin('POST', '/key/generate', MASTER_KEY, {})).json.key;
  assert.equal((await admin('GET', '/cache/stats', key)).status, 403);
  assert.equal((await admin('DELETE', '/cache', key)).status, 403);
  const other = await admin('DELETE', '/cache?namespace=nobody');
  assert.equal(other.status, 200, other.text);
  assert.equal(other.json.deleted, 0);
  assert.equal((await chat(p)).cache, 'hit');
  const flushed = await admin('DELETE', '/cache?namespace=default');
  assert.equal(flushed.status, 200, flushed.text);
  assert.ok(flushed.json.deleted >= 1);
  assert.equal((await chat(p)).cache, 'miss');

  const metrics = await rawRequest(gw.url, { method: 'GET', path: '/metrics' });
  assert.match(metrics.text, /switchyard_cache_requests_total\{result="hit"\} [1-9]/);
  assert.match(metrics.text, /switchyard_cache_saved_usd_total /);
  assert.match(metrics.text, /switchyard_cache_bytes [1-9]/);
});
