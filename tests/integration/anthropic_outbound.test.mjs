// The OpenAI SDK talking to an Anthropic deployment: the gateway translates to the Messages API
// (the mock provider answers in Anthropic's real format) and back, streaming included.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  startMock, startGateway, writeConfig, sdkClient, APIError, BadRequestError, MOCK_KEY,
} from './harness.mjs';

const MODEL = 'claude-haiku';
const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function config(mockPort) {
  return `# written by tests/integration/anthropic_outbound.test.mjs
model_list:
  - model_name: ${MODEL}
    litellm_params:
      model: anthropic/claude-3-5-haiku-latest
      api_base: "http://127.0.0.1:${mockPort}"
      api_key: os.environ/MOCK_KEY
  - model_name: claude-v1-base
    litellm_params:
      model: anthropic/claude-sonnet-4-5
      api_base: "http://127.0.0.1:${mockPort}/v1"
      api_key: os.environ/MOCK_KEY
  - model_name: claude-wrong-key
    litellm_params:
      model: anthropic/claude-3-5-haiku-latest
      api_base: "http://127.0.0.1:${mockPort}"
      api_key: sk-ant-wrong
general_settings:
  master_key: sk-test-master
`;
}

describe('anthropic outbound', () => {
  let mock, gw, cfg, client;

  before(async () => {
    mock = await startMock(['--require-key', MOCK_KEY]);
    cfg = writeConfig(config(mock.port));
    gw = await startGateway({ configFile: cfg.file });
    client = sdkClient(gw.baseURL);
  });

  after(async () => {
    const alive = gw?.child.running;
    if (gw) await gw.stop('SIGTERM');
    if (mock) await mock.stop();
    if (cfg) fs.rmSync(cfg.dir, { recursive: true, force: true });
    assert.ok(alive !== false, `switchyard died during the tests:\n${gw?.child.tail()}`);
  });

  it('chat: the Messages request is built and the answer translated', async () => {
    const res = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      temperature: 0.3,
      stop: 'END',
      mock: { content: 'Paris is the capital of France.' },
    });
    assert.equal(res.object, 'chat.completion');
    assert.match(res.id, /^msg_/);
    assert.equal(res.model, 'claude-3-5-haiku-latest');
    assert.equal(res.choices.length, 1);
    assert.equal(res.choices[0].message.role, 'assistant');
    assert.equal(res.choices[0].message.content, 'Paris is the capital of France.');
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.ok(res.usage.prompt_tokens > 0);
    assert.equal(res.usage.completion_tokens, 6);
    assert.equal(res.usage.total_tokens, res.usage.prompt_tokens + 6);

    const last = (await mock.stats()).last_request;
    assert.equal(last.target, '/v1/messages');
    const { headers } = last;
    assert.equal(headers['x-api-key'], MOCK_KEY);
    assert.equal(headers['anthropic-version'], '2023-06-01');
    assert.equal(headers.authorization, undefined);
    assert.equal(last.body.model, 'claude-3-5-haiku-latest');
    assert.equal(last.body.system, 'You are terse.');
    assert.equal(last.body.max_tokens, 8192);
    assert.equal(last.body.temperature, 0.3);
    assert.deepEqual(last.body.stop_sequences, ['END']);
    assert.deepEqual(last.body.messages, [{ role: 'user', content: 'Capital of France?' }]);
  });

  it('an api_base ending in /v1 reaches /v1/messages too', async () => {
    const res = await client.chat.completions.create({
      model: 'claude-v1-base', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5,
      mock: { content: 'hello' },
    });
    assert.equal(res.choices[0].message.content, 'hello');
    const last = (await mock.stats()).last_request;
    assert.equal(last.target, '/v1/messages');
    assert.equal(last.body.max_tokens, 5);
  });

  it('streaming with usage: role, content deltas, finish, usage chunk, [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
      mock: { content: 'one two three four' },
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, 'one two three four');
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
    assert.equal(finishes.length, 1);
    assert.equal(finishes[0].choices[0].finish_reason, 'stop');
    const usage = chunks.at(-1);
    assert.deepEqual(usage.choices, []);
    assert.equal(usage.usage.completion_tokens, 4);
    assert.ok(usage.usage.prompt_tokens > 0);
    for (const c of chunks) {
      assert.equal(c.object, 'chat.completion.chunk');
      assert.equal(c.id, chunks[0].id);
    }
    assert.equal((await mock.stats()).last_request.body.stream, true);
  });

  it('streaming without include_usage sends no usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true,
      mock: { content: 'just this' },
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    assert.ok(chunks.every((c) => c.choices.length === 1 && !c.usage));
    assert.equal(chunks.map((c) => c.choices[0].delta.content ?? '').join(''), 'just this');
  });

  it('tools: a forced call comes back as tool_calls, whole and streamed', async () => {
    const res = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
      tool_choice: 'required',
    });
    const msg = res.choices[0].message;
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.equal(msg.tool_calls.length, 1);
    assert.match(msg.tool_calls[0].id, /^toolu_/);
    assert.equal(msg.tool_calls[0].type, 'function');
    assert.equal(msg.tool_calls[0].function.name, 'get_weather');
    assert.deepEqual(JSON.parse(msg.tool_calls[0].function.arguments), { city: 'mock' });
    const sent = (await mock.stats()).last_request.body;
    assert.deepEqual(sent.tools, [{
      name: 'get_weather', description: 'Current weather in a city',
      input_schema: WEATHER_TOOL.function.parameters,
    }]);
    assert.deepEqual(sent.tool_choice, { type: 'any' });

    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
      stream: true,
    });
    let preface = '';
    const calls = [];
    let finish;
    for await (const c of stream) {
      const d = c.choices[0]?.delta ?? {};
      preface += d.content ?? '';
      for (const tc of d.tool_calls ?? []) {
        if (tc.id) calls[tc.index] = { id: tc.id, name: tc.function.name, args: '' };
        calls[tc.index].args += tc.function?.arguments ?? '';
      }
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(preface, "I'll use the get_weather tool.");
    assert.equal(calls.length, 1);
    assert.equal(calls[0].name, 'get_weather');
    assert.deepEqual(JSON.parse(calls[0].args), { city: 'mock' });
    assert.equal(finish, 'tool_calls');
  });

  it('tools: tool results go back as tool_result blocks', async () => {
    const res = await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant', content: null,
          tool_calls: [{ id: 'toolu_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_abc', content: '18C and sunny' },
      ],
      tools: [WEATHER_TOOL],
      tool_choice: 'none',
      mock: { content: 'It is 18C and sunny in Paris.' },
    });
    assert.equal(res.choices[0].message.content, 'It is 18C and sunny in Paris.');
    const sent = (await mock.stats()).last_request.body;
    assert.deepEqual(sent.messages[1], {
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_abc', name: 'get_weather', input: { city: 'Paris' } }],
    });
    assert.deepEqual(sent.messages[2], {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_abc', content: '18C and sunny' }],
    });
  });

  it('reasoning_effort turns on thinking; it comes back as reasoning_content', async () => {
    const res = await client.chat.completions.create({
      model: MODEL, messages: [{ role: 'user', content: 'think' }], reasoning_effort: 'low',
      mock: { content: 'done' },
    });
    assert.equal(res.choices[0].message.content, 'done');
    assert.ok(res.choices[0].message.reasoning_content.length > 0);
    assert.equal(res.choices[0].message.thinking_blocks[0].type, 'thinking');
    const sent = (await mock.stats()).last_request.body;
    assert.deepEqual(sent.thinking, { type: 'enabled', budget_tokens: 1024 });
  });

  it('upstream 529 overloaded → 503, whole and streamed', async () => {
    for (const stream of [false, true]) {
      await assert.rejects(
        client.chat.completions.create({
          model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream, mock: { status: 529 },
        }),
        (e) => {
          assert.ok(e instanceof APIError, `expected APIError, got ${e}`);
          assert.equal(e.status, 503);
          assert.match(e.error.message, /Overloaded/);
          return true;
        });
    }
  });

  it('upstream cut mid-stream or garbage → the client stream ends with an error', async () => {
    for (const mockKnobs of [
      { content: 'one two three four five six seven eight', disconnect_after: 3 },
      { content: 'one two', garbage: true },
    ]) {
      let received = '';
      let error = null;
      try {
        const stream = await client.chat.completions.create({
          model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true, mock: mockKnobs,
        });
        for await (const c of stream) received += c.choices[0]?.delta?.content ?? '';
      } catch (e) {
        error = e;
      }
      assert.ok(error, `the stream ended cleanly (${JSON.stringify(mockKnobs)}), got "${received}"`);
      assert.ok(received.length <= 'one two three'.length, `received "${received}"`);
    }
    const res = await client.chat.completions.create({
      model: MODEL, messages: [{ role: 'user', content: 'hi' }], mock: { content: 'still alive' },
    });
    assert.equal(res.choices[0].message.content, 'still alive');
  });

  it('a parameter Anthropic cannot honour → 400 naming it, nothing sent upstream', async () => {
    const before = (await mock.stats()).requests;
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], seed: 7 }),
      (e) => {
        assert.ok(e instanceof BadRequestError, `expected BadRequestError, got ${e}`);
        assert.equal(e.status, 400);
        assert.equal(e.error.param, 'seed');
        assert.match(e.error.message, /seed/);
        return true;
      });
    assert.equal((await mock.stats()).requests, before);
  });

  it('a wrong upstream key → 401 with Anthropic\'s message', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'claude-wrong-key', messages: [{ role: 'user', content: 'hi' }] }),
      (e) => {
        assert.ok(e instanceof APIError);
        assert.equal(e.status, 401);
        assert.match(e.error.message, /invalid x-api-key/);
        return true;
      });
  });

  it('embeddings on an Anthropic model → clear 400', async () => {
    await assert.rejects(
      client.embeddings.create({ model: MODEL, input: 'hello' }),
      (e) => {
        assert.equal(e.status, 400);
        assert.match(e.error.message, /embeddings/);
        return true;
      });
  });
});
