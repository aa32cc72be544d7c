// Quantiles of a histogram in the Prometheus text format (GET /metrics), summed over all its
// series as histogram_quantile(q, sum by (le) (...)) would: linear within the bucket holding the
// rank, the last finite bound when the rank is past it, null without observations.
export function histogramQuantiles(text, name, quantiles) {
  const counts = new Map();  // upper bound → cumulative count, summed over the series
  const prefix = `${name}_bucket{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const m = /[{,]le="([^"]*)"[,}].*\s(\S+)$/.exec(line);
    if (!m) continue;
    const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
    counts.set(le, (counts.get(le) ?? 0) + Number(m[2]));
  }
  const buckets = [...counts].sort((a, b) => a[0] - b[0]);
  const total = buckets.length ? buckets[buckets.length - 1][1] : 0;
  return quantiles.map((q) => {
    if (!total) return null;
    const rank = q * total;
    let lower = 0;
    let below = 0;
    for (const [le, count] of buckets) {
      if (count >= rank && count > below) {
        return le === Infinity ? lower : lower + (le - lower) * ((rank - below) / (count - below));
      }
      lower = le === Infinity ? lower : le;
      below = count;
    }
    return lower;
  });
}
