// Overview: traffic, errors, latency and spend over a chosen range, and who and what spends.
import { useEffect, useState } from 'preact/hooks';
import { get, qs } from '../api.js';
import { RANGES, int, isoSeconds, ms, pct, percentile, rangeStart, usd } from '../format.js';
import { TimeChart, bucketSeries } from '../chart.jsx';
import { Notice, RangePicker, Stat } from '../widgets.jsx';

function TopList({ title, rows }) {
  return (
    <section class="card">
      <h2>{title}</h2>
      <table>
        <thead><tr><th scope="col">Name</th><th scope="col" class="num">Spend</th><th scope="col" class="num">Requests</th></tr></thead>
        <tbody>
          {rows.length === 0 && <tr><td colSpan={3}>No spend in this range.</td></tr>}
          {rows.map((r) => <tr><td>{r.label || '(none)'}</td><td class="num">{usd(r.spend)}</td><td class="num">{int(r.requests)}</td></tr>)}
        </tbody>
      </table>
    </section>
  );
}

// The API ranks the groups by spend; top=1 keeps its per-bucket part small.
const top = (reply) => reply.groups.slice(0, 5);

export function Overview() {
  const [range, setRange] = useState('24h');
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let live = true;
    const r = RANGES[range];
    const start = rangeStart(range);
    const bucketed = (group_by) => get(`/spend/buckets${qs({ bucket: r.bucket, start_date: start, group_by, top: group_by === 'none' ? '' : 1 })}`);
    const now = new Date();
    const monthStart = isoSeconds(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    Promise.all([
      bucketed('none'), bucketed('model'), bucketed('key'), bucketed('team'),
      get(`/spend/buckets${qs({ bucket: 'day', start_date: monthStart })}`),
      get(`/spend/logs${qs({ start_date: start, limit: 10000 })}`),
      get('/health'),
    ]).then(([all, models, keys, teams, month, logs, health]) => {
      if (!live) return;
      const today = Math.floor(Date.now() / 86400e3) * 86400e3;
      const latencies = logs.map((l) => Date.parse(l.endTime) - Date.parse(l.startTime)).sort((a, b) => a - b);
      const failed = logs.filter((l) => l.status !== 'success').length;
      setData({
        all, startMs: Date.parse(all.start), endMs: Date.parse(all.end),
        models: top(models), keys: top(keys), teams: top(teams),
        spendToday: month.buckets.filter((b) => b.start_ms >= today).reduce((n, b) => n + b.spend, 0),
        spendMonth: month.totals.spend,
        logged: logs.length, failed,
        p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95),
        unhealthy: health.unhealthy_count,
      });
      setError(null);
    }).catch((e) => live && setError(e));
    return () => { live = false; };
  }, [range]);

  const r = RANGES[range];
  const width = r.bucket === 'hour' ? 3600e3 : 86400e3;
  const chart = (pick) => data && bucketSeries(data.all.buckets, { startMs: data.startMs, endMs: data.endMs, widthMs: width, pick });
  return (
    <>
      <div class="page-head">
        <h1>Overview</h1>
        <RangePicker value={range} onChange={setRange} />
      </div>
      <Notice error={error} />
      {data && (
        <>
          <div class="stats">
            <Stat label="Requests" value={int(data.all.totals.requests)}
              sub={`${(data.all.totals.requests / (r.ms / 1000)).toFixed(3)} req/s`} />
            <Stat label="Error rate" value={pct(data.logged ? data.failed / data.logged : NaN)}
              sub={`of ${int(data.logged)} logged requests`} />
            <Stat label="Latency p50 / p95" value={`${ms(data.p50)} / ${ms(data.p95)}`} />
            <Stat label="TTFT p50 / p95" value={`${ms(data.all.totals.ttft_p50_ms)} / ${ms(data.all.totals.ttft_p95_ms)}`}
              sub={`of ${int(data.all.totals.ttft_requests)} streamed requests`} />
            <Stat label="Spend today" value={usd(data.spendToday)} sub={`this month ${usd(data.spendMonth)}`} />
            <Stat label="Unhealthy deployments" value={int(data.unhealthy)} />
          </div>
          <section class="card">
            <h2>Requests</h2>
            <TimeChart label="Requests over time" {...chart((b) => b.requests)} />
          </section>
          <section class="card">
            <h2>Spend</h2>
            <TimeChart label="Spend over time" yFormat={(v) => `$${v.toFixed(2)}`} {...chart((b) => b.spend)} />
          </section>
          <div class="grid3">
            <TopList title="Top models" rows={data.models} />
            <TopList title="Top keys" rows={data.keys} />
            <TopList title="Top teams" rows={data.teams} />
          </div>
        </>
      )}
    </>
  );
}
