// Context windows (docs/cost-control.md): LiteLLM's enable_pre_call_checks and
// context_window_fallbacks, checked before any call with the request's counted input, the
// provider's own context-length 400 sending the request to the fallback after the call, and
// OpenRouter's `transforms: ["middle-out"]` fitting a conversation that is too long. Which
// deployment was called is read from the mock's per-model request counts.
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  startMock, startGateway, writeConfig, sdkClient, rawRequest, BadRequestError, MASTER_KEY,
} from './harness.mjs';

let mock;    // every deployment with a window the config or the price data states
let narrow;  // a model whose window only the provider knows: it answers context-length 400s
let gw;
let cfg;
let client;

const words = (n, w = 'word') => Array.from({ length: n }, () => w).join(' ');

before(async () => {
  mock = await startMock();
  narrow = await startMock();
  const faults = await fetch(`${narrow.url}/mock/faults`, {
    method: 'POST', body: JSON.stringify({ context_window: 300 }),
  });
  assert.equal(faults.status, 200);
  cfg = writeConfig(`model_list:
  - model_name: small
    litellm_params: {model: openai/gpt-4o-mini, api_base: "${mock.url}/v1", api_key: os.environ/MOCK_KEY}
    model_info: {max_input_tokens: 200}
  - model_name: big
    litellm_params: {model: openai/gpt-4o, api_base: "${mock.url}/v1", api_key: os.environ/MOCK_KEY}
  - model_name: tiny
    litellm_params: {model: openai/gpt-4.1-nano, api_base: "${mock.url}/v1", api_key: os.environ/MOCK_KEY}
    model_info: {max_input_tokens: 100}
  - model_name: tinier
    litellm_params: {model: openai/gpt-4.1-mini, api_base: "${mock.url}/v1", api_key: os.environ/MOCK_KEY}
    model_info: {max_input_tokens: 150}
  - model_name: narrow
    litellm_params: {model: openai/narrow-model, api_base: "${narrow.url}/v1", api_key: os.environ/MOCK_KEY}
  - model_name: narrow-claude
    litellm_params: {model: anthropic/claude-narrow, api_base: "${narrow.url}", api_key: os.environ/MOCK_KEY}
  - model_name: mid
    litellm_params: {model: openai/gpt-4o-2024-08-06, api_base: "${mock.url}/v1", api_key: os.environ/MOCK_KEY}
    model_info: {max_input_tokens: 400}
router_settings:
  enable_pre_call_checks: true
  num_retries: 0
  context_window_fallbacks: [{small: [big]}, {tiny: [tinier]}, {narrow: [big]}, {narrow-claude: [big]}]
general_settings:
  master_key: ${MASTER_KEY}
`);
  gw = await startGateway({ configFile: cfg.file });
  client = sdkClient(gw.baseURL);
});

after(async () => {
  await gw?.stop();
  await mock?.stop();
  await narrow?.stop();
  if (cfg) fs.rmSync(cfg.dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await mock.reset();
  await narrow.reset();
});

describe('the pre-call check', () => {
  it('sends a prompt too long for the group to its context_window_fallbacks without calling it', async () => {
    const { response } = await client.chat.completions.create({
      model: 'small', messages: [{ role: 'user', content: words(500) }],
    }).withResponse();
    assert.equal(response.headers.get('x-switchyard-deployment'), 'big#1');
    assert.equal(response.headers.get('x-switchyard-fallbacks'), '1');
    const s = await mock.stats();
    assert.deepEqual(s.models, { 'gpt-4o': 1 });  // the small deployment was never called
    assert.equal(s.requests, 1);
  });

  it('leaves a prompt that fits where it was sent', async () => {
    const { response } = await client.chat.completions.create({
      model: 'small', messages: [{ role: 'user', content: words(50) }],
    }).withResponse();
    assert.equal(response.headers.get('x-switchyard-deployment'), 'small#0');
    assert.deepEqual((await mock.stats()).models, { 'gpt-4o-mini': 1 });
  });

  it('answers LiteLLM\'s 400 context_length_exceeded when nothing fits, before any call', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: words(500) }] }),
      (e) => {
        assert.ok(e instanceof BadRequestError, String(e));
        assert.equal(e.status, 400);
        assert.equal(e.code, 'context_length_exceeded');
        assert.equal(e.type, 'invalid_request_error');
        assert.match(e.message, /Context Window exceeded for given call/);
        assert.match(e.message, /Max Input Tokens=150, Got=507/);  // 500 words, framed (o200k)
        return true;
      });
    assert.equal((await mock.stats()).requests, 0);
  });

  it('answers an Anthropic client in Anthropic\'s error shape', async () => {
    const r = await rawRequest(gw.url, {
      path: '/v1/messages',
      headers: { 'x-api-key': MASTER_KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny', max_tokens: 10, messages: [{ role: 'user', content: words(500) }] }),
    });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.type, 'error');
    assert.equal(r.json.error.type, 'invalid_request_error');
    assert.match(r.json.error.message, /Context Window exceeded/);
    assert.equal((await mock.stats()).requests, 0);
  });
});

