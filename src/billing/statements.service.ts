import { Inject, Injectable } from '@nestjs/common';
import { containsPattern, type KeysetPage, type PageRequest } from '../common/web/list-query';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemActor, type Actor } from '../common/actor';
import { APP_CONFIG, type AppConfig } from '../common/config/app-config';
import { AccessScope } from '../common/auth/access-scope';
import { DomainException } from '../common/errors/domain.exception';
import { NotificationEvents, notificationEvent } from '../common/notifications/notification-events';
import { RuleError } from '../common/errors/rule-error';
import { monthOf, type CalendarMonth } from '../common/time/calendar-date';
import { templatesDir } from '../common/web/view-engine';
import type { DocumentLanguage } from '../documents/grant-agreement.document';
import { loadStatementTexts, renderStatement } from '../documents/statement.document';
import { renderSelfBillingInvoice } from '../documents/self-billing-invoice.document';
import { DeliveryLedgerService, type BillingWindow, type LedgerDelivery } from '../invoices/delivery-ledger.service';
import { BillingRunStore } from './billing-run.store';
import type { RuleSetValues } from '../rules/rule-set';
import { RulesService } from '../rules/rules.service';
import type { Supplier } from '../suppliers/supplier.entity';
import { SuppliersService } from '../suppliers/suppliers.service';
import { BillingErrorCode } from './billing.errors';
import { statementNumber } from './billing-run.rules';
import { buildStatement, correctionPlacement, type ApprovedDelivery, type Statement, type StatementStatus } from './statement.rules';
import { StatementStore, type StatementFilter, type StatementSort, type StatementSummaryRow, type StatementWindowRow } from './statement.store';
import { selfBillingBuyer, selfBillingInvoiceView } from './self-billing.view';
import { statementView } from './statement.view';

export interface StatementSummaryDto {
  id: string;
  supplierId: string;
  supplierName: string;
  month: CalendarMonth;
  status: StatementStatus;
  number: string | null;
  selfBilled: boolean;
  /** An internal supplier's (another municipal department): settled internally, without VAT and not as an e-invoice. */
  internal: boolean;
  issuedOn: string;
  dueOn: string;
  minutes: number;
  netOre: number;
  vatOre: number;
  totalOre: number;
  finalisedAt: string | null;
  /** The day the finance system paid it (a paid statement), else null. */
  paidOn: string | null;
  paidOre: number | null;
}

export interface StatementDetailDto extends StatementSummaryDto {
  content: Statement;
}

export type { StatementFilter };

/** What a statement is built with besides its deliveries, read before the transaction that stores it. */
export interface StatementTerms {
  supplier: Supplier;
  /** The rule set in force on the issue date. */
  ruleSet: RuleSetValues;
}

/**
 * A credit line belongs on the month's statement when the statement rules place the correction of its
 * session's (final) month there; the session itself is billed in its own month.
 */
export function billedInMonth(deliveries: LedgerDelivery[], month: CalendarMonth): LedgerDelivery[] {
  return deliveries.filter((d) => {
    if (d.kind === 'session' || d.creditedDate === null) return d.kind === 'session';
    try {
      return correctionPlacement(monthOf(d.creditedDate), 'final', month).action === 'credit';
    } catch (error) {
      // A correction of this month or a later one goes on a later statement.
      if (error instanceof RuleError && error.code === BillingErrorCode.CorrectionMonth) return false;
      throw error;
    }
  });
}

/**
 * Statements (afregningsoversigter): a draft holds its totals and the approval watermark it covers and is
 * computed line by line on read; a final one is numbered, its lines and PDF written once and never changed.
 */
