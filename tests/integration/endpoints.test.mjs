// The media and ranking endpoints through the gateway, driven by the official openai SDK (and
// fetch for rerank, which the SDK lacks): moderations, images (generations with b64_json and
// url answers, edits as a multipart upload), audio (speech streamed back, transcriptions and
// translations of an uploaded file), rerank (Cohere v2 and an OpenAI-compatible host). Routed by
// the model group named in the body or the form's `model` field, failed over on upstream 5xx,
// authenticated, and costed from the price data. The mock records what the gateway forwarded.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { toFile } from 'openai';
import {
  startMock, startGateway, writeConfig, sdkClient, rawRequest, assertOpenAIError, MASTER_KEY,
  BadRequestError, AuthenticationError,
} from './harness.mjs';

// 8 kHz 8-bit mono WAV of `seconds`: the gateway reads its length for per-second pricing.
function wav(seconds) {
  const data = Math.round(seconds * 8000);
  const b = Buffer.alloc(44 + data, 0x80);
  b.write('RIFF', 0); b.writeUInt32LE(36 + data, 4); b.write('WAVE', 8);
  b.write('fmt ', 12); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24); b.writeUInt32LE(8000, 28); b.writeUInt16LE(1, 32); b.writeUInt16LE(8, 34);
  b.write('data', 36); b.writeUInt32LE(data, 40);
  return b;
}

let good;
let bad;
let gw;
let cfg;
let client;

const entry = (name, model, port, extra = '') => `  - model_name: ${name}
    litellm_params: {model: "${model}", api_base: "http://127.0.0.1:${port}${model.startsWith('openai/') ? '/v1' : ''}", api_key: k${extra}}`;

before(async () => {
  good = await startMock();
  bad = await startMock(['--error-rate', '1', '--error-status', '503']);
  cfg = writeConfig(`# written by endpoints.test.mjs
model_list:
${entry('moderator', 'openai/omni-moderation-latest', good.port)}
${entry('painter', 'openai/dall-e-3', good.port)}
${entry('editor', 'openai/dall-e-2', good.port)}
${entry('azure-painter', 'azure/my-dalle', good.port, ', api_version: "2024-10-21"')}
${entry('voice', 'openai/tts-1', good.port)}
${entry('scribe', 'openai/whisper-1', good.port)}
${entry('cohere-rerank', 'cohere/rerank-english-v3.0', good.port)}
${entry('jina-rerank', 'openai/jina-reranker-v2-base-multilingual', good.port)}
${entry('ha-painter', 'openai/dall-e-3', bad.port, ', order: 1')}
${entry('ha-painter', 'openai/dall-e-3', good.port, ', order: 2')}
${entry('ha-rerank', 'cohere/rerank-english-v3.0', bad.port, ', order: 1')}
${entry('ha-rerank', 'cohere/rerank-english-v3.0', good.port, ', order: 2')}
${entry('ha-scribe', 'openai/whisper-1', bad.port, ', order: 1')}
${entry('ha-scribe', 'openai/whisper-1', good.port, ', order: 2')}
general_settings:
  master_key: ${MASTER_KEY}
router_settings:
  num_retries: 0
switchyard_settings:
  max_request_body_mb: 0.25
  drain_timeout: 1
`);
  gw = await startGateway({ configFile: cfg.file });
  client = sdkClient(gw.baseURL);
});

after(async () => {
  const running = gw.child.running;
  await gw.stop('SIGTERM');
  await good.stop();
  await bad.stop();
  fs.rmSync(cfg.dir, { recursive: true, force: true });
  assert.ok(running, `switchyard died during the tests:\n${gw.child.tail()}`);
});

