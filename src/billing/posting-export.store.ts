import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sqlQueries } from '../common/database/sql-queries';
import { readOre } from '../common/database/money.transformer';
import type { CalendarDate } from '../common/time/calendar-date';
import type { Statement } from './statement.rules';

/** A final statement claimed for an export, with what its postings are made of. */
export interface ClaimedStatementRow {
  statementId: string;
  number: string;
  supplierId: string;
  issuedOn: CalendarDate;
  dueOn: CalendarDate;
  content: Statement;
}

export interface UnexportedStatementRow {
  id: string;
  number: string;
  supplierId: string;
  issuedOn: CalendarDate;
  netOre: number;
  vatOre: number;
}

export interface PostingExportRow {
  id: string;
  from: CalendarDate | null;
  to: CalendarDate | null;
  statementId: string | null;
  lines: number;
  netOre: number;
  vatOre: number;
  createdByLabel: string;
  createdAt: Date;
}

export interface NewPostingExport {
  id: string;
  from: CalendarDate | null;
  to: CalendarDate | null;
  statementId: string | null;
  lines: number;
  netOre: number;
  vatOre: number;
  csv: string;
  json: string;
  createdBy: string | null;
  createdByLabel: string;
}

interface ExportRecord {
  id: string;
  period_from: string | null;
  period_to: string | null;
  statement_id: string | null;
  lines: number;
  net_ore: string;
  vat_ore: string;
  created_by_label: string;
  created_at: Date;
}

const EXPORT = `e.id, e.period_from::text AS period_from, e.period_to::text AS period_to, e.statement_id, e.lines, e.net_ore, e.vat_ore, e.created_by_label, e.created_at`;

const CLAIMED = `s.id AS statement_id, s.number, s.supplier_id, s.issued_on::text AS issued_on, s.due_on::text AS due_on, s.content`;

