// Observability: /metrics numbers after known traffic, the JSON access log, x-request-id end to
// end, and OpenTelemetry traces received by a tiny OTLP/HTTP collector in this test.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startStack, startMock, startGateway, writeConfig, closedPort, sdkClient, rawRequest, cleanEnv,
  waitFor, MOCK_KEY, MASTER_KEY,
} from './harness.mjs';
import { decodeTraceRequest } from './otlp_protobuf.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DOCS = fs.readFileSync(path.resolve(here, '..', '..', 'docs', 'metrics.md'), 'utf8');

// Prometheus text format → [{name, labels, value}]; asserts that every line is well formed.
function parseMetrics(text) {
  const samples = [];
  const types = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const typeLine = line.match(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$/);
    if (typeLine) { types.set(typeLine[1], typeLine[2]); continue; }
    if (line.startsWith('# HELP ')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    assert.ok(m, `malformed metrics line: ${line}`);
    const labels = {};
    if (m[2]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/g;
      let l;
      while ((l = re.exec(m[2])) !== null) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    }
    const value = m[3] === '+Inf' ? Infinity : Number(m[3]);
    assert.ok(!Number.isNaN(value), `not a number in: ${line}`);
    samples.push({ name: m[1], labels, value });
  }
  return { samples, types };
}

// The value of the sample with exactly these labels (undefined when absent).
function valueOf(samples, name, labels) {
  const want = JSON.stringify(Object.entries(labels).sort());
  const s = samples.find((x) => x.name === name && JSON.stringify(Object.entries(x.labels).sort()) === want);
  return s?.value;
}