@Injectable()
export class StatementsService {
  private readonly texts = new Map<DocumentLanguage, ReturnType<typeof loadStatementTexts>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: StatementStore,
    private readonly audit: AuditService,
    private readonly ledger: DeliveryLedgerService,
    private readonly suppliers: SuppliersService,
    private readonly rules: RulesService,
    private readonly notifications: NotificationEvents,
    private readonly runs: BillingRunStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(filter: StatementFilter, scope: AccessScope): Promise<StatementSummaryDto[]> {
    const only = scope.isSupplier ? scope.supplierId : (filter.supplierId ?? null);
    // One supplier's statements need no order between suppliers; the rest are listed by supplier name within a month.
    const order = only ? [only] : (await this.suppliers.byName()).map((supplier) => supplier.id);
    const rows = await this.store.list(this.dataSource.manager, filter, scope.isSupplier ? scope.supplierId : null, order);
    const suppliers = new Map((await this.suppliers.getMany([...new Set(rows.map((row) => row.supplierId))])).map((supplier) => [supplier.id, supplier]));
    return rows.map((row) => summaryDto(row, suppliers.get(row.supplierId)));
  }

  /**
   * A page of statements: `q` part of the statement number or (for staff) of the supplier's name; a supplier sees
   * only its own.
   */
  async page(filter: Omit<StatementFilter, 'limit'>, q: string | null, request: PageRequest<StatementSort>, scope: AccessScope): Promise<KeysetPage<StatementSummaryDto>> {
    const suppliers = await this.suppliers.byName();
    const needle = q?.toLocaleLowerCase('da');
    const supplierIds = needle !== undefined && !scope.isSupplier ? suppliers.filter((s) => s.name.toLocaleLowerCase('da').includes(needle)).map((s) => s.id) : [];
    const page = await this.store.page(
      this.dataSource.manager,
      { ...filter, pattern: q === null ? null : containsPattern(q), supplierIds },
      scope.isSupplier ? scope.supplierId : null,
      suppliers.map((s) => s.id),
      request,
    );
    const shown = new Map((await this.suppliers.getMany([...new Set(page.items.map((row) => row.supplierId))])).map((supplier) => [supplier.id, supplier]));
    return { ...page, items: page.items.map((row) => summaryDto(row, shown.get(row.supplierId))) };
  }

  /** A statement with its lines; a draft's as its watermark covers them now, with the totals of those lines. */
  async get(id: string, scope: AccessScope): Promise<StatementDetailDto> {
    const row = await this.store.get(this.dataSource.manager, id);
    if (!row) throw DomainException.notFound('Statement');
    scope.assertVisible(row.supplierId, 'Statement');
    const content = row.content ?? (await this.draftContent(row.window));
    const [supplier] = await this.suppliers.getMany([row.supplierId]);
    return { ...summaryDto(row, supplier), ...content.totals, content };
  }

  /**
   * A final statement's stored PDF; a draft's is rendered on demand and marked as a draft. A final statement
   * whose PDF its run has not stored yet is rendered from its stored lines as of its finalisation, the same
   * bytes the run stores. Viewing is audited.
   */
  async pdf(id: string, scope: AccessScope, actor: Actor): Promise<{ filename: string; pdf: Buffer }> {
    const row = await this.store.pdf(this.dataSource.manager, id);
    if (!row) throw DomainException.notFound('Statement');
    scope.assertVisible(row.window.supplierId, 'Statement');
    const pdf = row.pdf ?? (row.content && row.number && row.finalisedAt ? await this.render(row.content, row.number, row.finalisedAt) : await this.render(await this.draftContent(row.window), null));
    await this.dataSource.transaction((manager) => this.audit.record(manager, actor, { action: 'statement.pdf_viewed', entityType: 'statement', entityId: id, change: { number: row.number, status: row.window.status } }));
    return { filename: `${row.number ?? `kladde-${row.window.month}`}.pdf`, pdf };
  }