const auth = { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' };
const post = (path, body, headers = auth) =>
  rawRequest(gw.url, { path, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const cost = (r) => Number(r.headers['x-switchyard-cost']);

describe('moderations', () => {
  it('routes by model, answers in OpenAI shape, forwards the upstream model', async () => {
    const res = await client.moderations.create({ model: 'moderator', input: ['I will kill the lights', 'hello'] });
    assert.equal(res.results.length, 2);
    assert.equal(res.results[0].flagged, true);
    assert.equal(res.results[1].flagged, false);
    const last = (await good.stats()).last_request;
    assert.equal(last.target, '/v1/moderations');
    assert.equal(last.body.model, 'omni-moderation-latest');
    assert.deepEqual(last.body.input, ['I will kill the lights', 'hello']);
    assert.equal(last.headers.authorization, 'Bearer k');
  });

  it('without /v1 too, and 400s naming the missing field, 404 for an unknown model, 401 unauthenticated', async () => {
    const plain = await post('/moderations', { model: 'moderator', input: 'hi' });
    assert.equal(plain.status, 200, plain.text);
    const missing = await post('/v1/moderations', { model: 'moderator' });
    assert.equal(missing.status, 400);
    assertOpenAIError(assert, missing.json, { status: 400 });
    assert.equal(missing.json.error.param, 'input');
    const unknown = await post('/v1/moderations', { model: 'no-such-model', input: 'x' });
    assert.ok([400, 404].includes(unknown.status), unknown.text);
    assert.match(unknown.json.error.message, /no-such-model/);
    await assert.rejects(
      sdkClient(gw.baseURL, 'sk-wrong').moderations.create({ model: 'moderator', input: 'x' }),
      AuthenticationError);
  });
});

describe('images', () => {
  it('generations: b64_json and url answers, costed per image', async () => {
    const b64 = await client.images.generate({ model: 'painter', prompt: 'a red fox', n: 2, response_format: 'b64_json' });
    assert.equal(b64.data.length, 2);
    assert.ok(Buffer.from(b64.data[0].b64_json, 'base64').toString('latin1').startsWith('\x89PNG'));
    const last = (await good.stats()).last_request;
    assert.equal(last.body.model, 'dall-e-3');
    assert.equal(last.body.n, 2);

    const raw = await post('/v1/images/generations', { model: 'painter', prompt: 'a blue fox', response_format: 'url' });
    assert.equal(raw.status, 200, raw.text);
    assert.match(raw.json.data[0].url, /^https:\/\/mock-provider\.invalid\/images\//);
    // dall-e-3 at 0.04 USD an image (data/model_prices.json, output_cost_per_image).
    assert.ok(Math.abs(cost(raw) - 0.04) < 1e-12, raw.headers['x-switchyard-cost']);
    assert.equal(raw.headers['x-litellm-response-cost'], raw.headers['x-switchyard-cost']);
  });

  it('Azure: the deployment path and api-version, the api-key header', async () => {
    const res = await client.images.generate({ model: 'azure-painter', prompt: 'x' });
    assert.equal(res.data.length, 1);
    const last = (await good.stats()).last_request;
    assert.equal(last.target, '/openai/deployments/my-dalle/images/generations?api-version=2024-10-21');
    assert.equal(last.headers['api-key'], 'k');
  });

  it('edits: the multipart upload is forwarded with the upstream model in its model field', async () => {
    const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(3000, 7)]);
    const res = await client.images.edit({
      model: 'editor', prompt: 'add a hat', n: 2, response_format: 'url',
      image: await toFile(png, 'cat.png', { type: 'image/png' }),
    });
    assert.equal(res.data.length, 2);
    const last = (await good.stats()).last_request;
    assert.equal(last.target, '/v1/images/edits');
    assert.match(last.headers['content-type'], /^multipart\/form-data; boundary=/);
    assert.equal(last.form.model, 'dall-e-2');
    assert.equal(last.form.prompt, 'add a hat');
    assert.equal(last.form.image.filename, 'cat.png');
    assert.equal(last.form.image.bytes, png.length);  // the file's bytes, unchanged in length
    assert.ok(last.body.includes(png.subarray(8, 40).toString('latin1')));
  });

  it('edits: a missing image or prompt is a 400 naming it; a JSON body a 400 saying multipart', async () => {
    await assert.rejects(
      client.images.edit({ model: 'editor', prompt: 'p', image: undefined }),
      (e) => e instanceof BadRequestError && e.param === 'image');
    const json = await post('/v1/images/edits', { model: 'editor', prompt: 'p' });
    assert.equal(json.status, 400);
    assert.match(json.json.error.message, /multipart\/form-data/);
  });

  it('fails over on an upstream 503 to the next deployment', async () => {
    const r = await post('/v1/images/generations', { model: 'ha-painter', prompt: 'x' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-switchyard-deployment'], 'ha-painter#9');  // model_list position
    assert.equal(r.headers['x-switchyard-attempts'], '2');
  });
});

describe('audio', () => {
  it('speech: the audio bytes stream back in the upstream content type, costed per character', async () => {
    const input = 'Hello from the gateway. '.repeat(100);  // 2400 characters: several chunks
    const res = await client.audio.speech.create({ model: 'voice', voice: 'alloy', input, response_format: 'mp3' });
    assert.equal(res.headers.get('content-type'), 'audio/mpeg');
    // tts-1 at 1.5e-5 USD a character.
    assert.ok(Math.abs(Number(res.headers.get('x-switchyard-cost')) - input.length * 1.5e-5) < 1e-12);
    const audio = Buffer.from(await res.arrayBuffer());
    assert.equal(audio.length, 4 * input.length);  // the mock's four bytes a character
    assert.equal(audio[0], 0xff);
    assert.equal(audio[2], 'H'.charCodeAt(0));
    const last = (await good.stats()).last_request;
    assert.equal(last.body.model, 'tts-1');
    assert.equal(last.body.voice, 'alloy');
  });

  it('speech: a missing voice is a 400 naming it', async () => {
    const r = await post('/v1/audio/speech', { model: 'voice', input: 'hi' });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.param, 'voice');
  });

  it('transcriptions: a file upload, the form forwarded, costed per second of audio', async () => {
    const file = wav(3);
    const res = await client.audio.transcriptions.create({
      model: 'scribe', file: await toFile(file, 'hello.wav', { type: 'audio/wav' }), response_format: 'verbose_json',
    });
    assert.match(res.text, /^Mock transcript of hello\.wav/);
    assert.equal(res.duration, 3);
    const last = (await good.stats()).last_request;
    assert.equal(last.target, '/v1/audio/transcriptions');
    assert.equal(last.form.model, 'whisper-1');
    assert.equal(last.form.file.bytes, file.length);
    assert.equal(last.form.file.wav_seconds, 3);
  });

  it('transcriptions: text answers keep their content type; the cost is the upload\'s seconds', async () => {
    const form = new FormData();
    form.append('model', 'scribe');
    form.append('response_format', 'text');
    form.append('file', new Blob([wav(2)], { type: 'audio/wav' }), 'two.wav');
    const r = await fetch(`${gw.url}/audio/transcriptions`, {
      method: 'POST', headers: { authorization: `Bearer ${MASTER_KEY}` }, body: form,
    });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    assert.match(await r.text(), /^Mock transcript of two\.wav/);
    // whisper-1 at 0.0001 USD a second (input_cost_per_second), 2 seconds.
    assert.ok(Math.abs(Number(r.headers.get('x-switchyard-cost')) - 0.0002) < 1e-12);
  });

  it('translations: the same upload path', async () => {
    const res = await client.audio.translations.create({
      model: 'scribe', file: await toFile(wav(1), 'fr.wav', { type: 'audio/wav' }),
    });
    assert.match(res.text, /^Mock translation of fr\.wav/);
    assert.equal((await good.stats()).last_request.target, '/v1/audio/translations');
  });

  it('transcriptions: a missing file or model is a 400 naming it; an upload over the limit a 413', async () => {
    const form = new FormData();
    form.append('model', 'scribe');
    const noFile = await fetch(`${gw.baseURL}/audio/transcriptions`, {
      method: 'POST', headers: { authorization: `Bearer ${MASTER_KEY}` }, body: form,
    });
    assert.equal(noFile.status, 400);
    assert.equal((await noFile.json()).error.param, 'file');
    await assert.rejects(
      client.audio.transcriptions.create({ file: await toFile(wav(0.1), 'a.wav') }),
      (e) => e instanceof BadRequestError && e.param === 'model');
    // 320 KB > max_request_body_mb 0.25: refused from its Content-Length, before it is read.
    const big = Buffer.concat([
      Buffer.from('--b0\r\nContent-Disposition: form-data; name="model"\r\n\r\nscribe\r\n' +
        '--b0\r\nContent-Disposition: form-data; name="file"; filename="long.wav"\r\n\r\n'),
      wav(40), Buffer.from('\r\n--b0--\r\n')]);
    const tooBig = await rawRequest(gw.url, {
      path: '/v1/audio/transcriptions', body: big,
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'multipart/form-data; boundary=b0' },
    });
    assert.equal(tooBig.status, 413);
    assertOpenAIError(assert, tooBig.json, { status: 413 });
  });

  it('transcriptions fail over on an upstream 503, the upload sent again whole', async () => {
    const res = await client.audio.transcriptions.create(
      { model: 'ha-scribe', file: await toFile(wav(1), 'again.wav', { type: 'audio/wav' }) },
    ).withResponse();
    assert.equal(res.response.headers.get('x-switchyard-deployment'), 'ha-scribe#13');
    assert.equal(res.response.headers.get('x-switchyard-attempts'), '2');
    assert.match(res.data.text, /again\.wav \(8044 bytes\)/);
    assert.equal((await bad.stats()).last_request.form.file.bytes, 8044);
  });
});

describe('rerank', () => {
  const documents = ['Paris is the capital of France', 'Berlin is in Germany', 'France has wine'];

  for (const path of ['/v1/rerank', '/rerank', '/v2/rerank']) {
    it(`Cohere v2 at ${path}: the body forwarded, Cohere's answer, costed per search unit`, async () => {
      const r = await post(path, { model: 'cohere-rerank', query: 'capital of France', documents, top_n: 2 });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.results.map((x) => x.index), [0, 2]);
      assert.equal(r.json.meta.billed_units.search_units, 1);
      // rerank-english-v3.0 at 0.002 USD a search unit (input_cost_per_query).
      assert.ok(Math.abs(cost(r) - 0.002) < 1e-12, r.headers['x-switchyard-cost']);
      const last = (await good.stats()).last_request;
      assert.equal(last.target, '/v2/rerank');
      assert.equal(last.body.model, 'rerank-english-v3.0');
      assert.equal(last.body.top_n, 2);
      assert.equal(last.headers.authorization, 'Bearer k');
    });
  }

  it('an OpenAI-compatible rerank host at {api_base}/rerank', async () => {
    const r = await post('/v1/rerank', { model: 'jina-rerank', query: 'Germany', documents });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.results[0].index, 1);
    assert.equal(r.json.results[0].document.text, 'Berlin is in Germany');
    const last = (await good.stats()).last_request;
    assert.equal(last.target, '/v1/rerank');
    assert.equal(last.body.model, 'jina-reranker-v2-base-multilingual');
  });

  it('400s naming the missing field; an unknown model names it', async () => {
    const noQuery = await post('/v1/rerank', { model: 'cohere-rerank', documents });
    assert.equal(noQuery.status, 400);
    assertOpenAIError(assert, noQuery.json, { status: 400 });
    assert.equal(noQuery.json.error.param, 'query');
    const noDocs = await post('/rerank', { model: 'cohere-rerank', query: 'q' });
    assert.equal(noDocs.json.error.param, 'documents');
    const unknown = await post('/rerank', { model: 'nope-rerank', query: 'q', documents });
    assert.ok([400, 404].includes(unknown.status), unknown.text);
    assert.match(unknown.json.error.message, /nope-rerank/);
    const noKey = await rawRequest(gw.url, {
      path: '/v1/rerank', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'cohere-rerank', query: 'q', documents }),
    });
    assert.equal(noKey.status, 401);
  });

  it('fails over on an upstream 503', async () => {
    const r = await post('/v1/rerank', { model: 'ha-rerank', query: 'France', documents });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['x-switchyard-deployment'], 'ha-rerank#11');
    assert.equal(r.headers['x-switchyard-attempts'], '2');
  });
});

