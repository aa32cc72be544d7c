// Number, money, time and CSV formatting shared by the pages.
// Request costs are often fractions of a cent: below one cent, three significant digits.
export function usd(v) {
  if (v === null || v === undefined) return '—';
  const n = Number(v);
  if (n === 0 || Math.abs(n) >= 0.01) return `$${n.toFixed(2)}`;
  return `$${Number(n.toPrecision(3))}`;
}
export const int = (v) => (v === null || v === undefined ? '—' : Number(v).toLocaleString('en-US'));
export const ms = (v) => (v === null || v === undefined ? '—' : `${Math.round(v)} ms`);
export const pct = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—');
export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

export const RANGES = {
  '1h': { label: '1 h', ms: 3600e3, bucket: 'hour' },
  '24h': { label: '24 h', ms: 24 * 3600e3, bucket: 'hour' },
  '7d': { label: '7 d', ms: 7 * 24 * 3600e3, bucket: 'day' },
  '30d': { label: '30 d', ms: 30 * 24 * 3600e3, bucket: 'day' },
};

// The admin API's start_date for a range ending now.
// (The API takes whole seconds: "2026-12-07T10:00:00Z".)
export const isoSeconds = (msSinceEpoch) => new Date(msSinceEpoch).toISOString().slice(0, 19) + 'Z';
export const rangeStart = (range) => isoSeconds(Date.now() - RANGES[range].ms);

export function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export function toCsv(columns, rows) {
  const cell = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.map((c) => cell(c.label)).join(','),
    ...rows.map((r) => columns.map((c) => cell(c.value(r))).join(','))].join('\n') + '\n';
}

export function download(name, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
