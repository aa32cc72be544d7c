// The binary's life: CLI, check-config, the no-config mode and graceful shutdown on SIGTERM.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  startMock, startGateway, startStack, writeConfig, makeTempDir, runSwitchyard, sdkClient,
  cleanEnv, sleep, deadline, MOCK_KEY,
} from './harness.mjs';

const MESSAGES = [{ role: 'user', content: 'hello' }];

// Resolves 'refused' when a TCP connect is refused, 'accepted' when it succeeds.
function tryConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve('accepted'); });
    s.once('error', (e) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : `error ${e.code}`));
  });
}

describe('cli', () => {
  it('--version prints the version and exits 0', () => {
    const r = runSwitchyard(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /\d+\.\d+\.\d+/);
  });

  it('--help describes serve and check-config and exits 0', () => {
    const r = runSwitchyard(['--help']);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout + r.stderr;
    assert.match(out, /serve/);
    assert.match(out, /check-config/);
    assert.match(out, /--config/);
  });

  it('an unknown command fails with a non-zero exit', () => {
    const r = runSwitchyard(['frobnicate']);
    assert.notEqual(r.code, 0);
    assert.ok((r.stdout + r.stderr).length > 0, 'no message for an unknown command');
  });
});

describe('check-config', () => {
  const dirs = [];
  after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  it('a valid config: exit 0, the models are listed and the keys are masked', () => {
    const secret = 'sk-supersecretvalue-abcdefghijklmnop';
    const cfg = writeConfig(`
model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini-upstream
      api_base: http://127.0.0.1:9/v1
      api_key: os.environ/MOCK_KEY
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini-second
      api_base: http://127.0.0.1:9/v1
      api_key: ${secret}
  - model_name: azure-gpt
    litellm_params:
      model: azure/my-deployment
      api_base: http://127.0.0.1:9
      api_version: "2024-10-21"
      api_key: azkey-long-secret-0123456789
general_settings:
  master_key: sk-master-very-secret-987654321
`);
    dirs.push(cfg.dir);
    const r = runSwitchyard(['check-config', cfg.file]);
    const out = r.stdout + r.stderr;
    assert.equal(r.code, 0, `exit ${r.code}\n${out}`);
    assert.match(r.stdout, /gpt-4o-mini/);
    assert.match(r.stdout, /azure-gpt/);
    assert.match(r.stdout, /gpt-4o-mini-upstream/);
    assert.match(r.stdout, /my-deployment/);
    for (const s of [secret, MOCK_KEY, 'azkey-long-secret-0123456789', 'sk-master-very-secret-987654321']) {
      assert.ok(!out.includes(s), `check-config printed a secret in full: ${s}\n${out}`);
    }
  });

  it('a deployment without litellm_params.model: exit 1 with "error: <key path>: <message>"', () => {
    const cfg = writeConfig(`
model_list:
  - model_name: ok
    litellm_params:
      model: openai/gpt-4o-mini
      api_key: k
  - model_name: broken
    litellm_params:
      api_base: http://127.0.0.1:9/v1
`);
    dirs.push(cfg.dir);
    const r = runSwitchyard(['check-config', cfg.file]);
    const out = r.stdout + r.stderr;
    assert.equal(r.code, 1, `exit ${r.code}\n${out}`);
    const lines = out.split('\n').filter((l) => l.startsWith('error: '));
    assert.ok(lines.length >= 1, `no "error: " line in:\n${out}`);
    assert.ok(lines.some((l) => /^error: model_list[.[]1\]?\.litellm_params(\.model)?: \S/.test(l)),
      `no error naming model_list[1].litellm_params.model in:\n${lines.join('\n')}`);
  });

  it('ill-typed values are reported with their key path', () => {
    const cfg = writeConfig(`
model_list:
  - model_name: m
    litellm_params:
      model: openai/gpt-4o-mini
      api_key: k
      rpm: lots
`);
    dirs.push(cfg.dir);
    const r = runSwitchyard(['check-config', cfg.file]);
    const out = r.stdout + r.stderr;
    assert.equal(r.code, 1, `exit ${r.code}\n${out}`);
    assert.match(out, /^error: model_list[.[]0\]?\.litellm_params\.rpm: \S/m);
  });

  it('malformed YAML and a missing file: exit 1 with an error line', () => {
    const cfg = writeConfig('model_list:\n  - model_name: [unclosed\n    litellm_params: {model: x\n');
    dirs.push(cfg.dir);
    const r = runSwitchyard(['check-config', cfg.file]);
    assert.equal(r.code, 1, `exit ${r.code}\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout + r.stderr, /^error: /m);

    const missing = runSwitchyard(['check-config', path.join(cfg.dir, 'nope.yaml')]);
    assert.equal(missing.code, 1, `exit ${missing.code}\n${missing.stdout}${missing.stderr}`);
    assert.match(missing.stdout + missing.stderr, /^error: /m);
  });

  it('serve refuses to start on an invalid config', async () => {
    const cfg = writeConfig('model_list:\n  - model_name: broken\n    litellm_params: {}\n');
    dirs.push(cfg.dir);
    let gw;
    try {
      gw = await startGateway({ configFile: cfg.file });
    } catch (e) {
      assert.match(e.message, /exited \(code [1-9]/);
      return;
    } finally {
      if (gw) await gw.stop('SIGKILL');
    }
    assert.fail('serve started with a config whose deployment has no litellm_params.model');
  });
});

describe('no-config mode', () => {
  let gw;
  const dir = makeTempDir();
  after(async () => {
    if (gw) {
      const res = await gw.stop('SIGTERM');
      assert.deepEqual(res, { code: 0, signal: null }, `no-config serve exit\n${gw.child.tail()}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('without config and without any *_API_KEY, gpt-4o-mini is served by the built-in mock', async () => {
    const env = cleanEnv({ HOME: dir });
    assert.ok(!Object.keys(env).some((k) => k.endsWith('_API_KEY')));
    gw = await startGateway({ args: ['serve', '--port', '0', '--host', '127.0.0.1'], env, cwd: dir });
    const client = sdkClient(gw.baseURL, 'any-key');
    const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    assert.equal(typeof r.choices[0].message.content, 'string');
    assert.ok(r.choices[0].message.content.length > 0);
    assert.ok(r.usage.total_tokens > 0);

    const s = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true });
    let text = '';
    for await (const c of s) text += c.choices[0]?.delta?.content ?? '';
    assert.ok(text.length > 0, 'empty stream from the built-in mock');

    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.ok(ids.includes('gpt-4o-mini'), `models: ${ids.join(', ')}`);
  });
});

describe('graceful shutdown (SIGTERM)', () => {
  it('an in-flight stream completes, new connections are refused, exit code 0', { timeout: 60000 }, async () => {
    const stack = await startStack({ settings: { drain_timeout: 10 } });
    try {
      const client = sdkClient(stack.gw.baseURL);
      const t0 = Date.now();
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini', messages: MESSAGES, stream: true,
        mock: { completion_tokens: 25, tokens_per_second: 10 },
      });
      let sigtermAt = null;
      let chunks = 0;
      let finish = null;
      let refusedCheck = null;
      for await (const c of stream) {
        if (c.choices[0]?.delta?.content) chunks++;
        if (c.choices[0]?.finish_reason) finish = c.choices[0].finish_reason;
        if (chunks === 1 && sigtermAt === null) {
          sigtermAt = Date.now();
          stack.gw.child.proc.kill('SIGTERM');
          // Checked concurrently while the stream goes on: the listener must close promptly.
          refusedCheck = (async () => {
            const until = Date.now() + 1500;
            let last;
            while (Date.now() < until) {
              last = await tryConnect(stack.gw.port);
              if (last === 'refused') return last;
              await sleep(100);
            }
            return last;
          })();
        }
      }
      assert.ok(sigtermAt !== null, 'stream produced no content');
      assert.equal(finish, 'stop', 'the in-flight stream was cut by the shutdown');
      assert.ok(chunks >= 20, `only ${chunks} content chunks of ~25 arrived`);
      assert.ok(Date.now() - t0 >= 1500, 'the stream was not slow; the test proves nothing');
      assert.equal(await refusedCheck, 'refused', 'new connections were still accepted after SIGTERM');

      const res = await Promise.race([stack.gw.child.exit, deadline(15000)]);
      assert.notEqual(res, 'timeout', 'gateway did not exit after the stream finished');
      assert.deepEqual(res, { code: 0, signal: null }, stack.gw.child.tail());
      assert.ok(Date.now() - sigtermAt < 10000 + 3000, 'exit took longer than drain_timeout');
    } finally {
      await stack.gw.stop('SIGKILL');
      await stack.mock.stop();
      fs.rmSync(stack.cfg.dir, { recursive: true, force: true });
    }
  });

  it('a stream longer than drain_timeout is cut and the gateway still exits 0 in time', { timeout: 60000 }, async () => {
    const stack = await startStack({ settings: { drain_timeout: 1 } });
    try {
      const client = sdkClient(stack.gw.baseURL);
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini', messages: MESSAGES, stream: true,
        mock: { completion_tokens: 200, tokens_per_second: 5 },
      });
      let sigtermAt = null;
      let finish = null;
      try {
        for await (const c of stream) {
          if (c.choices[0]?.finish_reason) finish = c.choices[0].finish_reason;
          if (c.choices[0]?.delta?.content && sigtermAt === null) {
            sigtermAt = Date.now();
            stack.gw.child.proc.kill('SIGTERM');
          }
        }
      } catch { /* the cut may surface as an error: fine */ }
      assert.ok(sigtermAt !== null);
      assert.notEqual(finish, 'stop', 'a 40 s stream cannot have finished within a 1 s drain');
      const res = await Promise.race([stack.gw.child.exit, deadline(10000)]);
      assert.notEqual(res, 'timeout', 'gateway still running 10 s after SIGTERM with drain_timeout 1');
      assert.deepEqual(res, { code: 0, signal: null }, stack.gw.child.tail());
      assert.ok(Date.now() - sigtermAt < 1000 + 4000, `exit ${Date.now() - sigtermAt} ms after SIGTERM`);
    } finally {
      await stack.gw.stop('SIGKILL');
      await stack.mock.stop();
      fs.rmSync(stack.cfg.dir, { recursive: true, force: true });
    }
  });

  it('an idle gateway exits 0 promptly on SIGTERM', { timeout: 30000 }, async () => {
    const mock = await startMock();
    const cfg = writeConfig(`
model_list:
  - model_name: m
    litellm_params: {model: openai/x, api_base: "http://127.0.0.1:${mock.port}/v1", api_key: k}
switchyard_settings: {drain_timeout: 20}
`);
    try {
      const gw = await startGateway({ configFile: cfg.file });
      // An idle keep-alive connection must not hold the shutdown for the whole drain timeout.
      const r = await fetch(`${gw.url}/health/liveliness`);
      await r.arrayBuffer();
      const t0 = Date.now();
      const res = await gw.stop('SIGTERM');
      assert.deepEqual(res, { code: 0, signal: null }, gw.child.tail());
      assert.ok(Date.now() - t0 < 5000, `idle shutdown took ${Date.now() - t0} ms`);
    } finally {
      await mock.stop();
      fs.rmSync(cfg.dir, { recursive: true, force: true });
    }
  });
});
