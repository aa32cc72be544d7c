// Token counting in the gateway (docs/cost-control.md): LiteLLM's POST /utils/token_counter and
// the count endpoints (/v1/messages/count_tokens, /v1/responses/input_tokens) for OpenAI-family
// backends, counted in process with OpenAI's own encodings. The expected counts are the npm
// tiktoken's (tools/tokenizer), with OpenAI's chat framing for messages: 3 tokens per message, 1
// per name, 3 to prime the reply.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startMock, startGateway, writeConfig, makeTempDir, rawRequest, assertOpenAIError, MASTER_KEY,
} from './harness.mjs';

let Anthropic;
try {
  Anthropic = (await import('@anthropic-ai/sdk')).default;
} catch (e) {
  throw new Error(`the @anthropic-ai/sdk npm package is missing (${e.message}); run \`npm ci\` ` +
    'in tests/integration or scripts/setup.sh --test');
}

const CONVERSATION = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', name: 'alice', content: 'Hello, how are you today?' },
  { role: 'assistant', content: 'I am fine, thanks!' },
];
const MIXED = 'Größenordnung: 東京は日本の首都です。 Привет! def f(x):\n    return x**2  # 🧑‍💻 12345';

let mock;
let gw;
let dir;
let virtualKey;

before(async () => {
  mock = await startMock();
  dir = makeTempDir('switchyard-tokens-');
  const base = `http://127.0.0.1:${mock.port}`;
  const cfg = writeConfig(`model_list:
  - model_name: smart
    litellm_params: {model: openai/gpt-4o-mini, api_base: "${base}/v1", api_key: os.environ/MOCK_KEY}
  - model_name: legacy
    litellm_params: {model: openai/gpt-3.5-turbo, api_base: "${base}/v1", api_key: os.environ/MOCK_KEY}
  - model_name: azure-chat
    litellm_params: {model: azure/prod-deployment, api_base: "${base}", api_version: "2024-10-21", api_key: azkey}
    model_info: {base_model: gpt-4}
  - model_name: llama
    litellm_params: {model: hosted_vllm/llama-3, api_base: "${base}/v1", api_key: os.environ/MOCK_KEY}
router_settings:
  model_group_alias: {clever: smart}
general_settings:
  master_key: ${MASTER_KEY}
  database_url: sqlite://${path.join(dir, 'keys.db')}
`, dir);
  gw = await startGateway({ configFile: cfg.file });
  const key = await rawRequest(gw.url, {
    path: '/key/generate', headers: { authorization: `Bearer ${MASTER_KEY}` }, body: '{}',
  });
  assert.equal(key.status, 200, key.text);
  virtualKey = key.json.key;
});

after(async () => {
  const running = gw?.child.running;
  await gw?.stop();
  await mock?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  assert.ok(running !== false, 'switchyard died during the tests');
});

