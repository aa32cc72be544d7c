// A reload under load: SIGHUP every second for ~30 s while streaming and whole requests run
// through the mock provider on keep-alive connections. Nothing may be dropped (every request
// answers 200, every stream ends with its usage chunk and [DONE]), and what a reload changes
// (prices, the master key, a deployment's limit) applies to requests that start after it, never
// to one already running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startMock, startGateway, makeTempDir, sleep, waitFor, MASTER_KEY } from './harness.mjs';

const LOAD_MS = Number(process.env.SWITCHYARD_RELOAD_LOAD_MS ?? 30000);
const CONCURRENCY = 6;
const ROTATED_KEY = 'sk-test-master-rotated';
const MESSAGES = [{ role: 'user', content: 'reload me' }];

// USD per input token in generation g of the price file (output is free): cost = prompt * price.
const priceOf = (g) => (g + 1) * 1e-6;

class Stack {
  async start() {
    this.mock = await startMock();
    this.dir = makeTempDir('switchyard-reload-');
    this.configFile = path.join(this.dir, 'config.yaml');
    this.pricesFile = path.join(this.dir, 'prices.json');
    this.generation = 0;
    this.settings = { masterKey: MASTER_KEY, limitedParallel: 0 };
    this.write();
    this.gw = await startGateway({
      args: ['serve', '--config', this.configFile, '--host', '127.0.0.1', '--port', '0',
        '--workers', '2'],
    });
  }

  // Renamed into place, so that a reload never reads half a file.
  writeFile(file, text) {
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  }

  write() {
    const { masterKey, limitedParallel } = this.settings;
    const base = `api_base: "http://127.0.0.1:${this.mock.port}/v1", api_key: k`;
    const limit = limitedParallel ? `, max_parallel_requests: ${limitedParallel}` : '';
    this.writeFile(this.pricesFile, JSON.stringify({
      'priced-model': { input_cost_per_token: priceOf(this.generation), output_cost_per_token: 0 },
    }));
    this.writeFile(this.configFile, `model_list:
  - model_name: chat
    litellm_params: {model: openai/priced-model, ${base}}
  - model_name: limited
    litellm_params: {model: openai/limited-model, ${base}${limit}}
general_settings:
  master_key: ${masterKey}
  model_prices_path: ${this.pricesFile}
  database_url: "sqlite://${path.join(this.dir, 'keys.db')}"
switchyard_settings:
  drain_timeout: 5
`);
  }

  reloads() {
    return this.gw.child.stderr.split('config reloaded from').length - 1;
  }

  // Writes the next generation and waits until the gateway says it is the running config.
  async reload(changes = {}) {
    Object.assign(this.settings, changes);
    this.generation += 1;
    this.write();
    const before = this.reloads();
    this.gw.child.proc.kill('SIGHUP');
    assert.ok(await waitFor(() => this.reloads() > before, { timeoutMs: 5000, intervalMs: 20 }),
      `no reload within 5 s:\n${this.gw.child.tail()}`);
  }

  async stop() {
    const running = this.gw.child.running;
    const res = await this.gw.stop('SIGTERM');
    await this.mock.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
    assert.ok(running, `switchyard died during the test:\n${this.gw.child.tail()}`);
    assert.equal(res.code, 0, this.gw.child.tail());
    assert.ok(!this.gw.child.stderr.includes('reload failed'), this.gw.child.tail());
  }
}

