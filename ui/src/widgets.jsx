// Small shared pieces: labelled fields, tables with a caption, dialogs, notices, range picker.
import { useEffect, useRef } from 'preact/hooks';
import { RANGES } from './format.js';

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
