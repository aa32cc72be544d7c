// Opens N streaming chat requests at once against URL, reads each to `data: [DONE]`, and prints
// one JSON line with counts and timings. Bounded: every request is abandoned at DEADLINE_MS.
// Usage: node stream_load.mjs URL [N=1000] [DEADLINE_MS=60000]
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const url = new URL(process.argv[2] ?? 'http://127.0.0.1:4000/v1/chat/completions');
const n = Number(process.argv[3] ?? 1000);
const deadlineMs = Number(process.argv[4] ?? 60000);

const agent = new http.Agent({ keepAlive: true, maxSockets: n, maxFreeSockets: n });
const body = JSON.stringify({
  model: 'bench-model',
  stream: true,
  messages: [{ role: 'user', content: 'Write a short story about a railway switchyard.' }],
});

const results = [];
const start = performance.now();

function one(i) {
  return new Promise((resolve) => {
    const r = { i, status: 0, headersMs: -1, firstChunkMs: -1, doneMs: -1, chunks: 0, sawDone: false, error: null };
    let settled = false;
    const finish = (err) => {
      if (settled) return;
      settled = true;
      if (err && !r.error) r.error = String(err.code ?? err.message ?? err);
      results.push(r);
      resolve();
    };
    const t0 = performance.now();
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer sk-bench',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        r.status = res.statusCode;
        r.headersMs = performance.now() - t0;
        let tail = '';
        res.setEncoding('utf8');
        res.on('data', (s) => {
          if (r.firstChunkMs < 0) r.firstChunkMs = performance.now() - t0;
          // Only the last few bytes are kept: enough to spot the terminator across chunk borders.
          tail = (tail + s).slice(-64);
          r.chunks += (s.match(/^data: /gm) || []).length;
          if (tail.includes('data: [DONE]')) r.sawDone = true;
        });
        res.on('end', () => {
          r.doneMs = performance.now() - t0;
          finish(null);
        });
        res.on('error', finish);
        res.on('aborted', () => finish(new Error('aborted')));
      },
    );
    req.on('error', finish);
    req.setTimeout(deadlineMs, () => {
      r.error = 'timeout';
      req.destroy();
      finish(null);
    });
    req.end(body);
  });
}

function pct(values, p) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const hard = setTimeout(() => {
  // Last resort if something never settles: report what we have.
  report(true);
  process.exit(2);
}, deadlineMs + 5000);

await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
clearTimeout(hard);
report(false);
agent.destroy();

function report(hardStop) {
  const totalMs = performance.now() - start;
  const ok = results.filter((r) => r.status === 200 && r.sawDone && !r.error);
  const errors = results.filter((r) => r.error);
  const non200 = results.filter((r) => r.status && r.status !== 200);
  const incomplete = results.filter((r) => r.status === 200 && !r.error && !r.sawDone);
  const errorKinds = {};
  for (const r of errors) errorKinds[r.error] = (errorKinds[r.error] ?? 0) + 1;
  const statusKinds = {};
  for (const r of non200) statusKinds[r.status] = (statusKinds[r.status] ?? 0) + 1;
  const ttfb = ok.map((r) => r.firstChunkMs);
  const dur = ok.map((r) => r.doneMs);
  const chunks = ok.map((r) => r.chunks);
  console.log(
    JSON.stringify({
      requested: n,
      settled: results.length,
      completed: ok.length,
      errors: errors.length,
      errorKinds,
      non200: non200.length,
      statusKinds,
      incomplete: incomplete.length,
      unsettled: n - results.length,
      hardStop,
      ttfbP50Ms: pct(ttfb, 50),
      ttfbP99Ms: pct(ttfb, 99),
      streamP50Ms: pct(dur, 50),
      streamP99Ms: pct(dur, 99),
      chunksMin: chunks.length ? Math.min(...chunks) : null,
      chunksMax: chunks.length ? Math.max(...chunks) : null,
      totalMs,
    }),
  );
}
