import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve, join } from 'node:path';

export interface EmbeddedPostgres {
  readonly url: string;
  /** The Unix socket the server listens on, in a directory only this user may enter. */
  readonly socketPath: string;
  stop(): Promise<void>;
}

const SOCKET_DIR_PREFIX = 'socket-';
// The pg client finds a socket as <host>/.s.PGSQL.<port>.
const SOCKET_PORT = 5432;
// A Unix socket path is at most 107 bytes on Linux (103 on macOS).
const SOCKET_PATH_MAX = 100;

/**
 * Starts PGlite on a Unix socket so the ordinary TypeORM postgres driver can use it. PGlite lets in any user
 * without a password, so the socket lies in a fresh directory of random name that only this user may enter, and
 * nothing listens on TCP. PGlite has one session shared by every connection, so callers must use a pool of one.
 * A lock file keeps a second process off the directory.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const root = resolve(dataDir);
  makePrivateDir(root);
  const dir = join(root, 'pg');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lockFile = join(root, 'pg.lock');
  takeLock(lockFile);
  // Sockets of a process that died: the lock says no other process uses them.
  for (const entry of readdirSync(root)) if (entry.startsWith(SOCKET_DIR_PREFIX)) rmSync(join(root, entry), { recursive: true, force: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dir);
  // PGlite's initdb chmods every file it makes to 0666, past the umask (an older version's data is so too): only this
  // user keeps any access. Files it makes later follow the umask.
  removeOthersAccess(root);
  const socketDir = privateSocketDir(root);
  const socketPath = join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 4 });
  await server.start();
  return {
    url: `postgres://postgres@${encodeURIComponent(socketDir)}:${SOCKET_PORT}/postgres`,
    socketPath,
    async stop() {
      await server.stop();
      await db.close();
      rmSync(socketDir, { recursive: true, force: true });
      removeOthersAccess(root);
      releaseLock(lockFile);
    },
  };
}

/** Creates the directory with mode 0700, or takes group's and others' access away from one that exists. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

function privateSocketDir(root: string): string {
  const inData = join(root, `${SOCKET_DIR_PREFIX}XXXXXX`, `.s.PGSQL.${SOCKET_PORT}`);
  // mkdtemp makes the directory with mode 0700; a data directory too deep for a socket path gets one in the temp dir.
  return mkdtempSync(inData.length <= SOCKET_PATH_MAX ? join(root, SOCKET_DIR_PREFIX) : join(tmpdir(), `mentor-pg-${SOCKET_DIR_PREFIX}`));
}

/** Clears the group and other bits of everything under dir (symbolic links are left alone). */
function removeOthersAccess(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    const { mode } = lstatSync(path);
    if ((mode & 0o077) !== 0) chmodSync(path, mode & 0o700);
    if (entry.isDirectory()) removeOthersAccess(path);
  }
}

function takeLock(lockFile: string): void {
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new Error(`The embedded database in ${lockFile.replace(/pg\.lock$/, '')} is in use by process ${pid}`);
    }
    unlinkSync(lockFile);
  }
  const fd = openSync(lockFile, 'wx', 0o600);
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
