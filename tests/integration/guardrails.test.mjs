// Guardrails end to end with the official SDKs: LiteLLM's litellm_content_filter config as its
// users write it; blocks in each client's error format, masking the upstream sees (the mock
// records the last request) and placeholders restored before the client sees the answer, in
// whole answers and streams; an answer-side guardrail ending a stream mid-way.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  startMock, startGateway, writeConfig, closedPort, standardConfig, sdkClient, BadRequestError,
  APIError,
} from './harness.mjs';

let Anthropic;
try {
  Anthropic = (await import('@anthropic-ai/sdk')).default;
} catch (e) {
  throw new Error(`the @anthropic-ai/sdk npm package is missing (${e.message}); run \`npm ci\` ` +
    'in tests/integration or scripts/setup.sh --test');
}

const GUARDRAILS = `
guardrails:
  - guardrail_name: "content-filter-pre"
    litellm_params:
      guardrail: litellm_content_filter
      mode: "pre_call"
      patterns:
        - pattern_type: "prebuilt"
          pattern_name: "us_ssn"
          action: "BLOCK"
        - pattern_type: "prebuilt"
          pattern_name: "email"
          action: "MASK"
      blocked_words:
        - keyword: "confidential"
          action: "BLOCK"
          description: "Sensitive internal information"
  - guardrail_name: "pii-mask"
    litellm_params:
      guardrail: litellm_content_filter
      mode: "pre_call"
      output_parse_pii: true
      patterns:
        - pattern_type: "prebuilt"
          pattern_name: "email"
          action: "MASK"
        - pattern_type: "prebuilt"
          pattern_name: "phone"
          action: "MASK"
  - guardrail_name: "secrets-out"
    litellm_params:
      guardrail: litellm_content_filter
      mode: "post_call"
      patterns:
        - pattern_type: "prebuilt"
          pattern_name: "aws_access_key"
          action: "BLOCK"
        - pattern_type: "prebuilt"
          pattern_name: "email"
          action: "MASK"
`;

const MODEL = 'gpt-4o-mini';
const EMAIL = 'jane.roe@example.com';
// Long enough that the key comes well after the first chunks reached the client.
const LEAK = `${'All good so far. '.repeat(12)}The key is AKIAIOSFODNN7EXAMPLE, keep it.`;