  /**
   * A partner company's final self-billing statement as a UBL 2.1 self-billed invoice (InvoiceTypeCode 389),
   * built from its stored number and lines. Another supplier's is not found; a statement that is not self-billed,
   * or still a draft, is a 409 naming why. Downloading is audited.
   */
  async selfBillingXml(id: string, scope: AccessScope, actor: Actor): Promise<{ filename: string; xml: string }> {
    const row = await this.store.document(this.dataSource.manager, id);
    if (!row) throw DomainException.notFound('Statement');
    scope.assertVisible(row.window.supplierId, 'Statement');
    if (!row.window.selfBilled) {
      throw DomainException.conflict('Only a self-billing statement is issued as a self-billing invoice', [
        { field: 'id', rule: BillingErrorCode.StatementNotSelfBilled, message: 'the statement is not self-billed' },
      ]);
    }
    if (row.content === null || row.number === null) {
      throw DomainException.conflict('A draft is issued as a document once it is final', [{ field: 'id', rule: BillingErrorCode.StatementNotFinal, message: 'the statement is a draft', values: { status: row.window.status } }]);
    }
    const supplier = await this.suppliers.get(row.window.supplierId, AccessScope.unrestricted());
    const xml = renderSelfBillingInvoice(selfBillingInvoiceView(row.number, row.content, supplier, selfBillingBuyer(this.config.buyer)));
    await this.dataSource.transaction((manager) => this.audit.record(manager, actor, { action: 'statement.self_billing_viewed', entityType: 'statement', entityId: id, change: { number: row.number } }));
    return { filename: `${row.number}.xml`, xml };
  }

  // ---- for billing runs ----

  /** The terms a statement of the supplier issued on `issuedOn` is built with. */
  async terms(supplierId: string, issuedOn: string): Promise<StatementTerms> {
    return { supplier: await this.suppliers.get(supplierId, AccessScope.unrestricted()), ruleSet: await this.rules.valuesInForce(issuedOn) };
  }

  /** The terms of many suppliers' statements issued on `issuedOn`: the rule set read once, the suppliers in one read. */
  async termsOfMany(supplierIds: string[], issuedOn: string): Promise<Map<string, StatementTerms>> {
    const ruleSet = await this.rules.valuesInForce(issuedOn);
    const suppliers = await this.suppliers.getMany(supplierIds);
    return new Map(suppliers.map((supplier) => [supplier.id, { supplier, ruleSet }]));
  }

  /**
   * Makes a draft final in the caller's transaction, so a failure leaves no gap: its lines as its watermark
   * covers them, each delivery marked paid by it (none twice), the invoices so paid billed, and last the
   * next number of the year from the counter, which stays locked until the transaction ends (so it is taken
   * as late as can be). The PDF is rendered from the stored lines afterwards (storePdf), outside the lock.
   * Answers the number, or null when nothing is left to bill and the draft was dropped.
   */
  async finalise(manager: EntityManager, draft: StatementWindowRow, terms: StatementTerms, runId: string): Promise<string | null> {
    // Refused (409 naming the states) before a number is taken when the statement is not a draft.
    this.store.assertTransition(draft.status, 'final', 'system');
    const closedMonths = await this.runs.closedMonthsBefore(manager, draft.month);
    const deliveries = billedInMonth(await this.ledger.window(manager, windowOf(draft, closedMonths)), draft.month);
    if (deliveries.length === 0) {
      if (!(await this.store.deleteDraft(manager, draft.id))) throw DomainException.conflict('The statement was made final meanwhile');
      await this.audit.record(manager, systemActor('billing'), { action: 'statement.dropped', entityType: 'statement', entityId: draft.id, change: { runId, reason: 'nothing left to bill' } });
      return null;
    }
    const content = this.compose(draft, terms, deliveries, closedMonths);
    const billed = await this.ledger.markBilled(manager, draft.id, deliveries);
    if (billed.deliveries !== deliveries.length) throw DomainException.conflict('A delivery of the statement was paid by another statement meanwhile');
    const year = Number(draft.issuedOn.slice(0, 4));
    const number = statementNumber(year, await this.store.nextNumber(manager, year));
    if (!(await this.store.finalise(manager, draft.id, 'draft', { number, content }, 'system'))) throw DomainException.conflict('The statement was made final meanwhile');
    await this.audit.record(manager, systemActor('billing'), {
      action: 'statement.finalised',
      entityType: 'statement',
      entityId: draft.id,
      change: { number, runId, lines: deliveries.length, netOre: content.totals.netOre, totalOre: content.totals.totalOre, invoicesBilled: billed.invoices },
    });
    await this.notifications.publish(manager, [notificationEvent('statement.final', draft.id, { statementId: draft.id, statementNumber: number, supplierId: draft.supplierId, month: draft.month, dueOn: content.dueOn })]);
    return number;
  }

