// The OpenAI Responses API (/v1/responses) in front of every backend family, driven by the
// official openai SDK: OpenAI and Azure OpenAI deployments get the client's own body (native
// pass-through), a chat-only OpenAI-compatible host, Anthropic and Gemini get it translated
// through the gateway's events. Spend from this endpoint counts against key budgets.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startMock, startGateway, writeConfig, makeTempDir, sdkClient, rawRequest, waitFor,
  BadRequestError, MASTER_KEY,
} from './harness.mjs';

const WEATHER = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather',
  parameters: {
    type: 'object',
    additionalProperties: false,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
  strict: true,
};
const SCHEMA = {
  type: 'json_schema',
  name: 'capital',
  strict: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { capital: { type: 'string' } },
    required: ['capital'],
  },
};

// model name → what the mock should have been asked (path), and whether it is native.
const BACKENDS = {
  'gpt-native': { native: true, path: /^\/v1\/responses$/ },
  'azure-native': { native: true, path: /^\/openai\/responses\?api-version=2025-04-01-preview$/ },
  'vllm-chat': { native: false, path: /^\/v1\/chat\/completions$/ },
  claude: { native: false, path: /^\/v1\/messages$/ },
  gemini: { native: false, path: /generateContent/ },
};

function config(mockPort, dir) {
  const base = `http://127.0.0.1:${mockPort}`;
  return `model_list:
  - model_name: gpt-native
    litellm_params: {model: openai/gpt-4o-mini, api_base: "${base}/v1", api_key: os.environ/MOCK_KEY}
  - model_name: azure-native
    litellm_params: {model: azure/my-deployment, api_base: "${base}", api_version: "2024-10-21", api_key: azkey}
  - model_name: vllm-chat
    litellm_params: {model: hosted_vllm/llama-3, api_base: "${base}/v1", api_key: os.environ/MOCK_KEY}
  - model_name: claude
    litellm_params: {model: anthropic/claude-3-5-haiku-latest, api_base: "${base}", api_key: os.environ/MOCK_KEY}
  - model_name: gemini
    litellm_params: {model: gemini/gemini-2.0-flash, api_base: "${base}", api_key: os.environ/MOCK_KEY}
general_settings:
  master_key: ${MASTER_KEY}
  database_url: sqlite://${path.join(dir, 'spend.db')}
switchyard_settings:
  spend_flush_interval: 0.05
  drain_timeout: 5
`;
}

let mock;
let gw;
let dir;
let client;

before(async () => {
  mock = await startMock();
  dir = makeTempDir('switchyard-responses-');
  const cfg = writeConfig(config(mock.port, dir), dir);
  gw = await startGateway({ configFile: cfg.file });
  client = sdkClient(gw.baseURL);
});

after(async () => {
  const running = gw?.child.running;
  await gw?.stop();
  await mock?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  assert.ok(running !== false, 'switchyard died during the tests');
});

async function lastUpstream() {
  return (await mock.stats()).last_request;
}

function functionCalls(response) {
  return response.output.filter((o) => o.type === 'function_call');
}

