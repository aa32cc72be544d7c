// Shared helpers for the integration tests: start the real mock-provider and switchyard binaries
// on free loopback ports, write their config into a temp dir, talk to them, and always stop them.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import http from 'node:http';
import crypto from 'node:crypto';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

// The SDK is installed by scripts/setup.sh --test (npm ci); say so instead of a bare resolve error.
let sdk;
try {
  sdk = await import('openai');
} catch (e) {
  throw new Error(
    `the openai npm package is missing (${e.message}); run \`npm ci\` in ${here} ` +
      'or scripts/setup.sh --test');
}
export const OpenAI = sdk.default;
export const { APIError, AuthenticationError, NotFoundError, BadRequestError } = sdk;

function findBinary(envName, name) {
  if (process.env[envName]) return process.env[envName];
  for (const dir of ['build-debug', 'build']) {
    const p = path.join(repo, dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`${envName} is not set and no ${name} binary was found under build-debug/ or build/`);
}
export const SWITCHYARD_BIN = findBinary('SWITCHYARD_BIN', 'switchyard');
export const MOCK_BIN = findBinary('MOCK_BIN', 'mock-provider');

export const MASTER_KEY = 'sk-test-master';
export const MOCK_KEY = 'mock-deployment-key-0123456789';
export const STARTUP_TIMEOUT_MS = 30000;

// Every child we spawn is killed when this test process exits, whatever happened, and after the
// file's last test: a test that failed before its own clean-up (a gateway that did not start,
// say) would otherwise leave a child whose pipes keep this process, and ctest, waiting.
const children = new Set();
function killChildren() {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* already gone */ }
  }
}
process.on('exit', killChildren);
after(killChildren);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Resolves with `value` after ms without keeping the process alive (for Promise.race deadlines).
export const deadline = (ms, value = 'timeout') =>
  new Promise((r) => setTimeout(() => r(value), ms).unref());

// An environment without any provider key, so nothing can reach a real provider by accident.
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/_API_KEY$|^OPENAI_|^AZURE_|^ANTHROPIC_|^GEMINI_/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

// A spawned binary with its output kept for diagnostics.
class Child {
  constructor(name, bin, args, { env, cwd } = {}) {
    this.name = name;
    this.args = args;
    this.proc = spawn(bin, args, { env: env ?? cleanEnv(), cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(this.proc);
    this.stdout = '';
    this.stderr = '';
    this.exit = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        children.delete(this.proc);
        this.exited = { code, signal };
        resolve(this.exited);
      });
    });
    this.proc.on('error', (e) => { this.spawnError = e; });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d) => {
      this.stderr += d;
      if (this.stderr.length > 256 * 1024) this.stderr = this.stderr.slice(-128 * 1024);
      if (process.env.SWITCHYARD_TEST_VERBOSE) process.stderr.write(`[${this.name}] ${d}`);
    });
    this.lines = readline.createInterface({ input: this.proc.stdout });
    this.lineWaiters = [];
    this.lines.on('line', (line) => {
      this.stdout += line + '\n';
      for (const w of this.lineWaiters) w(line);
    });
  }

  get pid() { return this.proc.pid; }
  get running() { return this.exited === undefined; }

  tail(n = 40) {
    return this.stderr.split('\n').slice(-n).join('\n');
  }

  // Resolves with the regex match of the first stdout line matching re.
  waitForLine(re, timeoutMs = STARTUP_TIMEOUT_MS) {
    for (const line of this.stdout.split('\n')) {
      const m = line.match(re);
      if (m) return Promise.resolve(m);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: no stdout line matching ${re} within ${timeoutMs} ms\n` +
          `stdout:\n${this.stdout}\nstderr tail:\n${this.tail()}`));
      }, timeoutMs);
      const onLine = (line) => {
        const m = line.match(re);
        if (m) { done(); resolve(m); }
      };
      const onExit = ({ code, signal }) => {
        done();
        reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) before printing ` +
          `${re}\nargs: ${this.args.join(' ')}\nstdout:\n${this.stdout}\nstderr tail:\n${this.tail()}`));
      };
      const done = () => {
        clearTimeout(timer);
        this.lineWaiters = this.lineWaiters.filter((w) => w !== onLine);
      };
      this.lineWaiters.push(onLine);
      this.exit.then(onExit);
    });
  }

  // Sends a signal and waits for the exit; SIGKILL after timeoutMs. Returns {code, signal}.
  async stop(signal = 'SIGTERM', timeoutMs = 15000) {
    if (!this.running) return this.exited;
    this.proc.kill(signal);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    const res = await this.exit;
    clearTimeout(timer);
    return res;
  }
}

