/**
 * The load side of the API benchmark, forked by bench/api.ts so that it does not share an event loop with
 * the server: receives one LoadSpec over IPC, drives it with autocannon at a fixed overall rate (a warm-up
 * first, not counted), and answers with a LoadResult.
 *
 * Latencies are every response's own time, from writing the request to reading the whole answer, kept
 * one by one so that p50, p95 and p99 are exact. (autocannon's histogram has no p95, and with a rate its
 * correction for coordinated omission fills in values at 1 ms steps below each latency.)
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';

export interface LoadRequest {
  path: string;
  body?: string;
}

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Requests in the order sent, each once, from the start again when all are sent. */
  requests: LoadRequest[];
  /** Requests a second over all connections. */
  rate: number;
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export interface LoadResult {
  responses: number;
  seconds: number;
  latenciesMs: { p50: number; p95: number; p99: number; max: number };
  non2xx: number;
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  /** Requests sent more than once because the list ran out. */
  repeated: number;
}

interface AutocannonRequest {
  method?: string;
  path?: string;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}

interface AutocannonOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  connections: number;
  overallRate: number;
  duration: number;
  requests: AutocannonRequest[];
}

interface AutocannonResult {
  errors: number;
  timeouts: number;
}

type Autocannon = (options: AutocannonOptions) => EventEmitter & PromiseLike<AutocannonResult>;

// autocannon ships no types; only the part used here is declared above.
const autocannon = createRequire(__filename)('autocannon') as Autocannon;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function drive(spec: LoadSpec, seconds: number, next: () => LoadRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const instance = autocannon({
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    connections: spec.connections,
    overallRate: spec.rate,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const { path, body } = next();
          return body === undefined ? { ...request, path } : { ...request, path, body };
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  });
  const started = performance.now();
  const result = await instance;
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const non2xx = Object.entries(statusCounts).reduce((sum, [code, count]) => (code.startsWith('2') ? sum : sum + count), 0);
  return {
    responses: latencies.length,
    seconds: elapsed,
    latenciesMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? Number.NaN },
    non2xx,
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
    repeated: 0,
  };
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  let sent = 0;
  // One counter over all connections: every request of the list goes out once before any goes out again.
  const next = (): LoadRequest => spec.requests[sent++ % spec.requests.length];
  if (spec.warmupSeconds > 0) await drive(spec, spec.warmupSeconds, next);
  const before = sent;
  const result = await drive(spec, spec.seconds, next);
  return { ...result, repeated: Math.max(0, sent - spec.requests.length) - Math.max(0, before - spec.requests.length) };
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
});
