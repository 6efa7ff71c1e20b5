import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { resolve, join } from 'node:path';

export interface EmbeddedPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite on a loopback socket so the ordinary TypeORM postgres driver
 * can use it. PGlite has one session shared by every connection, so callers
 * must use a pool of one. A lock file keeps a second process off the directory.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = resolve(dataDir, 'pg');
  mkdirSync(dir, { recursive: true });
  const lockFile = join(resolve(dataDir), 'pg.lock');
  takeLock(lockFile);
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const connection = server.getServerConn();
  return {
    url: `postgres://postgres@${connection}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
      releaseLock(lockFile);
    },
  };
}

function takeLock(lockFile: string): void {
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new Error(`The embedded database in ${lockFile.replace(/pg\.lock$/, '')} is in use by process ${pid}`);
    }
    unlinkSync(lockFile);
  }
  const fd = openSync(lockFile, 'wx');
  writeSync(fd, String(process.pid));
  closeSync(fd);
}

function releaseLock(lockFile: string): void {
  try {
    if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) unlinkSync(lockFile);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
