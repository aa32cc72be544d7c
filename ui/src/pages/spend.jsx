// Spend: totals by key, team, user, model, model group or deployment over a range, per day or
// hour, as a chart and a table; CSV export of the table.
import { useEffect, useState } from 'preact/hooks';
import { get, qs } from '../api.js';
import { RANGES, download, int, rangeStart, toCsv, usd } from '../format.js';
import { TimeChart, bucketSeries } from '../chart.jsx';
import { Notice, RangePicker } from '../widgets.jsx';

const GROUPS = { key: 'Key', team: 'Team', user: 'User', model: 'Model', model_group: 'Model group', deployment: 'Deployment' };

export function Spend() {
  const [range, setRange] = useState('30d');
  const [group, setGroup] = useState('key');
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const query = (extra) => `/spend/buckets${qs({ bucket: RANGES[range].bucket, start_date: rangeStart(range), group_by: group, ...extra })}`;
  useEffect(() => {
    // The chart shows the top groups; the table has every group's totals (`groups`).
    get(query({ top: 6 })).then((d) => { setData(d); setError(null); }).catch(setError);
  }, [range, group]);
  const rows = data?.groups ?? [];
  const columns = [
    { label: GROUPS[group], value: (r) => r.label || r.group || '(none)' },
    { label: 'Requests', value: (r) => r.requests },
    { label: 'Spend (USD)', value: (r) => r.spend.toFixed(6) },
    { label: 'Prompt tokens', value: (r) => r.prompt_tokens },
    { label: 'Completion tokens', value: (r) => r.completion_tokens },
    { label: 'USD per 1k tokens', value: (r) => (r.total_tokens ? (1000 * r.spend / r.total_tokens).toFixed(6) : '') },
    { label: 'Cache hits', value: (r) => r.cache_hits },
    { label: 'Cache savings (USD)', value: (r) => r.saved_usd.toFixed(6) },
  ];
  const perBucketCsv = async () => {
    const all = await get(query({}));
    return toCsv([
      { label: 'bucket_start', value: (b) => b.start },
      { label: group, value: (b) => b.group },
      { label: 'label', value: (b) => b.label ?? '' },
      { label: 'requests', value: (b) => b.requests },
      { label: 'spend_usd', value: (b) => b.spend },
      { label: 'prompt_tokens', value: (b) => b.prompt_tokens },
      { label: 'completion_tokens', value: (b) => b.completion_tokens },
      { label: 'cache_hits', value: (b) => b.cache_hits },
      { label: 'saved_usd', value: (b) => b.saved_usd },
    ], all.buckets);
  };
  const width = RANGES[range].bucket === 'hour' ? 3600e3 : 86400e3;
  return (
    <>
      <div class="page-head">
        <h1>Spend</h1>
        <RangePicker value={range} onChange={setRange} />
      </div>
      <div class="filters">
        <label>Group by
          <select value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
            {Object.entries(GROUPS).map(([k, v]) => <option value={k}>{v}</option>)}
          </select>
        </label>
        <button type="button" disabled={!data} onClick={() => download(`spend-by-${group}-${range}.csv`, toCsv(columns, rows))}>Export CSV (totals)</button>
        <button type="button" disabled={!data} onClick={() => perBucketCsv().then((csv) => download(`spend-by-${group}-per-${data.bucket}-${range}.csv`, csv)).catch(setError)}>Export CSV (per {data?.bucket ?? 'day'})</button>
      </div>
      <Notice error={error} />
      {data && (
        <>
          <p>{usd(data.totals.spend)} over {int(data.totals.requests)} requests and {int(data.totals.total_tokens)} tokens; cache savings {usd(data.totals.saved_usd)}.</p>
          <section class="card">
            <TimeChart label={`Spend per ${data.bucket} by ${GROUPS[group]}`} yFormat={(v) => `$${v.toFixed(2)}`}
              {...bucketSeries(data.buckets, { startMs: Date.parse(data.start), endMs: Date.parse(data.end), widthMs: width, pick: (b) => b.spend })} />
          </section>
          <table class="data">
            <caption class="visually-hidden">Spend by {GROUPS[group]}</caption>
            <thead><tr>{columns.map((c, i) => <th scope="col" class={i ? 'num' : ''}>{c.label}</th>)}</tr></thead>
            <tbody>
              {rows.length === 0 && <tr><td colSpan={columns.length}>No spend in this range.</td></tr>}
              {rows.slice(0, 500).map((r) => (
                <tr>{columns.map((c, i) => <td class={i ? 'num' : ''}>{i === 2 ? usd(r.spend) : c.value(r)}</td>)}</tr>
              ))}
            </tbody>
          </table>
          {rows.length > 500 && <p class="muted">Showing the top 500 of {rows.length}; the CSV has all.</p>}
        </>
      )}
    </>
  );
}
