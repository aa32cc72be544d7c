// Bad input, bad credentials and bad upstreams: every one gets an OpenAI-format error with the
// right status, and the gateway keeps serving.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
  startStack, sdkClient, rawRequest, assertOpenAIError, sleep, APIError, AuthenticationError,
  NotFoundError, MASTER_KEY, CONFIGURED_MODELS,
} from './harness.mjs';

const MESSAGES = [{ role: 'user', content: 'hi' }];

// A raw connection that sends `payload` and then stalls; resolves when the server closes it.
function stalledClient(port, payload, waitMs = 10000) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    let done = false;
    const finish = (how) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ how, data, ms: Date.now() - t0 });
    };
    const timer = setTimeout(() => finish('still-open'), waitMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => { if (payload) sock.write(payload); });
    sock.on('data', (d) => { data += d; });
    sock.on('end', () => finish('closed'));
    sock.on('close', () => finish('closed'));
    sock.on('error', () => finish('reset'));
  });
}

describe('errors', () => {
  let stack, client;

  before(async () => {
    stack = await startStack();
    client = sdkClient(stack.gw.baseURL);
  });

  after(async () => {
    if (stack) await stack.stopAll();
  });

  const post = (body, headers = {}) => rawRequest(stack.gw.url, {
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}`, ...headers },
    body,
  });

  it('wrong key → 401 AuthenticationError, nothing reaches the upstream', async () => {
    const before = (await stack.mock.stats()).requests;
    const bad = sdkClient(stack.gw.baseURL, 'sk-wrong-key');
    await assert.rejects(
      bad.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }),
      (e) => {
        assert.ok(e instanceof AuthenticationError, `expected AuthenticationError, got ${e}`);
        assert.equal(e.status, 401);
        assert.ok(e.error && typeof e.error.message === 'string' && e.error.message.length > 0);
        return true;
      });
    await assert.rejects(bad.models.list(), (e) => e instanceof AuthenticationError);
    assert.equal((await stack.mock.stats()).requests, before);
  });

  it('missing key → 401 OpenAI-format error', async () => {
    const r = await rawRequest(stack.gw.url, {
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES }),
    });
    assert.equal(r.status, 401);
    assertOpenAIError(assert, r.json, { status: 401, context: 'missing key' });
    assert.ok(r.headers['x-request-id'], 'x-request-id missing on an error');

    const basic = await post(JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES }),
      { authorization: `Basic ${Buffer.from(`u:${MASTER_KEY}`).toString('base64')}` });
    assert.equal(basic.status, 401, 'a non-Bearer Authorization header must not authenticate');
  });

  it('unknown model → 404 model_not_found listing the valid names', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'no-such-model', messages: MESSAGES }),
      (e) => {
        assert.ok(e instanceof NotFoundError, `expected NotFoundError (404), got ${e}`);
        assert.equal(e.status, 404);
        assert.equal(e.code, 'model_not_found');
        for (const name of CONFIGURED_MODELS) {
          assert.ok(e.error.message.includes(name), `message does not list ${name}: ${e.error.message}`);
        }
        return true;
      });
    await assert.rejects(
      client.embeddings.create({ model: 'no-such-embedder', input: 'x' }),
      (e) => e instanceof NotFoundError && e.code === 'model_not_found');
  });

  it('malformed and ill-typed bodies → 400, never forwarded', async () => {
    const before = (await stack.mock.stats()).requests;
    const cases = [
      ['malformed JSON', '{"model": "gpt-4o-mini", "messages": ['],
      ['not JSON at all', 'hello'],
      ['empty body', ''],
      ['JSON array instead of object', '[1,2,3]'],
      ['missing model', JSON.stringify({ messages: MESSAGES })],
      ['model not a string', JSON.stringify({ model: 42, messages: MESSAGES })],
      ['missing messages', JSON.stringify({ model: 'gpt-4o-mini' })],
      ['messages not an array', JSON.stringify({ model: 'gpt-4o-mini', messages: 'hi' })],
      ['stream not a bool', JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES, stream: 'yes' })],
    ];
    const failures = [];
    for (const [name, body] of cases) {
      const r = await post(body);
      if (r.status !== 400) {
        failures.push(`${name}: expected 400, got ${r.status} ${r.text.slice(0, 200)}`);
        continue;
      }
      assertOpenAIError(assert, r.json, { status: 400, context: name });
      assert.equal(r.json.error.type, 'invalid_request_error', `${name}: error.type`);
      assert.ok(r.headers['x-request-id'], `${name}: x-request-id missing`);
    }
    assert.deepEqual(failures, []);
    assert.equal((await stack.mock.stats()).requests, before, 'a bad request reached the upstream');

    const emb = await rawRequest(stack.gw.url, {
      path: '/v1/embeddings',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` },
      body: JSON.stringify({ model: 'embedder' }),
    });
    assert.equal(emb.status, 400, `embeddings without input: ${emb.status} ${emb.text}`);
    assertOpenAIError(assert, emb.json, { status: 400, context: 'embeddings without input' });
  });

  it('body over max_request_body_mb → 413; a body under it passes', async () => {
    const big = JSON.stringify({
      model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(200 * 1024) }],
    });
    const r = await post(big);
    assert.equal(r.status, 413, `Content-Length body of ${big.length} bytes: ${r.status} ${r.text.slice(0, 200)}`);
    if (r.json) assertOpenAIError(assert, r.json, { status: 413, context: '413' });

    // The same over chunked transfer encoding (no Content-Length to check up front).
    const chunked = await rawRequest(stack.gw.url, {
      path: '/v1/chat/completions',
      headers: {
        'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}`,
        'transfer-encoding': 'chunked',
      },
      body: big,
    });
    assert.equal(chunked.status, 413, `chunked body: ${chunked.status} ${chunked.text.slice(0, 200)}`);

    const small = await post(JSON.stringify({
      model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'y'.repeat(30 * 1024) }],
      mock: { content: 'fits' },
    }));
    assert.equal(small.status, 200, `30 KiB body: ${small.status} ${small.text.slice(0, 200)}`);
    assert.equal(small.json.choices[0].message.content, 'fits');
  });

  it('upstream refuses the connection → 502 with a clear message', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'dead-upstream', messages: MESSAGES }),
      (e) => {
        assert.ok(e instanceof APIError, `${e}`);
        assert.equal(e.status, 502);
        assert.match(e.error?.message ?? '', /connect|refused|unreachable|upstream/i);
        return true;
      });
    await assert.rejects(
      (async () => {
        const s = await client.chat.completions.create({ model: 'dead-upstream', messages: MESSAGES, stream: true });
        for await (const _ of s) { /* drain */ }
      })(),
      (e) => e instanceof APIError && e.status === 502,
      'a stream to a refusing upstream must fail with 502 before any chunk');
  });

  it('upstream sends garbage → 502', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, mock: { garbage: true } }),
      (e) => {
        assert.ok(e instanceof APIError, `${e}`);
        assert.equal(e.status, 502);
        assert.ok((e.error?.message ?? '').length > 0);
        return true;
      });
  });

  it('upstream 429 → 429 passed through with the upstream message', async () => {
    const knob = { status: 429, retry_after: 2 };
    // What the mock says when asked directly.
    const directRes = await rawRequest(stack.mock.url, {
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      body: JSON.stringify({ model: 'gpt-4o-mini-upstream', messages: MESSAGES, mock: knob }),
    });
    assert.equal(directRes.status, 429);
    const upstreamMessage = directRes.json.error.message;

    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, mock: knob }),
      (e) => {
        assert.ok(e instanceof APIError, `${e}`);
        assert.equal(e.status, 429);
        assert.ok((e.error?.message ?? '').includes(upstreamMessage),
          `gateway message "${e.error?.message}" does not carry the upstream's "${upstreamMessage}"`);
        return true;
      });
  });

  it('the gateway still answers after all those errors', async () => {
    const r = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, mock: { content: 'fine' },
    });
    assert.equal(r.choices[0].message.content, 'fine');
  });

  it('slow clients time out (408 or close) while others are served', { timeout: 60000 }, async () => {
    const port = stack.gw.port;
    const halfHeaders = stalledClient(port, 'POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES });
    const halfBody = stalledClient(port,
      'POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Authorization: Bearer ${MASTER_KEY}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
    const silent = stalledClient(port, '');

    // While three connections stall, a normal request on the single worker is answered.
    await sleep(200);
    const t0 = Date.now();
    const r = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, mock: { content: 'not blocked' },
    });
    assert.equal(r.choices[0].message.content, 'not blocked');
    assert.ok(Date.now() - t0 < 900, 'a stalled client delayed another request');

    const results = { halfHeaders: await halfHeaders, halfBody: await halfBody, silent: await silent };
    for (const [name, res] of Object.entries(results)) {
      assert.notEqual(res.how, 'still-open',
        `${name}: connection still open after ${res.ms} ms (header_timeout 1 s, body_timeout 2 s)`);
      if (res.data.length > 0) {
        assert.match(res.data, /^HTTP\/1\.1 408 /, `${name}: unexpected answer ${res.data.slice(0, 200)}`);
      }
    }

    const again = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, mock: { content: 'still serving' },
    });
    assert.equal(again.choices[0].message.content, 'still serving');
  });
});
