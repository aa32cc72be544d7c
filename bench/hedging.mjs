#!/usr/bin/env node
// Hedged requests under a sometimes-stalling deployment: one model group of two mock deployments
// with the same base latency; the first in `order` stalls 10% of its requests by +500 ms
// (mock-provider --stall-rate / --stall-ms), the second never does. Closed-loop load through the
// gateway, measuring client-visible p50/p99 with hedging off (the baseline, same run) and on
// (latency_factor, then a fixed delay), for whole and streamed answers, and what hedging costs:
// the share of requests that started a second upstream request.
//
//   node bench/hedging.mjs [--seconds 6] [--clients 8] [--latency-ms 20]
// Uses build/switchyard and build/mock-provider (make build) unless SWITCHYARD_BIN / MOCK_BIN say
// otherwise. Everything listens on 127.0.0.1; every process it starts is stopped when it exits.
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
process.env.SWITCHYARD_BIN ??= path.join(repo, 'build', 'switchyard');
process.env.MOCK_BIN ??= path.join(repo, 'build', 'mock-provider');
const { startMock, startGateway, writeConfig } =
  await import(path.join(repo, 'tests', 'integration', 'harness.mjs'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 6);
const CLIENTS = arg('clients', 8);
const LATENCY_MS = arg('latency-ms', 20);
const STALL_RATE = 0.1;
const STALL_MS = 500;
const KEY = 'sk-hedging';

function config(ports, hedging) {
  const entry = (port, order) => `  - model_name: chat
    litellm_params: {model: openai/m, api_base: "http://127.0.0.1:${port}/v1", api_key: k, order: ${order}}`;
  return `model_list:
${ports.map((p, i) => entry(p, i + 1)).join('\n')}
general_settings:
  master_key: ${KEY}
switchyard_settings:
  workers: 2
  drain_timeout: 1
  router:
${hedging ? `    hedging:\n      chat: ${hedging}` : '    backoff_base: 0.1'}
`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

function request(port, stream) {
  const body = JSON.stringify({ model: 'chat', stream, messages: [{ role: 'user', content: 'hi' }] });
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', agent,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json',
        'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({
        ok: res.statusCode === 200 && (!stream || text.includes('data: [DONE]')),
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        hedged: res.headers['x-switchyard-hedged'] === 'true',
      }));
    });
    req.on('error', () => resolve({ ok: false, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    req.end(body);
  });
}

async function load(port, seconds, stream) {
  const results = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (Date.now() < until) results.push(await request(port, stream));
  }));
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  return {
    requests: results.length,
    successRate: results.filter((r) => r.ok).length / results.length,
    hedgedRate: results.filter((r) => r.hedged).length / results.length,
    p50: pct(0.5),
    p99: pct(0.99),
    max: ms[ms.length - 1],
  };
}

async function scenario(name, { hedging, stream }) {
  const stalling = await startMock(['--latency-ms', String(LATENCY_MS), '--stall-rate',
    String(STALL_RATE), '--stall-ms', String(STALL_MS)]);
  const steady = await startMock(['--latency-ms', String(LATENCY_MS)]);
  const cfg = writeConfig(config([stalling.port, steady.port], hedging));
  const gw = await startGateway({ configFile: cfg.file,
    args: ['serve', '--config', cfg.file, '--host', '127.0.0.1', '--port', '0'] });
  try {
    await load(gw.port, 1, stream);  // warm-up: connections and latency estimates
    const before = [(await stalling.stats()).requests, (await steady.stats()).requests];
    const result = await load(gw.port, SECONDS, stream);
    result.upstreamPerRequest =
      ((await stalling.stats()).requests - before[0] + (await steady.stats()).requests - before[1]) /
      result.requests;
    console.error(`${name}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await gw.stop('SIGTERM');
    await stalling.stop();
    await steady.stop();
    fs.rmSync(cfg.dir, { recursive: true, force: true });
  }
}

const factor = '{latency_factor: 2, min_delay: 0.05}';
const fixed = '{delay: 0.1}';
const rows = [];
for (const stream of [false, true]) {
  const kind = stream ? 'stream' : 'whole';
  const off = await scenario(`${kind}, hedging off`, { stream });
  const onFactor = await scenario(`${kind}, hedging ${factor}`, { hedging: factor, stream });
  const onFixed = await scenario(`${kind}, hedging ${fixed}`, { hedging: fixed, stream });
  const row = (name, r) =>
    `| ${kind} | ${name} | ${r.requests} | ${(100 * r.successRate).toFixed(2)}% | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.p99 / off.p99).toFixed(2)}× | ${(100 * r.hedgedRate).toFixed(1)}% | ${r.upstreamPerRequest.toFixed(3)} |`;
  rows.push(row('off (baseline)', off), row(`\`${factor}\``, onFactor), row(`\`${fixed}\``, onFixed));
}
console.log(`clients ${CLIENTS}, ${SECONDS} s per scenario, gateway --workers 2, upstream latency ${LATENCY_MS} ms, first deployment stalls ${100 * STALL_RATE}% of requests by +${STALL_MS} ms
| answer | hedging | requests | success | p50 ms | p99 ms | p99 vs off | hedged | upstream requests per request |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}`);
agent.destroy();
