// A time-series chart (uPlot): x in unix seconds, one or more series. Resizes with its box.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const COLORS = ['#2f6fed', '#e8590c', '#2b8a3e', '#ae3ec9', '#f08c00', '#1098ad', '#c92a2a', '#5c7cfa'];

export function TimeChart({ x, series, height = 220, label, yFormat }) {
  const box = useRef(null);
  useEffect(() => {
    if (!box.current) return undefined;
    const opts = {
      width: box.current.clientWidth || 600,
      height,
      legend: { show: series.length > 1 },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' } },
        {
          stroke: 'currentColor',
          grid: { stroke: 'rgba(128,128,128,0.15)' },
          size: 70,
          values: yFormat ? (u, vals) => vals.map(yFormat) : undefined,
        },
      ],
      series: [{}, ...series.map((s, i) => ({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        fill: series.length === 1 ? 'rgba(47,111,237,0.12)' : undefined,
        width: 2,
        points: { show: x.length < 40 },
        value: yFormat ? (u, v) => (v === null ? '—' : yFormat(v)) : undefined,
      }))],
    };
    const plot = new uPlot(opts, [x, ...series.map((s) => s.values)], box.current);
    const resize = new ResizeObserver(() => {
      if (box.current) plot.setSize({ width: box.current.clientWidth, height });
    });
    resize.observe(box.current);
    return () => { resize.disconnect(); plot.destroy(); };
  }, [x, series, height]);
  return <div class="chart" ref={box} role="img" aria-label={label} />;
}

// Buckets from /spend/buckets into chart columns: one x per bucket start (unix s) from `start`
// to `end` every `widthMs`, one series per group (the top `maxSeries` by the picked value, the
// rest summed as "other"; the API's own "_other" group, from top=N, is one of them).
export function bucketSeries(buckets, { startMs, endMs, widthMs, pick, maxSeries = 7, labelOf }) {
  const xs = [];
  for (let t = Math.floor(startMs / widthMs) * widthMs; t < endMs; t += widthMs) xs.push(t / 1000);
  const index = new Map(xs.map((t, i) => [t * 1000, i]));
  const totals = new Map();
  for (const b of buckets) totals.set(b.group ?? '', (totals.get(b.group ?? '') ?? 0) + pick(b));
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, maxSeries).map(([g]) => g);
  const topSet = new Set(top);
  const rows = new Map(top.map((g) => [g, new Array(xs.length).fill(0)]));
  let other = null;
  const labels = new Map();
  for (const b of buckets) {
    const i = index.get(b.start_ms);
    if (i === undefined) continue;
    const g = b.group ?? '';
    labels.set(g, b.label ?? g);
    if (topSet.has(g)) {
      rows.get(g)[i] += pick(b);
    } else {
      other ??= new Array(xs.length).fill(0);
      other[i] += pick(b);
    }
  }
  const series = top.map((g) => ({ label: labelOf ? labelOf(g, labels.get(g)) : (labels.get(g) || '(none)'), values: rows.get(g) }));
  if (other) series.push({ label: 'other', values: other });
  if (!series.length) series.push({ label: 'total', values: new Array(xs.length).fill(0) });
  return { x: xs, series };
}
