// Bedrock (Converse/ConverseStream, SigV4) and Cohere (Chat v2, Embed v2) behind the gateway,
// driven by the official openai SDK: the client speaks OpenAI, the mock speaks the providers'
// own wire formats (Bedrock streams as binary event-stream frames).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, sdkClient, MASTER_KEY,
  collectChatStream, sha256Hex, sigV4Authorization,
} from './harness.mjs';

const BEDROCK_MODEL = 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0';
const COHERE_MODEL = 'cohere/command-r-plus';
const ACCESS_KEY = 'AKIDEXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const COHERE_KEY = 'co-test-key-123';
// The mock's canned 16-token answer.
const ANSWER = 'This is a mock response from the Switchyard mock provider, generated ' +
  'deterministically for tests and benchmarks';
const MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say something.' },
];
const TOOLS = [{
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather in a city',
    parameters: {
      type: 'object', properties: { city: { type: 'string' } }, required: ['city'],
    },
  },
}];

function config(mockPort) {
  const base = `http://127.0.0.1:${mockPort}`;
  const aws = `      aws_access_key_id: ${ACCESS_KEY}
      aws_secret_access_key: ${SECRET_KEY}
      aws_region_name: us-west-2`;
  return `# written by bedrock_cohere_outbound.test.mjs
model_list:
  - model_name: "${BEDROCK_MODEL}"
    litellm_params:
      model: "${BEDROCK_MODEL}"
      api_base: "${base}"
${aws}
  - model_name: titan-embed
    litellm_params:
      model: "bedrock/amazon.titan-embed-text-v2:0"
      api_base: "${base}"
${aws}
  - model_name: bedrock-cohere-embed
    litellm_params:
      model: bedrock/cohere.embed-english-v3
      api_base: "${base}"
${aws}
  - model_name: bedrock-no-credentials
    litellm_params:
      model: "bedrock/anthropic.claude-3-haiku-20240307-v1:0"
      api_base: "${base}"
  - model_name: "${COHERE_MODEL}"
    litellm_params:
      model: "${COHERE_MODEL}"
      api_base: "${base}"
      api_key: ${COHERE_KEY}
  - model_name: cohere-embed
    litellm_params:
      model: cohere/embed-english-v3.0
      api_base: "${base}"
      api_key: ${COHERE_KEY}
general_settings:
  master_key: ${MASTER_KEY}
`;
}

// The last request the mock received (its JSON body parsed).
async function lastRequest(mock) {
  const r = await fetch(`${mock.url}/mock/stats`);
  return (await r.json()).last_request;
}

function header(lr, name) {
  return lr.headers[name];
}

const sha256 = sha256Hex;
const expectedAuthorization = (lr, region) => sigV4Authorization(lr, {
  region, service: 'bedrock', accessKey: ACCESS_KEY, secretKey: SECRET_KEY,
});
const collect = collectChatStream;

function norm(v) {
  return Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
}

