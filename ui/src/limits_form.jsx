// The form every principal shares (key, team, user): its own fields, then budget, limits,
// models and metadata. Produces the admin API's body (LiteLLM's field names); empty inputs are
// left out on create and sent as null on edit (which clears them).
import { useState } from 'preact/hooks';
import { Notice, TextInput } from './widgets.jsx';

const LIMITS = [
  { name: 'max_budget', label: 'Max budget (USD)', type: 'number', step: 'any', min: 0 },
  { name: 'budget_duration', label: 'Budget resets every', hint: 'e.g. 30d, 1h; empty: never' },
  { name: 'rpm_limit', label: 'Requests per minute', type: 'number', min: 0, step: 1 },
  { name: 'tpm_limit', label: 'Tokens per minute', type: 'number', min: 0, step: 1 },
  { name: 'max_parallel_requests', label: 'Parallel requests', type: 'number', min: 0, step: 1 },
];

const text = (v) => (v === null || v === undefined ? '' : String(v));

export function LimitsForm({ idPrefix, own, initial = {}, editing, submitLabel, onSubmit, onCancel }) {
  const fields = [...own, ...LIMITS];
  const [values, setValues] = useState(() => {
    const v = {};
    for (const f of fields) v[f.name] = text(initial[f.name]);
    v.models = (initial.models ?? []).join(', ');
    v.metadata = initial.metadata && Object.keys(initial.metadata).length ? JSON.stringify(initial.metadata) : '';
    return v;
  });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  // From the latest state, not this render's: input events that come before the next render
  // (a fast typist, a loaded machine) would otherwise undo each other's fields.
  const set = (name) => (value) => setValues((current) => ({ ...current, [name]: value }));

  const submit = async (e) => {
    e.preventDefault();
    const body = {};
    for (const f of fields) {
      if (f.readOnly) continue;
      const raw = values[f.name].trim();
      if (raw === '') {
        if (editing && text(initial[f.name]) !== '') body[f.name] = null;
        continue;
      }
      body[f.name] = f.type === 'number' ? Number(raw) : raw;
    }
    const models = values.models.split(',').map((m) => m.trim()).filter(Boolean);
    if (models.length || editing) body.models = models;
    if (values.metadata.trim()) {
      try {
        body.metadata = JSON.parse(values.metadata);
      } catch {
        setError(new Error('Metadata must be a JSON object.'));
        return;
      }
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(body);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form-grid" onSubmit={submit}>
      {fields.map((f) => (
        <TextInput id={`${idPrefix}-${f.name}`} label={f.label} hint={f.hint} type={f.type ?? 'text'}
          step={f.step} min={f.min} value={values[f.name]} onInput={set(f.name)} readOnly={f.readOnly} />
      ))}
      <TextInput id={`${idPrefix}-models`} label="Models" hint="comma-separated model names; empty: all"
        value={values.models} onInput={set('models')} />
      <TextInput id={`${idPrefix}-metadata`} label="Metadata (JSON)" hint='e.g. {"user_role": "proxy_admin"}'
        value={values.metadata} onInput={set('metadata')} />
      <Notice error={error} />
      <div class="actions">
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
        <button type="submit" class="primary" disabled={busy}>{submitLabel}</button>
      </div>
    </form>
  );
}
