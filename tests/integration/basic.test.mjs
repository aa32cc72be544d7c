// Non-streaming happy paths through the gateway with the official openai SDK.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, sdkClient, MOCK_KEY, MASTER_KEY, CONFIGURED_MODELS,
} from './harness.mjs';

const MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'What is the capital of France?' },
];

describe('basic: non-streaming endpoints', () => {
  let stack, client, direct;

  before(async () => {
    stack = await startStack();
    client = sdkClient(stack.gw.baseURL);
    // The same mock spoken to directly, to compare what the gateway returns with the source.
    direct = sdkClient(`${stack.mock.url}/v1`, MOCK_KEY);
  });

  after(async () => {
    if (stack) await stack.stopAll();
  });

  it('chat completion: content, usage and model come back; upstream got its own model name and key', async () => {
    const body = {
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      mock: { content: 'Paris is the capital of France.' },
    };
    const { data, response } = await client.chat.completions.create(body).withResponse();
    assert.equal(response.status, 200);
    assert.ok(response.headers.get('x-request-id'), 'x-request-id header missing on a 200');

    assert.equal(data.object, 'chat.completion');
    assert.equal(typeof data.id, 'string');
    assert.equal(data.choices.length, 1);
    assert.equal(data.choices[0].message.role, 'assistant');
    assert.equal(data.choices[0].message.content, 'Paris is the capital of France.');
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.ok(['gpt-4o-mini', 'gpt-4o-mini-upstream'].includes(data.model),
      `unexpected response model ${data.model}`);

    const st = await stack.mock.stats();
    const lr = st.last_request;
    assert.equal(lr.method, 'POST');
    assert.equal(lr.target, '/v1/chat/completions');
    assert.equal(lr.headers.authorization, `Bearer ${MOCK_KEY}`,
      'upstream must get the deployment key (and never the master key)');
    assert.equal(lr.body.model, 'gpt-4o-mini-upstream', 'upstream must get the deployment model name');
    assert.deepEqual(lr.body.messages, MESSAGES);
    assert.deepEqual(lr.body.mock, body.mock, 'unknown body fields are forwarded to the upstream');

    // Usage equals what the mock reports for the same request.
    const ref = await direct.chat.completions.create({ ...body, model: 'gpt-4o-mini-upstream' });
    assert.ok(ref.usage && ref.usage.completion_tokens > 0, 'mock returned no usage');
    assert.equal(data.usage.prompt_tokens, ref.usage.prompt_tokens);
    assert.equal(data.usage.completion_tokens, ref.usage.completion_tokens);
    assert.equal(data.usage.total_tokens, ref.usage.total_tokens);

    // Without fixed content the answer has exactly the requested number of tokens.
    const sized = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, mock: { completion_tokens: 7 },
    });
    assert.equal(sized.usage.completion_tokens, 7);
    assert.equal(sized.usage.total_tokens, sized.usage.prompt_tokens + 7);
  });

  it('forwards sampling parameters untouched', async () => {
    await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, temperature: 0.25, max_tokens: 33, top_p: 0.5,
      stop: ['\n\n'], user: 'integration-test', seed: 42,
    });
    const { last_request: lr } = await stack.mock.stats();
    assert.equal(lr.body.temperature, 0.25);
    assert.equal(lr.body.max_tokens, 33);
    assert.equal(lr.body.top_p, 0.5);
    assert.deepEqual(lr.body.stop, ['\n\n']);
    assert.equal(lr.body.user, 'integration-test');
    assert.equal(lr.body.seed, 42);
  });

  it('/chat/completions without the /v1 prefix works', async () => {
    const bare = sdkClient(stack.gw.url);
    const r = await bare.chat.completions.create({
      model: 'gpt-4o-mini', messages: MESSAGES, mock: { content: 'no prefix' },
    });
    assert.equal(r.choices[0].message.content, 'no prefix');
    const { last_request: lr } = await stack.mock.stats();
    assert.equal(lr.target, '/v1/chat/completions');
    assert.equal(lr.body.model, 'gpt-4o-mini-upstream');
  });

  it('azure deployment: deployment URL, api-version and api-key header reach the upstream', async () => {
    const r = await client.chat.completions.create({
      model: 'azure-gpt', messages: MESSAGES, mock: { content: 'from azure' },
    });
    assert.equal(r.choices[0].message.content, 'from azure');
    const { last_request: lr } = await stack.mock.stats();
    assert.equal(lr.method, 'POST');
    assert.equal(lr.target, '/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21');
    assert.equal(lr.headers['api-key'], 'azkey');
    assert.ok(!String(lr.headers.authorization ?? '').includes(MASTER_KEY),
      'the master key must not be sent upstream');
  });

  it('tools: the SDK parses the tool call, finish_reason is tool_calls', async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
      {
        type: 'function',
        function: {
          name: 'get_time',
          parameters: { type: 'object', properties: { tz: { type: 'string' } } },
        },
      },
    ];
    const r = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools,
    });
    const choice = r.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.tool_calls.length, 1);
    const call = choice.message.tool_calls[0];
    assert.equal(call.type, 'function');
    assert.equal(typeof call.id, 'string');
    assert.equal(call.function.name, 'get_weather');
    assert.equal(typeof JSON.parse(call.function.arguments), 'object');
    const { last_request: lr } = await stack.mock.stats();
    assert.deepEqual(lr.body.tools, tools);

    const forced = await client.chat.completions.create({
      model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Time?' }], tools,
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    assert.equal(forced.choices[0].message.tool_calls[0].function.name, 'get_time');
    assert.equal(forced.choices[0].finish_reason, 'tool_calls');
  });

  it('embeddings: float format, the SDK default (base64) and dimensions', async () => {
    const asFloat = await client.embeddings.create({
      model: 'embedder', input: 'hello world', encoding_format: 'float',
    });
    assert.equal(asFloat.object, 'list');
    assert.equal(asFloat.data.length, 1);
    const vec = asFloat.data[0].embedding;
    assert.ok(Array.isArray(vec), 'float embedding must be an array');
    assert.equal(vec.length, 16);
    assert.ok(vec.every((x) => typeof x === 'number' && Number.isFinite(x)));
    assert.ok(asFloat.usage && asFloat.usage.prompt_tokens > 0, 'embeddings usage missing');
    let { last_request: lr } = await stack.mock.stats();
    assert.equal(lr.target, '/v1/embeddings');
    assert.equal(lr.body.model, 'text-embedding-3-small');
    assert.equal(lr.body.encoding_format, 'float');
    assert.equal(lr.headers.authorization, `Bearer ${MOCK_KEY}`);

    // No encoding_format: the SDK asks for base64 and decodes it to floats itself.
    const dflt = await client.embeddings.create({ model: 'embedder', input: 'hello world' });
    ({ last_request: lr } = await stack.mock.stats());
    assert.equal(lr.body.encoding_format, 'base64');
    const dvec = dflt.data[0].embedding;
    assert.equal(dvec.length, 16);
    for (let i = 0; i < 16; i++) {
      assert.ok(Math.abs(dvec[i] - vec[i]) < 1e-6, `base64 and float embeddings differ at ${i}`);
    }

    const dims = await client.embeddings.create({
      model: 'embedder', input: ['a', 'b', 'c'], dimensions: 8, encoding_format: 'float',
    });
    assert.equal(dims.data.length, 3);
    assert.deepEqual(dims.data.map((d) => d.index), [0, 1, 2]);
    for (const d of dims.data) assert.equal(d.embedding.length, 8);
    ({ last_request: lr } = await stack.mock.stats());
    assert.equal(lr.body.dimensions, 8);
  });

  it('models list contains every configured model name', async () => {
    const ids = [];
    for await (const m of client.models.list()) {
      ids.push(m.id);
      assert.equal(m.object, 'model');
    }
    for (const name of CONFIGURED_MODELS) {
      assert.ok(ids.includes(name), `model ${name} missing from /v1/models: ${ids.join(', ')}`);
    }
  });

  it('legacy /v1/completions', async () => {
    const r = await client.completions.create({
      model: 'legacy', prompt: 'Say hello', max_tokens: 5, mock: { content: 'hello there' },
    });
    assert.equal(r.object, 'text_completion');
    assert.equal(r.choices.length, 1);
    assert.equal(r.choices[0].text, 'hello there');
    assert.ok(r.usage && r.usage.completion_tokens > 0, 'completion usage missing');
    const { last_request: lr } = await stack.mock.stats();
    assert.equal(lr.target, '/v1/completions');
    assert.equal(lr.body.model, 'gpt-3.5-turbo-instruct');
    assert.equal(lr.body.prompt, 'Say hello');
  });

  it('health endpoints answer 200 without credentials', async () => {
    for (const p of ['/health/liveliness', '/health/readiness']) {
      const r = await fetch(`${stack.gw.url}${p}`);
      await r.arrayBuffer();
      assert.equal(r.status, 200, `GET ${p}`);
      assert.ok(r.headers.get('x-request-id'), `x-request-id missing on ${p}`);
    }
  });

  it('concurrent requests all get their own answers', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      client.chat.completions.create({
        model: 'gpt-4o-mini', messages: MESSAGES, mock: { content: `answer ${i}`, latency_ms: 50 },
      })));
    answers.forEach((a, i) => assert.equal(a.choices[0].message.content, `answer ${i}`));
  });
});
