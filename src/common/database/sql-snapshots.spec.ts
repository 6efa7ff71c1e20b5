import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isQuerySet, snapshotPath, snapshotText, storeOf, type QuerySet } from './sql-queries';

// Every file under src that declares a query set, and every committed snapshot.
const SRC = join(__dirname, '..', '..');
const UPDATE = process.env.UPDATE_SQL_SNAPSHOTS === '1';

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path, keep);
    return keep(path) ? [path] : [];
  });
}

function querySets(): Map<string, Array<QuerySet<Record<string, string>>>> {
  const byStore = new Map<string, Array<QuerySet<Record<string, string>>>>();
  const declaring = files(SRC, (path) => path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('sql-queries.ts') && readFileSync(path, 'utf8').includes('sqlQueries('));
  for (const file of declaring) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(file) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      if (!isQuerySet(value)) continue;
      const store = storeOf(value);
      byStore.set(store, [...(byStore.get(store) ?? []), value]);
    }
  }
  return byStore;
}

describe('SQL snapshots of the stores', () => {
  const sets = querySets();

  it('finds the query sets', () => {
    expect(sets.size).toBeGreaterThan(0);
  });

  it.each([...sets.keys()].sort())('%s matches its committed snapshot', (store) => {
    const path = join(SRC, snapshotPath(store));
    const text = snapshotText(sets.get(store) ?? []);
    if (UPDATE) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    const committed = existsSync(path) ? readFileSync(path, 'utf8') : '(no snapshot)';
    if (committed !== text) throw new Error(`the queries of ${store} changed but ${relative(SRC, path)} did not: review them and run UPDATE_SQL_SNAPSHOTS=1 npx jest sql-snapshots`);
  });

  it('has no snapshot without a store', () => {
    const expected = new Set([...sets.keys()].map((store) => join(SRC, snapshotPath(store))));
    const stale = files(SRC, (path) => path.endsWith('.sql') && /[/\\]queries[/\\]/.test(path)).filter((path) => !expected.has(path));
    if (UPDATE) stale.forEach((path) => rmSync(path));
    expect(UPDATE ? [] : stale.map((path) => relative(SRC, path))).toEqual([]);
  });
});
