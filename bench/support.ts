/**
 * What the database benchmarks share: a throwaway database on BENCH_DATABASE_URL's server (default
 * postgres://postgres@127.0.0.1:5432/postgres), migrated by the app's own migrations, and small printing helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { runMigrations } from '../src/bootstrap';

export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Milliseconds as seconds with two decimals. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(2);

export function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The fastest of `runs` timings of `work`, in milliseconds: a floor is what the machine can do at best. */
export async function fastestOf(runs: number, work: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A connection to the server's maintenance database, for CREATE and DROP DATABASE. */
export async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs every migration on the database, as the app does at boot. */
export async function migrate(databaseUrl: string): Promise<void> {
  const migrator = new DataSource({ type: 'postgres', url: databaseUrl, migrations });
  await migrator.initialize();
  await runMigrations(migrator, false);
  await migrator.destroy();
}

/** Signs in through POST /api/v1/auth/login and answers the bearer token. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`sign-in: ${login.status} ${await login.text()}`);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

/**
 * Starts a worker process of the built app on the bench database and Redis, resolved once it logs that it waits
 * for jobs, so a figure is timed from a ready worker and not from a process still booting.
 */
export function startWorker(databaseUrl: string, prefix: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'src', 'main.js'), 'worker'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', QUEUE_CONCURRENCY: process.env.QUEUE_CONCURRENCY ?? '2', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    let ready = false;
    const timer = setTimeout(() => reject(new Error('a worker did not start within 120 s')), 120_000);
    // Read on after it is ready too, so that its log never fills the pipe.
    child.stdout?.on('data', (chunk: Buffer) => {
      if (ready) return;
      seen = (seen + chunk.toString('utf8')).slice(-10_000);
      if (!seen.includes('worker started')) return;
      ready = true;
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`a worker exited with ${code}`));
    });
  });
}
