/** What one wrk run measured, and the server's memory meanwhile. */
export interface RunResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** What wrk read per response, headers included: shows whether it got the bytes the table's `bytes` says. */
  responseBytes: number;
  /** Responses that were not what the page should answer (connection errors, timeouts, unexpected status). */
  errors: number;
  /** The largest resident memory of the server (and its helpers) seen during the run, in MiB. */
  rssMiB: number;
}

export interface Row {
  page: string;
  /** `cache on`, `cache off`, `reference`, … */
  variant: string;
  /** Body bytes of one response, as sent with the benchmark's request headers. */
  bytes: number;
  /** The run with the median req/s (all its figures together, so they come from one real run). */
  median: RunResult;
  /** req/s as a share of the reference serving the same bytes; undefined for the reference itself. */
  ratio?: number;
  runs: RunResult[];
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The run whose req/s is the median (the lower middle one for an even count). */
export function medianRun(runs: RunResult[]): RunResult {
  if (runs.length === 0) throw new Error('no runs');
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Rows for one page measured several ways, each compared with the reference row. */
export function withRatios(rows: Row[], referenceVariant: string): Row[] {
  return rows.map((row) => {
    if (row.variant === referenceVariant) return row;
    const reference = rows.find((r) => r.page === row.page && r.variant === referenceVariant);
    return reference ? { ...row, ratio: row.median.requestsPerSecond / reference.median.requestsPerSecond } : row;
  });
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : thousands(n));
const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

/** A Markdown table, ready to paste into the README. */
export function formatTable(rows: Row[]): string {
  const lines = [
    '| page | variant | req/s | p50 (ms) | p99 (ms) | bytes | server RSS (MiB) | vs reference |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const m = r.median;
    const ratio = r.ratio === undefined ? '' : `${(r.ratio * 100).toFixed(1)}%`;
    const errors = m.errors > 0 ? ` (${thousands(m.errors)} errors)` : '';
    lines.push(`| ${r.page} | ${r.variant} | ${thousands(m.requestsPerSecond)}${errors} | ${ms(m.p50Ms)} | ${ms(m.p99Ms)} | ${kB(r.bytes)} | ${thousands(m.rssMiB)} | ${ratio} |`);
  }
  return lines.join('\n');
}
