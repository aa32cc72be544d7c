// Stored responses of the Responses API for every backend, driven by the official openai SDK:
// responses.create stores (store defaults to true), previous_response_id continues a conversation
// the gateway stored (Anthropic, translated) or passes an upstream's id on (OpenAI, native),
// responses.retrieve / delete / inputItems.list / cancel, one key never sees another's responses
// (404), and a restart with SQLite keeps them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startMock, startGateway, writeConfig, makeTempDir, sdkClient, rawRequest,
  BadRequestError, NotFoundError, MASTER_KEY,
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

function config(mockPort, dir) {
  const base = `http://127.0.0.1:${mockPort}`;
  return `model_list:
  - model_name: gpt-native
    litellm_params: {model: openai/gpt-4o-mini, api_base: "${base}/v1", api_key: os.environ/MOCK_KEY}
  - model_name: claude
    litellm_params: {model: anthropic/claude-3-5-haiku-latest, api_base: "${base}", api_key: os.environ/MOCK_KEY}
general_settings:
  master_key: ${MASTER_KEY}
  database_url: sqlite://${path.join(dir, 'gateway.db')}
  responses_store_ttl: 1d
switchyard_settings:
  responses_store_max_mb: 8
  drain_timeout: 5
`;
}

let mock;
let gw;
let dir;
let cfg;
let client;