describe('guardrails', () => {
  let mock, gw, cfg, client, anthropic;

  before(async () => {
    mock = await startMock();
    const deadPort = await closedPort();
    cfg = writeConfig(standardConfig({ mockPort: mock.port, deadPort }) + GUARDRAILS);
    gw = await startGateway({ configFile: cfg.file });
    client = sdkClient(gw.baseURL);
    anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'sk-test-master', maxRetries: 0 });
  });

  after(async () => {
    const running = gw?.child.running;
    if (gw) await gw.stop('SIGTERM');
    if (mock) await mock.stop();
    if (cfg) fs.rmSync(cfg.dir, { recursive: true, force: true });
    assert.ok(running !== false, 'the gateway died during the tests');
  });

  it('pre_call BLOCK: a 400 in LiteLLM\'s shape, naming the guardrail, never the value; the upstream is not called', async () => {
    const before = (await mock.stats()).requests;
    await assert.rejects(
      client.chat.completions.create({
        model: MODEL, messages: [{ role: 'user', content: 'My SSN is 123-45-6789' }],
        guardrails: ['content-filter-pre'],
      }),
      (e) => {
        assert.ok(e instanceof BadRequestError, String(e));
        assert.equal(e.status, 400);
        assert.deepEqual(e.error.message, {
          error: 'Content blocked: us_ssn pattern detected', pattern: 'us_ssn',
          guardrail: 'content-filter-pre', category: 'pii',
        });
        assert.equal(e.error.code, '400');
        assert.ok(!JSON.stringify(e.error).includes('6789'));
        return true;
      });
    assert.equal((await mock.stats()).requests, before);
  });

  it('pre_call BLOCK for an Anthropic client: its error envelope', async () => {
    await assert.rejects(
      anthropic.messages.create({
        model: MODEL, max_tokens: 16,
        messages: [{ role: 'user', content: 'This is confidential.' }],
        metadata: { guardrails: ['content-filter-pre'] },
      }),
      (e) => {
        assert.ok(e instanceof Anthropic.APIError, String(e));
        assert.equal(e.status, 400);
        assert.equal(e.error.type, 'error');
        assert.equal(e.error.error.type, 'invalid_request_error');
        assert.match(e.error.error.message,
          /^Content blocked: keyword 'confidential' detected \(Sensitive internal information\) \(guardrail: content-filter-pre\)$/);
        return true;
      });
  });

  it('completions and embeddings input are checked too', async () => {
    await assert.rejects(
      client.completions.create({ model: 'legacy', prompt: 'ssn 123-45-6789', guardrails: ['content-filter-pre'] }),
      (e) => e instanceof BadRequestError && e.error.message.pattern === 'us_ssn');
    await client.embeddings.create({ model: 'embedder', input: [`mail ${EMAIL}`], guardrails: ['content-filter-pre'] });
    const { last_request: lr } = await mock.stats();
    assert.deepEqual(lr.body.input, ['mail [EMAIL_REDACTED]']);
    assert.equal(lr.body.guardrails, undefined, 'the guardrails list is the gateway\'s, not the model\'s');
  });

  it('MASK with output_parse_pii: the upstream sees placeholders, the client the originals (whole answer)', async () => {
    const r = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: `Write to ${EMAIL} or call +14155552671.` }],
      guardrails: ['pii-mask'],
      mock: { content: 'I will write to [EMAIL_1] and call [PHONE_1].' },
    });
    const { last_request: lr } = await mock.stats();
    assert.equal(lr.body.messages[0].content, 'Write to [EMAIL_1] or call [PHONE_1].');
    assert.equal(r.choices[0].message.content, `I will write to ${EMAIL} and call +14155552671.`);
  });

  it('MASK with output_parse_pii on a stream: placeholders split across chunks are restored', async () => {
    const answer = 'Sure: [EMAIL_1], then [EMAIL_1] again.';
    const stream = await client.chat.completions.create({
      model: MODEL, stream: true,
      messages: [{ role: 'user', content: `Mail ${EMAIL}` }],
      guardrails: ['pii-mask'],
      mock: { content: answer },
    });
    const deltas = [];
    for await (const c of stream) deltas.push(c.choices[0]?.delta?.content ?? '');
    assert.ok(deltas.filter(Boolean).length > 3, 'the mock streams several chunks');
    assert.equal(deltas.join(''), `Sure: ${EMAIL}, then ${EMAIL} again.`);
    const { last_request: lr } = await mock.stats();
    assert.equal(lr.body.messages[0].content, 'Mail [EMAIL_1]');
  });

  it('Anthropic Messages: tool results are masked, the streamed answer restored', async () => {
    const stream = anthropic.messages.stream({
      model: MODEL, max_tokens: 64,
      metadata: { guardrails: ['pii-mask'] },
      messages: [
        { role: 'user', content: 'Who is the customer?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'lookup', input: { q: 'customer' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: `email: ${EMAIL}` }] },
      ],
      mock: { content: 'The customer is [EMAIL_1].' },
    });
    const msg = await stream.finalMessage();
    assert.equal(msg.content[0].text, `The customer is ${EMAIL}.`);
    const { last_request: lr } = await mock.stats();
    assert.ok(!JSON.stringify(lr.body).includes(EMAIL), JSON.stringify(lr.body));
    assert.ok(JSON.stringify(lr.body).includes('[EMAIL_1]'));
  });

  it('post_call on a stream: text before the finding arrives, then the stream ends with an error', async () => {
    const stream = await client.chat.completions.create({
      model: MODEL, stream: true, messages: [{ role: 'user', content: 'hi' }],
      guardrails: ['secrets-out'], mock: { content: LEAK },
    });
    let text = '';
    await assert.rejects(async () => {
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    }, (e) => {
      assert.ok(e instanceof APIError, String(e));
      assert.match(e.message, /Content blocked: aws_access_key pattern detected \(guardrail: secrets-out\)/);
      return true;
    });
    assert.ok(text.startsWith('All good so far.'), `text before the block: ${text}`);
    assert.ok(!text.includes('AKIA'));
  });

  it('post_call on a whole answer: a block is a 400, a MASK rewrites the answer', async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: MODEL, messages: [{ role: 'user', content: 'hi' }],
        guardrails: ['secrets-out'], mock: { content: LEAK },
      }),
      (e) => e instanceof BadRequestError && /aws_access_key/.test(e.message) && !/AKIA/.test(e.message));
    const r = await client.chat.completions.create({
      model: MODEL, messages: [{ role: 'user', content: 'hi' }],
      guardrails: ['secrets-out'], mock: { content: `Ask ${EMAIL}.` },
    });
    assert.equal(r.choices[0].message.content, 'Ask [EMAIL_REDACTED].');
  });

  it('post_call on an Anthropic stream: the SDK gets an error event', async () => {
    const stream = anthropic.messages.stream({
      model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }],
      metadata: { guardrails: ['secrets-out'] }, mock: { content: LEAK },
    });
    await assert.rejects(stream.finalMessage(), (e) => {
      assert.match(String(e.message ?? e), /aws_access_key/);
      return true;
    });
  });

  it('an unknown guardrail name is a clear 400', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], guardrails: ['nope'] }),
      (e) => e instanceof BadRequestError && /unknown guardrail 'nope'/.test(e.message));
  });
});
