// Keys: the list with search, creation (the key is shown once), and each key's page: spend over
// time, edit, block/unblock, regenerate, delete.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, post, qs } from '../api.js';
import { RANGES, int, rangeStart, usd, when } from '../format.js';
import { LimitsForm } from '../limits_form.jsx';
import { TimeChart, bucketSeries } from '../chart.jsx';
import { BudgetCell, Dialog, Notice, OnceKey, RangePicker, StatusBadge, limitsText } from '../widgets.jsx';
import { navigate } from '../router.js';

const KEY_FIELDS = [
  { name: 'key_alias', label: 'Alias' },
  { name: 'team_id', label: 'Team id' },
  { name: 'user_id', label: 'User id' },
];
const NEW_KEY_FIELDS = [...KEY_FIELDS, { name: 'duration', label: 'Expires after', hint: 'e.g. 30d; empty: never' }];

const keyLabel = (k) => k.key_alias || k.key_name;

function KeyList() {
  const [keys, setKeys] = useState(null);
  const [error, setError] = useState(null);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState('all');
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState(null);
  const load = () => get('/key/list?return_full_object=true').then((r) => setKeys(r.keys)).catch(setError);
  useEffect(() => { load(); }, []);
  const shown = useMemo(() => (keys ?? []).filter((k) => {
    if (status === 'blocked' && !k.blocked) return false;
    if (status === 'active' && k.blocked) return false;
    const q = query.trim().toLowerCase();
    return !q || [k.key_alias, k.key_name, k.team_id, k.user_id, k.token].some((v) => v && v.toLowerCase().includes(q));
  }), [keys, query, status]);

  return (
    <>
      <div class="page-head">
        <h1>Keys</h1>
        <button type="button" class="primary" onClick={() => setCreating(true)}>Create key</button>
      </div>
      <div class="filters">
        <label>Search <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} placeholder="alias, team, user…" /></label>
        <label>Status
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="all">All</option><option value="active">Active</option><option value="blocked">Blocked</option>
          </select>
        </label>
      </div>
      <Notice error={error} />
      <table class="data">
        <caption class="visually-hidden">Virtual keys</caption>
        <thead><tr>
          <th scope="col">Key</th><th scope="col">Team</th><th scope="col">User</th>
          <th scope="col" class="num">Spend / budget</th><th scope="col">Limits</th><th scope="col">Expires</th><th scope="col">Status</th>
        </tr></thead>
        <tbody>
          {keys && shown.length === 0 && <tr><td colSpan={7}>No keys.</td></tr>}
          {shown.map((k) => (
            <tr>
              <td><a href={`/ui/keys/${encodeURIComponent(k.token)}`}>{keyLabel(k)}</a> <small class="muted">{k.key_name}</small></td>
              <td>{k.team_id ?? '—'}</td>
              <td>{k.user_id ?? '—'}</td>
              <td class="num"><BudgetCell p={k} /></td>
              <td>{limitsText(k)}</td>
              <td>{when(k.expires)}</td>
              <td><StatusBadge blocked={k.blocked} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog title="Create key" open={creating} onClose={() => setCreating(false)}>
        <LimitsForm idPrefix="new-key" own={NEW_KEY_FIELDS} submitLabel="Create"
          onCancel={() => setCreating(false)}
          onSubmit={async (body) => {
            const r = await post('/key/generate', body);
            setCreating(false);
            setSecret(r.key);
            load();
          }} />
      </Dialog>
      <Dialog title="New key" open={secret !== null} onClose={() => setSecret(null)}>
        <OnceKey secret={secret} onDone={() => setSecret(null)} />
      </Dialog>
    </>
  );
}

function KeyPage({ token }) {
  const [key, setKey] = useState(null);
  const [error, setError] = useState(null);
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState(null);
  const [range, setRange] = useState('7d');
  const [spend, setSpend] = useState(null);
  const load = () => get(`/key/info${qs({ key: token })}`).then((r) => setKey(r.info)).catch(setError);
  useEffect(() => { load(); }, [token]);
  useEffect(() => {
    const r = RANGES[range];
    get(`/spend/buckets${qs({ bucket: r.bucket, start_date: rangeStart(range), api_key: token, group_by: 'model', top: 6 })}`)
      .then(setSpend).catch(setError);
  }, [token, range]);
  const act = async (fn) => {
    setError(null);
    try { await fn(); } catch (e) { setError(e); }
  };
  if (!key) return <><h1>Key</h1><Notice error={error} /></>;
  const width = RANGES[range].bucket === 'hour' ? 3600e3 : 86400e3;
  return (
    <>
      <p><a href="/ui/keys">← Keys</a></p>
      <div class="page-head">
        <h1>{keyLabel(key)} {key.blocked && <span class="badge bad">blocked</span>}</h1>
        <div class="actions">
          <button type="button" onClick={() => setEditing(true)}>Edit</button>
          <button type="button" onClick={() => act(async () => { await post(key.blocked ? '/key/unblock' : '/key/block', { key: token }); await load(); })}>
            {key.blocked ? 'Unblock' : 'Block'}
          </button>
          <button type="button" onClick={() => act(async () => {
            if (!confirm('Regenerate this key? The current key stops working at once.')) return;
            const r = await post('/key/regenerate', { key: token });
            setSecret({ key: r.key, token: r.token });
          })}>Regenerate</button>
          <button type="button" class="danger" onClick={() => act(async () => {
            if (!confirm(`Delete key ${keyLabel(key)}?`)) return;
            await post('/key/delete', { keys: [token] });
            navigate('/ui/keys');
          })}>Delete</button>
        </div>
      </div>
      <Notice error={error} />
      <dl class="facts">
        <dt>Key</dt><dd>{key.key_name}</dd>
        <dt>Spend</dt><dd data-testid="key-spend">{usd(key.spend)}</dd>
        <dt>Budget</dt><dd>{key.max_budget === null ? 'none' : `${usd(key.max_budget)}${key.budget_duration ? ` every ${key.budget_duration}` : ''}`}</dd>
        <dt>Limits</dt><dd>{key.rpm_limit ?? '—'} rpm, {key.tpm_limit ?? '—'} tpm, {key.max_parallel_requests ?? '—'} parallel</dd>
        <dt>Models</dt><dd>{key.models.length ? key.models.join(', ') : 'all'}</dd>
        <dt>Team / user</dt><dd>{key.team_id ?? '—'} / {key.user_id ?? '—'}</dd>
        <dt>Expires</dt><dd>{when(key.expires)}</dd>
        <dt>Created</dt><dd>{when(key.created_at)}</dd>
      </dl>
      <section class="card">
        <div class="page-head"><h2>Spend by model</h2><RangePicker value={range} onChange={setRange} /></div>
        {spend && <TimeChart label="Spend of this key over time" yFormat={(v) => `$${v.toFixed(4)}`}
          {...bucketSeries(spend.buckets, { startMs: Date.parse(spend.start), endMs: Date.parse(spend.end), widthMs: width, pick: (b) => b.spend })} />}
        {spend && <p>{int(spend.totals.requests)} requests, {usd(spend.totals.spend)}, {int(spend.totals.total_tokens)} tokens in this range (written spend; the total above includes requests not yet written).</p>}
      </section>
      <Dialog title="Edit key" open={editing} onClose={() => setEditing(false)}>
        <LimitsForm idPrefix="edit-key" own={KEY_FIELDS} initial={key} editing submitLabel="Save"
          onCancel={() => setEditing(false)}
          onSubmit={async (body) => { await post('/key/update', { key: token, ...body }); setEditing(false); await load(); }} />
      </Dialog>
      <Dialog title="Regenerated key" open={secret !== null} onClose={() => setSecret(null)}>
        {secret && <OnceKey secret={secret.key} onDone={() => { const t = secret.token; setSecret(null); navigate(`/ui/keys/${encodeURIComponent(t)}`); }} />}
      </Dialog>
    </>
  );
}

export function Keys({ arg }) {
  return arg ? <KeyPage token={arg} /> : <KeyList />;
}