// Starts the mock provider; returns { child, port, url, stats(), reset(), stop() }.
export async function startMock(extraArgs = []) {
  const child = new Child('mock-provider', MOCK_BIN,
    ['--host', '127.0.0.1', '--port', '0', ...extraArgs]);
  const m = await child.waitForLine(/^mock-provider listening on 127\.0\.0\.1:(\d+)\s*$/);
  const port = Number(m[1]);
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    url,
    async stats() {
      const r = await fetch(`${url}/mock/stats`);
      if (r.status !== 200) throw new Error(`GET /mock/stats: ${r.status}`);
      const s = await r.json();
      if (s.last_request && typeof s.last_request.body === 'string') {
        try { s.last_request.body = JSON.parse(s.last_request.body); } catch { /* keep text */ }
      }
      return s;
    },
    async reset() {
      const r = await fetch(`${url}/mock/reset`, { method: 'POST' });
      await r.arrayBuffer();
    },
    stop: () => child.stop('SIGTERM'),
  };
}

export function makeTempDir(prefix = 'switchyard-it-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeConfig(yaml, dir = makeTempDir()) {
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, yaml);
  return { dir, file };
}

// A port that nothing listens on (bound then released), for "upstream refused" deployments.
export async function closedPort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

// The standard config used by most tests: deployments on the mock, one on a closed port.
export function standardConfig({ mockPort, deadPort, settings = {} }) {
  const s = {
    max_request_body_mb: 0.05,
    header_timeout: 1,
    body_timeout: 2,
    drain_timeout: 5,
    ...settings,
  };
  const sy = Object.entries(s).map(([k, v]) => `  ${k}: ${v}`).join('\n');
  return `# written by tests/integration/harness.mjs
model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini-upstream
      api_base: "http://127.0.0.1:${mockPort}/v1"
      api_key: os.environ/MOCK_KEY
  - model_name: azure-gpt
    litellm_params:
      model: azure/my-deployment
      api_base: "http://127.0.0.1:${mockPort}"
      api_version: "2024-10-21"
      api_key: azkey
  - model_name: embedder
    litellm_params:
      model: openai/text-embedding-3-small
      api_base: "http://127.0.0.1:${mockPort}/v1"
      api_key: os.environ/MOCK_KEY
  - model_name: legacy
    litellm_params:
      model: openai/gpt-3.5-turbo-instruct
      api_base: "http://127.0.0.1:${mockPort}/v1"
      api_key: os.environ/MOCK_KEY
  - model_name: dead-upstream
    litellm_params:
      model: openai/gpt-4o-mini
      api_base: "http://127.0.0.1:${deadPort}/v1"
      api_key: os.environ/MOCK_KEY
general_settings:
  master_key: ${MASTER_KEY}
switchyard_settings:
${sy}
`;
}

export const CONFIGURED_MODELS = ['gpt-4o-mini', 'azure-gpt', 'embedder', 'legacy', 'dead-upstream'];

// Starts switchyard serve; returns { child, port, url, baseURL, stop() }.
export async function startGateway({ configFile, args, env, cwd } = {}) {
  const argv = args ?? ['serve', '--config', configFile, '--host', '127.0.0.1', '--port', '0',
    '--workers', '1'];
  const child = new Child('switchyard', SWITCHYARD_BIN, argv,
    { env: env ?? cleanEnv({ MOCK_KEY }), cwd });
  const m = await child.waitForLine(/^switchyard listening on 127\.0\.0\.1:(\d+)\s*$/);
  const port = Number(m[1]);
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    url,
    baseURL: `${url}/v1`,
    stop: (signal) => child.stop(signal),
  };
}

// Mock + gateway with the standard config, or with `config(mockPort, deadPort)`'s YAML; the
// environment variables starting with one of `dropEnv` are not passed on (credentials then come
// from the config only). stopAll() asserts that neither died before it was stopped (a crash
// during a test must not pass unnoticed) and that the gateway exits cleanly.
export async function startStack({ settings, mockArgs = [], config, dropEnv = [] } = {}) {
  const mock = await startMock(mockArgs);
  let gw;
  try {
    const deadPort = await closedPort();
    const yaml = config ? config(mock.port, deadPort)
      : standardConfig({ mockPort: mock.port, deadPort, settings });
    const cfg = writeConfig(yaml);
    const env = cleanEnv({ MOCK_KEY });
    for (const k of Object.keys(env)) if (dropEnv.some((p) => k.startsWith(p))) delete env[k];
    gw = await startGateway({ configFile: cfg.file, env });
    return {
      mock,
      gw,
      cfg,
      deadPort,
      async stopAll() {
        const problems = [];
        if (!gw.child.running) {
          problems.push(`switchyard died during the tests: ${JSON.stringify(gw.child.exited)}\n` +
            gw.child.tail());
        }
        if (!mock.child.running) {
          problems.push(`mock-provider died during the tests: ${JSON.stringify(mock.child.exited)}`);
        }
        const wasRunning = gw.child.running;
        const res = await gw.stop('SIGTERM');
        await mock.stop();
        fs.rmSync(cfg.dir, { recursive: true, force: true });
        if (wasRunning && (res.code !== 0 || res.signal)) {
          problems.push(`switchyard did not exit 0 on SIGTERM: ${JSON.stringify(res)}\n` +
            gw.child.tail());
        }
        if (problems.length) throw new Error(problems.join('\n'));
      },
    };
  } catch (e) {
    if (gw) await gw.stop('SIGKILL');
    await mock.stop();
    throw e;
  }
}