before(async () => {
  mock = await startMock();
  dir = makeTempDir('switchyard-rstore-');
  cfg = writeConfig(config(mock.port, dir), dir);
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

function call(method, p, key = MASTER_KEY) {
  return rawRequest(gw.url, { method, path: p, headers: { authorization: `Bearer ${key}` } });
}

async function newKey() {
  const r = await rawRequest(gw.url, {
    path: '/key/generate', body: '{}',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
  });
  assert.equal(r.status, 200, r.text);
  return r.json.key;
}

const isNotFound = (e) => e instanceof NotFoundError && e.status === 404;

describe('a translated backend (Anthropic)', () => {
  it('stores what it answered: retrieve, inputItems.list, delete', async () => {
    const made = await client.responses.create({
      model: 'claude', input: 'What is the capital of France?', instructions: 'Be terse.',
    });
    assert.match(made.id, /^resp_[0-9a-f]{48}$/);
    const got = await client.responses.retrieve(made.id);
    assert.equal(got.id, made.id);
    assert.equal(got.status, 'completed');
    assert.deepEqual(got.output, made.output);
    assert.equal(got.output_text, made.output_text);

    const items = await client.responses.inputItems.list(made.id);
    assert.equal(items.data.length, 1);
    assert.equal(items.data[0].type, 'message');
    assert.equal(items.data[0].role, 'user');
    assert.deepEqual(items.data[0].content, [{ type: 'input_text', text: 'What is the capital of France?' }]);
    assert.match(items.data[0].id, /^msg_/);

    const deleted = await call('DELETE', `/v1/responses/${made.id}`);
    assert.equal(deleted.status, 200, deleted.text);
    assert.deepEqual(deleted.json, { id: made.id, object: 'response', deleted: true });
    await assert.rejects(client.responses.retrieve(made.id), isNotFound);
    await assert.rejects(client.responses.delete(made.id), isNotFound);
  });

  it('a function-call round trip through previous_response_id', async () => {
    const first = await client.responses.create({
      model: 'claude', input: [{ role: 'user', content: 'Weather in Paris?' }], tools: [WEATHER],
    });
    const call1 = first.output.find((o) => o.type === 'function_call');
    assert.ok(call1, JSON.stringify(first.output));
    const second = await client.responses.create({
      model: 'claude',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call1.call_id, output: 'sunny, 24C' }],
      tools: [WEATHER],
    });
    assert.equal(second.status, 'completed');
    assert.equal(second.previous_response_id, first.id);
    assert.ok(second.output_text.length > 0);
    // Anthropic was sent the whole conversation, in its own format.
    const sent = (await lastUpstream()).body;
    assert.equal(sent.messages.length, 3, JSON.stringify(sent.messages));
    assert.equal(sent.messages[0].role, 'user');
    assert.ok(JSON.stringify(sent.messages[0]).includes('Weather in Paris?'));
    const toolUse = sent.messages[1].content.find((b) => b.type === 'tool_use');
    assert.equal(toolUse.id, call1.call_id);
    assert.equal(toolUse.name, 'get_weather');
    const toolResult = sent.messages[2].content.find((b) => b.type === 'tool_result');
    assert.equal(toolResult.tool_use_id, call1.call_id);
    assert.ok(JSON.stringify(toolResult).includes('sunny, 24C'));

    // The second response's input items are the whole conversation (the user's message, what
    // the first answered, the tool's output), newest first by default.
    const conversation = ['message', ...first.output.map((o) => o.type), 'function_call_output'];
    const desc = await client.responses.inputItems.list(second.id);
    assert.deepEqual(desc.data.map((i) => i.type), [...conversation].reverse());
    const asc = [];
    for await (const item of client.responses.inputItems.list(second.id, { order: 'asc', limit: 1 })) {
      asc.push(item);
    }
    assert.deepEqual(asc.map((i) => i.type), conversation, 'paged one by one with after');
    assert.deepEqual(asc.slice(1, -1).map((i) => i.id), first.output.map((o) => o.id),
      'output items keep their ids as input items');
    const page = await call('GET', `/v1/responses/${second.id}/input_items?order=asc&limit=2`);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.json.object, 'list');
    assert.equal(page.json.has_more, true);
    assert.equal(page.json.first_id, asc[0].id);
    assert.equal(page.json.last_id, asc[1].id);
    const bad = await call('GET', `/v1/responses/${second.id}/input_items?limit=500`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.param, 'limit');

    // A third turn continues from the second: all of it again.
    const third = await client.responses.create({
      model: 'claude', previous_response_id: second.id, input: 'And tomorrow?',
    });
    assert.equal(third.status, 'completed');
    const again = (await lastUpstream()).body;
    assert.equal(again.messages.length, 5, JSON.stringify(again.messages));
    assert.ok(JSON.stringify(again.messages.at(-1)).includes('And tomorrow?'));
  });

  it('a streamed answer is stored too', async () => {
    const stream = client.responses.stream({ model: 'claude', input: 'Tell me a story' });
    const final = await stream.finalResponse();
    const got = await client.responses.retrieve(final.id);
    assert.equal(got.status, 'completed');
    assert.deepEqual(got.output.map((o) => o.id), final.output.map((o) => o.id));
    const text = final.output.filter((o) => o.type === 'message')
      .flatMap((o) => o.content).map((c) => c.text).join('');
    assert.ok(text.length > 0);
    assert.equal(got.output_text, text);
    assert.ok(got.usage.output_tokens > 0, 'the completed event\'s Response, with its usage');
  });

  it('store: false keeps nothing; an unknown id is a 404', async () => {
    const r = await client.responses.create({ model: 'claude', input: 'hi', store: false });
    assert.equal(r.store, false);
    await assert.rejects(client.responses.retrieve(r.id), isNotFound);
    await assert.rejects(
      client.responses.create({ model: 'claude', input: 'hi', previous_response_id: r.id }),
      (e) => isNotFound(e) && e.code === 'previous_response_not_found' &&
        e.param === 'previous_response_id' && e.type === 'invalid_request_error' &&
        e.error?.message === `Previous response with id '${r.id}' not found.`);
    await assert.rejects(client.responses.inputItems.list('resp_nope'), isNotFound);
  });

  it('cancel: only background responses can be cancelled', async () => {
    const r = await client.responses.create({ model: 'claude', input: 'hi' });
    await assert.rejects(client.responses.cancel(r.id),
      (e) => e instanceof BadRequestError && /synchronous/.test(e.message));
    await assert.rejects(client.responses.cancel('resp_nope'), isNotFound);
  });

  it('wrong methods, no key', async () => {
    const r = await client.responses.create({ model: 'claude', input: 'hi' });
    assert.equal((await call('POST', `/v1/responses/${r.id}`)).status, 405);
    assert.equal((await call('DELETE', `/v1/responses/${r.id}/input_items`)).status, 405);
    assert.equal((await call('GET', `/v1/responses/${r.id}`, 'sk-wrong')).status, 401);
    const plain = await call('GET', `/responses/${r.id}`);
    assert.equal(plain.status, 200);
    assert.equal(plain.json.id, r.id);
  });
});