function countTokens(body, key = MASTER_KEY) {
  return rawRequest(gw.url, {
    path: '/utils/token_counter',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('/utils/token_counter', () => {
  it('counts messages of a model group with its deployment model\'s encoding', async () => {
    const r = await countTokens({ model: 'smart', messages: CONVERSATION });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {
      total_tokens: 36, request_model: 'smart', model_used: 'gpt-4o-mini',
      tokenizer_type: 'openai_tokenizer', original_response: null, error: false,
      error_message: null, status_code: null,
    });
    assert.equal(r.headers['x-switchyard-token-count'], 'exact');
    // An alias of the group counts the same.
    const alias = await countTokens({ model: 'clever', messages: CONVERSATION });
    assert.equal(alias.json.total_tokens, 36);
    assert.equal(alias.json.model_used, 'gpt-4o-mini');
  });

  it('counts a prompt with o200k_base or cl100k_base as the model needs', async () => {
    const o200k = await countTokens({ model: 'smart', prompt: MIXED });
    assert.equal(o200k.json.total_tokens, 36);
    const cl100k = await countTokens({ model: 'legacy', prompt: MIXED });
    assert.equal(cl100k.json.model_used, 'gpt-3.5-turbo');
    assert.equal(cl100k.json.total_tokens, 42);
    // An Azure deployment is counted as its base_model; a name no group has, as itself.
    const azure = await countTokens({ model: 'azure-chat', prompt: MIXED });
    assert.equal(azure.json.model_used, 'gpt-4');
    assert.equal(azure.json.total_tokens, 42);
    const bare = await countTokens({ model: 'openai/gpt-4.1', prompt: MIXED });
    assert.equal(bare.json.model_used, 'openai/gpt-4.1');
    assert.equal(bare.json.total_tokens, 36);
  });

  it('falls back to the estimate for a family without a tokenizer, and says so', async () => {
    const r = await countTokens({ model: 'llama', prompt: 'x'.repeat(40) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total_tokens, 10);
    assert.equal(r.json.model_used, 'llama-3');
    assert.equal(r.json.tokenizer_type, 'character_estimate');
    assert.equal(r.headers['x-switchyard-token-count'], 'estimate');
  });

  it('admits master and virtual keys, refuses others, in OpenAI\'s error format', async () => {
    assert.equal((await countTokens({ model: 'smart', prompt: 'hi' }, virtualKey)).status, 200);
    const wrong = await countTokens({ model: 'smart', prompt: 'hi' }, 'sk-wrong');
    assert.equal(wrong.status, 401);
    assertOpenAIError(assert, wrong.json, { status: 401 });
    const missing = await countTokens({ model: 'smart' });
    assert.equal(missing.status, 400);
    assert.match(missing.json.error.message, /prompt or messages/);
    for (const body of ['{oops', '[]', JSON.stringify({ prompt: 'x' }),
      JSON.stringify({ model: 'smart', messages: 'hi' })]) {
      const bad = await countTokens(body);
      assert.equal(bad.status, 400, body);
      assertOpenAIError(assert, bad.json, { status: 400, context: body });
    }
    const get = await rawRequest(gw.url, {
      method: 'GET', path: '/utils/token_counter', headers: { authorization: `Bearer ${MASTER_KEY}` },
    });
    assert.equal(get.status, 405);
  });
});

describe('count endpoints for OpenAI-family backends', () => {
  it('messages.countTokens is exact, no longer an estimate', async () => {
    const client = new Anthropic({ baseURL: gw.url, apiKey: MASTER_KEY, maxRetries: 0 });
    const r = await client.messages.countTokens({
      model: 'smart', system: 'You are terse.',
      messages: [{ role: 'user', content: 'Count these tokens, please.' }],
    }).withResponse();
    assert.deepEqual(r.data, { input_tokens: 21 });
    assert.equal(r.response.headers.get('x-switchyard-token-count'), 'exact');
    // Another family keeps the estimate, marked as one.
    const other = await client.messages.countTokens({
      model: 'llama', messages: [{ role: 'user', content: 'x'.repeat(40) }],
    }).withResponse();
    assert.deepEqual(other.data, { input_tokens: 10 });
    assert.equal(other.response.headers.get('x-switchyard-token-count'), 'estimate');
  });

  it('responses/input_tokens is exact for text, approximate with an image', async () => {
    const ask = (body) => rawRequest(gw.url, {
      path: '/v1/responses/input_tokens',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await ask({ model: 'smart', input: 'x'.repeat(40) });
    assert.equal(text.status, 200, text.text);
    assert.deepEqual(text.json, { object: 'response.input_tokens', input_tokens: 12 });
    assert.equal(text.headers['x-switchyard-token-count'], 'exact');
    const image = await ask({ model: 'smart', input: [{ role: 'user', content: [
      { type: 'input_text', text: 'What is this?' },
      { type: 'input_image', image_url: 'https://example.com/cat.png' }] }] });
    assert.equal(image.status, 200, image.text);
    assert.equal(image.headers['x-switchyard-token-count'], 'approximate');
    assert.ok(image.json.input_tokens > 765, image.text);
  });
});