export const POSTING_EXPORT_SQL = sqlQueries('billing/posting-export.store', {
  // Claims for export $3 the final (or paid) statements dated (issued) on the days $1..$2 that no export holds yet;
  // a statement another export claims at the same time waits for it and is then left out.
  claimPeriod: `
    INSERT INTO posting_export_statement (statement_id, posting_export_id)
    SELECT s.id, $3 FROM statement s
     WHERE s.status IN ('final', 'paid') AND s.issued_on BETWEEN $1 AND $2
    ON CONFLICT (statement_id) DO NOTHING
    RETURNING statement_id`,
  claimStatement: `
    INSERT INTO posting_export_statement (statement_id, posting_export_id)
    SELECT s.id, $2 FROM statement s WHERE s.id = $1 AND s.status IN ('final', 'paid')
    ON CONFLICT (statement_id) DO NOTHING
    RETURNING statement_id`,
  // What the claimed statements' postings are made of.
  claimed: `SELECT ${CLAIMED} FROM statement s WHERE s.id = ANY($1::uuid[]) ORDER BY s.number`,
  exportOfStatement: `SELECT posting_export_id FROM posting_export_statement WHERE statement_id = $1`,
  // What an export of the period would claim now: the final statements dated in it that no export holds (for the confirmation).
  unexported: `
    SELECT s.id, s.number, s.supplier_id, s.issued_on::text AS issued_on, s.net_ore, s.vat_ore
      FROM statement s
     WHERE s.status IN ('final', 'paid') AND s.issued_on BETWEEN $1 AND $2
       AND NOT EXISTS (SELECT 1 FROM posting_export_statement e WHERE e.statement_id = s.id)
     ORDER BY s.number LIMIT $3`,
  insert: `
    INSERT INTO posting_export (id, period_from, period_to, statement_id, lines, net_ore, vat_ore, csv, json, created_by, created_by_label)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  get: `SELECT ${EXPORT} FROM posting_export e WHERE e.id = $1`,
  file: `SELECT e.csv, e.json FROM posting_export e WHERE e.id = $1`,
  recent: `SELECT ${EXPORT} FROM posting_export e ORDER BY e.created_at DESC, e.id LIMIT $1`,
});

const Q = POSTING_EXPORT_SQL;

function exportOf(row: ExportRecord): PostingExportRow {
  return {
    id: row.id,
    from: row.period_from,
    to: row.period_to,
    statementId: row.statement_id,
    lines: row.lines,
    netOre: readOre(row.net_ore),
    vatOre: readOre(row.vat_ore),
    createdByLabel: row.created_by_label,
    createdAt: row.created_at,
  };
}

interface ClaimedRecord {
  statement_id: string;
  number: string;
  supplier_id: string;
  issued_on: string;
  due_on: string;
  content: Statement;
}

const claimedOf = (row: ClaimedRecord): ClaimedStatementRow => ({
  statementId: row.statement_id,
  number: row.number,
  supplierId: row.supplier_id,
  issuedOn: row.issued_on,
  dueOn: row.due_on,
  content: row.content,
});

/** Every query on posting_export and posting_export_statement. */
@Injectable()
export class PostingExportStore {
  /** Claims the period's statements not exported yet for export `exportId` (stored later in the same transaction). */
  async claimPeriod(manager: EntityManager, from: CalendarDate, to: CalendarDate, exportId: string): Promise<ClaimedStatementRow[]> {
    const ids = ((await manager.query(Q.claimPeriod, [from, to, exportId])) as Array<{ statement_id: string }>).map((row) => row.statement_id);
    return this.claimed(manager, ids);
  }

  /** Claims one final statement for export `exportId`; null when it is not final or another export holds it. */
  async claimStatement(manager: EntityManager, statementId: string, exportId: string): Promise<ClaimedStatementRow | null> {
    const claimed = (await manager.query(Q.claimStatement, [statementId, exportId])) as unknown[];
    if (claimed.length === 0) return null;
    const [row] = await this.claimed(manager, [statementId]);
    return row ?? null;
  }

  private async claimed(manager: EntityManager, ids: string[]): Promise<ClaimedStatementRow[]> {
    if (ids.length === 0) return [];
    return ((await manager.query(Q.claimed, [ids])) as ClaimedRecord[]).map(claimedOf);
  }

  /** The export that holds the statement, or null. */
  async exportOfStatement(manager: EntityManager, statementId: string): Promise<string | null> {
    const [row] = (await manager.query(Q.exportOfStatement, [statementId])) as Array<{ posting_export_id: string }>;
    return row?.posting_export_id ?? null;
  }

  /** The final statements dated in the period that no export holds yet. */
  async unexported(manager: EntityManager, from: CalendarDate, to: CalendarDate, limit: number): Promise<UnexportedStatementRow[]> {
    const rows = (await manager.query(Q.unexported, [from, to, limit])) as Array<{ id: string; number: string; supplier_id: string; issued_on: string; net_ore: string; vat_ore: string }>;
    return rows.map((r) => ({ id: r.id, number: r.number, supplierId: r.supplier_id, issuedOn: r.issued_on, netOre: readOre(r.net_ore), vatOre: readOre(r.vat_ore) }));
  }

  async insert(manager: EntityManager, e: NewPostingExport): Promise<void> {
    await manager.query(Q.insert, [e.id, e.from, e.to, e.statementId, e.lines, e.netOre, e.vatOre, e.csv, e.json, e.createdBy, e.createdByLabel]);
  }

  async get(manager: EntityManager, id: string): Promise<PostingExportRow | null> {
    const [row] = (await manager.query(Q.get, [id])) as ExportRecord[];
    return row ? exportOf(row) : null;
  }

  /** The files as they were exported. */
  async file(manager: EntityManager, id: string): Promise<{ csv: string; json: string } | null> {
    const [row] = (await manager.query(Q.file, [id])) as Array<{ csv: string; json: string }>;
    return row ?? null;
  }

  async recent(manager: EntityManager, limit: number): Promise<PostingExportRow[]> {
    return ((await manager.query(Q.recent, [limit])) as ExportRecord[]).map(exportOf);
  }
}
