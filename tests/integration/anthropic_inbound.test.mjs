// The Anthropic Messages API served by the gateway from an OpenAI-format backend (the mock),
// driven by the official @anthropic-ai/sdk: create, stream (text and tool use) with the SDK's
// stream helpers, count_tokens, and errors in Anthropic's format.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  startStack, startMock, startGateway, writeConfig, sdkClient, MOCK_KEY, MASTER_KEY,
} from './harness.mjs';

let Anthropic;
try {
  Anthropic = (await import('@anthropic-ai/sdk')).default;
} catch (e) {
  throw new Error(`the @anthropic-ai/sdk npm package is missing (${e.message}); run \`npm ci\` ` +
    'in tests/integration or scripts/setup.sh --test');
}

const MODEL = 'gpt-4o-mini';  // an OpenAI-format deployment on the mock
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function anthropicClient(baseURL, opts = {}) {
  // x-api-key, as Anthropic clients send it.
  return new Anthropic({ baseURL, apiKey: MASTER_KEY, maxRetries: 0, timeout: 30000, ...opts });
}

function assertAnthropicError(e, status, type, context) {
  assert.ok(e instanceof Anthropic.APIError, `${context}: not an APIError: ${e}`);
  assert.equal(e.status, status, `${context}: ${e.message}`);
  assert.equal(e.error?.type, 'error', `${context}: body ${JSON.stringify(e.error)}`);
  assert.equal(e.error?.error?.type, type, `${context}: body ${JSON.stringify(e.error)}`);
  assert.equal(typeof e.error?.error?.message, 'string');
  assert.ok(e.error.error.message.length > 0);
}