describe('the provider\'s context-length error', () => {
  it('OpenAI\'s context_length_exceeded sends the request to the context_window_fallbacks', async () => {
    const { response } = await client.chat.completions.create({
      model: 'narrow', messages: [{ role: 'user', content: words(2000) }],
    }).withResponse();
    assert.equal(response.headers.get('x-switchyard-deployment'), 'big#1');
    assert.equal(response.headers.get('x-switchyard-fallbacks'), '1');
    assert.deepEqual((await narrow.stats()).models, { 'narrow-model': 1 });
    assert.deepEqual((await mock.stats()).models, { 'gpt-4o': 1 });
  });

  it('Anthropic\'s "prompt is too long" does the same', async () => {
    const { response } = await client.chat.completions.create({
      model: 'narrow-claude', messages: [{ role: 'user', content: words(2000) }],
    }).withResponse();
    assert.equal(response.headers.get('x-switchyard-deployment'), 'big#1');
    assert.equal(response.headers.get('x-switchyard-fallbacks'), '1');
    assert.deepEqual((await narrow.stats()).models, { 'claude-narrow': 1 });
    assert.deepEqual((await mock.stats()).models, { 'gpt-4o': 1 });
  });

  it('a prompt the provider takes is answered by it', async () => {
    const { response } = await client.chat.completions.create({
      model: 'narrow', messages: [{ role: 'user', content: 'short' }],
    }).withResponse();
    assert.equal(response.headers.get('x-switchyard-deployment'), 'narrow#4');
    assert.equal((await mock.stats()).requests, 0);
  });
});

describe('middle-out', () => {
  // A system prompt, the first question, 12 long exchanges and the last question: ~1,300 tokens
  // for a deployment that takes 400.
  const conversation = () => {
    const messages = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'first question' },
    ];
    for (let i = 0; i < 12; i++) {
      messages.push({ role: 'assistant', content: `a${i} ${words(50, 'ok')}` });
      messages.push({ role: 'user', content: `u${i} ${words(50, 'more')}` });
    }
    messages.push({ role: 'user', content: 'last question' });
    return messages;
  };

  it('is refused as too long without the transform', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'mid', messages: conversation() }),
      (e) => e.status === 400 && e.code === 'context_length_exceeded');
    assert.equal((await mock.stats()).requests, 0);
  });

  it('fits a too-long conversation by dropping its middle', async () => {
    const sent = conversation();
    const { response } = await client.chat.completions.create({
      model: 'mid', messages: sent, transforms: ['middle-out'],
    }).withResponse();
    assert.equal(response.headers.get('x-switchyard-deployment'), 'mid#6');
    const header = response.headers.get('x-switchyard-transform');
    const m = /^middle-out; tokens_removed=(\d+); messages_removed=(\d+)$/.exec(header ?? '');
    assert.ok(m, `x-switchyard-transform: ${header}`);
    const removed = Number(m[1]);
    const messagesRemoved = Number(m[2]);
    assert.ok(removed > 800, header);
    const s = await mock.stats();
    const upstream = s.last_request.body;
    assert.equal(upstream.transforms, undefined);  // the gateway's field, not the provider's
    assert.equal(upstream.messages.length, sent.length - messagesRemoved);
    assert.deepEqual(upstream.messages[0], sent[0]);
    assert.deepEqual(upstream.messages[1], sent[1]);
    assert.deepEqual(upstream.messages.at(-1), sent.at(-1));
    assert.equal(upstream.messages[2].content, sent[2].content);      // the oldest exchange
    assert.equal(upstream.messages.at(-2).content, sent.at(-2).content);  // the newest
    assert.ok(!upstream.messages.some((x) => x.content.startsWith('a6 ')));  // the middle went

    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    const line = metrics.split('\n')
      .find((l) => l.startsWith('switchyard_middle_out_tokens_removed_total{model_group="mid"}'));
    assert.ok(line, 'no middle-out metric');
    assert.ok(Number(line.split(' ').at(-1)) >= removed);
  });

  it('leaves a conversation that fits as it was sent', async () => {
    const sent = conversation().slice(0, 4).concat([{ role: 'user', content: 'last question' }]);
    const { response } = await client.chat.completions.create({
      model: 'mid', messages: sent, transforms: ['middle-out'],
    }).withResponse();
    assert.equal(response.headers.get('x-switchyard-transform'), null);
    assert.deepEqual((await mock.stats()).last_request.body.messages, sent);
  });

  it('refuses a transform it does not know', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'mid', messages: conversation(), transforms: ['squeeze'] }),
      (e) => e.status === 400 && e.param === 'transforms');
  });
});