async function scrape(url) {
  const r = await fetch(`${url}/metrics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return parseMetrics(await r.text());
}

function chatBody(extra = {}) {
  return JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...extra });
}

const AUTH = { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' };

describe('observability: GET /metrics after known traffic', () => {
  let stack, client;
  const seen = { promptTokens: 0, completionTokens: 0 };

  before(async () => {
    stack = await startStack();
    client = sdkClient(stack.gw.baseURL);
  });
  after(async () => { if (stack) await stack.stopAll(); });

  it('counts requests, tokens and latency per model group, deployment and status', async () => {
    // 3 plain answers that take >= 60 ms upstream, 2 streams whose first event comes after
    // >= 120 ms (the mock's knobs travel in the body, which the gateway forwards).
    for (let i = 0; i < 3; i++) {
      const r = await client.chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hi ${i}` }],
          mock: { latency_ms: 60 } });
      seen.promptTokens += r.usage.prompt_tokens;
      seen.completionTokens += r.usage.completion_tokens;
    }
    for (let i = 0; i < 2; i++) {
      const stream = await client.chat.completions.create(
        { model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'stream please' }], mock: { latency_ms: 120 } });
      for await (const chunk of stream) {
        if (chunk.usage) {
          seen.promptTokens += chunk.usage.prompt_tokens;
          seen.completionTokens += chunk.usage.completion_tokens;
        }
      }
    }
    const unknown = await rawRequest(stack.gw.url, { path: '/v1/chat/completions', headers: AUTH,
      body: chatBody({ model: 'no-such-model-' + 'x'.repeat(50) }) });
    assert.equal(unknown.status, 404);
    const denied = await rawRequest(stack.gw.url, { path: '/v1/chat/completions',
      headers: { ...AUTH, authorization: 'Bearer wrong' }, body: chatBody() });
    assert.equal(denied.status, 401);
    const dead = await rawRequest(stack.gw.url, { path: '/v1/chat/completions', headers: AUTH,
      body: chatBody({ model: 'dead-upstream' }) });
    assert.equal(dead.status, 502);

    const { samples, types } = await scrape(stack.gw.url);
    const g = { model_group: 'gpt-4o-mini', deployment: 'gpt-4o-mini#0' };
    assert.equal(valueOf(samples, 'switchyard_requests_total', { ...g, key_alias: '', status: '200' }), 5);
    assert.equal(valueOf(samples, 'switchyard_requests_total',
      { model_group: '_unknown', deployment: '', key_alias: '', status: '404' }), 1,
    'an unknown model is counted under _unknown, never under the name the client sent');
    assert.ok(!samples.some((s) => Object.values(s.labels).some((v) => v.includes('no-such-model'))));
    assert.equal(valueOf(samples, 'switchyard_requests_total',
      { model_group: 'gpt-4o-mini', deployment: '', key_alias: '', status: '401' }), 1);
    assert.equal(valueOf(samples, 'switchyard_requests_total',
      { model_group: 'dead-upstream', deployment: 'dead-upstream#4', key_alias: '', status: '502' }), 1);

    assert.ok(seen.promptTokens > 0 && seen.completionTokens > 0);
    assert.equal(valueOf(samples, 'switchyard_input_tokens_total', { ...g, key_alias: '' }), seen.promptTokens);
    assert.equal(valueOf(samples, 'switchyard_output_tokens_total', { ...g, key_alias: '' }), seen.completionTokens);

    // Latency histograms: 5 answers, 3 of them slower than 50 ms in total; 2 streams whose first
    // token came after 100 ms.
    assert.equal(valueOf(samples, 'switchyard_request_duration_seconds_count', g), 5);
    assert.ok(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { ...g, le: '0.05' }) <= 2);
    assert.equal(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { ...g, le: '+Inf' }), 5);
    assert.ok(valueOf(samples, 'switchyard_request_duration_seconds_sum', g) >= 0.18 + 0.24);
    assert.equal(valueOf(samples, 'switchyard_upstream_duration_seconds_count', g), 5);
    assert.ok(valueOf(samples, 'switchyard_upstream_duration_seconds_sum', g) >= 0.18);
    assert.equal(valueOf(samples, 'switchyard_time_to_first_token_seconds_count', g), 2);
    assert.equal(valueOf(samples, 'switchyard_time_to_first_token_seconds_bucket', { ...g, le: '0.1' }), 0);
    assert.equal(valueOf(samples, 'switchyard_gateway_overhead_seconds_count', g), 5);
    const overhead = valueOf(samples, 'switchyard_gateway_overhead_seconds_sum', g);
    const total = valueOf(samples, 'switchyard_request_duration_seconds_sum', g);
    const upstream = valueOf(samples, 'switchyard_upstream_duration_seconds_sum', g);
    assert.ok(Math.abs(overhead - (total - upstream)) < 0.001, `${overhead} vs ${total} - ${upstream}`);

    assert.equal(valueOf(samples, 'switchyard_requests_in_flight', {}), 0);
    // Pool use per upstream origin; only configured origins are label values.
    const mockOrigin = { origin: `http://127.0.0.1:${stack.mock.port}` };
    assert.ok(valueOf(samples, 'switchyard_upstream_connections_opened_total', mockOrigin) >= 1);
    assert.ok(valueOf(samples, 'switchyard_upstream_connections_reused_total', mockOrigin) >= 1);
    assert.ok(valueOf(samples, 'switchyard_upstream_connections_idle', mockOrigin) >= 1);
    const origins = new Set(samples.filter((x) => x.name.startsWith('switchyard_upstream_connections_'))
      .map((x) => x.labels.origin));
    assert.deepEqual([...origins], [mockOrigin.origin]);
    assert.equal(valueOf(samples, 'switchyard_retries_total', { model_group: 'gpt-4o-mini' }), 0);
    assert.equal(valueOf(samples, 'switchyard_workers', {}), 1);
    // The router's state per configured deployment: one breaker state is 1.
    assert.equal(valueOf(samples, 'switchyard_deployment_state',
      { deployment: 'gpt-4o-mini#0', model_group: 'gpt-4o-mini', state: 'healthy' }), 1);
    assert.equal(valueOf(samples, 'switchyard_deployment_state',
      { deployment: 'gpt-4o-mini#0', model_group: 'gpt-4o-mini', state: 'cooling_down' }), 0);
    assert.equal(valueOf(samples, 'switchyard_deployment_in_flight', { deployment: 'gpt-4o-mini#0' }), 0);
    assert.ok(valueOf(samples, 'switchyard_deployment_failures_total', { deployment: 'dead-upstream#4' }) >= 1);

    // Every family is documented.
    for (const name of types.keys()) {
      assert.ok(DOCS.includes(`\`${name}\``), `${name} is not documented in docs/metrics.md`);
    }
  });

  it('counts a request while it is in flight', async () => {
    const slow = rawRequest(stack.gw.url, { path: '/v1/chat/completions',
      headers: AUTH, body: chatBody({ mock: { latency_ms: 600 } }) });
    const during = await waitFor(async () => {
      const { samples } = await scrape(stack.gw.url);
      return valueOf(samples, 'switchyard_requests_in_flight', {}) === 1;
    }, { timeoutMs: 3000, intervalMs: 50 });
    assert.ok(during, 'in-flight gauge never showed the slow request');
    assert.equal((await slow).status, 200);
    const { samples } = await scrape(stack.gw.url);
    assert.equal(valueOf(samples, 'switchyard_requests_in_flight', {}), 0);
  });

  it('is refused for other methods', async () => {
    const r = await rawRequest(stack.gw.url, { path: '/metrics', body: '' });
    assert.equal(r.status, 405);
  });
});