async function post(stack, body, key = MASTER_KEY) {
  const r = await fetch(`${stack.gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: MESSAGES, ...body }),
    signal: AbortSignal.timeout(20000),
  });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

// A whole answer: its cost, and the price it was charged at.
async function whole(stack, { model = 'chat', mock = {}, key } = {}) {
  const r = await post(stack, { model, mock }, key);
  if (r.status !== 200) return r;
  const usage = JSON.parse(r.text).usage;
  const cost = Number(r.headers.get('x-switchyard-cost'));
  return { ...r, usage, cost, price: cost / usage.prompt_tokens };
}

// A stream, checked to be complete: content, a usage chunk, then [DONE].
async function stream(stack, { mock = {}, key } = {}) {
  const r = await post(stack, {
    model: 'chat', stream: true, stream_options: { include_usage: true },
    mock: { completion_tokens: 12, tokens_per_second: 40, ...mock },
  }, key);
  if (r.status !== 200) return r;
  const events = r.text.split('\n\n').filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));
  const done = events.at(-1) === '[DONE]';
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
  const content = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
  const usage = chunks.find((c) => c.usage)?.usage;
  return { ...r, complete: done && content.length > 0 && usage?.completion_tokens === 12 };
}

const samePrice = (a, b) => Math.abs(a - b) <= 1e-9 * b;

// Sends a request with `send` and resolves once the mock has it, whatever the load, with
// { answer }: the promise of its response.
async function running(stack, send) {
  const before = (await stack.mock.stats()).requests;
  const answer = send();
  assert.ok(await waitFor(async () => (await stack.mock.stats()).requests > before,
    { timeoutMs: 10000, intervalMs: 20 }), 'the request never reached the mock');
  return { answer };
}

test('SIGHUP every second under streams and whole requests: nothing dropped, new prices for new requests', { timeout: LOAD_MS + 60000 }, async () => {
  const stack = new Stack();
  await stack.start();
  try {
    const failures = [];
    let wholeCount = 0;
    let streamCount = 0;
    let running = true;
    const worker = async (i) => {
      for (let n = 0; running; n++) {
        if ((i + n) % 2 === 0) {
          const r = await stream(stack);
          streamCount++;
          if (r.status !== 200 || !r.complete) failures.push(`stream: ${r.status} ${r.text}`);
        } else {
          // The generation whose reload was confirmed before this request was sent: the lowest
          // price it may be charged.
          const confirmed = stack.reloads();
          const r = await whole(stack, { mock: { latency_ms: 100 } });
          wholeCount++;
          if (r.status !== 200) {
            failures.push(`whole: ${r.status} ${r.text}`);
          } else if (!Array.from({ length: stack.generation + 1 }, (_, g) => g)
            .some((g) => g >= confirmed && samePrice(r.price, priceOf(g)))) {
            failures.push(`charged ${r.price}/token, not a price of generation ${confirmed}..` +
              `${stack.generation}`);
          }
        }
      }
    };
    const workers = Array.from({ length: CONCURRENCY }, (_, i) => worker(i));
    const start = Date.now();
    while (Date.now() - start < LOAD_MS) {
      await sleep(1000);
      await stack.reload();
    }
    running = false;
    await Promise.all(workers);
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} failures`);
    assert.ok(stack.reloads() >= Math.floor(LOAD_MS / 1000) - 1, `${stack.reloads()} reloads`);
    assert.ok(wholeCount > 20 && streamCount > 20, `${wholeCount} whole, ${streamCount} streams`);
  } finally {
    await stack.stop();
  }
});

test('a reload changes prices, keys and limits for new requests, not for running ones', { timeout: 60000 }, async () => {
  const stack = new Stack();
  await stack.start();
  try {
    // Prices: a slow request started before the reload is charged the old price.
    const slow = await running(stack, () => whole(stack, { mock: { latency_ms: 2000 } }));
    await stack.reload();
    const fresh = await whole(stack);
    assert.equal(fresh.status, 200, fresh.text);
    assert.ok(samePrice(fresh.price, priceOf(1)), `new request charged ${fresh.price}`);
    const old = await slow.answer;
    assert.equal(old.status, 200, old.text);
    assert.ok(samePrice(old.price, priceOf(0)), `running request charged ${old.price}`);

    // Keys: a stream authenticated with the old master key finishes; new requests need the new one.
    const started = await running(stack, () => stream(stack, { mock: { tokens_per_second: 6 } }));
    await stack.reload({ masterKey: ROTATED_KEY });
    assert.equal((await whole(stack)).status, 401);
    assert.equal((await whole(stack, { key: ROTATED_KEY })).status, 200);
    const finished = await started.answer;
    assert.equal(finished.status, 200, finished.text);
    assert.ok(finished.complete, finished.text);

    // Limits: one request at a time on "limited" once the reload says so.
    const pair = () => Promise.all([0, 1].map(() => whole(stack, {
      model: 'limited', mock: { latency_ms: 1500 }, key: ROTATED_KEY,
    })));
    assert.deepEqual((await pair()).map((r) => r.status), [200, 200]);
    await stack.reload({ limitedParallel: 1 });
    assert.deepEqual((await pair()).map((r) => r.status).sort(), [200, 429]);
    await stack.reload({ limitedParallel: 0 });
    assert.deepEqual((await pair()).map((r) => r.status), [200, 200]);
  } finally {
    await stack.stop();
  }
});