export function sdkClient(baseURL, apiKey = MASTER_KEY, opts = {}) {
  return new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30000, ...opts });
}

// A plain HTTP request with node:http that resolves with the response even when the server
// answers early and closes while the body is still being written (e.g. 413 on Content-Length).
// `localAddress`: the client's source address (another loopback address, 127.0.0.2, is another
// client to the gateway).
export function rawRequest(url, { method = 'POST', path: p = '/', headers = {}, body, timeoutMs = 15000, localAddress } = {}) {
  const u = new URL(url);
  const hasHeader = (name) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  if (body !== undefined && !hasHeader('transfer-encoding') && !hasHeader('content-length')) {
    headers = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = http.request({
      host: u.hostname, port: u.port, method, path: p, headers, agent: false, localAddress,
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        let json;
        try { json = JSON.parse(data); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text: data, json });
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new Error(`${method} ${p}: no response within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e) => {
      // An early answer followed by a reset while we were still writing is fine.
      if (settled) return;
      setTimeout(() => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(e);
      }, 200);
    });
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Runs the switchyard binary to completion (for check-config, --version, --help).
export function runSwitchyard(args, { env, timeoutMs = 30000, cwd } = {}) {
  const r = spawnSync(SWITCHYARD_BIN, args, {
    env: env ?? cleanEnv({ MOCK_KEY }), encoding: 'utf8', timeout: timeoutMs, cwd,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

// Polls fn() until it returns a truthy value; returns that value or the last one after timeoutMs.
export async function waitFor(fn, { timeoutMs = 5000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let v;
  for (;;) {
    v = await fn();
    if (v || Date.now() >= deadline) return v;
    await sleep(intervalMs);
  }
}

// Checks the OpenAI error shape {"error": {"message", "type", "param", "code"}}.
export function assertOpenAIError(assert, json, { status, context = '' } = {}) {
  assert.ok(json && typeof json === 'object', `${context}: body is not JSON: ${JSON.stringify(json)}`);
  assert.ok(json.error && typeof json.error === 'object', `${context}: no "error" object in ${JSON.stringify(json)}`);
  assert.equal(typeof json.error.message, 'string', `${context}: error.message must be a string`);
  assert.ok(json.error.message.length > 0, `${context}: error.message is empty`);
  for (const k of ['type', 'param', 'code']) {
    assert.ok(k in json.error, `${context}: error.${k} missing in ${JSON.stringify(json)} (status ${status})`);
  }
}

// What an OpenAI client assembles from a chat stream: content, reasoning, tool calls by index,
// the finish reason, the usage chunk, and whether the first chunk carried the role.
export async function collectChatStream(stream) {
  const out = { content: '', reasoning: '', finish: null, usage: null, chunks: 0, calls: new Map(), roleFirst: null };
  for await (const c of stream) {
    out.chunks++;
    if (c.usage) out.usage = c.usage;
    const ch = c.choices[0];
    if (!ch) continue;
    if (out.roleFirst === null) out.roleFirst = ch.delta?.role === 'assistant';
    if (ch.delta?.content) out.content += ch.delta.content;
    if (ch.delta?.reasoning_content) out.reasoning += ch.delta.reasoning_content;
    if (ch.finish_reason) out.finish = ch.finish_reason;
    for (const tc of ch.delta?.tool_calls ?? []) {
      const cur = out.calls.get(tc.index) ?? { id: '', name: '', args: '' };
      if (tc.id) cur.id = tc.id;
      if (tc.function?.name) cur.name += tc.function.name;
      if (tc.function?.arguments) cur.args += tc.function.arguments;
      out.calls.set(tc.index, cur);
    }
  }
  return out;
}

export const sha256Hex = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

// An independent SigV4 computation of the Authorization header a request the mock received
// (its stats' last_request) should carry, for an AWS `service` ("bedrock", "sagemaker"): the
// canonical URI encodes each segment of the wire path once more, so a ':' sent as %3A is signed
// as %253A.
export function sigV4Authorization(lr, { region, service, accessKey, secretKey }) {
  const hmac = (key, s) => crypto.createHmac('sha256', key).update(s, 'utf8').digest();
  const header = (n) => lr.headers[n];
  const path = lr.target.split('?')[0];
  const canonicalUri = path.split('/').map((seg) => encodeURIComponent(seg)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
  const amzDate = header('x-amz-date');
  const names = ['host', 'x-amz-content-sha256', 'x-amz-date'];
  const canonical = ['POST', canonicalUri, '',
    names.map((n) => `${n}:${header(n).trim()}\n`).join(''), names.join(';'),
    header('x-amz-content-sha256')].join('\n');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${secretKey}`, day);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const signature = crypto.createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${names.join(';')}, ` +
    `Signature=${signature}`;
}