for (const [model, backend] of Object.entries(BACKENDS)) {
  describe(`responses → ${model}`, () => {
    it('answers text with usage, in the upstream format it speaks', async () => {
      const r = await client.responses.create({
        model, input: 'What is the capital of France?', instructions: 'Be terse.',
        max_output_tokens: 64, temperature: 0.5, metadata: { run: 'it' },
      });
      assert.equal(r.object, 'response');
      assert.match(r.id, /^resp_/);
      assert.equal(r.status, 'completed');
      assert.ok(r.output_text.length > 0, JSON.stringify(r.output));
      assert.equal(r.output[0].type, 'message');
      assert.ok(r.usage.input_tokens > 0 && r.usage.output_tokens > 0, JSON.stringify(r.usage));
      assert.equal(r.usage.total_tokens, r.usage.input_tokens + r.usage.output_tokens);
      assert.equal(typeof r.usage.input_tokens_details.cached_tokens, 'number');
      assert.equal(typeof r.usage.output_tokens_details.reasoning_tokens, 'number');
      const up = await lastUpstream();
      assert.match(up.target, backend.path);
      const sent = JSON.stringify(up.body);
      assert.ok(sent.includes('capital of France') && sent.includes('Be terse.'), sent);
      if (backend.native) {
        assert.equal(up.body.instructions, 'Be terse.', 'the client body went as it was');
        assert.deepEqual(up.body.metadata, { run: 'it' });
      } else {
        assert.equal(r.instructions, 'Be terse.');
        assert.deepEqual(r.metadata, { run: 'it' });
        assert.equal(r.model, model);
      }
    });

    it('a function call round trip', async () => {
      const input = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await client.responses.create({ model, input, tools: [WEATHER] });
      const [call] = functionCalls(first);
      assert.ok(call, JSON.stringify(first.output));
      assert.equal(call.name, 'get_weather');
      assert.ok(call.call_id.length > 0);
      assert.equal(typeof JSON.parse(call.arguments).city, 'string');
      const second = await client.responses.create({
        model,
        input: [...input, call, { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 24C' }],
      });
      assert.equal(second.status, 'completed');
      assert.ok(second.output_text.length > 0);
      const sent = JSON.stringify((await lastUpstream()).body);
      assert.ok(sent.includes('sunny, 24C'), sent);
      assert.ok(sent.includes('get_weather'), sent);
    });

    it('text.format json_schema', async () => {
      const r = await client.responses.create({
        model, input: 'Capital of France as JSON', text: { format: SCHEMA },
      });
      assert.equal(r.status, 'completed');
      const sent = (await lastUpstream()).body;
      if (backend.native) {
        assert.deepEqual(sent.text.format, SCHEMA);
        assert.equal(typeof JSON.parse(r.output_text).capital, 'string');
      } else {
        assert.ok(JSON.stringify(sent).includes('"capital"'), 'the schema went upstream');
        assert.deepEqual(r.text.format, SCHEMA, 'echoed');
      }
    });

    it('responses.stream through the SDK helpers, numbered in order', async () => {
      const stream = client.responses.stream({ model, input: 'Tell me a story', max_output_tokens: 64 });
      let deltas = '';
      stream.on('response.output_text.delta', (e) => { deltas += e.delta; });
      const seen = [];
      for await (const event of stream) seen.push(event);
      const final = await stream.finalResponse();
      assert.equal(final.status, 'completed');
      assert.ok(deltas.length > 0);
      // The SDK's finalResponse() does not add output_text: read the message's text parts.
      const text = final.output.filter((o) => o.type === 'message')
        .flatMap((o) => o.content).map((c) => c.text).join('');
      assert.equal(text, deltas);
      assert.ok(final.usage.output_tokens > 0);
      assert.equal(seen[0].type, 'response.created');
      assert.equal(seen.at(-1).type, 'response.completed');
      seen.forEach((e, i) => assert.equal(e.sequence_number, i, `${e.type} out of order`));
    });

    it('streamed function call arguments', async () => {
      const stream = client.responses.stream({
        model, input: 'Weather in Rome?', tools: [WEATHER], tool_choice: { type: 'function', name: 'get_weather' },
      });
      let args = '';
      stream.on('response.function_call_arguments.delta', (e) => { args += e.delta; });
      const final = await stream.finalResponse();
      const [call] = functionCalls(final);
      assert.ok(call, JSON.stringify(final.output));
      assert.equal(call.arguments, args);
      assert.equal(typeof JSON.parse(args).city, 'string');
    });
  });
}

describe('what a backend cannot do', () => {
  it('a hosted tool is a 400 naming the field, except where the upstream runs it', async () => {
    for (const model of ['vllm-chat', 'claude', 'gemini']) {
      await assert.rejects(
        client.responses.create({ model, input: 'news?', tools: [{ type: 'web_search' }] }),
        (e) => e instanceof BadRequestError && e.param === 'tools[0].type' &&
          /web_search/.test(e.message) && /tools\[0\]\.type/.test(e.message),
        model);
    }
    const r = await client.responses.create({ model: 'gpt-native', input: 'news?', tools: [{ type: 'web_search' }] });
    assert.equal(r.status, 'completed');
    assert.deepEqual((await lastUpstream()).body.tools, [{ type: 'web_search' }]);
  });

  it('malformed requests are OpenAI-format 400s', async () => {
    await assert.rejects(client.responses.create({ model: 'claude' }),
      (e) => e instanceof BadRequestError && e.param === 'input');
    await assert.rejects(
      client.responses.create({ model: 'claude', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }),
      (e) => e instanceof BadRequestError && e.param === 'input[0].call_id');
    const raw = await rawRequest(gw.url, {
      path: '/responses', body: '{"model":',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    });
    assert.equal(raw.status, 400);
    assert.equal(raw.json.error.type, 'invalid_request_error');
  });
});

describe('accounting', () => {
  function admin(method, p, body) {
    return rawRequest(gw.url, {
      method, path: p, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    });
  }

  // Models with a list price (data/model_prices.json): one native, one translated.
  for (const model of ['gpt-native', 'gemini']) {
    it(`spend through /v1/responses (${model}) counts against the key's budget`, async () => {
      const ask = { model, input: 'hello there', max_output_tokens: 16 };
      const probe = await admin('POST', '/key/generate', {});
      const { response: priced } = await sdkClient(gw.baseURL, probe.json.key).responses
        .create(ask).withResponse();
      const one = Number(priced.headers.get('x-switchyard-cost'));
      assert.ok(one > 0, 'cost header');
      // Admitted while spend is under the budget (LiteLLM's rule): one answer passes it.
      const made = await admin('POST', '/key/generate', { max_budget: one * 0.5, models: [model] });
      assert.equal(made.status, 200, made.text);
      const key = made.json.key;
      const keyed = sdkClient(gw.baseURL, key);
      const { data, response } = await keyed.responses.create(ask).withResponse();
      assert.equal(data.status, 'completed');
      assert.ok(Number(response.headers.get('x-switchyard-cost')) > 0, 'cost header');
      const info = await waitFor(async () => {
        const r = await admin('GET', `/key/info?key=${encodeURIComponent(key)}`);
        return r.json.info.spend >= one && r.json.info;
      });
      assert.ok(info, 'spend recorded for the key');
      await assert.rejects(keyed.responses.create(ask),
        (e) => e instanceof BadRequestError && e.code === 'budget_exceeded');
      await assert.rejects(
        keyed.responses.create({ ...ask, stream: true }),
        (e) => e instanceof BadRequestError && e.code === 'budget_exceeded');
      const paid = await waitFor(async () => {
        const logs = await admin('GET', `/spend/logs?api_key=${encodeURIComponent(key)}`);
        const rows = logs.json.filter((row) => row.spend > 0);
        return rows.length === 1 && rows;
      });
      assert.ok(paid, 'one spend-log row with the answer\'s cost');
      assert.equal(paid[0].prompt_tokens, data.usage.input_tokens);
      assert.equal(paid[0].completion_tokens, data.usage.output_tokens);
    });
  }
});

describe('input_tokens', () => {
  it('is an estimate, marked as such', async () => {
    const r = await rawRequest(gw.url, {
      path: '/v1/responses/input_tokens',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', input: 'x'.repeat(40) }),
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { object: 'response.input_tokens', input_tokens: 10 });
    assert.equal(r.headers['x-switchyard-token-count'], 'estimate');
    const bad = await rawRequest(gw.url, {
      path: '/v1/responses/input_tokens',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude' }),
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.param, 'input');
    const anon = await rawRequest(gw.url, {
      path: '/v1/responses/input_tokens', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', input: 'x' }),
    });
    assert.equal(anon.status, 401);
  });
});