// A node http server standing in for an OpenTelemetry collector (OTLP/HTTP, JSON or protobuf
// by the request's content type); over https with `tls` ({ key, cert }).
async function startCollector({ stall = false, tls = null } = {}) {
  const spans = [];
  const requests = [];
  const handler = (req, res) => {
    const chunks = [];
    req.on('data', (d) => { chunks.push(d); });
    req.on('end', () => {
      requests.push({ path: req.url, headers: req.headers });
      if (stall) return;  // never answers
      const body = Buffer.concat(chunks);
      const doc = req.headers['content-type'] === 'application/x-protobuf'
        ? decodeTraceRequest(body) : JSON.parse(body.toString('utf8'));
      for (const rs of doc.resourceSpans) {
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) spans.push({ ...s, resource: rs.resource });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    spans,
    requests,
    port: server.address().port,
    close: () => { server.closeAllConnections(); return new Promise((r) => server.close(r)); },
  };
}

function attr(span, key) {
  const a = span.attributes.find((x) => x.key === key);
  if (!a) return undefined;
  const v = a.value;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  return v.boolValue;
}

function configYaml(mockPort, extraSettings = '') {
  return `model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini-upstream
      api_base: "http://127.0.0.1:${mockPort}/v1"
      api_key: os.environ/MOCK_KEY
  - model_name: "openai/*"
    litellm_params:
      model: "openai/*"
      api_base: "http://127.0.0.1:${mockPort}/v1"
      api_key: os.environ/MOCK_KEY
  - model_name: claude
    litellm_params:
      model: anthropic/claude-3-5-haiku-latest
      api_base: "http://127.0.0.1:${mockPort}"
      api_key: os.environ/MOCK_KEY
general_settings:
  master_key: ${MASTER_KEY}
switchyard_settings:
  drain_timeout: 2
${extraSettings}`;
}

describe('observability: access log and x-request-id', () => {
  let mock, gw, cfg, logFile;

  before(async () => {
    mock = await startMock();
    cfg = writeConfig(configYaml(mock.port));
    logFile = path.join(cfg.dir, 'access.log');
    fs.appendFileSync(cfg.file, `  access_log: ${logFile}\n`);
    gw = await startGateway({ configFile: cfg.file });
  });
  after(async () => {
    if (gw) await gw.stop();
    if (mock) await mock.stop();
    if (cfg) fs.rmSync(cfg.dir, { recursive: true, force: true });
  });

  it('a client x-request-id is returned, sent upstream and logged; one is generated otherwise', async () => {
    const given = await rawRequest(gw.url, { path: '/v1/chat/completions',
      headers: { ...AUTH, 'x-request-id': 'client-id-42' }, body: chatBody() });
    assert.equal(given.status, 200);
    assert.equal(given.headers['x-request-id'], 'client-id-42');
    assert.equal((await mock.stats()).last_request.headers['x-request-id'], 'client-id-42');

    const generated = await rawRequest(gw.url, { path: '/v1/chat/completions', headers: AUTH,
      body: chatBody({ stream: true }) });
    assert.equal(generated.status, 200);
    const id = generated.headers['x-request-id'];
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.equal((await mock.stats()).last_request.headers['x-request-id'], id);

    // An unsafe id (it could split a log line) is replaced.
    const unsafe = await rawRequest(gw.url, { path: '/v1/chat/completions',
      headers: { ...AUTH, 'x-request-id': 'a b"c' }, body: chatBody() });
    assert.match(unsafe.headers['x-request-id'], /^[0-9a-f]{32}$/);

    const wildcard = await rawRequest(gw.url, { path: '/v1/chat/completions', headers: AUTH,
      body: chatBody({ model: 'openai/some-new-model' }) });
    assert.equal(wildcard.status, 200);
    const denied = await rawRequest(gw.url, { path: '/v1/chat/completions',
      headers: { ...AUTH, authorization: 'Bearer sk-wrong-key-secret' }, body: chatBody() });
    assert.equal(denied.status, 401);

    const lines = await waitFor(() => {
      const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
      const l = text.split('\n').filter(Boolean);
      return l.length >= 5 ? l : null;
    }, { timeoutMs: 5000 });
    assert.ok(lines, 'the access log did not get 5 lines');
    const text = lines.join('\n');
    for (const secret of [MASTER_KEY, MOCK_KEY, 'sk-wrong-key-secret']) {
      assert.ok(!text.includes(secret), `the access log contains a key: ${secret}`);
    }
    const entries = lines.map((l) => JSON.parse(l));
    const byId = new Map(entries.map((e) => [e.request_id, e]));
    const first = byId.get('client-id-42');
    assert.ok(first, 'no line for client-id-42');
    for (const field of ['ts', 'request_id', 'key_alias', 'model', 'model_group', 'deployment',
      'status', 'stream', 'attempts', 'retries', 'fallbacks', 'prompt_tokens', 'completion_tokens',
      'cost_usd', 'total_us', 'upstream_us', 'overhead_us', 'cache', 'guardrail']) {
      assert.ok(field in first, `access-log line lacks ${field}: ${JSON.stringify(first)}`);
    }
    assert.equal(first.status, 200);
    assert.equal(first.model_group, 'gpt-4o-mini');
    assert.equal(first.deployment, 'gpt-4o-mini#0');
    assert.equal(first.attempts, 1);
    assert.ok(first.completion_tokens > 0);
    assert.ok(first.total_us >= first.upstream_us);
    assert.match(first.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const stream = byId.get(id);
    assert.equal(stream.stream, true);
    assert.ok(stream.ttft_us > 0);
    const wild = entries.find((e) => e.model === 'openai/some-new-model');
    assert.equal(wild.model_group, 'openai/*');
    assert.equal(wild.upstream_model, 'some-new-model');
    const refused = entries.find((e) => e.status === 401);
    assert.ok(refused, 'a refused request is logged too');
    assert.equal(refused.error, 'unauthorized');
  });

  it('count_tokens has its own metric family and access-log lines', async () => {
    const countBody = (model) => JSON.stringify({ model, messages: [{ role: 'user', content: 'Count these tokens.' }] });
    const upstream = await rawRequest(gw.url, { path: '/v1/messages/count_tokens',
      headers: { ...AUTH, 'x-request-id': 'count-upstream' }, body: countBody('claude') });
    assert.equal(upstream.status, 200, upstream.body);
    // Counted by the gateway with the OpenAI model's tokenizer (gpt-4o-mini-upstream: o200k_base).
    const local = await rawRequest(gw.url, { path: '/v1/messages/count_tokens',
      headers: { ...AUTH, 'x-request-id': 'count-local' }, body: countBody('gpt-4o-mini') });
    assert.equal(local.status, 200);
    assert.equal(local.headers['x-switchyard-token-count'], 'exact');
    const denied = await rawRequest(gw.url, { path: '/v1/messages/count_tokens',
      headers: { ...AUTH, authorization: 'Bearer sk-wrong', 'x-request-id': 'count-denied' },
      body: countBody('claude') });
    assert.equal(denied.status, 401);
    const wrongMethod = await rawRequest(gw.url, { method: 'GET', path: '/v1/messages/count_tokens',
      headers: { ...AUTH, 'x-request-id': 'count-get' } });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.json?.type, 'error', 'refused in the Anthropic format');

    const { samples } = await scrape(gw.url);
    assert.equal(valueOf(samples, 'switchyard_count_tokens_requests_total', { status: '200' }), 2);
    assert.equal(valueOf(samples, 'switchyard_count_tokens_requests_total', { status: '401' }), 1);
    assert.equal(valueOf(samples, 'switchyard_count_tokens_requests_total', { status: '405' }), 1);
    assert.equal(valueOf(samples, 'switchyard_count_tokens_duration_seconds_count', {}), 4);
    // Not counted as model requests.
    assert.equal(samples.filter((x) => x.name === 'switchyard_requests_total' &&
      x.labels.model_group === 'claude').length, 0);

    const entries = await waitFor(() => {
      const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const mine = lines.filter((e) => e.endpoint === 'count_tokens');
      return mine.length >= 4 ? new Map(mine.map((e) => [e.request_id, e])) : null;
    }, { timeoutMs: 5000 });
    assert.ok(entries, 'no count_tokens lines in the access log');
    const up = entries.get('count-upstream');
    assert.equal(up.status, 200);
    assert.equal(up.counted_by, 'upstream');
    assert.equal(up.deployment, 'claude#2');
    assert.equal(up.provider, 'anthropic');
    assert.ok(up.total_us > 0);
    const est = entries.get('count-local');
    assert.equal(est.counted_by, 'exact');
    assert.equal(est.deployment, null);
    const refused = entries.get('count-denied');
    assert.equal(refused.status, 401);
    assert.equal(refused.error, 'unauthorized');
    assert.equal(refused.counted_by, null);
    assert.equal(entries.get('count-get').status, 405);
    assert.ok(!fs.readFileSync(logFile, 'utf8').includes('sk-wrong'));
  });

  it('a client traceparent is passed upstream unchanged while tracing is off', async () => {
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const r = await rawRequest(gw.url, { path: '/v1/chat/completions',
      headers: { ...AUTH, traceparent: tp, tracestate: 'vendor=x' }, body: chatBody() });
    assert.equal(r.status, 200);
    const lr = (await mock.stats()).last_request;
    assert.equal(lr.headers.traceparent, tp);
    assert.equal(lr.headers.tracestate, 'vendor=x');
  });
});

for (const protocol of ['http/json', 'http/protobuf']) describe(`observability: OpenTelemetry traces (${protocol})`, () => {
  let mock, collector, gw, cfg;
  const contentType = protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';

  before(async () => {
    mock = await startMock();
    collector = await startCollector();
    cfg = writeConfig(configYaml(mock.port));
    // http/json is the default: only protobuf is asked for.
    const protocolEnv = protocol === 'http/json' ? {} : { OTEL_EXPORTER_OTLP_PROTOCOL: protocol };
    gw = await startGateway({ configFile: cfg.file, env: cleanEnv({
      MOCK_KEY,
      ...protocolEnv,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-token=abc%20def',
      OTEL_SERVICE_NAME: 'gateway-under-test',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    }) });
  });
  after(async () => {
    if (gw) await gw.stop();
    if (mock) await mock.stop();
    if (collector) await collector.close();
    if (cfg) fs.rmSync(cfg.dir, { recursive: true, force: true });
  });

  it('a server span per request and a client span per attempt, in the client\'s trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    const r = await rawRequest(gw.url, { path: '/v1/chat/completions',
      headers: { ...AUTH, traceparent: `00-${traceId}-${parent}-01` },
      body: chatBody({ max_tokens: 20, temperature: 0.5 }) });
    assert.equal(r.status, 200);
    const upstreamTp = (await mock.stats()).last_request.headers.traceparent;

    const spans = await waitFor(() => {
      const s = collector.spans.filter((x) => x.traceId === traceId);
      return s.length >= 2 ? s : null;
    }, { timeoutMs: 5000 });
    assert.ok(spans, `no spans for the trace; got ${JSON.stringify(collector.spans)}`);
    assert.equal(collector.requests[0].path, '/v1/traces');
    assert.equal(collector.requests[0].headers['content-type'], contentType);
    assert.equal(collector.requests[0].headers['x-collector-token'], 'abc def');
    const server = spans.find((s) => s.kind === 2);
    const client = spans.find((s) => s.kind === 3);
    assert.ok(server && client, JSON.stringify(spans));
    assert.equal(server.parentSpanId, parent);
    assert.equal(server.name, 'POST /v1/chat/completions');
    assert.equal(attr(server, 'http.response.status_code'), 200);
    assert.equal(attr(server, 'gen_ai.request.model'), 'gpt-4o-mini');
    assert.equal(attr(server, 'switchyard.request_id'), r.headers['x-request-id']);
    assert.equal(client.parentSpanId, server.spanId);
    assert.equal(client.name, 'chat gpt-4o-mini-upstream');
    assert.equal(attr(client, 'gen_ai.operation.name'), 'chat');
    assert.equal(attr(client, 'gen_ai.provider.name'), 'openai');
    assert.equal(attr(client, 'gen_ai.request.model'), 'gpt-4o-mini-upstream');
    assert.equal(attr(client, 'gen_ai.request.max_tokens'), 20);
    assert.equal(attr(client, 'gen_ai.request.temperature'), 0.5);
    assert.ok(attr(client, 'gen_ai.usage.input_tokens') > 0);
    assert.ok(attr(client, 'gen_ai.usage.output_tokens') > 0);
    assert.equal(attr(client, 'server.port'), mock.port);
    assert.ok(BigInt(client.startTimeUnixNano) >= BigInt(server.startTimeUnixNano));
    assert.ok(BigInt(client.endTimeUnixNano) <= BigInt(server.endTimeUnixNano));
    assert.equal(server.resource.attributes.find((a) => a.key === 'service.name').value.stringValue,
      'gateway-under-test');
    // The upstream is called in the same trace, as a child of the client span.
    assert.equal(upstreamTp, `00-${traceId}-${client.spanId}-01`);
  });

  it('a request without traceparent starts a new sampled trace', async () => {
    const r = await rawRequest(gw.url, { path: '/v1/chat/completions', headers: AUTH, body: chatBody() });
    assert.equal(r.status, 200);
    const tp = (await mock.stats()).last_request.headers.traceparent;
    const m = tp.match(/^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/);
    assert.ok(m, tp);
    const spans = await waitFor(() => {
      const s = collector.spans.filter((x) => x.traceId === m[1]);
      return s.length >= 2 ? s : null;
    }, { timeoutMs: 5000 });
    assert.ok(spans);
    assert.ok(!spans.find((s) => s.kind === 2).parentSpanId);
  });

  it('an unsampled client trace is propagated but not exported', async () => {
    const traceId = '11111111111111111111111111111111';
    const r = await rawRequest(gw.url, { path: '/v1/chat/completions',
      headers: { ...AUTH, traceparent: `00-${traceId}-2222222222222222-00` }, body: chatBody() });
    assert.equal(r.status, 200);
    const tp = (await mock.stats()).last_request.headers.traceparent;
    assert.match(tp, new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    await new Promise((res) => setTimeout(res, 400));
    assert.equal(collector.spans.filter((x) => x.traceId === traceId).length, 0);
  });
});

