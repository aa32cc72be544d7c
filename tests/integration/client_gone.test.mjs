// A client that leaves while the upstream is still working: the gateway must close the upstream
// request, so nobody pays for tokens that no one will read. The upstream here is a plain Node
// server that holds its answer and records when the gateway hangs up.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { startGateway, writeConfig, waitFor, MASTER_KEY } from './harness.mjs';

describe('client gone', () => {
  let upstream, gw, cfg;
  const seen = []; // { path, arrived, closed } per upstream request

  before(async () => {
    upstream = http.createServer((req, res) => {
      const entry = { path: req.url, arrived: Date.now(), closed: null };
      seen.push(entry);
      req.resume();
      // Never answers: an LLM that takes its time.
      res.on('close', () => { entry.closed = Date.now(); });
    });
    await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
    cfg = writeConfig(`model_list:
  - model_name: slow
    litellm_params:
      model: openai/slow
      api_base: "http://127.0.0.1:${upstream.address().port}/v1"
      api_key: sk-upstream
      timeout: 60
general_settings:
  master_key: ${MASTER_KEY}
`);
    gw = await startGateway({ configFile: cfg.file });
  });
  after(async () => {
    if (gw) await gw.stop();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
    fs.rmSync(cfg.dir, { recursive: true, force: true });
  });

  it('a client leaving a slow non-streaming request closes the upstream request', async () => {
    const req = http.request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    });
    req.on('error', () => {});
    req.end(JSON.stringify({ model: 'slow', messages: [{ role: 'user', content: 'hi' }] }));
    const arrived = await waitFor(() => seen[0], { timeoutMs: 5000, intervalMs: 20 });
    assert.ok(arrived, 'the request never reached the upstream');
    await new Promise((r) => setTimeout(r, 300)); // the watch starts after a sweep tick or two
    const left = Date.now();
    req.destroy();
    const closed = await waitFor(() => seen[0].closed, { timeoutMs: 3000, intervalMs: 20 });
    assert.ok(closed, 'the gateway kept the upstream request open after its client left');
    assert.ok(closed - left < 1000, `closed ${closed - left} ms after the client left`);
  });

  it('a client leaving at once is noticed too', async () => {
    const before = seen.length;
    const req = http.request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    });
    req.on('error', () => {});
    req.end(JSON.stringify({ model: 'slow', messages: [{ role: 'user', content: 'hi' }] }));
    const entry = await waitFor(() => seen[before], { timeoutMs: 5000, intervalMs: 5 });
    assert.ok(entry, 'the request never reached the upstream');
    const left = Date.now();
    req.destroy();
    const closed = await waitFor(() => entry.closed, { timeoutMs: 3000, intervalMs: 20 });
    assert.ok(closed, 'the gateway kept the upstream request open after its client left');
    assert.ok(closed - left < 1000, `closed ${closed - left} ms after the client left`);
  });
});