  /**
   * Renders a final statement's PDF from its stored number and lines, outside any transaction (no lock is held
   * while pages are drawn), then stores it once in a transaction of its own with `after` (the run's
   * bookkeeping) and an audit entry. Answers whether this call stored it (false: it was stored already).
   */
  async storePdf(statementId: string, runId: string, after: (manager: EntityManager) => Promise<void>): Promise<boolean> {
    const source = await this.store.toRender(this.dataSource.manager, statementId);
    const pdf = source ? await this.render(source.content, source.number, source.finalisedAt) : null;
    return this.dataSource.transaction(async (manager) => {
      const stored = pdf !== null && (await this.store.storePdf(manager, statementId, pdf));
      if (stored) await this.audit.record(manager, systemActor('billing'), { action: 'statement.pdf_stored', entityType: 'statement', entityId: statementId, change: { number: source?.number, runId, bytes: pdf.length } });
      await after(manager);
      return stored;
    });
  }

  private async draftContent(window: StatementWindowRow): Promise<Statement> {
    const terms = await this.terms(window.supplierId, window.issuedOn);
    const closedMonths = await this.runs.closedMonthsBefore(this.dataSource.manager, window.month);
    const deliveries = billedInMonth(await this.ledger.window(this.dataSource.manager, windowOf(window, closedMonths)), window.month);
    return this.compose(window, terms, deliveries, closedMonths);
  }

  private compose(window: StatementWindowRow, { supplier, ruleSet }: StatementTerms, deliveries: LedgerDelivery[], closedMonths: readonly CalendarMonth[]): Statement {
    return buildStatement({
      closedMonths,
      supplier: { id: supplier.id, name: supplier.name, cvr: supplier.cvr, vatRegistered: supplier.vatRegistered },
      month: window.month,
      issuedOn: window.issuedOn,
      ruleSet,
      selfBilled: window.selfBilled,
      deliveries: deliveries.map(approvedDelivery),
    });
  }

  // A final statement's document is dated its finalisation, so every render of it is the same bytes.
  private async render(content: Statement, number: string | null, createdAt?: Date): Promise<Buffer> {
    const lang: DocumentLanguage = 'da';
    // The suppliers module says whether the supplier is another municipal department (an internal statement).
    const [supplier] = await this.suppliers.getMany([content.supplier.id]);
    let texts = this.texts.get(lang);
    if (!texts) {
      texts = loadStatementTexts(lang, templatesDir());
      this.texts.set(lang, texts);
    }
    return renderStatement(statementView(content, number, texts, lang, { internal: supplier?.kind === 'internal' }), { createdAt });
  }
}

function windowOf(window: StatementWindowRow, closedMonths: readonly CalendarMonth[]): BillingWindow {
  return { supplierId: window.supplierId, month: window.month, approvedThrough: window.approvedThrough, closedMonths };
}

function approvedDelivery(d: LedgerDelivery): ApprovedDelivery {
  return {
    deliveryId: d.deliveryId,
    grantReference: d.grantReference,
    date: d.date,
    minutes: d.minutes,
    approvedOre: d.approvedOre,
    vatBasisPoints: d.vatBasisPoints,
    mentorType: d.mentorType,
    targetGroupAtStart: d.targetGroupAtStart,
    invoiceNumber: d.selfBilled ? null : d.invoiceNumber,
    kind: d.kind === 'credit' ? 'credit' : 'delivery',
  };
}

function summaryDto(row: StatementSummaryRow, supplier: Supplier | undefined): StatementSummaryDto {
  return {
    id: row.id,
    supplierId: row.supplierId,
    supplierName: supplier?.name ?? '',
    internal: supplier?.kind === 'internal',
    month: row.month,
    status: row.status,
    number: row.number,
    selfBilled: row.selfBilled,
    issuedOn: row.issuedOn,
    dueOn: row.dueOn,
    minutes: row.minutes,
    netOre: row.netOre,
    vatOre: row.vatOre,
    totalOre: row.totalOre,
    finalisedAt: row.finalisedAt?.toISOString() ?? null,
    paidOn: row.paidOn,
    paidOre: row.paidOre,
  };
}
