import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/**
 * One way to list: a search text, a sort column and direction, and a keyset cursor. The API's list routes take
 * these as `q`, `sort`, `dir`, `cursor` and `limit`; the pages read the same names from their query string, and
 * the `list-search`, `list-sort` and `list-pager` partials write them back into links and forms.
 */
export type SortDir = 'asc' | 'desc';

export class ListQueryDto {
  @ApiPropertyOptional({ description: 'Search text; what it searches is named on each route', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], description: 'The sort direction; each sort has its own default' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  dir?: SortDir;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous answer’s nextCursor (or prevCursor): the page after (or before) it' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor must be a cursor from a previous answer' })
  cursor?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** Where a page starts: after (or, `back`, before) the row with this sort value and id. */
export interface Cursor {
  sort: string;
  dir: SortDir;
  value: string;
  id: string;
  back: boolean;
}

/** A page wanted: the sort, its direction, the cursor (null: the first page) and the page size. */
export interface PageRequest<S extends string = string> {
  sort: S;
  dir: SortDir;
  cursor: Cursor | null;
  limit: number;
}

/** A page found, with the cursors of the pages beside it (null: none). */
export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
  prevCursor: string | null;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.dir, cursor.value, cursor.id, cursor.back ? 1 : 0]), 'utf8').toString('base64url');
}

/** The cursor, or null when it is not one of ours or was made for another sort (the list starts over). */
export function decodeCursor(text: unknown, sort: string, dir: SortDir): Cursor | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]{1,400}$/.test(text)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 5) return null;
    const [s, d, value, id, back] = parsed as unknown[];
    if (s !== sort || d !== dir || typeof value !== 'string' || typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) return null;
    return { sort, dir, value, id, back: back === 1 };
  } catch {
    return null;
  }
}

/**
 * The page request of a list query: the sort if it is one of `sorts` (else the default, or the first), the direction asked or the
 * sort's default, the cursor if it was made for that sort, and the limit within 1..200.
 */
export function pageRequest<S extends string>(query: { sort?: unknown; dir?: unknown; cursor?: unknown; limit?: unknown }, sorts: Record<S, SortDir>, defaults: { sort?: S; limit?: number } = {}): PageRequest<S> {
  const names = Object.keys(sorts) as S[];
  const fallbackLimit = defaults.limit ?? 50;
  const sort = names.includes(query.sort as S) ? (query.sort as S) : (defaults.sort ?? names[0]);
  const dir: SortDir = query.dir === 'asc' || query.dir === 'desc' ? query.dir : sorts[sort];
  const asked = Number(query.limit);
  const limit = Number.isInteger(asked) && asked >= 1 && asked <= 200 ? asked : fallbackLimit;
  return { sort, dir, cursor: decodeCursor(query.cursor, sort, dir), limit };
}

/** The search text trimmed, or null for none. */
export function searchText(q: unknown): string | null {
  if (typeof q !== 'string') return null;
  const trimmed = q.trim().slice(0, 100);
  return trimmed === '' ? null : trimmed;
}

/** A LIKE pattern that finds the text anywhere, its own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// ---- the pages' view of a list ----

export interface SortColumnView {
  href: string;
  ariaSort: 'ascending' | 'descending' | null;
  active: boolean;
}

export interface ListView {
  path: string;
  q: string;
  sort: string;
  dir: SortDir;
  /** Filters other than q, sort and dir, carried in the search form as they are. */
  hidden: Array<{ name: string; value: string }>;
  columns: Record<string, SortColumnView>;
  nextHref: string | null;
  prevHref: string | null;
}

/**
 * The links of a list page: each sortable column's header link (the same column again turns the direction), the
 * next and previous pages; `filters` are the page's other query parameters, kept in every link.
 */
export function listView<S extends string>(path: string, request: PageRequest<S>, sorts: Record<S, SortDir>, page: { nextCursor: string | null; prevCursor: string | null }, q: string | null, filters: Record<string, string | null | undefined> = {}): ListView {
  const kept = Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '');
  const href = (params: Record<string, string | null>): string => {
    const search = new URLSearchParams(kept);
    if (q) search.set('q', q);
    for (const [name, value] of Object.entries(params)) if (value !== null) search.set(name, value);
    const text = search.toString();
    return text === '' ? path : `${path}?${text}`;
  };
  const columns = {} as Record<string, SortColumnView>;
  for (const name of Object.keys(sorts) as S[]) {
    const active = name === request.sort;
    const dir: SortDir = active ? (request.dir === 'asc' ? 'desc' : 'asc') : sorts[name];
    columns[name] = { href: href({ sort: name, dir }), ariaSort: active ? (request.dir === 'asc' ? 'ascending' : 'descending') : null, active };
  }
  const at = { sort: request.sort, dir: request.dir };
  return {
    path,
    q: q ?? '',
    sort: request.sort,
    dir: request.dir,
    hidden: kept.map(([name, value]) => ({ name, value })),
    columns,
    nextHref: page.nextCursor ? href({ ...at, cursor: page.nextCursor }) : null,
    prevHref: page.prevCursor ? href({ ...at, cursor: page.prevCursor }) : null,
  };
}
