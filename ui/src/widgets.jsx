// Small shared pieces: labelled fields, tables with a caption, dialogs, notices, range picker.
import { useEffect, useRef } from 'preact/hooks';
import { RANGES, usd } from './format.js';

export function Field({ label, hint, children, id }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && <small id={`${id}-hint`}>{hint}</small>}
    </div>
  );
}

export function TextInput({ id, label, value, onInput, hint, type = 'text', ...rest }) {
  return (
    <Field id={id} label={label} hint={hint}>
      <input id={id} type={type} value={value} aria-describedby={hint ? `${id}-hint` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)} {...rest} />
    </Field>
  );
}

export function Notice({ error, children }) {
  if (!error && !children) return null;
  return (
    <p class={error ? 'notice error' : 'notice'} role={error ? 'alert' : 'status'}>
      {error ? String(error.message ?? error) : children}
    </p>
  );
}

// A modal dialog on <dialog>: focus goes into it, Escape closes it.
export function Dialog({ title, open, onClose, children }) {
  const ref = useRef(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-label={title} onClose={onClose} onCancel={onClose}>
      <h2>{title}</h2>
      {open && children}
    </dialog>
  );
}

export function RangePicker({ value, onChange }) {
  return (
    <div class="segmented" role="radiogroup" aria-label="Time range">
      {Object.entries(RANGES).map(([k, r]) => (
        <button type="button" role="radio" aria-checked={value === k} class={value === k ? 'on' : ''}
          onClick={() => onChange(k)}>{r.label}</button>
      ))}
    </div>
  );
}

export function Stat({ label, value, sub }) {
  return (
    <div class="stat">
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {sub && <div class="stat-sub">{sub}</div>}
    </div>
  );
}

// A key shown once, right after it was made: copy it now, it is not shown again.
export function OnceKey({ secret, onDone }) {
  return (
    <div>
      <p>Copy this key now: the gateway keeps only its hash and cannot show it again.</p>
      <output class="secret" data-testid="new-key">{secret}</output>
      <div class="actions">
        <button type="button" onClick={() => navigator.clipboard?.writeText(secret)}>Copy</button>
        <button type="button" class="primary" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}

// Spend against the budget of a key, team or user, with a meter when there is a budget.
export function BudgetCell({ p }) {
  if (p.max_budget === null) return usd(p.spend);
  const share = p.max_budget > 0 ? Math.min(1, p.spend / p.max_budget) : 1;
  return (
    <span class="budget">
      {usd(p.spend)} / {usd(p.max_budget)}
      <meter min="0" max="1" value={share} aria-label="share of budget spent" />
    </span>
  );
}

export const limitsText = (p) =>
  [p.rpm_limit !== null && `${p.rpm_limit} rpm`, p.tpm_limit !== null && `${p.tpm_limit} tpm`].filter(Boolean).join(', ') || '—';

export const StatusBadge = ({ blocked }) =>
  (blocked ? <span class="badge bad">blocked</span> : <span class="badge good">active</span>);