describe('outbound translation: Bedrock and Cohere', () => {
  let stack, mock, gw, client;

  before(async () => {
    // No AWS variables from the environment: credentials come from litellm_params only.
    stack = await startStack({ config, mockArgs: [], dropEnv: ['AWS_', 'CO_'] });
    ({ mock, gw } = stack);
    client = sdkClient(gw.baseURL);
  });

  after(async () => {
    await stack?.stopAll();
  });

  it('bedrock chat: Converse answer as chat.completion, request SigV4-signed', async () => {
    const res = await client.chat.completions.create({
      model: BEDROCK_MODEL, messages: MESSAGES, max_tokens: 100, temperature: 0.5,
    });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.choices[0].message.role, 'assistant');
    assert.equal(res.choices[0].message.content, ANSWER);
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.equal(res.usage.completion_tokens, 16);
    assert.ok(res.usage.prompt_tokens > 0);
    assert.equal(res.usage.total_tokens, res.usage.prompt_tokens + 16);

    const lr = await lastRequest(mock);
    assert.equal(lr.target, '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    const body = lr.body;
    assert.deepEqual(body.system, [{ text: 'You are terse.' }]);
    assert.deepEqual(body.messages, [{ role: 'user', content: [{ text: 'Say something.' }] }]);
    assert.equal(body.inferenceConfig.maxTokens, 100);
    assert.equal(body.inferenceConfig.temperature, 0.5);
    assert.match(header(lr, 'x-amz-date'), /^\d{8}T\d{6}Z$/);
    assert.match(header(lr, 'x-amz-content-sha256'), /^[0-9a-f]{64}$/);
    assert.equal(header(lr, 'authorization'), expectedAuthorization(lr, 'us-west-2'));
  });

  it('bedrock stream: event-stream frames become OpenAI chunks, usage when asked', async () => {
    const stream = await client.chat.completions.create({
      model: BEDROCK_MODEL, messages: MESSAGES, stream: true, stream_options: { include_usage: true },
    });
    const got = await collect(stream);
    assert.equal(got.roleFirst, true);
    assert.equal(got.content, ANSWER);
    assert.equal(got.finish, 'stop');
    assert.ok(got.usage, 'no usage chunk');
    assert.equal(got.usage.completion_tokens, 16);
    const lr = await lastRequest(mock);
    assert.equal(lr.target, '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream');
    assert.equal(header(lr, 'authorization'), expectedAuthorization(lr, 'us-west-2'));

    const plain = await collect(await client.chat.completions.create({
      model: BEDROCK_MODEL, messages: MESSAGES, stream: true, max_tokens: 3,
    }));
    assert.equal(plain.usage, null, 'usage chunk sent although the client did not ask');
    assert.equal(plain.content, 'This is a');
    assert.equal(plain.finish, 'length');
  });

  it('bedrock tools: toolUse ⇄ tool_calls, results go back as toolResult', async () => {
    const first = await client.chat.completions.create({
      model: BEDROCK_MODEL, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: TOOLS,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const msg = first.choices[0].message;
    assert.equal(first.choices[0].finish_reason, 'tool_calls');
    assert.equal(msg.tool_calls.length, 1);
    assert.equal(msg.tool_calls[0].function.name, 'get_weather');
    assert.deepEqual(JSON.parse(msg.tool_calls[0].function.arguments), { city: 'mock' });
    let body = (await lastRequest(mock)).body;
    assert.deepEqual(body.toolConfig.toolChoice, { tool: { name: 'get_weather' } });
    assert.equal(body.toolConfig.tools[0].toolSpec.inputSchema.json.required[0], 'city');

    const streamed = await collect(await client.chat.completions.create({
      model: BEDROCK_MODEL, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: TOOLS,
      stream: true,
    }));
    assert.equal(streamed.finish, 'tool_calls');
    assert.equal(streamed.calls.size, 1);
    assert.equal(streamed.calls.get(0).name, 'get_weather');
    assert.ok(streamed.calls.get(0).id.startsWith('tooluse_'));
    assert.deepEqual(JSON.parse(streamed.calls.get(0).args), { city: 'mock' });

    const second = await client.chat.completions.create({
      model: BEDROCK_MODEL, tools: TOOLS,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        msg,
        { role: 'tool', tool_call_id: msg.tool_calls[0].id, content: 'Sunny, 21C' },
      ],
    });
    assert.equal(second.choices[0].finish_reason, 'stop');
    assert.equal(second.choices[0].message.content, ANSWER);
    body = (await lastRequest(mock)).body;
    assert.deepEqual(body.messages[1].content[0].toolUse,
      { toolUseId: msg.tool_calls[0].id, name: 'get_weather', input: { city: 'mock' } });
    assert.deepEqual(body.messages[2], { role: 'user', content: [{ toolResult: {
      toolUseId: msg.tool_calls[0].id, content: [{ text: 'Sunny, 21C' }] } }] });
  });

  it('bedrock embeddings: Titan and Cohere models through /invoke', async () => {
    const titan = await client.embeddings.create({ model: 'titan-embed', input: 'hello world' });
    assert.equal(titan.object, 'list');
    assert.equal(titan.data.length, 1);
    assert.equal(titan.data[0].embedding.length, 16);
    assert.ok(Math.abs(norm(titan.data[0].embedding) - 1) < 1e-3);
    assert.equal(titan.usage.prompt_tokens, 3);
    let lr = await lastRequest(mock);
    assert.equal(lr.target, '/model/amazon.titan-embed-text-v2%3A0/invoke');
    assert.deepEqual(lr.body, { inputText: 'hello world' });
    // This body serializes to the same bytes in JavaScript, so its payload hash can be checked.
    assert.equal(header(lr, 'x-amz-content-sha256'), sha256(JSON.stringify(lr.body)));
    assert.equal(header(lr, 'authorization'), expectedAuthorization(lr, 'us-west-2'));

    const floats = await client.embeddings.create({
      model: 'bedrock-cohere-embed', input: ['a', 'b'], encoding_format: 'float',
    });
    assert.equal(floats.data.length, 2);
    assert.equal(floats.data[1].index, 1);
    assert.equal(floats.data[0].embedding.length, 16);
    lr = await lastRequest(mock);
    assert.deepEqual(lr.body, { texts: ['a', 'b'], input_type: 'search_document' });
  });

  it('bedrock without credentials: 401 with a clear message, nothing sent upstream', async () => {
    const before = (await lastRequest(mock)).target;
    await assert.rejects(
      client.chat.completions.create({ model: 'bedrock-no-credentials', messages: MESSAGES }),
      (e) => e.status === 401 && /aws_access_key_id/.test(e.message));
    const lr = await lastRequest(mock);
    assert.equal(lr.target, before);
  });

  it('cohere chat: Chat v2 answer as chat.completion, bearer key, v2 body', async () => {
    const res = await client.chat.completions.create({
      model: COHERE_MODEL, messages: MESSAGES, max_tokens: 50, top_p: 0.7, stop: ['\n\n'],
    });
    assert.equal(res.choices[0].message.content, ANSWER);
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.equal(res.usage.completion_tokens, 16);
    assert.ok(res.usage.prompt_tokens > 0);
    const lr = await lastRequest(mock);
    assert.equal(lr.target, '/v2/chat');
    assert.equal(header(lr, 'authorization'), `Bearer ${COHERE_KEY}`);
    const body = lr.body;
    assert.equal(body.model, 'command-r-plus');
    assert.deepEqual(body.messages, [
      { role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say something.' }]);
    assert.equal(body.max_tokens, 50);
    assert.equal(body.p, 0.7);
    assert.deepEqual(body.stop_sequences, ['\n\n']);
  });

  it('cohere stream: SSE events become OpenAI chunks, usage when asked', async () => {
    const got = await collect(await client.chat.completions.create({
      model: COHERE_MODEL, messages: MESSAGES, stream: true, stream_options: { include_usage: true },
    }));
    assert.equal(got.roleFirst, true);
    assert.equal(got.content, ANSWER);
    assert.equal(got.finish, 'stop');
    assert.equal(got.usage.completion_tokens, 16);
    assert.equal((await lastRequest(mock)).body.stream, true);
  });

  it('cohere tools: tool_calls both ways, streamed argument deltas reassemble', async () => {
    const res = await client.chat.completions.create({
      model: COHERE_MODEL, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: TOOLS,
      tool_choice: 'required',
    });
    const msg = res.choices[0].message;
    assert.equal(res.choices[0].finish_reason, 'tool_calls');
    assert.equal(msg.content, 'I will use the get_weather tool.');
    assert.equal(msg.tool_calls[0].function.name, 'get_weather');
    assert.deepEqual(JSON.parse(msg.tool_calls[0].function.arguments), { city: 'mock' });
    assert.equal((await lastRequest(mock)).body.tool_choice, 'REQUIRED');

    const streamed = await collect(await client.chat.completions.create({
      model: COHERE_MODEL, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: TOOLS,
      stream: true,
    }));
    assert.equal(streamed.finish, 'tool_calls');
    assert.equal(streamed.calls.get(0).name, 'get_weather');
    assert.deepEqual(JSON.parse(streamed.calls.get(0).args), { city: 'mock' });

    const second = await client.chat.completions.create({
      model: COHERE_MODEL, tools: TOOLS,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        msg,
        { role: 'tool', tool_call_id: msg.tool_calls[0].id, content: 'Sunny' },
      ],
    });
    assert.equal(second.choices[0].message.content, ANSWER);
    const body = (await lastRequest(mock)).body;
    assert.equal(body.messages[1].tool_plan, 'I will use the get_weather tool.');
    assert.equal(body.messages[1].tool_calls[0].id, msg.tool_calls[0].id);
    assert.deepEqual(body.messages[2], { role: 'tool', tool_call_id: msg.tool_calls[0].id, content: 'Sunny' });
  });

  it('cohere embeddings: Embed v2, base64 (the SDK default) and float', async () => {
    const res = await client.embeddings.create({ model: 'cohere-embed', input: ['one', 'two'] });
    assert.equal(res.data.length, 2);
    assert.equal(res.data[0].embedding.length, 16);
    assert.ok(Math.abs(norm(res.data[1].embedding) - 1) < 1e-3);
    assert.equal(res.usage.prompt_tokens, 2);
    const lr = await lastRequest(mock);
    assert.equal(lr.target, '/v2/embed');
    assert.deepEqual(lr.body, {
      model: 'embed-english-v3.0', texts: ['one', 'two'], input_type: 'search_document',
      embedding_types: ['float'],
    });
    const floats = await client.embeddings.create({
      model: 'cohere-embed', input: 'one', encoding_format: 'float',
    });
    assert.deepEqual(floats.data[0].embedding.map((x) => Math.round(x * 1e4)),
      Array.from(res.data[0].embedding).map((x) => Math.round(x * 1e4)));
  });
});
