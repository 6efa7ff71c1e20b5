import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemActor, type Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import type { CalendarMonth } from '../common/time/calendar-date';
import { templatesDir } from '../common/web/view-engine';
import type { DocumentLanguage } from '../documents/grant-agreement.document';
import { loadStatementTexts, renderStatement } from '../documents/statement.document';
import { DeliveryLedgerService } from '../invoices/delivery-ledger.service';
import { statementNumber } from './billing-run.rules';
import type { Statement } from './statement.rules';
import { statementView } from './statement.view';

export interface StatementSummaryDto {
  id: string;
  supplierId: string;
  supplierName: string;
  month: CalendarMonth;
  status: 'draft' | 'final';
  number: string | null;
  selfBilled: boolean;
  issuedOn: string;
  dueOn: string;
  minutes: number;
  netOre: number;
  vatOre: number;
  totalOre: number;
  finalisedAt: string | null;
}

export interface StatementDetailDto extends StatementSummaryDto {
  content: Statement;
}

export interface StatementFilter {
  month?: string;
  supplierId?: string;
  status?: 'draft' | 'final';
  limit: number;
}

interface StatementRow {
  id: string;
  supplier_id: string;
  supplier_name: string;
  month: string;
  status: 'draft' | 'final';
  number: string | null;
  self_billed: boolean;
  issued_on: string;
  due_on: string;
  minutes: number;
  net_ore: string;
  vat_ore: string;
  total_ore: string;
  finalised_at: Date | null;
}

const SUMMARY = `s.id, s.supplier_id, p.name AS supplier_name, s.month, s.status, s.number, s.self_billed, s.issued_on::text AS issued_on,
  s.due_on::text AS due_on, s.minutes, s.net_ore, s.vat_ore, s.total_ore, s.finalised_at`;