describe('other providers', () => {
  it('a provider without the endpoint answers a clear 400', async () => {
    const r = await post('/v1/images/generations', { model: 'cohere-rerank', prompt: 'x' });
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.error.message, /Cohere deployments serve/);
  });
});

describe('virtual keys', () => {
  it('a key pays for media requests: its spend is the priced units, its budget applies', async () => {
    const dir = cfg.dir;
    const keyed = writeConfig(`model_list:
${entry('painter', 'openai/dall-e-3', good.port)}
${entry('voice', 'openai/tts-1', good.port)}
general_settings:
  master_key: ${MASTER_KEY}
  database_url: sqlite://${dir}/spend.db
switchyard_settings:
  spend_flush_interval: 0.05
  drain_timeout: 1
`);
    const kgw = await startGateway({ configFile: keyed.file });
    try {
      const gen = await rawRequest(kgw.url, {
        path: '/key/generate', headers: auth, body: JSON.stringify({ max_budget: 0.05 }),
      });
      assert.equal(gen.status, 200, gen.text);
      const headers = { authorization: `Bearer ${gen.json.key}`, 'content-type': 'application/json' };
      const first = await rawRequest(kgw.url, {
        path: '/v1/images/generations', headers, body: JSON.stringify({ model: 'painter', prompt: 'x' }),
      });
      assert.equal(first.status, 200, first.text);
      const info = await rawRequest(kgw.url, {
        method: 'GET', path: `/key/info?key=${encodeURIComponent(gen.json.key)}`, headers: auth,
      });
      assert.ok(Math.abs(info.json.info.spend - 0.04) < 1e-9, info.text);
      // 0.04 spent of 0.05: a second image (0.04 more) crosses it once, then the key is stopped.
      const second = await rawRequest(kgw.url, {
        path: '/v1/images/generations', headers, body: JSON.stringify({ model: 'painter', prompt: 'y' }),
      });
      const third = await rawRequest(kgw.url, {
        path: '/v1/images/generations', headers, body: JSON.stringify({ model: 'painter', prompt: 'z' }),
      });
      assert.ok(second.status === 400 || third.status === 400, `${second.status} ${third.status}`);
      const refused = second.status === 400 ? second : third;
      assert.match(refused.json.error.message, /[Bb]udget/);
    } finally {
      await kgw.stop('SIGTERM');
    }
  });
});
