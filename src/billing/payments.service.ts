import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { NotificationEvents, notificationEvent } from '../common/notifications/notification-events';
import { addDays, sundayOf, type CalendarDate } from '../common/time/calendar-date';
import { Clock } from '../common/time/clock';
import { DeliveryLedgerService } from '../invoices/delivery-ledger.service';
import { SuppliersService } from '../suppliers/suppliers.service';
import { BillingErrorCode } from './billing.errors';
import { paymentPlan, readPaymentFile, type PaymentAction, type PaymentFindingCode, type PayableStatement, type PaymentRow } from './payment-import.rules';
import { PaymentStore, type PaymentImportRow } from './payment.store';
import { StatementStore, type StatementSummaryRow } from './statement.store';

/** One row of a payment file and what the import does (or did) with it. */
export interface PaymentLineDto {
  row: number;
  statementId: string;
  statementNumber: string;
  supplierId: string;
  supplierName: string;
  paidOre: number;
  paidOn: CalendarDate;
  /** The statement's total: what was expected. */
  expectedOre: number;
  /** A finding's code; null on a row marked paid or unchanged. */
  finding: PaymentFindingCode | null;
}

export interface PaymentImportDto {
  /** null on a preview: nothing is stored. */
  importId: string | null;
  fileSha256: string;
  /** The same file was imported before: nothing changed now, and the earlier import is named. */
  alreadyImported: boolean;
  applied: boolean;
  rows: number;
  /** Statements marked paid (on a preview: that would be). */
  paid: PaymentLineDto[];
  /** Rows naming a statement paid already with the same amount and day. */
  unchanged: PaymentLineDto[];
  /** Rows that are findings for finance: the amount differs, or a paid statement is paid again otherwise. */
  findings: PaymentLineDto[];
}

export interface PaymentFile {
  text: string;
  bytes: number;
  filename: string | null;
}

export interface PaymentFindingDto {
  id: string;
  importId: string;
  statementId: string;
  statementNumber: string;
  supplierId: string;
  supplierName: string;
  code: PaymentFindingCode;
  expectedOre: number;
  paidOre: number;
  differenceOre: number;
  paidOn: CalendarDate;
  row: number;
  createdAt: string;
}

export interface PaymentImportSummaryDto {
  id: string;
  fileSha256: string;
  filename: string | null;
  rows: number;
  paid: number;
  unchanged: number;
  findings: number;
  createdBy: string;
  createdAt: string;
}

export interface DueStatementDto {
  id: string;
  number: string | null;
  supplierId: string;
  supplierName: string;
  month: string;
  issuedOn: string;
  dueOn: string;
  totalOre: number;
}