/** Statements (afregningsoversigter): drafts a billing run replaces, final ones numbered, rendered once and never changed. */
@Injectable()
export class StatementsService {
  private readonly texts = new Map<DocumentLanguage, ReturnType<typeof loadStatementTexts>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly ledger: DeliveryLedgerService,
  ) {}

  async list(filter: StatementFilter, scope: AccessScope): Promise<StatementSummaryDto[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (scope.isSupplier) add('s.supplier_id = ?', scope.supplierId);
    if (filter.supplierId) add('s.supplier_id = ?', filter.supplierId);
    if (filter.month) add('s.month = ?', filter.month);
    if (filter.status) add('s.status = ?', filter.status);
    params.push(filter.limit);
    const rows = (await this.dataSource.query(
      `SELECT ${SUMMARY} FROM statement s JOIN supplier p ON p.id = s.supplier_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY s.month DESC, p.name, s.id LIMIT $${params.length}`,
      params,
    )) as StatementRow[];
    return rows.map(summaryDto);
  }

  async get(id: string, scope: AccessScope): Promise<StatementDetailDto> {
    const [row] = (await this.dataSource.query(`SELECT ${SUMMARY}, s.content FROM statement s JOIN supplier p ON p.id = s.supplier_id WHERE s.id = $1`, [id])) as Array<StatementRow & { content: Statement }>;
    if (!row) throw DomainException.notFound('Statement');
    scope.assertVisible(row.supplier_id, 'Statement');
    return { ...summaryDto(row), content: row.content };
  }

  /** A final statement's stored PDF; a draft's is rendered on demand and marked as a draft. Viewing is audited. */
  async pdf(id: string, scope: AccessScope, actor: Actor): Promise<{ filename: string; pdf: Buffer }> {
    const [row] = (await this.dataSource.query(`SELECT s.supplier_id, s.status, s.number, s.month, s.pdf, s.content FROM statement s WHERE s.id = $1`, [id])) as Array<{
      supplier_id: string;
      status: string;
      number: string | null;
      month: string;
      pdf: Buffer | null;
      content: Statement;
    }>;
    if (!row) throw DomainException.notFound('Statement');
    scope.assertVisible(row.supplier_id, 'Statement');
    const pdf = row.pdf ?? (await this.render(row.content, null));
    await this.dataSource.transaction((manager) => this.audit.record(manager, actor, { action: 'statement.pdf_viewed', entityType: 'statement', entityId: id, change: { number: row.number, status: row.status } }));
    return { filename: `${row.number ?? `kladde-${row.month}`}.pdf`, pdf };
  }

  // ---- for billing runs, in their transactions ----

  async forSupplierMonth(manager: EntityManager, supplierId: string, month: CalendarMonth): Promise<{ id: string; status: 'draft' | 'final' } | null> {
    const [row] = (await manager.query(`SELECT id, status FROM statement WHERE supplier_id = $1 AND month = $2 FOR UPDATE`, [supplierId, month])) as Array<{ id: string; status: 'draft' | 'final' }>;
    return row ?? null;
  }

  async draftSuppliers(manager: EntityManager, month: CalendarMonth): Promise<string[]> {
    const rows = (await manager.query(`SELECT supplier_id FROM statement WHERE month = $1 AND status = 'draft' ORDER BY supplier_id`, [month])) as Array<{ supplier_id: string }>;
    return rows.map((row) => row.supplier_id);
  }

  /** A draft is replaced by the next run; its deliveries go back to unbilled. */
  async discardDraft(manager: EntityManager, id: string): Promise<void> {
    const [, affected] = (await manager.query(`DELETE FROM statement WHERE id = $1 AND status = 'draft'`, [id])) as [unknown, number];
    if (affected !== 1) throw DomainException.conflict('The statement is final and cannot be replaced');
  }

  async insertDraft(manager: EntityManager, statement: Statement, runId: string): Promise<string> {
    const [row] = (await manager.query(
      `INSERT INTO statement (supplier_id, month, status, self_billed, billing_run_id, issued_on, due_on, minutes, net_ore, vat_ore, total_ore, content)
       VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        statement.supplier.id, statement.month, statement.selfBilled, runId, statement.issuedOn, statement.dueOn, statement.totals.minutes,
        statement.totals.netOre, statement.totals.vatOre, statement.totals.totalOre, JSON.stringify(statement),
      ],
    )) as Array<{ id: string }>;
    return row.id;
  }

  /**
   * Makes a draft final: the next number of the year from the locked counter, the PDF rendered once and
   * stored, the invoices billed, all in the caller's transaction so a failure leaves no gap.
   */
  async finalise(manager: EntityManager, id: string, runId: string): Promise<string> {
    const [draft] = (await manager.query(`SELECT content, issued_on::text AS issued_on FROM statement WHERE id = $1 AND status = 'draft' FOR UPDATE`, [id])) as Array<{ content: Statement; issued_on: string }>;
    if (!draft) throw DomainException.conflict('The statement is not a draft');
    const year = Number(draft.issued_on.slice(0, 4));
    await manager.query(`INSERT INTO statement_number_counter (year, last_number) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING`, [year]);
    const [[{ last_number }]] = (await manager.query(`UPDATE statement_number_counter SET last_number = last_number + 1 WHERE year = $1 RETURNING last_number`, [year])) as [Array<{ last_number: number }>, number];
    const number = statementNumber(year, last_number);
    const pdf = await this.render(draft.content, number);
    await manager.query(`UPDATE statement SET status = 'final', number = $2, pdf = $3, finalised_at = now() WHERE id = $1 AND status = 'draft'`, [id, number, pdf]);
    const billed = await this.ledger.markBilled(manager, id);
    await this.audit.record(manager, systemActor('billing'), { action: 'statement.finalised', entityType: 'statement', entityId: id, change: { number, runId, invoicesBilled: billed } });
    return number;
  }

  private render(content: Statement, number: string | null): Promise<Buffer> {
    const lang: DocumentLanguage = 'da';
    let texts = this.texts.get(lang);
    if (!texts) {
      texts = loadStatementTexts(lang, templatesDir());
      this.texts.set(lang, texts);
    }
    return renderStatement(statementView(content, number, texts, lang));
  }
}

function summaryDto(row: StatementRow): StatementSummaryDto {
  return {
    id: row.id,
    supplierId: row.supplier_id,
    supplierName: row.supplier_name,
    month: row.month,
    status: row.status,
    number: row.number,
    selfBilled: row.self_billed,
    issuedOn: row.issued_on,
    dueOn: row.due_on,
    minutes: row.minutes,
    netOre: Number(row.net_ore),
    vatOre: Number(row.vat_ore),
    totalOre: Number(row.total_ore),
    finalisedAt: row.finalised_at?.toISOString() ?? null,
  };
}
