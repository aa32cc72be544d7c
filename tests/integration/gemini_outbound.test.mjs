// Google Gemini (AI Studio) and Vertex AI behind the gateway: the official openai SDK speaks
// OpenAI's format to switchyard, which talks Google's generateContent format to the mock
// (including the Vertex service-account token exchange against the mock's POST /token).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  startMock, startGateway, writeConfig, makeTempDir, sdkClient, BadRequestError, MOCK_KEY,
  MASTER_KEY,
} from './harness.mjs';

const GEMINI = 'gemini/gemini-2.0-flash';
const VERTEX = 'vertex_ai/gemini-2.5-pro';
// The mock's Gemini 3 signs its function calls and refuses a history without the signatures.
const GEMINI3 = 'gemini/gemini-3-pro-preview';
const MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'What is the capital of France?' },
];
const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: { city: { type: 'string' }, days: { type: 'integer' } },
      required: ['city', 'days'],
    },
  },
};

function serviceAccountKey(tokenUri) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    type: 'service_account',
    project_id: 'test-proj',
    private_key_id: 'test-kid',
    private_key: privateKey,
    client_email: 'gateway@test-proj.iam.gserviceaccount.com',
    token_uri: tokenUri,
  };
}

function config(mockUrl, keyFile) {
  return `model_list:
  - model_name: ${GEMINI}
    litellm_params:
      model: ${GEMINI}
      api_base: "${mockUrl}"
      api_key: os.environ/MOCK_KEY
  - model_name: ${GEMINI3}
    litellm_params:
      model: ${GEMINI3}
      api_base: "${mockUrl}"
      api_key: os.environ/MOCK_KEY
  - model_name: gemini-embedder
    litellm_params:
      model: gemini/text-embedding-004
      api_base: "${mockUrl}"
      api_key: os.environ/MOCK_KEY
  - model_name: ${VERTEX}
    litellm_params:
      model: ${VERTEX}
      api_base: "${mockUrl}"
      vertex_project: test-proj
      vertex_location: us-central1
      vertex_credentials: "${keyFile}"
  - model_name: vertex-embedder
    litellm_params:
      model: vertex_ai/text-embedding-005
      api_base: "${mockUrl}"
      vertex_project: test-proj
      vertex_location: us-central1
      vertex_credentials: "${keyFile}"
general_settings:
  master_key: ${MASTER_KEY}
`;
}

async function collect(stream) {
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return chunks;
}

