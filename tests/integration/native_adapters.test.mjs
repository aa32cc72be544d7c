// The native adapters of issue 16 behind the gateway, driven by the official openai SDK: Ollama's
// /api/chat and /api/embed (NDJSON streams), text-completion-openai/ (chat sent to the legacy
// /v1/completions), and SageMaker endpoints (TGI's {inputs, parameters} and the Messages API,
// SigV4-signed, streamed as AWS event-stream PayloadParts). The mock speaks each wire format.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack, sdkClient, MASTER_KEY, MOCK_KEY,
  collectChatStream, sigV4Authorization,
} from './harness.mjs';

const ACCESS_KEY = 'AKIDEXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
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
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}];

function config(mockPort) {
  const base = `http://127.0.0.1:${mockPort}`;
  const aws = `      aws_access_key_id: ${ACCESS_KEY}
      aws_secret_access_key: ${SECRET_KEY}
      aws_region_name: us-west-2`;
  return `# written by native_adapters.test.mjs
model_list:
  - model_name: llama
    litellm_params: {model: "ollama_chat/llama3.1:8b", api_base: "${base}", api_key: ${MOCK_KEY}}
  - model_name: llama-generate-prefix
    litellm_params: {model: "ollama/llama3", api_base: "${base}", api_key: ${MOCK_KEY}}
  - model_name: llama-openai-compatible
    litellm_params: {model: "ollama/llama3", api_base: "${base}/v1", api_key: ${MOCK_KEY}}
  - model_name: nomic
    litellm_params: {model: "ollama/nomic-embed-text", api_base: "${base}", api_key: ${MOCK_KEY}}
  - model_name: instruct
    litellm_params:
      model: text-completion-openai/gpt-3.5-turbo-instruct
      api_base: "${base}/v1"
      api_key: ${MOCK_KEY}
  - model_name: jumpstart
    litellm_params:
      model: sagemaker/my-llama-2-7b-chat
      api_base: "${base}"
${aws}
  - model_name: tgi-chat
    litellm_params:
      model: sagemaker_chat/tgi-messages
      api_base: "${base}"
${aws}
general_settings:
  master_key: ${MASTER_KEY}
`;
}

async function lastRequest(mock) {
  const r = await fetch(`${mock.url}/mock/stats`);
  return (await r.json()).last_request;
}

async function setFaults(mock, faults) {
  const r = await fetch(`${mock.url}/mock/faults`, { method: 'POST', body: JSON.stringify(faults) });
  assert.equal(r.status, 200);
}

const expectedAuthorization = (lr, region) => sigV4Authorization(lr, {
  region, service: 'sagemaker', accessKey: ACCESS_KEY, secretKey: SECRET_KEY,
});
const collect = collectChatStream;

