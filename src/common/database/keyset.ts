import type { EntityManager } from 'typeorm';
import { encodeCursor, type KeysetPage, type PageRequest, type SortDir } from '../web/list-query';

/**
 * Keyset (cursor) paging for the stores. A list is a base query (`select`, `from`, `where` with `params`
 * parameters) and its sorts, each an SQL expression that is never null and the type its cursor value is cast
 * to. `keysetQueries` writes one query per sort and direction (ordered by the sort key and then the id, so the
 * order is total and a page never repeats or skips a row); the store spreads them into its `sqlQueries` set, so
 * they are snapshotted like any other query. `keysetPage` runs the right one.
 */
export interface SortKey {
  expr: string;
  cast: 'text' | 'date' | 'bigint' | 'int' | 'timestamptz';
}

export interface KeysetList<S extends string> {
  /** The columns read, without the SELECT. */
  select: string;
  from: string;
  /** A WHERE clause over the parameters $1..$params. */
  where: string;
  params: number;
  /** The row's id column (uuid), the last sort key. */
  id: string;
  sorts: Record<S, SortKey>;
}

export function keysetQueryName(list: string, sort: string, dir: SortDir): string {
  return `${list}_${sort}_${dir}`;
}

/** The queries of a keyset list, named `<list>_<sort>_<dir>`; parameters after the base's: the cursor value, its id, the limit. */
export function keysetQueries<S extends string>(name: string, list: KeysetList<S>): Record<string, string> {
  const value = `$${list.params + 1}`;
  const id = `$${list.params + 2}`;
  const limit = `$${list.params + 3}`;
  const queries: Record<string, string> = {};
  for (const [sort, key] of Object.entries(list.sorts) as Array<[S, SortKey]>) {
    for (const dir of ['asc', 'desc'] as const) {
      const op = dir === 'asc' ? '>' : '<';
      queries[keysetQueryName(name, sort, dir)] = `
        SELECT ${list.select}, (${key.expr})::text AS keyset_value, ${list.id} AS keyset_id
          ${list.from}
         ${list.where}
           AND (${id}::uuid IS NULL OR (${key.expr}, ${list.id}) ${op} (${value}::${key.cast}, ${id}::uuid))
         ORDER BY ${key.expr} ${dir.toUpperCase()}, ${list.id} ${dir.toUpperCase()}
         LIMIT ${limit}`;
    }
  }
  return queries;
}

interface KeysetRecord {
  keyset_value: string;
  keyset_id: string;
}

/**
 * One page of a keyset list. A cursor going back runs the opposite direction from the cursor and turns the rows
 * round; one row more than the page tells whether there is a page beyond.
 */
export async function keysetPage<R, S extends string>(manager: EntityManager, queries: Record<string, string>, name: string, request: PageRequest<S>, params: unknown[]): Promise<KeysetPage<R>> {
  const { sort, dir, cursor, limit } = request;
  const back = cursor?.back === true;
  const runDir: SortDir = back ? (dir === 'asc' ? 'desc' : 'asc') : dir;
  const sql = queries[keysetQueryName(name, sort, runDir)];
  if (sql === undefined) throw new Error(`no keyset query ${keysetQueryName(name, sort, runDir)}`);
  const found = (await manager.query(sql, [...params, cursor?.value ?? null, cursor?.id ?? null, limit + 1])) as Array<R & KeysetRecord>;
  const more = found.length > limit;
  const rows = found.slice(0, limit);
  if (back) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const at = (row: KeysetRecord, towardsStart: boolean): string => encodeCursor({ sort, dir, value: row.keyset_value, id: row.keyset_id, back: towardsStart });
  // Forward: a next page if a row was left over, a previous one if this page started from a cursor. Back: the reverse.
  const hasNext = back ? true : more;
  const hasPrev = back ? more : cursor !== null;
  return {
    items: rows,
    nextCursor: hasNext && last ? at(last, false) : null,
    prevCursor: hasPrev && first ? at(first, true) : null,
  };
}