describe('observability: a stalled collector does not slow requests', () => {
  let mock, collector, gw, cfg;

  before(async () => {
    mock = await startMock();
    collector = await startCollector({ stall: true });
    cfg = writeConfig(configYaml(mock.port));
    gw = await startGateway({ configFile: cfg.file, env: cleanEnv({
      MOCK_KEY,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${collector.port}/v1/traces`,
      OTEL_BSP_SCHEDULE_DELAY: '20',
      OTEL_BSP_MAX_QUEUE_SIZE: '16',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '30000',
    }) });
  });
  after(async () => {
    // The exporter may still wait for the stalled collector: do not wait for a clean drain.
    if (gw) await gw.stop('SIGKILL');
    if (mock) await mock.stop();
    if (collector) await collector.close();
    if (cfg) fs.rmSync(cfg.dir, { recursive: true, force: true });
  });

  it('requests stay fast and the spans that do not fit are dropped and counted', async () => {
    const times = [];
    for (let i = 0; i < 60; i++) {
      const t0 = process.hrtime.bigint();
      const r = await rawRequest(gw.url, { path: '/v1/chat/completions', headers: AUTH, body: chatBody() });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      assert.equal(r.status, 200);
    }
    times.sort((a, b) => a - b);
    const p90 = times[Math.floor(times.length * 0.9)];
    assert.ok(p90 < 250, `requests slowed down by the stalled collector: p90 ${p90} ms`);
    assert.ok(collector.requests.length >= 1, 'the exporter never reached the collector');
    const { samples } = await scrape(gw.url);
    const dropped = valueOf(samples, 'switchyard_trace_spans_total', { outcome: 'dropped' });
    assert.ok(dropped >= 120 - 16 - 4 - 8, `dropped ${dropped}`);
  });
});

describe('observability: nothing queued is lost when the load stops and the gateway exits', () => {
  let mock, collector, gw, cfg, logFile;

  before(async () => {
    mock = await startMock();
    collector = await startCollector();
    cfg = writeConfig('');
    logFile = path.join(cfg.dir, 'burst.log');
    fs.writeFileSync(cfg.file, configYaml(mock.port,
      `  access_log: ${logFile}\n  otel_endpoint: "http://127.0.0.1:${collector.port}/v1/traces"`));
    // No export on a timer within the test: only full batches and the shutdown send spans.
    gw = await startGateway({ configFile: cfg.file, env: cleanEnv({
      MOCK_KEY, OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '64' }) });
  });
  after(async () => {
    if (gw) await gw.stop();
    if (mock) await mock.stop();
    if (collector) await collector.close();
    if (cfg) fs.rmSync(cfg.dir, { recursive: true, force: true });
  });

  it('every access-log line and span of a burst is out by the end of a SIGTERM', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `burst-${i}`);
    for (let at = 0; at < ids.length; at += 30) {
      const answers = await Promise.all(ids.slice(at, at + 30).map((id) => rawRequest(gw.url, {
        path: '/v1/chat/completions', headers: { ...AUTH, 'x-request-id': id }, body: chatBody() })));
      assert.deepEqual(answers.map((a) => a.status), Array(30).fill(200));
    }
    const exit = await gw.stop('SIGTERM');
    assert.equal(exit.code, 0, gw.child.tail());
    const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean)
      .map((l) => JSON.parse(l));
    const logged = new Set(lines.map((l) => l.request_id));
    assert.deepEqual(ids.filter((id) => !logged.has(id)), []);
    const serverSpans = new Map(collector.spans.filter((s) => s.kind === 2)
      .map((s) => [attr(s, 'switchyard.request_id'), s]));
    assert.deepEqual(ids.filter((id) => !serverSpans.has(id)), []);
    // Each line names the trace of its request.
    for (const line of lines) {
      assert.match(line.trace_id, /^[0-9a-f]{32}$/);
      assert.equal(line.trace_id, serverSpans.get(line.request_id).traceId, line.request_id);
    }
    assert.equal(collector.spans.filter((s) => s.kind === 3).length, ids.length);
    // Batches of at most 64 spans, several of them sent at the shutdown.
    assert.ok(collector.requests.length >= Math.ceil((2 * ids.length) / 64));
  });
});

describe('observability: telemetry outputs follow a config reload (SIGHUP)', () => {
  let mock, collector, gw, cfg;

  before(async () => {
    mock = await startMock();
    collector = await startCollector();
    cfg = writeConfig(configYaml(mock.port));
  });
  after(async () => {
    if (gw) await gw.stop();
    if (mock) await mock.stop();
    if (collector) await collector.close();
    if (cfg) fs.rmSync(cfg.dir, { recursive: true, force: true });
  });

  const linesOf = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '')
    .split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const send = (id) => rawRequest(gw.url, { path: '/v1/chat/completions',
    headers: { ...AUTH, 'x-request-id': id }, body: chatBody() });
  async function reload(settings, logged) {
    fs.writeFileSync(cfg.file, configYaml(mock.port, settings));
    const before = gw.child.stderr.split(logged).length;
    gw.child.proc.kill('SIGHUP');
    assert.ok(await waitFor(() => gw.child.stderr.split(logged).length > before, { timeoutMs: 5000 }),
      gw.child.tail());
  }

  it('moves the access log to the new file, starts exporting traces, and keeps both on a bad path', async () => {
    const first = path.join(cfg.dir, 'first.log');
    const second = path.join(cfg.dir, 'second.log');
    fs.writeFileSync(cfg.file, configYaml(mock.port, `  access_log: ${first}`));
    gw = await startGateway({ configFile: cfg.file, env: cleanEnv({ MOCK_KEY }) });
    assert.equal((await send('before-reload')).status, 200);
    assert.ok(await waitFor(() => linesOf(first).some((e) => e.request_id === 'before-reload'),
      { timeoutMs: 5000 }));

    await reload(`  access_log: ${second}\n  otel_endpoint: "http://127.0.0.1:${collector.port}/v1/traces"`,
      'config reloaded');
    assert.match(gw.child.stderr, new RegExp(`access log: ${second}; traces: OTLP/HTTP JSON to`));
    assert.equal((await send('after-reload')).status, 200);
    assert.ok(await waitFor(() => linesOf(second).some((e) => e.request_id === 'after-reload'),
      { timeoutMs: 5000 }), 'the line went elsewhere');
    assert.ok(!linesOf(first).some((e) => e.request_id === 'after-reload'));
    const server = await waitFor(() => collector.spans.find((s) => s.kind === 2 &&
      attr(s, 'switchyard.request_id') === 'after-reload'), { timeoutMs: 5000 });
    assert.ok(server, `no span for the request after the reload: ${JSON.stringify(collector.spans)}`);

    // A log file that cannot be opened: an error, and the running outputs go on.
    await reload(`  access_log: ${path.join(cfg.dir, 'missing-dir', 'x.log')}`,
      'keeping the running telemetry outputs');
    assert.equal((await send('after-bad-reload')).status, 200);
    assert.ok(await waitFor(() => linesOf(second).some((e) => e.request_id === 'after-bad-reload'),
      { timeoutMs: 5000 }));
    assert.ok(await waitFor(() => collector.spans.some((s) =>
      attr(s, 'switchyard.request_id') === 'after-bad-reload'), { timeoutMs: 5000 }));

    // The counters add up the replaced writer's lines: they never go down.
    const { samples } = await scrape(gw.url);
    assert.ok(valueOf(samples, 'switchyard_access_log_lines_total', { outcome: 'written' }) >= 3);
  });
});

describe('observability: an https collector', () => {
  let mock, collector, trusted, untrusted, cfg, certDir;

  before(async () => {
    // A self-signed certificate for the loopback address, made for this test.
    certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-otlp-tls-'));
    const key = path.join(certDir, 'key.pem');
    const cert = path.join(certDir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
      '-out', cert, '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    mock = await startMock();
    collector = await startCollector({ tls: { key: fs.readFileSync(key), cert: fs.readFileSync(cert) } });
    cfg = writeConfig(configYaml(mock.port));
    const env = {
      MOCK_KEY,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `https://127.0.0.1:${collector.port}/v1/traces`,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    };
    trusted = await startGateway({ configFile: cfg.file,
      env: cleanEnv({ ...env, OTEL_EXPORTER_OTLP_CERTIFICATE: cert }) });
    // Without the CA file the system's bundle is used, which does not know this certificate.
    untrusted = await startGateway({ configFile: cfg.file, env: cleanEnv(env) });
  });
  after(async () => {
    if (trusted) await trusted.stop();
    if (untrusted) await untrusted.stop();
    if (mock) await mock.stop();
    if (collector) await collector.close();
    if (cfg) fs.rmSync(cfg.dir, { recursive: true, force: true });
    if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
  });

  it('exports to a collector verified with the configured CA file', async () => {
    const traceId = 'abcdef0123456789abcdef0123456789';
    const r = await rawRequest(trusted.url, { path: '/v1/chat/completions',
      headers: { ...AUTH, traceparent: `00-${traceId}-00f067aa0ba902b7-01` }, body: chatBody() });
    assert.equal(r.status, 200);
    const spans = await waitFor(() => {
      const s = collector.spans.filter((x) => x.traceId === traceId);
      return s.length >= 2 ? s : null;
    }, { timeoutMs: 5000 });
    assert.ok(spans, 'no spans over https');
  });

  it('an unverifiable collector is reported and counted; requests are unaffected', async () => {
    const traceId = '0123456789abcdef0123456789abcdef';
    const r = await rawRequest(untrusted.url, { path: '/v1/chat/completions',
      headers: { ...AUTH, traceparent: `00-${traceId}-00f067aa0ba902b7-01` }, body: chatBody() });
    assert.equal(r.status, 200);
    const failures = await waitFor(async () => {
      const { samples } = await scrape(untrusted.url);
      const n = valueOf(samples, 'switchyard_trace_export_failures_total', {});
      return n >= 1 ? n : null;
    }, { timeoutMs: 5000 });
    assert.ok(failures >= 1, 'the failed export was not counted');
    assert.match(untrusted.child.stderr, /certificate verification failed/);
    assert.equal(collector.spans.filter((x) => x.traceId === traceId).length, 0);
    const again = await rawRequest(untrusted.url, { path: '/v1/chat/completions', headers: AUTH, body: chatBody() });
    assert.equal(again.status, 200);
  });
});
