#!/usr/bin/env node
// Chaos benchmark for the router: steady load through one model group of three deployments, one
// failing 30% of its requests (HTTP 500), one stalling (no answer within its 1 s timeout), one
// healthy. Measures the client-visible success rate and latency, against two baselines in the
// same run: the same group with every deployment healthy, and the chaos group with the circuit
// breaker off (disable_cooldowns). Then the stalling deployment recovers, and the time until
// traffic reaches it again is measured.
//
//   node bench/chaos.mjs [--seconds 8] [--clients 16]
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
const { startMock, startGateway, writeConfig, sleep } =
  await import(path.join(repo, 'tests', 'integration', 'harness.mjs'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 8);
const CLIENTS = arg('clients', 16);
const KEY = 'sk-chaos';

const setFaults = (mock, faults) =>
  fetch(`${mock.url}/mock/faults`, { method: 'POST', body: JSON.stringify(faults) })
    .then((r) => r.arrayBuffer());

function config(ports, { breaker }) {
  const entry = (port) => `  - model_name: chat
    litellm_params: {model: openai/m, api_base: "http://127.0.0.1:${port}/v1", api_key: k, timeout: 1}`;
  return `model_list:
${ports.map(entry).join('\n')}
general_settings:
  master_key: ${KEY}
router_settings:
  num_retries: 2
  allowed_fails: 3
  cooldown_time: 2
  disable_cooldowns: ${breaker ? 'false' : 'true'}
switchyard_settings:
  workers: 2
  drain_timeout: 1
`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
const body = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });

function request(port) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', agent,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json',
        'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({
        ok: res.statusCode === 200,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        deployment: res.headers['x-switchyard-deployment'],
      }));
    });
    req.on('error', () => resolve({ ok: false, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    req.end(body);
  });
}

async function load(port, seconds) {
  const results = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (Date.now() < until) results.push(await request(port));
  }));
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  const perDeployment = {};
  for (const r of results) if (r.deployment) perDeployment[r.deployment] = (perDeployment[r.deployment] ?? 0) + 1;
  return {
    requests: results.length,
    successRate: results.filter((r) => r.ok).length / results.length,
    p50: pct(0.5),
    p99: pct(0.99),
    max: ms[ms.length - 1],
    perDeployment,
  };
}

async function scenario(name, { chaos, breaker, recovery = false }) {
  const mocks = [await startMock(), await startMock(), await startMock()];
  const [flaky, stalled] = mocks;
  const cfg = writeConfig(config(mocks.map((m) => m.port), { breaker }));
  const gw = await startGateway({ configFile: cfg.file,
    args: ['serve', '--config', cfg.file, '--host', '127.0.0.1', '--port', '0'] });
  try {
    await load(gw.port, 1);  // warm-up: connections, latency estimates
    if (chaos) {
      await setFaults(flaky, { error_rate: 0.3, error_status: 500 });
      await setFaults(stalled, { latency_ms: 30000 });
    }
    const result = await load(gw.port, SECONDS);
    if (recovery) {
      // The stalled deployment recovers while load continues; how long until it serves again?
      const before = (await stalled.stats()).requests;
      const background = load(gw.port, 6);
      const t0 = Date.now();
      await setFaults(stalled, {});
      let back = null;
      while (Date.now() - t0 < 6000) {
        const h = await fetch(`${gw.url}/health`, { headers: { authorization: `Bearer ${KEY}` } })
          .then((r) => r.json());
        const d = h.deployments.find((x) => x.id === 'chat#1');
        if ((await stalled.stats()).requests > before && d.state === 'healthy') {
          back = Date.now() - t0;
          break;
        }
        await sleep(20);
      }
      result.recoveryMs = back;
      result.afterRecovery = await background;
    }
    console.error(`${name}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await gw.stop('SIGTERM');
    for (const m of mocks) await m.stop();
    fs.rmSync(cfg.dir, { recursive: true, force: true });
  }
}

const healthy = await scenario('healthy', { chaos: false, breaker: true });
const noBreaker = await scenario('chaos, breaker off', { chaos: true, breaker: false });
const chaos = await scenario('chaos, breaker on', { chaos: true, breaker: true, recovery: true });

const row = (name, r) =>
  `| ${name} | ${r.requests} | ${(100 * r.successRate).toFixed(2)}% | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.p99 / healthy.p99).toFixed(1)}× |`;
console.log(`clients ${CLIENTS}, ${SECONDS} s per scenario, gateway --workers 2
| scenario | requests | success | p50 ms | p99 ms | p99 vs healthy |
| --- | --- | --- | --- | --- | --- |
${row('all healthy (baseline)', healthy)}
${row('chaos, breaker off', noBreaker)}
${row('chaos, breaker on (default)', chaos)}

Traffic back on the stalled deployment ${chaos.recoveryMs === null ? 'not within 6 s' : `${chaos.recoveryMs} ms`} after it recovered (cooldown_time 2 s); success rate while it did: ${(100 * chaos.afterRecovery.successRate).toFixed(2)}%.
Requests per deployment, chaos with breaker: ${JSON.stringify(chaos.perDeployment)}.`);
agent.destroy();
