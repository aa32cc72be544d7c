// Live log: requests as they finish, streamed over SSE from GET /live/requests, with filters
// and each request's detail (every attempt with why it was made and how it ended, timings).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { int, usd } from '../format.js';
import { Dialog } from '../widgets.jsx';

const MAX_ROWS = 500;
const us = (v) => (v === undefined ? '—' : `${(v / 1000).toFixed(1)} ms`);
// The access log's one-word outcomes (null: the cache or no guardrail was used).
const CACHE_BADGE = { hit: 'good', miss: '' };
const GUARDRAIL_BADGE = { passed: 'good', logged: '', masked: 'warn', blocked: 'bad' };
const Outcome = ({ value, badges }) => (value ? <span class={`badge ${badges[value] ?? ''}`}>{value}</span> : '—');
const ATTEMPT_BADGE = { answered: 'good', failed: 'bad', broke_mid_stream: 'bad', cancelled: '' };
const REASON_TEXT = {
  first: 'first try', retry: 'retry', fallback: 'fallback', hedge: 'hedge',
  context_window_fallback: 'context window fallback', content_policy_fallback: 'content policy fallback',
};

// A request's attempts: the line's attempt_list when there was more than one (the gateway keeps
// the first six and counts the rest), else the one attempt the line itself describes.
function attemptsOf(r) {
  if (Array.isArray(r.attempt_list)) return r.attempt_list;
  if (!r.deployment) return [];
  return [{
    deployment: r.deployment, provider: r.provider, reason: 'first',
    outcome: r.error && r.status >= 400 ? 'failed' : 'answered', status: r.status, error: r.error,
    latency_us: r.upstream_us,
  }];
}

function Attempts({ entry }) {
  const list = attemptsOf(entry);
  if (!list.length) return <p class="muted">No upstream attempt (answered by the gateway).</p>;
  return (
    <table class="data attempts" data-testid="attempt-list">
      <caption>Attempts</caption>
      <thead><tr>
        <th scope="col">#</th><th scope="col">Why</th><th scope="col">Deployment</th><th scope="col">Provider</th>
        <th scope="col">Outcome</th><th scope="col" class="num">Status</th><th scope="col" class="num">Time</th>
      </tr></thead>
      <tbody>
        {list.map((a, i) => (
          <tr data-outcome={a.outcome}>
            <td>{i + 1}</td>
            <td>{REASON_TEXT[a.reason] ?? a.reason}</td>
            <td>{a.deployment || '—'}</td>
            <td>{a.provider || '—'}</td>
            <td><span class={`badge ${ATTEMPT_BADGE[a.outcome] ?? ''}`}>{a.outcome.replaceAll('_', ' ')}</span>{a.error && <small> {a.error}</small>}</td>
            <td class="num">{a.status || '—'}</td>
            <td class="num">{us(a.latency_us)}</td>
          </tr>
        ))}
        {entry.attempt_list_more > 0 && (
          <tr><td colSpan={7} class="muted">+{entry.attempt_list_more} more</td></tr>
        )}
      </tbody>
    </table>
  );
}

