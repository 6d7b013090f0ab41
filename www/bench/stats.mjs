// The summary the benchmarks print, written once: the median of a run's timings (the middle
// value, or the mean of the two middle ones for an even count), so that every table's "median"
// means the same.
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