export interface PaymentTermDto {
  today: CalendarDate;
  /** The last day of this week (Sunday). */
  weekEndsOn: CalendarDate;
  /** Final statements not paid, due from today to Sunday. */
  dueThisWeek: DueStatementDto[];
  /** Final statements not paid whose due date has passed. */
  late: DueStatementDto[];
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function transitionRole(actor: Actor): TransitionRole {
  if (actor.role === 'anonymous') throw new Error('an anonymous actor imports no payments');
  return actor.role;
}

const DUE_LIST_LIMIT = 500;

/**
 * The payment import: the finance system's payment file marks final statements paid and, through the invoices
 * module, their deliveries and invoices. A file is applied whole or not at all; the same file again changes
 * nothing (kept by its hash); an amount that differs is a finding for finance, not a payment.
 */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: PaymentStore,
    private readonly statements: StatementStore,
    private readonly ledger: DeliveryLedgerService,
    private readonly suppliers: SuppliersService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationEvents,
    private readonly clock: Clock,
  ) {}

  /** What the file would do, nothing stored. A file with any problem is refused (422, every row's problems). */
  async preview(file: PaymentFile): Promise<PaymentImportDto> {
    const rows = this.read(file);
    const hash = sha256(file.text);
    const earlier = await this.store.byHash(this.dataSource.manager, hash);
    if (earlier) return this.alreadyImported(earlier, rows.length);
    const actions = await this.plan(this.dataSource.manager, rows, false);
    return this.dto(this.dataSource.manager, null, hash, false, rows.length, actions);
  }

  /**
   * Applies the file in one transaction. `expectedSha256` (the confirmation page's) must be the file's, so what
   * is applied is what was shown. The same file again answers the earlier import and changes nothing.
   */
  async import(file: PaymentFile, actor: Actor, expectedSha256?: string): Promise<PaymentImportDto> {
    const rows = this.read(file);
    const hash = sha256(file.text);
    if (expectedSha256 !== undefined && expectedSha256 !== hash) {
      throw DomainException.conflict('The payment file changed since it was shown', [{ field: 'file', rule: BillingErrorCode.PaymentFileChanged, message: 'the file is not the one shown for confirmation' }]);
    }
    const role = transitionRole(actor);
    return this.dataSource.transaction(async (manager) => {
      await this.store.lockHash(manager, hash);
      const earlier = await this.store.byHash(manager, hash);
      if (earlier) return this.alreadyImported(earlier, rows.length);
      const actions = await this.plan(manager, rows, true);
      const count = (kind: PaymentAction['kind']) => actions.filter((a) => a.kind === kind).length;
      const importId = await this.store.insertImport(manager, {
        fileSha256: hash,
        filename: file.filename,
        rows: rows.length,
        paid: count('pay'),
        unchanged: count('unchanged'),
        findings: count('finding'),
        createdBy: actor.userId,
        createdByLabel: actor.label,
      });
      for (const action of actions) await this.apply(manager, importId, action, actor, role);
      await this.audit.record(manager, actor, {
        action: 'payment_import.applied',
        entityType: 'payment_import',
        entityId: importId,
        change: { fileSha256: hash, filename: file.filename, rows: rows.length, paid: count('pay'), unchanged: count('unchanged'), findings: count('finding') },
      });
      return this.dto(manager, importId, hash, false, rows.length, actions);
    });
  }

  async findings(limit = 200): Promise<PaymentFindingDto[]> {
    const rows = await this.store.findings(this.dataSource.manager, limit);
    const names = await this.suppliers.names(rows.map((r) => r.supplierId));
    return rows.map((r) => ({
      id: r.id,
      importId: r.importId,
      statementId: r.statementId,
      statementNumber: r.statementNumber,
      supplierId: r.supplierId,
      supplierName: names.get(r.supplierId) ?? '',
      code: r.code,
      expectedOre: r.expectedOre,
      paidOre: r.paidOre,
      differenceOre: r.paidOre - r.expectedOre,
      paidOn: r.paidOn,
      row: r.row,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  async imports(limit = 50): Promise<PaymentImportSummaryDto[]> {
    return (await this.store.recentImports(this.dataSource.manager, limit)).map((i) => ({
      id: i.id,
      fileSha256: i.fileSha256,
      filename: i.filename,
      rows: i.rows,
      paid: i.paid,
      unchanged: i.unchanged,
      findings: i.findings,
      createdBy: i.createdByLabel,
      createdAt: i.createdAt.toISOString(),
    }));
  }

  /** The 30-day payment term: what falls due this week (today to Sunday) and what is late, not paid. */
  async paymentTerm(): Promise<PaymentTermDto> {
    const today = this.clock.today();
    const weekEndsOn = sundayOf(today);
    const [thisWeek, late] = [
      await this.statements.openDue(this.dataSource.manager, today, weekEndsOn, DUE_LIST_LIMIT),
      await this.statements.openDue(this.dataSource.manager, '2000-01-01', addDays(today, -1), DUE_LIST_LIMIT),
    ];
    const names = await this.suppliers.names([...thisWeek, ...late].map((s) => s.supplierId));
    const dto = (s: StatementSummaryRow): DueStatementDto => ({ id: s.id, number: s.number, supplierId: s.supplierId, supplierName: names.get(s.supplierId) ?? '', month: s.month, issuedOn: s.issuedOn, dueOn: s.dueOn, totalOre: s.totalOre });
    return { today, weekEndsOn, dueThisWeek: thisWeek.map(dto), late: late.map(dto) };
  }

  private read(file: PaymentFile): PaymentRow[] {
    const { rows, problems } = readPaymentFile(file.text, file.bytes, this.clock.today());
    if (problems.length > 0) throw DomainException.rule('The payment file cannot be imported; nothing of it is applied', problems);
    return rows;
  }

  private async plan(manager: EntityManager, rows: PaymentRow[], lock: boolean): Promise<PaymentAction[]> {
    const found = await this.statements.byNumbers(manager, [...new Set(rows.map((r) => r.statementNumber))], lock);
    const plan = paymentPlan(rows, new Map<string, PayableStatement>(found.map((s) => [s.number, s])));
    if (plan.problems.length > 0) throw DomainException.rule('The payment file cannot be imported; nothing of it is applied', plan.problems);
    return plan.actions;
  }

  private async apply(manager: EntityManager, importId: string, action: PaymentAction, actor: Actor, role: TransitionRole): Promise<void> {
    const { row, statement } = action;
    if (action.kind === 'unchanged') return;
    if (action.kind === 'finding') {
      const stored = await this.store.insertFinding(manager, { importId, statementId: statement.id, code: action.code, expectedOre: statement.totalOre, paidOre: row.paidOre, paidOn: row.paidOn, row: row.row });
      if (stored) {
        await this.audit.record(manager, actor, { action: 'payment.finding', entityType: 'statement', entityId: statement.id, change: { importId, code: action.code, expectedOre: statement.totalOre, paidOre: row.paidOre, paidOn: row.paidOn, row: row.row } });
      }
      return;
    }
    const payment = { paidOn: row.paidOn, paidOre: row.paidOre, importId };
    // The row is locked for this transaction: a false here is a bug, not a race.
    if (!(await this.statements.markPaid(manager, statement.id, payment, role))) throw DomainException.conflict(`Statement ${statement.number} changed while it was being paid`);
    const paid = await this.ledger.markPaid(manager, statement.id, row.paidOn, role);
    await this.audit.record(manager, actor, {
      action: 'statement.paid',
      entityType: 'statement',
      entityId: statement.id,
      change: { number: statement.number, paidOn: row.paidOn, paidOre: row.paidOre, importId, deliveries: paid.deliveries, invoicesPaid: paid.invoices },
    });
    await this.notifications.publish(manager, [
      notificationEvent('payment.registered', statement.id, { statementId: statement.id, statementNumber: statement.number, supplierId: statement.supplierId, paidOn: row.paidOn, amountOre: row.paidOre }),
    ]);
  }

  private async dto(manager: EntityManager, importId: string | null, hash: string, alreadyImported: boolean, rows: number, actions: PaymentAction[]): Promise<PaymentImportDto> {
    const names = await this.suppliers.names(actions.map((a) => a.statement.supplierId), manager);
    const line = (a: PaymentAction): PaymentLineDto => ({
      row: a.row.row,
      statementId: a.statement.id,
      statementNumber: a.statement.number,
      supplierId: a.statement.supplierId,
      supplierName: names.get(a.statement.supplierId) ?? '',
      paidOre: a.row.paidOre,
      paidOn: a.row.paidOn,
      expectedOre: a.statement.totalOre,
      finding: a.kind === 'finding' ? a.code : null,
    });
    return {
      importId,
      fileSha256: hash,
      alreadyImported,
      applied: importId !== null && !alreadyImported,
      rows,
      paid: actions.filter((a) => a.kind === 'pay').map(line),
      unchanged: actions.filter((a) => a.kind === 'unchanged').map(line),
      findings: actions.filter((a) => a.kind === 'finding').map(line),
    };
  }

  private alreadyImported(earlier: PaymentImportRow, rows: number): PaymentImportDto {
    return { importId: earlier.id, fileSha256: earlier.fileSha256, alreadyImported: true, applied: false, rows, paid: [], unchanged: [], findings: [] };
  }
}
