// Models and deployments: each deployment's routing state (/health) beside its configuration
// and prices (/model/info): cooldown, rpm/tpm in use against limits, latency, errors.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.js';
import { int, ms } from '../format.js';
import { Notice } from '../widgets.jsx';

const perMillion = (v) => (v === undefined || v === null ? '—' : `$${(v * 1e6).toFixed(2)}`);
const used = (n, limit) => (limit ? `${int(n)} / ${int(limit)}` : int(n));

export function Models() {
  const [rows, setRows] = useState(null);
  const [error, setError] = useState(null);
  const [updated, setUpdated] = useState(null);
  const load = () => Promise.all([get('/health'), get('/model/info')]).then(([health, info]) => {
    const byId = new Map(info.data.map((m) => [m.model_info.id, m]));
    setRows(health.deployments.map((d) => ({ ...d, info: byId.get(d.id) })));
    setUpdated(new Date());
    setError(null);
  }).catch(setError);
  useEffect(() => {
    load();
    const t = setInterval(load, 5000);
    return () => clearInterval(t);
  }, []);
  return (
    <>
      <div class="page-head">
        <h1>Models and deployments</h1>
        <button type="button" onClick={load}>Refresh</button>
      </div>
      <p class="muted" role="status">{updated && `Updated ${updated.toLocaleTimeString()}; refreshes every 5 s.`}</p>
      <Notice error={error} />
      <table class="data">
        <caption class="visually-hidden">Deployments</caption>
        <thead><tr>
          <th scope="col">Model group</th><th scope="col">Deployment</th><th scope="col">Provider</th><th scope="col">State</th>
          <th scope="col" class="num">RPM used / limit</th><th scope="col" class="num">TPM used / limit</th><th scope="col" class="num">In flight</th>
          <th scope="col" class="num">Latency</th><th scope="col" class="num">TTFT</th><th scope="col" class="num">Failures (min / total)</th>
          <th scope="col">Last error</th><th scope="col" class="num">In / out per 1M</th>
        </tr></thead>
        <tbody>
          {rows && rows.length === 0 && <tr><td colSpan={12}>No deployments.</td></tr>}
          {(rows ?? []).map((d) => {
            const p = d.info?.litellm_params ?? {};
            const cooling = d.state !== 'healthy' || d.cooldown_remaining_s > 0;
            return (
              <tr data-deployment={d.id}>
                <td>{d.model_name}</td>
                <td><code>{d.id}</code><br /><small class="muted">{p.model} @ {d.api_base_host}</small></td>
                <td>{d.provider}</td>
                <td>
                  <span class={`badge ${cooling ? 'bad' : d.rate_limited ? 'warn' : 'good'}`} data-testid="deployment-state">
                    {cooling ? d.state.replace('_', ' ') : d.rate_limited ? 'rate limited' : 'healthy'}
                  </span>
                  {d.cooldown_remaining_s > 0 && <small> {Math.ceil(d.cooldown_remaining_s)} s left</small>}
                </td>
                <td class="num">{used(d.requests_this_minute, p.rpm)}</td>
                <td class="num">{used(d.tokens_this_minute, p.tpm)}</td>
                <td class="num">{int(d.in_flight)}</td>
                <td class="num">{ms(d.latency_ms)}</td>
                <td class="num">{ms(d.ttft_ms)}</td>
                <td class="num">{int(d.failures_this_minute)} / {int(d.total_failures)}</td>
                <td>{d.last_error ?? '—'}</td>
                <td class="num">{perMillion(d.info?.model_info?.input_cost_per_token)} / {perMillion(d.info?.model_info?.output_cost_per_token)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
