import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TEST_REDIS_URL } from './test-env';
import type { TestApp } from './test-app';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

/** Builds dist/ when it is missing or older than the sources, so worker processes run this code. */
export function ensureBuilt(): void {
  const built = existsSync(MAIN) ? statSync(MAIN).mtimeMs : 0;
  if (built >= Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'migrations')))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
}

export interface WorkerProcess {
  process: ChildProcess;
  /** Every JSON log line the worker wrote. */
  logs: Array<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node dist/src/main.js worker` against the test app's database and queue prefix; resolves once it is consuming. */
export function startWorker(t: TestApp, env: Record<string, string> = {}): Promise<WorkerProcess> {
  return startProcess(t, 'worker', env, (logs) => logs.some((line) => line.msg === 'worker started'));
}

/** Starts `node dist/src/main.js api` on `port`; resolves once it serves /health. */
export function startApi(t: TestApp, port: number, env: Record<string, string> = {}): Promise<WorkerProcess> {
  return startProcess(t, 'api', { PORT: String(port), ...env }, (logs) => logs.some((line) => typeof line.msg === 'string' && line.msg.includes('is running at')));
}

async function startProcess(t: TestApp, mode: 'api' | 'worker', env: Record<string, string>, ready: (logs: Array<Record<string, unknown>>) => boolean): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [MAIN, mode], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: t.databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: t.queuePrefix,
      SESSION_SECRET: t.config.sessionSecret,
      CPR_ENCRYPTION_KEY: t.config.cprEncryptionKey.toString('hex'),
      LOG_LEVEL: 'info',
      BUSINESS_DATE: t.config.businessDate ?? '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let buffered = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!ready(logs)) {
    if (child.exitCode !== null) throw new Error(`the ${mode} process exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`the ${mode} process did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    process: child,
    logs,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