describe('gemini and vertex_ai outbound', () => {
  let mock, gw, dir, client;

  before(async () => {
    mock = await startMock(['--require-key', MOCK_KEY]);
    dir = makeTempDir('switchyard-gemini-');
    const keyFile = path.join(dir, 'service-account.json');
    fs.writeFileSync(keyFile, JSON.stringify(serviceAccountKey(`${mock.url}/token`)));
    const cfg = writeConfig(config(mock.url, keyFile), dir);
    gw = await startGateway({ configFile: cfg.file });
    client = sdkClient(gw.baseURL);
  });

  after(async () => {
    const problems = [];
    if (gw && !gw.child.running) problems.push(`switchyard died: ${gw.child.tail()}`);
    if (gw) {
      const res = await gw.stop('SIGTERM');
      if (res.code !== 0 || res.signal) problems.push(`switchyard exit ${JSON.stringify(res)}`);
    }
    if (mock) await mock.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (problems.length) throw new Error(problems.join('\n'));
  });

  it('gemini chat: Google URL, key header, contents/systemInstruction; OpenAI answer with usage', async () => {
    const data = await client.chat.completions.create({
      model: GEMINI, messages: MESSAGES, temperature: 0.3, max_tokens: 50,
    });
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.choices.length, 1);
    assert.equal(data.choices[0].message.role, 'assistant');
    assert.ok(data.choices[0].message.content.length > 0);
    assert.equal(data.choices[0].finish_reason, 'stop');
    assert.ok(data.usage.prompt_tokens > 0);
    assert.ok(data.usage.completion_tokens > 0);
    assert.equal(data.usage.total_tokens, data.usage.prompt_tokens + data.usage.completion_tokens);

    const lr = (await mock.stats()).last_request;
    assert.equal(lr.target, '/v1beta/models/gemini-2.0-flash:generateContent');
    assert.equal(lr.headers['x-goog-api-key'], MOCK_KEY);
    assert.equal(lr.headers.authorization, undefined, 'the Gemini key goes in x-goog-api-key only');
    assert.deepEqual(lr.body.systemInstruction, { parts: [{ text: 'You are terse.' }] });
    assert.deepEqual(lr.body.contents,
      [{ role: 'user', parts: [{ text: 'What is the capital of France?' }] }]);
    assert.deepEqual(lr.body.generationConfig, { temperature: 0.3, maxOutputTokens: 50 });
  });

  it('gemini stream with include_usage: deltas, finish chunk, usage chunk, [DONE]', async () => {
    const { data: stream, response } = await client.chat.completions.create({
      model: GEMINI, messages: MESSAGES, stream: true, stream_options: { include_usage: true },
    }).withResponse();
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const chunks = await collect(stream);
    for (const c of chunks) assert.equal(c.object, 'chat.completion.chunk');
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.ok(text.length > 0);
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta?.content);
    assert.ok(contentChunks.length >= 2, 'the answer must arrive in several deltas');
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
    assert.equal(finishes.length, 1);
    assert.equal(finishes[0].choices[0].finish_reason, 'stop');
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, []);
    assert.ok(last.usage.prompt_tokens > 0 && last.usage.completion_tokens > 0);

    const lr = (await mock.stats()).last_request;
    assert.equal(lr.target, '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');

    const without = await collect(await client.chat.completions.create({
      model: GEMINI, messages: MESSAGES, stream: true,
    }));
    assert.ok(without.every((c) => c.choices.length === 1), 'no usage chunk unless asked');
  });

  it('vertex chat: token from the service account, project/location URL, reasoning', async () => {
    await fetch(`${mock.url}/mock/reset`, { method: 'POST' });
    const data = await client.chat.completions.create({
      model: VERTEX, messages: MESSAGES, reasoning_effort: 'low',
    });
    assert.ok(data.choices[0].message.content.length > 0);
    assert.ok(data.choices[0].message.reasoning_content.length > 0, 'thought parts → reasoning_content');
    assert.ok(data.usage.completion_tokens_details.reasoning_tokens > 0);
    let st = await mock.stats();
    const lr = st.last_request;
    assert.equal(lr.target,
      '/v1/projects/test-proj/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent');
    // The mock's token endpoint grants its required key, so a 200 proves the bearer token was used.
    assert.equal(lr.headers.authorization, `Bearer ${MOCK_KEY}`);
    assert.deepEqual(lr.body.generationConfig.thinkingConfig, { thinkingBudget: 1024, includeThoughts: true });
    const afterFirst = st.requests;
    assert.equal(afterFirst, 2, 'one token request, then generateContent');

    await client.chat.completions.create({ model: VERTEX, messages: MESSAGES });
    st = await mock.stats();
    assert.equal(st.requests, afterFirst + 1, 'the cached token is reused: no second token request');
  });

  it('gemini 3 thought signatures: shown as provider_specific_fields, handed back, a stand-in for unsigned calls', async () => {
    const body = {
      model: GEMINI3,
      messages: [{ role: 'user', content: 'Weather in Paris for 3 days?' }],
      tools: [WEATHER_TOOL],
    };
    const data = await client.chat.completions.create(body);
    const call = data.choices[0].message.tool_calls[0];
    const signature = call.provider_specific_fields?.thought_signature;
    assert.match(signature ?? '', /^mock-signature-/, JSON.stringify(call));

    const chunks = await collect(await client.chat.completions.create({ ...body, stream: true }));
    const streamed = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    assert.match(streamed[0].provider_specific_fields?.thought_signature ?? '', /^mock-signature-/);

    // The SDK's message, as a client appends it to the history: the signature goes back to
    // Gemini on the call's part, and Gemini 3 accepts the turn.
    const toolTurn = { role: 'tool', tool_call_id: call.id, content: '{"temp_c":21}' };
    const followUp = await client.chat.completions.create({
      ...body, messages: [...body.messages, data.choices[0].message, toolTurn],
    });
    assert.ok(followUp.choices[0].message.tool_calls, 'the mock answered instead of refusing');
    let sent = (await mock.stats()).last_request.body.contents;
    assert.equal(sent[1].parts[0].thoughtSignature, signature);

    // LiteLLM's other form: the signature after "__thought__" in the call's id.
    const inId = { id: `call_x__thought__${signature}`, type: 'function', function: call.function };
    await client.chat.completions.create({
      ...body,
      messages: [...body.messages, { role: 'assistant', content: null, tool_calls: [inId] },
        { ...toolTurn, tool_call_id: inId.id }],
    });
    sent = (await mock.stats()).last_request.body.contents;
    assert.equal(sent[1].parts[0].thoughtSignature, signature);

    // A call from another model (no signature): Google's documented stand-in, so Gemini 3 takes
    // the history instead of a 400; Gemini 2 gets the call as it was.
    const unsigned = { id: 'call_0', type: 'function', function: call.function };
    const history = [...body.messages, { role: 'assistant', content: null, tool_calls: [unsigned] },
      { ...toolTurn, tool_call_id: 'call_0' }];
    await client.chat.completions.create({ ...body, messages: history });
    sent = (await mock.stats()).last_request.body.contents;
    assert.equal(sent[1].parts[0].thoughtSignature, 'skip_thought_signature_validator');
    await client.chat.completions.create({ ...body, model: GEMINI, messages: history });
    sent = (await mock.stats()).last_request.body.contents;
    assert.equal(sent[1].parts[0].thoughtSignature, undefined);
  });

  it('tools on vertex, whole and streamed: tool_calls with ids, names and JSON arguments', async () => {
    const body = {
      model: VERTEX,
      messages: [{ role: 'user', content: 'Weather in Paris for 3 days?' }],
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    };
    const data = await client.chat.completions.create(body);
    const choice = data.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.tool_calls.length, 1);
    const call = choice.message.tool_calls[0];
    assert.equal(call.type, 'function');
    assert.equal(call.id, 'call_0');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'mock', days: 1 });
    const lr = (await mock.stats()).last_request;
    assert.deepEqual(lr.body.toolConfig,
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
    assert.equal(lr.body.tools[0].functionDeclarations[0].parameters.additionalProperties, undefined,
      'schema keys Gemini rejects are stripped');

    const chunks = await collect(await client.chat.completions.create({ ...body, stream: true }));
    const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    assert.ok(calls.length >= 1);
    assert.equal(calls[0].id, 'call_0');
    assert.equal(calls[0].function.name, 'get_weather');
    const args = calls.map((c) => c.function?.arguments ?? '').join('');
    assert.deepEqual(JSON.parse(args), { city: 'mock', days: 1 });
    assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === 'tool_calls'));

    // The tool result goes back as a functionResponse named after the call.
    const followUp = await client.chat.completions.create({
      model: GEMINI,
      messages: [
        ...body.messages,
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"temp_c":21}' },
      ],
    });
    assert.ok(followUp.choices[0].message.content.length > 0);
    const sent = (await mock.stats()).last_request.body.contents;
    assert.deepEqual(sent[1], { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'mock', days: 1 } } }] });
    assert.deepEqual(sent[2], { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp_c: 21 } } }] });
  });

  it('embeddings: gemini batchEmbedContents and vertex predict, with dimensions and usage', async () => {
    const gem = await client.embeddings.create({
      model: 'gemini-embedder', input: ['hello', 'world'], dimensions: 32,
    });
    assert.equal(gem.object, 'list');
    assert.equal(gem.data.length, 2);
    assert.equal(gem.data[0].embedding.length, 32);
    assert.equal(gem.data[1].index, 1);
    assert.ok(gem.usage.prompt_tokens > 0);
    let lr = (await mock.stats()).last_request;
    assert.equal(lr.target, '/v1beta/models/text-embedding-004:batchEmbedContents');
    assert.equal(lr.body.requests[0].outputDimensionality, 32);

    const floats = await client.embeddings.create({
      model: 'vertex-embedder', input: 'hello vertex', encoding_format: 'float',
    });
    assert.equal(floats.data.length, 1);
    assert.equal(floats.data[0].embedding.length, 768);
    assert.ok(floats.usage.prompt_tokens > 0);
    lr = (await mock.stats()).last_request;
    assert.equal(lr.target,
      '/v1/projects/test-proj/locations/us-central1/publishers/google/models/text-embedding-005:predict');
    assert.deepEqual(lr.body.instances, [{ content: 'hello vertex' }]);
  });

  it('a parameter Gemini cannot honour is a 400 naming it', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: GEMINI, messages: MESSAGES, logit_bias: { 50256: -100 } }),
      (e) => e instanceof BadRequestError && e.status === 400 && /logit_bias/.test(e.message));
  });
});
