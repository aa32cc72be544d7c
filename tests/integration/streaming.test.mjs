// Streaming through the gateway: usage handling, tool-call deltas, upstream disconnects and
// client aborts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, sdkClient, waitFor, MOCK_KEY, MASTER_KEY } from './harness.mjs';

const MESSAGES = [{ role: 'user', content: 'Tell me a short story.' }];

describe('streaming', () => {
  let stack, client, direct;

  before(async () => {
    stack = await startStack();
    client = sdkClient(stack.gw.baseURL);
    direct = sdkClient(`${stack.mock.url}/v1`, MOCK_KEY);
  });

  after(async () => {
    if (stack) await stack.stopAll();
  });

  it('with include_usage: chunks arrive, usage is in the last (choices: []) chunk', async () => {
    const text = 'Once upon a time there was a small gateway that streamed every token.';
    const body = {
      model: 'gpt-4o-mini', messages: MESSAGES, stream: true,
      stream_options: { include_usage: true }, mock: { content: text },
    };
    const { data: stream, response } = await client.chat.completions.create(body).withResponse();
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.ok(response.headers.get('x-request-id'), 'x-request-id missing on a stream');

    const chunks = [];
    for await (const c of stream) chunks.push(c);
    const contentChunks = chunks.filter((c) => c.choices.length > 0 && c.choices[0].delta?.content);
    assert.ok(contentChunks.length >= 2, `expected several content chunks, got ${contentChunks.length}`);
    for (const c of chunks) assert.equal(c.object, 'chat.completion.chunk');
    const joined = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(joined, text);
    assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === 'stop'), 'no finish_reason stop');

    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.choices, [], 'the usage chunk must have choices: []');
    assert.ok(last.usage, 'last chunk carries no usage');
    for (const c of chunks.slice(0, -1)) assert.ok(!c.usage, 'usage only belongs in the last chunk');

    const ref = await direct.chat.completions.create({ ...body, model: 'gpt-4o-mini-upstream', stream: false });
    assert.equal(last.usage.prompt_tokens, ref.usage.prompt_tokens);
    assert.equal(last.usage.completion_tokens, ref.usage.completion_tokens);
    assert.equal(last.usage.total_tokens, ref.usage.total_tokens);
  });

  it('without include_usage: no usage chunk reaches the client, but upstream was asked for it', async () => {
    const text = 'Short answer without usage.';
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, stream: true, mock: { content: text },
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    assert.ok(chunks.length >= 2);
    for (const c of chunks) {
      assert.ok(c.choices.length > 0, `a chunk with choices: [] leaked to the client: ${JSON.stringify(c)}`);
      assert.ok(!c.usage, `usage leaked to a client that did not ask for it: ${JSON.stringify(c)}`);
    }
    assert.equal(chunks.map((c) => c.choices[0].delta?.content ?? '').join(''), text);

    const { last_request: lr } = await stack.mock.stats();
    assert.equal(lr.body.stream, true);
    assert.equal(lr.body.model, 'gpt-4o-mini-upstream');
    assert.equal(lr.body.stream_options?.include_usage, true,
      `upstream should be asked for include_usage, got ${JSON.stringify(lr.body.stream_options)}`);
  });

  it('the raw SSE stream ends with data: [DONE]', async () => {
    const r = await fetch(`${stack.gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true, mock: { content: 'abc def' } }),
    });
    assert.equal(r.status, 200);
    const text = await r.text();
    const events = text.split(/\r?\n\r?\n/).map((e) => e.trim()).filter(Boolean);
    assert.equal(events[events.length - 1], 'data: [DONE]');
    assert.equal(events.filter((e) => e === 'data: [DONE]').length, 1);
    for (const e of events.slice(0, -1)) assert.match(e, /^data: \{/);
  });

  it('tools: streamed argument deltas reassemble to valid JSON', async () => {
    const tools = [{
      type: 'function',
      function: {
        name: 'lookup_order',
        parameters: {
          type: 'object',
          properties: { order_id: { type: 'string' }, verbose: { type: 'boolean' } },
          required: ['order_id'],
        },
      },
    }];
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is order 42?' }], tools, stream: true,
    });
    const calls = new Map();
    let finish = null;
    let deltas = 0;
    for await (const c of stream) {
      const ch = c.choices[0];
      if (!ch) continue;
      if (ch.finish_reason) finish = ch.finish_reason;
      for (const tc of ch.delta?.tool_calls ?? []) {
        deltas++;
        const cur = calls.get(tc.index) ?? { id: '', name: '', args: '' };
        if (tc.id) cur.id = tc.id;
        if (tc.function?.name) cur.name += tc.function.name;
        if (tc.function?.arguments) cur.args += tc.function.arguments;
        calls.set(tc.index, cur);
      }
    }
    assert.equal(finish, 'tool_calls');
    assert.ok(deltas >= 1);
    assert.equal(calls.size, 1);
    const call = calls.get(0);
    assert.equal(call.name, 'lookup_order');
    assert.ok(call.id.length > 0, 'tool call id missing');
    let args;
    assert.doesNotThrow(() => { args = JSON.parse(call.args); }, `arguments are not JSON: ${call.args}`);
    assert.equal(typeof args, 'object');

    // The SDK's own stream helper must reassemble the same call.
    const runner = client.chat.completions.stream({
      model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is order 42?' }], tools,
    });
    const final = await runner.finalChatCompletion();
    const tc = final.choices[0].message.tool_calls[0];
    assert.equal(tc.function.name, 'lookup_order');
    assert.equal(typeof JSON.parse(tc.function.arguments), 'object');
  });

  it('upstream disconnects mid-stream: the client stream ends with an error, the gateway keeps serving', { timeout: 30000 }, async () => {
    let received = 0;
    let error = null;
    try {
      // An error before the first byte (a 502) is acceptable too; a clean end is not.
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini', messages: MESSAGES, stream: true,
        mock: { content: 'one two three four five six seven eight nine ten eleven twelve', disconnect_after: 3 },
      });
      for await (const c of stream) {
        if (c.choices[0]?.delta?.content) received++;
      }
    } catch (e) {
      error = e;
    }
    assert.ok(error, `the stream ended cleanly after ${received} content chunks; a truncated ` +
      'upstream stream must reach the client as an error (error event or aborted response)');
    assert.ok(received <= 3, `received ${received} content chunks, mock sent only 3`);

    const r = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, mock: { content: 'still alive' },
    });
    assert.equal(r.choices[0].message.content, 'still alive');
    const s = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, stream: true, mock: { content: 'streams too' },
    });
    let t = '';
    for await (const c of s) t += c.choices[0]?.delta?.content ?? '';
    assert.equal(t, 'streams too');
  });

  it('client aborts a slow stream: the gateway cancels the upstream request', { timeout: 30000 }, async () => {
    const before = await stack.mock.stats();
    const ac = new AbortController();
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, stream: true,
      mock: { completion_tokens: 200, tokens_per_second: 5 },
    }, { signal: ac.signal });
    let got = 0;
    for await (const c of stream) {
      if (c.choices[0]?.delta?.content) got++;
      if (got >= 1) {
        ac.abort();
        break;
      }
    }
    assert.equal(got, 1);
    const after = await waitFor(async () => {
      const s = await stack.mock.stats();
      return s.aborted_streams > before.aborted_streams ? s : null;
    }, { timeoutMs: 5000, intervalMs: 100 });
    assert.ok(after, 'mock saw no aborted stream within 5 s: the gateway did not cancel upstream ' +
      `(stats ${JSON.stringify(await stack.mock.stats())})`);
  });

  it('time to first chunk: chunks are forwarded as they arrive, not buffered', { timeout: 30000 }, async () => {
    // 20 tokens at 10/s take ~2 s upstream; the first chunk must reach us long before the end.
    const t0 = Date.now();
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, stream: true,
      mock: { completion_tokens: 20, tokens_per_second: 10 },
    });
    let first = null;
    let n = 0;
    for await (const c of stream) {
      if (c.choices[0]?.delta?.content) {
        n++;
        if (first === null) first = Date.now() - t0;
      }
    }
    const total = Date.now() - t0;
    assert.ok(n >= 2, `got ${n} content chunks`);
    assert.ok(total >= 1000, `stream took only ${total} ms; the slow-stream knob did not apply`);
    assert.ok(first < total - 700, `first chunk after ${first} ms of ${total} ms: the stream was buffered`);
  });
});