describe('anthropic inbound: /v1/messages over an OpenAI-format backend', () => {
  let stack, client, direct;

  before(async () => {
    stack = await startStack();
    client = anthropicClient(stack.gw.url);
    direct = sdkClient(`${stack.mock.url}/v1`, MOCK_KEY);
  });

  after(async () => {
    if (stack) await stack.stopAll();
  });

  it('messages.create: text, stop_reason, usage; the upstream got the OpenAI translation', async () => {
    const params = {
      model: MODEL,
      max_tokens: 64,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
      stop_sequences: ['###'],
      temperature: 0.3,
      metadata: { user_id: 'user-42' },
      mock: { content: 'Paris is the capital of France.' },
    };
    const { data: msg, response } = await client.messages.create(params).withResponse();
    assert.equal(response.status, 200);
    assert.equal(msg.type, 'message');
    assert.equal(msg.role, 'assistant');
    assert.match(msg.id, /^msg_/);
    assert.equal(msg.model, MODEL);
    assert.deepEqual(msg.content, [{ type: 'text', text: 'Paris is the capital of France.' }]);
    assert.equal(msg.stop_reason, 'end_turn');
    assert.equal(msg.stop_sequence, null);

    const { last_request: lr } = await stack.mock.stats();
    assert.equal(lr.target, '/v1/chat/completions');
    assert.equal(lr.headers.authorization, `Bearer ${MOCK_KEY}`);
    assert.equal(lr.body.model, 'gpt-4o-mini-upstream');
    assert.deepEqual(lr.body.messages, [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'What is the capital of France?' },
    ]);
    assert.equal(lr.body.max_tokens, 64);
    assert.deepEqual(lr.body.stop, ['###']);
    assert.equal(lr.body.temperature, 0.3);
    assert.equal(lr.body.user, 'user-42');
    assert.equal(lr.body.metadata, undefined);
    assert.equal(lr.body.system, undefined);

    // Usage is the mock's own count for the same OpenAI request.
    const ref = await direct.chat.completions.create({ ...lr.body, stream: false });
    assert.equal(msg.usage.input_tokens, ref.usage.prompt_tokens);
    assert.equal(msg.usage.output_tokens, ref.usage.completion_tokens);
    assert.equal(msg.usage.cache_read_input_tokens, 0);
  });

  it('messages.create: max_tokens cut → stop_reason max_tokens', async () => {
    const msg = await client.messages.create({
      model: MODEL, max_tokens: 3, messages: [{ role: 'user', content: 'Tell me a long story.' }],
      mock: { completion_tokens: 50 },
    });
    assert.equal(msg.stop_reason, 'max_tokens');
    assert.equal(msg.usage.output_tokens, 3);
  });

  it('messages.create with tools: tool_use block, then the tool_result turn reaches the upstream', async () => {
    const msg = await client.messages.create({
      model: MODEL, max_tokens: 64, tools: [WEATHER_TOOL],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    assert.equal(msg.stop_reason, 'tool_use');
    assert.equal(msg.content.length, 1);
    const use = msg.content[0];
    assert.equal(use.type, 'tool_use');
    assert.equal(use.name, 'get_weather');
    assert.equal(typeof use.id, 'string');
    assert.deepEqual(use.input, { city: 'mock' });

    let { last_request: lr } = await stack.mock.stats();
    assert.deepEqual(lr.body.tools, [{
      type: 'function',
      function: {
        name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_TOOL.input_schema,
      },
    }]);
    assert.deepEqual(lr.body.tool_choice, { type: 'function', function: { name: 'get_weather' } });

    const next = await client.messages.create({
      model: MODEL, max_tokens: 64, tools: [WEATHER_TOOL], tool_choice: { type: 'none' },
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: msg.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Sunny, 21 C' }] },
      ],
      mock: { content: 'It is sunny.' },
    });
    assert.deepEqual(next.content, [{ type: 'text', text: 'It is sunny.' }]);
    ({ last_request: lr } = await stack.mock.stats());
    assert.deepEqual(lr.body.messages.slice(1), [
      {
        role: 'assistant', content: null,
        tool_calls: [{
          id: use.id, type: 'function',
          function: { name: 'get_weather', arguments: JSON.stringify({ city: 'mock' }) },
        }],
      },
      { role: 'tool', tool_call_id: use.id, content: 'Sunny, 21 C' },
    ]);
    assert.equal(lr.body.tool_choice, 'none');
  });

  it('messages.stream: text deltas, event order, finalMessage() with usage', async () => {
    const text = 'Once upon a time a gateway translated every token it streamed.';
    const stream = client.messages.stream({
      model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'A story, please.' }],
      mock: { content: text },
    });
    const deltas = [];
    stream.on('text', (d) => deltas.push(d));
    const events = [];
    for await (const ev of stream) events.push(ev.type);
    const final = await stream.finalMessage();

    assert.ok(deltas.length >= 2, `expected several text deltas, got ${deltas.length}`);
    assert.equal(deltas.join(''), text);
    assert.equal(events[0], 'message_start');
    assert.equal(events.at(-1), 'message_stop');
    assert.equal(events.at(-2), 'message_delta');
    assert.equal(events.filter((t) => t === 'content_block_start').length, 1);
    assert.deepEqual(final.content, [{ type: 'text', text }]);
    assert.equal(final.stop_reason, 'end_turn');

    const { last_request: lr } = await stack.mock.stats();
    assert.equal(lr.body.stream, true);
    assert.equal(lr.body.stream_options?.include_usage, true);
    const ref = await direct.chat.completions.create({ ...lr.body, stream: false });
    assert.equal(final.usage.input_tokens, ref.usage.prompt_tokens);
    assert.equal(final.usage.output_tokens, ref.usage.completion_tokens);
  });

  it('messages.stream with a tool: input_json deltas reassemble, finalMessage() has the tool_use', async () => {
    const stream = client.messages.stream({
      model: MODEL, max_tokens: 64, tools: [WEATHER_TOOL],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [{ role: 'user', content: 'Weather in Rome?' }],
    });
    let json = '';
    stream.on('inputJson', (partial) => { json += partial; });
    const final = await stream.finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    assert.equal(final.content.length, 1);
    const use = final.content[0];
    assert.equal(use.type, 'tool_use');
    assert.equal(use.name, 'get_weather');
    assert.match(use.id, /\S/);
    assert.deepEqual(use.input, { city: 'mock' });
    assert.deepEqual(JSON.parse(json), { city: 'mock' });

    const { last_request: lr } = await stack.mock.stats();
    assert.equal(lr.body.tool_choice, 'required');
    assert.equal(lr.body.parallel_tool_calls, false);
  });

  it('messages.countTokens: counted exactly with the OpenAI model\'s tokenizer', async () => {
    const r = await client.messages.countTokens({
      model: MODEL,
      system: '12345678',
      messages: [{ role: 'user', content: 'abcdefghijkl' }],
    }).withResponse();
    // o200k_base (gpt-4o-mini-upstream): 3 + 3 text tokens in OpenAI's chat framing (3 per
    // message with its role, 3 to prime the reply), as tiktoken counts them.
    assert.deepEqual(r.data, { input_tokens: 15 });
    // An OpenAI-format backend cannot count; the gateway counts with the model's tokenizer.
    assert.equal(r.response.headers.get('x-switchyard-token-count'), 'exact');
  });

  it('errors come back in Anthropic format with the right status', async () => {
    await assert.rejects(
      client.messages.create({
        model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Search the web' }],
        tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      }),
      (e) => {
        assertAnthropicError(e, 400, 'invalid_request_error', 'server tool');
        assert.match(e.error.error.message, /^tools\.0\.type: /);
        return true;
      });

    const missing = await fetch(`${stack.gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': MASTER_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(missing.status, 400);
    const body = await missing.json();
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.message, 'max_tokens: Field required');

    await assert.rejects(
      client.messages.create({
        model: 'no-such-model', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }],
      }),
      (e) => { assertAnthropicError(e, 404, 'not_found_error', 'unknown model'); return true; });

    await assert.rejects(
      anthropicClient(stack.gw.url, { apiKey: 'sk-wrong' }).messages.create({
        model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }],
      }),
      (e) => { assertAnthropicError(e, 401, 'authentication_error', 'wrong key'); return true; });

    await assert.rejects(
      client.messages.create({
        model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }],
        mock: { status: 429 },
      }),
      (e) => { assertAnthropicError(e, 429, 'rate_limit_error', 'upstream 429'); return true; });
  });

  it('what only Anthropic knows is refused before an OpenAI-format backend is called', async () => {
    const before = (await stack.mock.stats()).requests;
    await assert.rejects(
      client.messages.create({
        model: MODEL, max_tokens: 64,
        messages: [{ role: 'user', content: [{ type: 'hologram_20990101' }, { type: 'text', text: 'hi' }] }],
      }),
      (e) => {
        assertAnthropicError(e, 400, 'invalid_request_error', 'unknown block');
        assert.match(e.error.error.message, /^messages\.0\.content\.0\.type: /);
        return true;
      });
    assert.equal((await stack.mock.stats()).requests, before);
  });

  it('an upstream cut mid-stream surfaces as a stream error, and the gateway keeps serving', async () => {
    const stream = client.messages.stream({
      model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'Long story.' }],
      mock: { completion_tokens: 40, disconnect_after: 3 },
    });
    await assert.rejects(stream.finalMessage());

    const ok = await client.messages.create({
      model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'still there?' }],
      mock: { content: 'yes' },
    });
    assert.deepEqual(ok.content, [{ type: 'text', text: 'yes' }]);
  });
});

// An Anthropic client and an Anthropic deployment (the mock answers in Anthropic's real format):
// the upstream gets the client's own body, the model's value replaced; the stream comes back as
// it came, a whole answer through the gateway's canonical answer.
describe('anthropic inbound: /v1/messages over an Anthropic backend', () => {
  let mock, gw, cfg, client;

  before(async () => {
    mock = await startMock(['--require-key', MOCK_KEY]);
    cfg = writeConfig(`model_list:
  - model_name: claude
    litellm_params:
      model: anthropic/claude-3-5-haiku-latest
      api_base: "http://127.0.0.1:${mock.port}"
      api_key: os.environ/MOCK_KEY
general_settings:
  master_key: ${MASTER_KEY}
`);
    gw = await startGateway({ configFile: cfg.file });
    client = anthropicClient(gw.url);
  });

  after(async () => {
    const alive = gw?.child.running;
    if (gw) await gw.stop('SIGTERM');
    if (mock) await mock.stop();
    if (cfg) fs.rmSync(cfg.dir, { recursive: true, force: true });
    assert.ok(alive !== false, `switchyard died during the tests:\n${gw?.child.tail()}`);
  });

  async function lastUpstreamRequest() {
    const stats = await (await fetch(`${mock.url}/mock/stats`)).json();
    return stats.last_request;
  }

  it('messages.create: the upstream gets a Messages request and the client a Message', async () => {
    const msg = await client.messages.create({
      model: 'claude',
      max_tokens: 64,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Say hello.' }],
    });
    assert.equal(msg.type, 'message');
    assert.equal(msg.role, 'assistant');
    assert.equal(msg.content[0].type, 'text');
    assert.ok(msg.content[0].text.length > 0);
    assert.equal(msg.stop_reason, 'end_turn');
    assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0, JSON.stringify(msg.usage));

    const up = await lastUpstreamRequest();
    assert.equal(up.target, '/v1/messages');
    assert.equal(up.headers['x-api-key'], MOCK_KEY);
    // The version the SDK wrote the body for (the next test checks it is the client's).
    assert.match(up.headers['anthropic-version'], /^\d{4}-\d{2}-\d{2}$/);
    const body = typeof up.body === 'string' ? JSON.parse(up.body) : up.body;
    assert.equal(body.model, 'claude-3-5-haiku-latest');
    assert.equal(body.max_tokens, 64);
    assert.equal(JSON.stringify(body.system).includes('You are terse.'), true);
    assert.deepEqual(body.messages.at(-1).role, 'user');
  });

  // Everything here is a field or block the gateway's canonical request has no name for.
  const ONLY_ANTHROPIC = {
    model: 'claude',
    max_tokens: 256,
    system: [{ type: 'text', text: 'Be exact.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [
      { role: 'user', content: [
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' },
          citations: { enabled: true }, title: 'spec' },
        { type: 'hologram_20990101', payload: { depth: 3 } },
        { type: 'text', text: 'What changed? é😀', cache_control: { type: 'ephemeral' } },
      ] },
      { role: 'assistant', content: [
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
        { type: 'text', text: 'Nothing found.' },
      ] },
      { role: 'user', content: 'Try again.' },
    ],
    tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 2,
      user_location: { type: 'approximate', city: 'Paris' } }],
    thinking: { type: 'enabled', budget_tokens: 1024 },
    metadata: { user_id: 'u-1' },
    container: 'container_abc',
    mcp_servers: [{ type: 'url', url: 'https://mcp.example.com/sse', name: 'echo' }],
    service_tier: 'standard_only',
    context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
  };
  const BETAS = 'mcp-client-2025-04-04,context-management-2025-06-27';

  it('messages.create: the upstream gets the client\'s body as sent, the model replaced', async () => {
    const msg = await client.messages.create(ONLY_ANTHROPIC, { headers: { 'anthropic-beta': BETAS } });
    assert.equal(msg.type, 'message');
    assert.ok(msg.content.some((b) => b.type === 'text'), JSON.stringify(msg.content));

    const up = await lastUpstreamRequest();
    assert.equal(up.target, '/v1/messages');
    assert.deepEqual(up.body, { ...ONLY_ANTHROPIC, model: 'claude-3-5-haiku-latest' });
    assert.equal(up.headers['x-api-key'], MOCK_KEY);
    assert.equal(up.headers['anthropic-beta'], BETAS);
  });

  it('the client\'s anthropic-version goes with its body; without one, the gateway\'s', async () => {
    for (const [sent, got] of [['2099-01-01', '2099-01-01'], [undefined, '2023-06-01']]) {
      const headers = { 'x-api-key': MASTER_KEY, 'content-type': 'application/json' };
      if (sent) headers['anthropic-version'] = sent;
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST', headers,
        body: JSON.stringify({ model: 'claude', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(res.status, 200, await res.text());
      const up = await lastUpstreamRequest();
      assert.equal(up.headers['anthropic-version'], got);
      assert.equal(up.headers['anthropic-beta'], undefined);
    }
  });

  it('messages.stream: the same body, and the stream as the upstream sent it', async () => {
    const stream = client.messages.stream(ONLY_ANTHROPIC, { headers: { 'anthropic-beta': BETAS } });
    const final = await stream.finalMessage();
    assert.equal(final.stop_reason, 'end_turn');
    assert.ok(final.content.some((b) => b.type === 'thinking'), JSON.stringify(final.content));

    const up = await lastUpstreamRequest();
    assert.deepEqual(up.body, { ...ONLY_ANTHROPIC, model: 'claude-3-5-haiku-latest', stream: true });
    assert.equal(up.headers['anthropic-beta'], BETAS);
  });

  it('messages.countTokens is answered by the Anthropic backend, not estimated', async () => {
    const counted = await client.messages.countTokens({
      model: 'claude',
      messages: [{ role: 'user', content: 'Count the tokens of this sentence, please.' }],
    }).withResponse();
    assert.ok(counted.data.input_tokens > 0, JSON.stringify(counted.data));
    assert.equal(counted.response.headers.get('x-switchyard-token-count'), null);
    const up = await lastUpstreamRequest();
    assert.equal(up.target, '/v1/messages/count_tokens');
    assert.equal(up.headers['x-api-key'], MOCK_KEY);
    const body = typeof up.body === 'string' ? JSON.parse(up.body) : up.body;
    assert.equal(body.model, 'claude-3-5-haiku-latest');
  });

  it('messages.stream with a tool: tool_use arrives whole after both translations', async () => {
    const stream = client.messages.stream({
      model: 'claude',
      max_tokens: 128,
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    const final = await stream.finalMessage();
    const toolUse = final.content.find((b) => b.type === 'tool_use');
    assert.ok(toolUse, JSON.stringify(final.content));
    assert.equal(toolUse.name, 'get_weather');
    assert.equal(typeof toolUse.input.city, 'string');
    assert.equal(final.stop_reason, 'tool_use');
    assert.ok(final.usage.output_tokens > 0);
  });
});
