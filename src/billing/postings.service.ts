import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import { compareDates, daysBetween, isCalendarDate, type CalendarDate } from '../common/time/calendar-date';
import { SuppliersService } from '../suppliers/suppliers.service';
import { BillingErrorCode } from './billing.errors';
import { postingCsv, postingJson, postingsOf, postingTotals, type PostedStatement, type PostingExportHead } from './posting.rules';
import { StatementStore } from './statement.store';
import { PostingExportStore, type ClaimedStatementRow, type PostingExportRow, type UnexportedStatementRow } from './posting-export.store';

/** The longest period one export covers. */
export const POSTING_PERIOD_MAX_DAYS = 366;

export interface PostingExportQuery {
  from?: string;
  to?: string;
  statementId?: string;
}

export interface PostingExportFile {
  /** null: nothing was left to export, and no export was stored. */
  exportId: string | null;
  csv: string;
  json: string;
}

export interface PostingExportDto {
  id: string;
  from: string | null;
  to: string | null;
  statementId: string | null;
  lines: number;
  netOre: number;
  vatOre: number;
  createdBy: string;
  createdAt: string;
}

function periodOf(query: PostingExportQuery): { from: CalendarDate; to: CalendarDate } | { statementId: string } {
  if (query.statementId !== undefined && query.from === undefined && query.to === undefined) return { statementId: query.statementId };
  const { from, to } = query;
  if (query.statementId === undefined && isCalendarDate(from) && isCalendarDate(to) && compareDates(from, to) <= 0 && daysBetween(from, to) < POSTING_PERIOD_MAX_DAYS) {
    return { from, to };
  }
  throw DomainException.rule('The posting export needs a period or a statement', [
    {
      field: query.from === undefined || !isCalendarDate(query.from) ? 'from' : 'to',
      rule: BillingErrorCode.PostingPeriod,
      message: `give from and to (YYYY-MM-DD, to not before from, at most ${POSTING_PERIOD_MAX_DAYS} days) or a statementId, got from '${query.from ?? ''}' to '${query.to ?? ''}'`,
      values: { maxDays: POSTING_PERIOD_MAX_DAYS },
    },
  ]);
}

function exportDto(row: PostingExportRow): PostingExportDto {
  return { id: row.id, from: row.from, to: row.to, statementId: row.statementId, lines: row.lines, netOre: row.netOre, vatOre: row.vatOre, createdBy: row.createdByLabel, createdAt: row.createdAt.toISOString() };
}

/**
 * The posting export to the finance system: each final statement's postings are exported once. An export of a
 * period (the days statements are dated, their issue date) claims the final statements no export holds yet, and
 * stores the CSV and JSON it answers with, so a re-export of its id is the same file byte for byte. Periods may
 * overlap: asking for the last weeks every day also picks up a statement made final after its day was exported.
 */
@Injectable()
export class PostingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: PostingExportStore,
    private readonly statements: StatementStore,
    private readonly suppliers: SuppliersService,
    private readonly audit: AuditService,
  ) {}

  /** Exports what is not exported yet of a period or a statement; a statement exported before answers its export. */
  async export(query: PostingExportQuery, actor: Actor): Promise<PostingExportFile> {
    const period = periodOf(query);
    const id = randomUUID();
    type Made = { earlier: string } | { empty: PostingExportHead } | { file: { csv: string; json: string } };
    const made = await this.dataSource.transaction(async (manager): Promise<Made> => {
      const claimed = 'statementId' in period ? await this.claimStatement(manager, period.statementId, id) : await this.store.claimPeriod(manager, period.from, period.to, id);
      if (typeof claimed === 'string') return { earlier: claimed };
      const head: PostingExportHead = {
        exportId: id,
        exportedAt: new Date().toISOString(),
        from: 'from' in period ? period.from : null,
        to: 'to' in period ? period.to : null,
        statementNumber: 'statementId' in period ? (claimed[0]?.number ?? null) : null,
      };
      if (claimed.length === 0) return { empty: head };
      const lines = postingsOf(await this.posted(manager, claimed));
      const totals = postingTotals(lines);
      const file = { csv: postingCsv(head, lines), json: postingJson(head, lines) };
      await this.store.insert(manager, {
        id,
        from: head.from,
        to: head.to,
        statementId: 'statementId' in period ? period.statementId : null,
        ...totals,
        ...file,
        createdBy: actor.userId,
        createdByLabel: actor.label,
      });
      await this.audit.record(manager, actor, {
        action: 'posting_export.created',
        entityType: 'posting_export',
        entityId: id,
        change: { from: head.from, to: head.to, statements: claimed.map((c) => c.number), lines: totals.lines, netOre: totals.netOre, vatOre: totals.vatOre },
      });
      return { file };
    });
    if ('earlier' in made) return this.file(made.earlier);
    if ('empty' in made) {
      // Nothing new: the header only, and no export stored.
      const head = { ...made.empty, exportId: null };
      return { exportId: null, csv: postingCsv(head, []), json: postingJson(head, []) };
    }
    return { exportId: id, ...made.file };
  }

  /** An export's files as they were exported. */
  async file(id: string): Promise<PostingExportFile> {
    const file = await this.store.file(this.dataSource.manager, id);
    if (!file) throw DomainException.notFound('Posting export');
    return { exportId: id, ...file };
  }

  /** What an export of the period would hold now (for the confirmation step); a period that is not one is a 422. */
  async pending(from: string, to: string, limit = 500): Promise<Array<UnexportedStatementRow & { supplierName: string }>> {
    const period = periodOf({ from, to });
    if (!('from' in period)) throw new Error('a period was asked for');
    const rows = await this.store.unexported(this.dataSource.manager, period.from, period.to, limit);
    const names = await this.suppliers.names(rows.map((r) => r.supplierId));
    return rows.map((r) => ({ ...r, supplierName: names.get(r.supplierId) ?? '' }));
  }

  async get(id: string): Promise<PostingExportDto> {
    const row = await this.store.get(this.dataSource.manager, id);
    if (!row) throw DomainException.notFound('Posting export');
    return exportDto(row);
  }

  async recent(limit = 50): Promise<PostingExportDto[]> {
    return (await this.store.recent(this.dataSource.manager, limit)).map(exportDto);
  }

  // A statement claimed now, or the id of the export that holds it already; a draft or unknown one is refused.
  private async claimStatement(manager: EntityManager, statementId: string, exportId: string): Promise<ClaimedStatementRow[] | string> {
    const claimed = await this.store.claimStatement(manager, statementId, exportId);
    if (claimed) return [claimed];
    const earlier = await this.store.exportOfStatement(manager, statementId);
    if (earlier) return earlier;
    if (!(await this.statements.document(manager, statementId))) throw DomainException.notFound('Statement');
    throw DomainException.conflict('Only a final statement has postings', [
      { field: 'statementId', rule: BillingErrorCode.StatementNotFinal, message: `statement ${statementId} is no final statement`, values: { statementId } },
    ]);
  }

  private async posted(manager: EntityManager, claimed: ClaimedStatementRow[]): Promise<PostedStatement[]> {
    const suppliers = new Map((await this.suppliers.getMany([...new Set(claimed.map((c) => c.supplierId))], manager)).map((s) => [s.id, s]));
    return claimed.map((c) => {
      const supplier = suppliers.get(c.supplierId);
      if (!supplier) throw new Error(`supplier ${c.supplierId} of statement ${c.number} not found`);
      return { statementId: c.statementId, number: c.number, issuedOn: c.issuedOn, dueOn: c.dueOn, supplierCvr: supplier.cvr, supplierEan: supplier.gln, content: c.content };
    });
  }
}