export function LiveLogPage() {
  const [rows, setRows] = useState([]);
  const [state, setState] = useState('connecting');
  const [paused, setPaused] = useState(false);
  const [model, setModel] = useState('');
  const [only, setOnly] = useState('all');
  const [detail, setDetail] = useState(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  useEffect(() => {
    // The session cookie goes with it (same origin); EventSource reconnects with Last-Event-ID.
    const es = new EventSource('/live/requests?backlog=200');
    es.onopen = () => setState('live');
    es.onerror = () => setState(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    es.addEventListener('request', (e) => {
      if (pausedRef.current) return;
      let entry;
      try { entry = JSON.parse(e.data); } catch { return; }
      setRows((r) => [entry, ...r].slice(0, MAX_ROWS));
    });
    return () => es.close();
  }, []);
  const shown = useMemo(() => rows.filter((r) => {
    if (model && !(r.model ?? '').includes(model) && !(r.model_group ?? '').includes(model)) return false;
    if (only === 'errors') return r.status >= 400;
    if (only === 'ok') return r.status < 400;
    return true;
  }), [rows, model, only]);
  return (
    <>
      <div class="page-head">
        <h1>Live log</h1>
        <span class={`badge ${state === 'live' ? 'good' : 'warn'}`} role="status" data-testid="live-state">{state}</span>
      </div>
      <div class="filters">
        <label>Model <input type="search" value={model} onInput={(e) => setModel(e.currentTarget.value)} /></label>
        <label>Status
          <select value={only} onChange={(e) => setOnly(e.currentTarget.value)}>
            <option value="all">All</option><option value="ok">Successful</option><option value="errors">Errors</option>
          </select>
        </label>
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>{paused ? 'Resume' : 'Pause'}</button>
        <button type="button" onClick={() => setRows([])}>Clear</button>
      </div>
      <table class="data live">
        <caption class="visually-hidden">Finished requests, newest first</caption>
        <thead><tr>
          <th scope="col">Time</th><th scope="col">Status</th><th scope="col">Key</th><th scope="col">Model</th><th scope="col">Deployment</th>
          <th scope="col" class="num">Latency</th><th scope="col" class="num">Tokens</th><th scope="col" class="num">Cost</th><th scope="col">Cache</th><th scope="col">Guardrail</th><th scope="col">Retries / fallbacks</th><th scope="col"><span class="visually-hidden">Detail</span></th>
        </tr></thead>
        <tbody>
          {shown.length === 0 && <tr><td colSpan={12}>Waiting for requests…</td></tr>}
          {shown.map((r) => (
            <tr class={r.status >= 400 ? 'failed' : ''} data-request-id={r.request_id}>
              <td>{new Date(r.ts).toLocaleTimeString()}</td>
              <td><span class={`badge ${r.status >= 400 ? 'bad' : 'good'}`}>{r.status}</span>{r.error && <small> {r.error}</small>}</td>
              <td>{r.key_alias || '—'}</td>
              <td>{r.model}{r.stream && <small class="muted"> stream</small>}</td>
              <td>{r.deployment ?? '—'}</td>
              <td class="num">{us(r.total_us)}</td>
              <td class="num">{r.prompt_tokens === undefined ? '—' : `${int(r.prompt_tokens)} → ${int(r.completion_tokens)}`}</td>
              <td class="num">{usd(r.cost_usd)}</td>
              <td data-col="cache"><Outcome value={r.cache} badges={CACHE_BADGE} /></td>
              <td data-col="guardrail"><Outcome value={r.guardrail} badges={GUARDRAIL_BADGE} /></td>
              <td>{r.retries} / {r.fallbacks}</td>
              <td><button type="button" onClick={() => setDetail(r)}>Detail<span class="visually-hidden"> of {r.request_id}</span></button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog title="Request detail" open={detail !== null} onClose={() => setDetail(null)}>
        {detail && (
          <>
            <dl class="facts">
              <dt>Request id</dt><dd><code>{detail.request_id}</code></dd>
              <dt>Endpoint</dt><dd>{detail.endpoint}</dd>
              <dt>Attempts</dt><dd>{detail.attempts} ({detail.retries} retries, {detail.fallbacks} fallbacks)</dd>
              <dt>Upstream / overhead</dt><dd>{us(detail.upstream_us)} / {us(detail.overhead_us)}</dd>
              <dt>Time to first byte / token</dt><dd>{us(detail.ttfb_us)} / {us(detail.ttft_us)}</dd>
              <dt>Cache</dt><dd>{detail.cache ?? 'not used'}</dd>
              <dt>Guardrails</dt><dd>{detail.guardrail ? `${detail.guardrail}: ${detail.guardrails}` : 'none ran'}</dd>
            </dl>
            <Attempts entry={detail} />
            <pre class="json">{JSON.stringify(detail, null, 2)}</pre>
            <div class="actions"><button type="button" class="primary" onClick={() => setDetail(null)}>Close</button></div>
          </>
        )}
      </Dialog>
    </>
  );
}