describe('a native backend (OpenAI)', () => {
  it('previous_response_id the upstream issued goes on as it is', async () => {
    const first = await client.responses.create({
      model: 'gpt-native', input: 'Weather in Rome?', tools: [WEATHER],
    });
    const call1 = first.output.find((o) => o.type === 'function_call');
    assert.ok(call1, JSON.stringify(first.output));
    const second = await client.responses.create({
      model: 'gpt-native',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call1.call_id, output: 'rainy, 12C' }],
      tools: [WEATHER],
    });
    assert.equal(second.status, 'completed');
    const sent = (await lastUpstream()).body;
    assert.equal(sent.previous_response_id, first.id);
    assert.equal(sent.input.length, 1, 'the upstream keeps the conversation itself');
  });

  it('retrieve, inputItems.list, cancel and delete go to the deployment that answered', async () => {
    const made = await client.responses.create({ model: 'gpt-native', input: 'hi' });
    const got = await client.responses.retrieve(made.id);
    assert.equal(got.id, made.id);
    let up = await lastUpstream();
    assert.equal(up.method, 'GET');
    assert.equal(up.target, `/v1/responses/${made.id}`);
    const items = await client.responses.inputItems.list(made.id, { limit: 5 });
    assert.deepEqual(items.data, []);
    up = await lastUpstream();
    assert.equal(up.target, `/v1/responses/${made.id}/input_items?limit=5`);
    await assert.rejects(client.responses.cancel(made.id),
      (e) => e instanceof BadRequestError && /synchronous/.test(e.message));
    const deleted = await call('DELETE', `/v1/responses/${made.id}`);
    assert.equal(deleted.status, 200, deleted.text);
    assert.deepEqual(deleted.json, { id: made.id, object: 'response', deleted: true });
    assert.equal((await lastUpstream()).method, 'DELETE');
    await assert.rejects(client.responses.retrieve(made.id), isNotFound);
  });

  it('a conversation the gateway stored continues on a native deployment, whole', async () => {
    const first = await client.responses.create({ model: 'claude', input: 'My name is Ada.' });
    const second = await client.responses.create({
      model: 'gpt-native', previous_response_id: first.id, input: 'What is my name?',
    });
    assert.equal(second.status, 'completed');
    const sent = (await lastUpstream()).body;
    assert.equal(sent.previous_response_id, undefined, 'the upstream never saw the gateway\'s id');
    assert.equal(sent.input.length, 3, JSON.stringify(sent.input));
    assert.ok(JSON.stringify(sent.input[0]).includes('My name is Ada.'));
    assert.equal(sent.input[1].role, 'assistant');
    assert.equal(sent.input[2].content, 'What is my name?');
  });
});

describe('isolation between keys', () => {
  it('another key\'s responses are 404s, translated and native alike', async () => {
    const a = sdkClient(gw.baseURL, await newKey());
    const b = sdkClient(gw.baseURL, await newKey());
    for (const model of ['claude', 'gpt-native']) {
      const mine = await a.responses.create({ model, input: 'secret plans' });
      await assert.rejects(b.responses.retrieve(mine.id), isNotFound, model);
      await assert.rejects(b.responses.inputItems.list(mine.id), isNotFound, model);
      await assert.rejects(b.responses.cancel(mine.id), isNotFound, model);
      await assert.rejects(b.responses.delete(mine.id), isNotFound, model);
      await assert.rejects(
        b.responses.create({ model, input: 'and?', previous_response_id: mine.id }),
        (e) => isNotFound(e) && e.code === 'previous_response_not_found', model);
      await assert.rejects(client.responses.retrieve(mine.id), isNotFound, 'nor the master key');
      const still = await a.responses.retrieve(mine.id);
      assert.equal(still.id, mine.id, model);
    }
  });
});

describe('with the response cache on', () => {
  it('an answer from the cache is stored under its own new id', async () => {
    const cdir = makeTempDir('switchyard-rstore-cache-');
    const cached = writeConfig(`${config(mock.port, cdir)}litellm_settings:
  cache: true
  cache_params: {type: local, ttl: 600}
`, cdir);
    const cgw = await startGateway({ configFile: cached.file });
    try {
      const c = sdkClient(cgw.baseURL);
      const ask = { model: 'claude', input: `cached question ${Date.now()}` };
      const { data: first, response: r1 } = await c.responses.create(ask).withResponse();
      const { data: second, response: r2 } = await c.responses.create(ask).withResponse();
      assert.equal(r1.headers.get('x-switchyard-cache'), 'miss');
      assert.equal(r2.headers.get('x-switchyard-cache'), 'hit');
      assert.notEqual(second.id, first.id);
      const got = await c.responses.retrieve(second.id);
      assert.equal(got.output_text, first.output_text);
      const next = await c.responses.create({
        model: 'claude', previous_response_id: second.id, input: 'go on',
      });
      assert.equal(next.status, 'completed');
      assert.ok(JSON.stringify((await lastUpstream()).body).includes(ask.input));
    } finally {
      await cgw.stop();
      fs.rmSync(cdir, { recursive: true, force: true });
    }
  });
});

describe('a restart', () => {
  it('keeps the stored responses (SQLite)', async () => {
    const key = await newKey();
    const keyed = () => sdkClient(gw.baseURL, key);
    const made = await keyed().responses.create({ model: 'claude', input: 'Remember the number 42.' });
    const res = await gw.stop('SIGTERM');
    assert.equal(res.code, 0);
    gw = await startGateway({ configFile: cfg.file });
    client = sdkClient(gw.baseURL);
    const got = await keyed().responses.retrieve(made.id);
    assert.deepEqual(got.output, made.output);
    const next = await keyed().responses.create({
      model: 'claude', previous_response_id: made.id, input: 'Which number?',
    });
    assert.equal(next.status, 'completed');
    const sent = (await lastUpstream()).body;
    assert.ok(JSON.stringify(sent.messages).includes('Remember the number 42.'));
    await assert.rejects(client.responses.retrieve(made.id), isNotFound, 'still the key\'s only');
  });
});