describe('native adapters: Ollama, legacy completions, SageMaker', () => {
  let stack, mock, gw, client;

  before(async () => {
    stack = await startStack({ config, mockArgs: ['--require-key', MOCK_KEY], dropEnv: ['AWS_', 'OLLAMA_'] });
    ({ mock, gw } = stack);
    client = sdkClient(gw.baseURL);
  });

  after(async () => {
    await stack?.stopAll();
  });

  it('ollama chat: /api/chat with options, stream false said, counts as usage', async () => {
    const res = await client.chat.completions.create({
      model: 'llama', messages: MESSAGES, max_tokens: 100, temperature: 0.2, seed: 7, stop: 'END',
    });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.model, 'llama');
    assert.equal(res.choices[0].message.content, ANSWER);
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.equal(res.usage.completion_tokens, 16);
    assert.ok(res.usage.prompt_tokens > 0);
    const lr = await lastRequest(mock);
    assert.equal(lr.target, '/api/chat');
    assert.equal(lr.headers.authorization, `Bearer ${MOCK_KEY}`);
    assert.deepEqual(lr.body, {
      model: 'llama3.1:8b',
      messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say something.' }],
      stream: false,
      options: { temperature: 0.2, seed: 7, num_predict: 100, stop: ['END'] },
    });
    // ollama/ speaks the same native API.
    const plain = await client.chat.completions.create({ model: 'llama-generate-prefix', messages: MESSAGES });
    assert.equal(plain.choices[0].message.content, ANSWER);
    assert.equal((await lastRequest(mock)).target, '/api/chat');
  });

  it('ollama stream: NDJSON lines become OpenAI chunks; done_reason and counts at the end', async () => {
    const got = await collect(await client.chat.completions.create({
      model: 'llama', messages: MESSAGES, stream: true, stream_options: { include_usage: true },
    }));
    assert.equal(got.roleFirst, true);
    assert.equal(got.content, ANSWER);
    assert.equal(got.finish, 'stop');
    assert.equal(got.usage.completion_tokens, 16);
    assert.equal((await lastRequest(mock)).body.stream, true);

    const short = await collect(await client.chat.completions.create({
      model: 'llama', messages: MESSAGES, stream: true, max_tokens: 3,
    }));
    assert.equal(short.content, 'This is a');
    assert.equal(short.finish, 'length');
    assert.equal(short.usage, null, 'usage chunk sent although the client did not ask');
  });

  it('ollama stream without counts: a complete answer of unknown usage, not an error', async () => {
    await setFaults(mock, { omit_usage: true });
    try {
      const got = await collect(await client.chat.completions.create({
        model: 'llama', messages: MESSAGES, stream: true, stream_options: { include_usage: true },
      }));
      assert.equal(got.content, ANSWER);
      assert.equal(got.finish, 'stop');
    } finally {
      await setFaults(mock, {});
    }
  });

  it('ollama thinking and tools: think from reasoning_effort, thinking as reasoning_content, tool round trip', async () => {
    const first = await client.chat.completions.create({
      model: 'llama', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: TOOLS,
      reasoning_effort: 'low',
    });
    const msg = first.choices[0].message;
    assert.equal(first.choices[0].finish_reason, 'tool_calls');
    assert.equal(msg.reasoning_content, 'The user wants a short answer.');
    assert.equal(msg.tool_calls[0].function.name, 'get_weather');
    assert.ok(msg.tool_calls[0].id.startsWith('call_'));
    assert.deepEqual(JSON.parse(msg.tool_calls[0].function.arguments), { city: 'mock' });
    let body = (await lastRequest(mock)).body;
    assert.equal(body.think, true);
    assert.deepEqual(body.tools, TOOLS);

    const streamed = await collect(await client.chat.completions.create({
      model: 'llama', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: TOOLS,
      stream: true, reasoning_effort: 'medium',
    }));
    assert.equal(streamed.finish, 'tool_calls');
    assert.equal(streamed.reasoning, 'The user wants a short answer.');
    assert.equal(streamed.calls.get(0).name, 'get_weather');
    assert.deepEqual(JSON.parse(streamed.calls.get(0).args), { city: 'mock' });

    const second = await client.chat.completions.create({
      model: 'llama', tools: TOOLS,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        msg,
        { role: 'tool', tool_call_id: msg.tool_calls[0].id, content: 'Sunny, 21C' },
      ],
    });
    assert.equal(second.choices[0].finish_reason, 'stop');
    assert.equal(second.choices[0].message.content, ANSWER);
    body = (await lastRequest(mock)).body;
    assert.deepEqual(body.messages[1], {
      role: 'assistant', content: '', thinking: 'The user wants a short answer.',
      tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'mock' } } }],
    });
    assert.deepEqual(body.messages[2], { role: 'tool', content: 'Sunny, 21C', tool_name: 'get_weather' });
  });

  it('ollama structured output and images: format from response_format, data: URLs as images', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const res = await client.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: [
        { type: 'text', text: 'Describe.' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
      response_format: { type: 'json_schema', json_schema: { name: 'a', schema } },
    });
    assert.deepEqual(Object.keys(JSON.parse(res.choices[0].message.content)), ['answer']);
    const body = (await lastRequest(mock)).body;
    assert.deepEqual(body.format, schema);
    assert.deepEqual(body.messages[0], { role: 'user', content: 'Describe.', images: ['iVBORw0KGgo='] });

    await assert.rejects(client.chat.completions.create({
      model: 'llama',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] }],
    }), (e) => e.status === 400 && /base64 data: URL/.test(e.message));
  });

  it('ollama embeddings: /api/embed answers as OpenAI\'s list', async () => {
    const res = await client.embeddings.create({ model: 'nomic', input: ['hello', 'world'] });
    assert.equal(res.object, 'list');
    assert.equal(res.data.length, 2);
    assert.equal(res.data[1].index, 1);
    assert.equal(res.data[0].embedding.length, 16);
    assert.ok(res.usage.prompt_tokens > 0);
    const lr = await lastRequest(mock);
    assert.equal(lr.target, '/api/embed');
    assert.deepEqual(lr.body, { model: 'nomic-embed-text', input: ['hello', 'world'] });
  });

  it('ollama with an api_base ending in /v1 keeps the OpenAI-compatible API', async () => {
    const res = await client.chat.completions.create({ model: 'llama-openai-compatible', messages: MESSAGES });
    assert.equal(res.choices[0].message.content, ANSWER);
    const lr = await lastRequest(mock);
    assert.equal(lr.target, '/v1/chat/completions');
    assert.equal(lr.body.model, 'llama3');
  });

  it('text-completion-openai: chat sent to /v1/completions and answered as chat; completions forwarded', async () => {
    const res = await client.chat.completions.create({
      model: 'instruct', messages: MESSAGES, max_tokens: 5, stop: ['\n'],
    });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.choices[0].message.role, 'assistant');
    assert.equal(res.choices[0].message.content, 'This is a mock response');
    assert.equal(res.choices[0].finish_reason, 'length');
    assert.equal(res.usage.completion_tokens, 5);
    let lr = await lastRequest(mock);
    assert.equal(lr.target, '/v1/completions');
    assert.deepEqual(lr.body, {
      model: 'gpt-3.5-turbo-instruct', prompt: 'You are terse.\n\nSay something.', stop: ['\n'], max_tokens: 5,
    });

    const got = await collect(await client.chat.completions.create({
      model: 'instruct', messages: MESSAGES, stream: true, stream_options: { include_usage: true },
    }));
    assert.equal(got.roleFirst, true);
    assert.equal(got.content, ANSWER);
    assert.equal(got.finish, 'stop');
    assert.equal(got.usage.completion_tokens, 16);
    lr = await lastRequest(mock);
    assert.deepEqual(lr.body.stream_options, { include_usage: true });

    const legacy = await client.completions.create({ model: 'instruct', prompt: 'Once upon', max_tokens: 2 });
    assert.equal(legacy.object, 'text_completion');
    assert.equal(legacy.choices[0].text, 'This is');
    lr = await lastRequest(mock);
    assert.deepEqual(lr.body, { model: 'gpt-3.5-turbo-instruct', prompt: 'Once upon', max_tokens: 2 });
  });

  it('sagemaker (TGI): {inputs, parameters} to /invocations, SigV4 for sagemaker, details as finish and usage', async () => {
    const res = await client.chat.completions.create({
      model: 'jumpstart', messages: MESSAGES, max_tokens: 100, temperature: 0,
    });
    assert.equal(res.object, 'chat.completion');
    assert.equal(res.choices[0].message.content, ANSWER);
    assert.equal(res.choices[0].finish_reason, 'stop');
    assert.equal(res.usage.completion_tokens, 17, 'the generated tokens, </s> included');
    assert.ok(res.usage.prompt_tokens > 10);
    const lr = await lastRequest(mock);
    assert.equal(lr.target, '/endpoints/my-llama-2-7b-chat/invocations');
    assert.deepEqual(lr.body, {
      inputs: '<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n [/INST]\n[INST] Say something. [/INST]\n',
      parameters: { details: true, temperature: 0.01, max_new_tokens: 100 },
    });
    assert.equal(lr.headers.authorization, expectedAuthorization(lr, 'us-west-2'));

    const got = await collect(await client.chat.completions.create({
      model: 'jumpstart', messages: MESSAGES, stream: true, stream_options: { include_usage: true },
    }));
    assert.equal(got.roleFirst, true);
    assert.equal(got.content, ANSWER);
    assert.equal(got.finish, 'stop');
    assert.equal(got.usage.completion_tokens, 17);
    const slr = await lastRequest(mock);
    assert.equal(slr.target, '/endpoints/my-llama-2-7b-chat/invocations-response-stream');
    assert.equal(slr.body.stream, true);
    assert.equal(slr.headers.authorization, expectedAuthorization(slr, 'us-west-2'));

    const short = await collect(await client.chat.completions.create({
      model: 'jumpstart', messages: MESSAGES, stream: true, max_tokens: 3,
    }));
    assert.equal(short.content, 'This is a');
    assert.equal(short.finish, 'length');
  });

  it('sagemaker embeddings: {inputs: [texts]} to /invocations, SigV4, TEI vectors as OpenAI\'s list', async () => {
    const res = await client.embeddings.create({ model: 'jumpstart', input: ['first text', 'second'] });
    assert.equal(res.object, 'list');
    assert.equal(res.data.length, 2);
    assert.equal(res.data[1].index, 1);
    assert.equal(res.data[0].embedding.length, 8);
    assert.notDeepEqual(res.data[0].embedding, res.data[1].embedding);
    assert.ok(res.usage.prompt_tokens >= 3, JSON.stringify(res.usage));
    const lr = await lastRequest(mock);
    assert.equal(lr.target, '/endpoints/my-llama-2-7b-chat/invocations');
    assert.deepEqual(lr.body, { inputs: ['first text', 'second'] });
    assert.equal(lr.headers.authorization, expectedAuthorization(lr, 'us-west-2'));

    const b64 = await client.embeddings.create({ model: 'jumpstart', input: 'one', encoding_format: 'base64' });
    assert.equal(typeof b64.data[0].embedding, 'string');
    const tokens = await client.embeddings.create({ model: 'jumpstart', input: [[1, 2, 3]] }).catch((e) => e);
    assert.equal(tokens.status, 400);
    assert.match(tokens.message, /SageMaker embeddings take text inputs/);
    const chatOnly = await client.embeddings.create({ model: 'tgi-chat', input: 'x' }).catch((e) => e);
    assert.equal(chatOnly.status, 400);
  });

  it('sagemaker_chat: OpenAI body to /invocations, chunks out of the PayloadParts', async () => {
    const res = await client.chat.completions.create({ model: 'tgi-chat', messages: MESSAGES, max_tokens: 50 });
    assert.equal(res.choices[0].message.content, ANSWER);
    assert.equal(res.usage.completion_tokens, 16);
    let lr = await lastRequest(mock);
    assert.equal(lr.target, '/endpoints/tgi-messages/invocations');
    assert.equal(lr.body.model, 'tgi-messages');
    assert.deepEqual(lr.body.messages, MESSAGES);
    assert.equal(lr.headers.authorization, expectedAuthorization(lr, 'us-west-2'));

    const got = await collect(await client.chat.completions.create({
      model: 'tgi-chat', messages: MESSAGES, stream: true, stream_options: { include_usage: true },
    }));
    assert.equal(got.content, ANSWER);
    assert.equal(got.finish, 'stop');
    assert.equal(got.usage.completion_tokens, 16);
    lr = await lastRequest(mock);
    assert.equal(lr.target, '/endpoints/tgi-messages/invocations-response-stream');

    const tools = await collect(await client.chat.completions.create({
      model: 'tgi-chat', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: TOOLS, stream: true,
    }));
    assert.equal(tools.finish, 'tool_calls');
    assert.equal(tools.calls.get(0).name, 'get_weather');
  });
});
