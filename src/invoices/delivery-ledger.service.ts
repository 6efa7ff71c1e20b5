import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CalendarDate, CalendarMonth } from '../common/time/calendar-date';
import type { TransitionRole } from '../common/lifecycle/transition.rules';
import { firstDayOfMonth, lastDayOfMonth } from '../common/time/calendar-date';
import { GrantsService, type GrantExpenseTerms } from '../grants/grants.service';
import type { MentorType, TargetGroup } from '../rules/rule-set';
import { SuppliersService } from '../suppliers/suppliers.service';
import { DeliveryStore, type LedgerLine } from './delivery.store';
import { InvoiceStore } from './invoice.store';

/** An approved delivery as billing, refunds and reports see it: the ledger's line and its grant's expense terms. */
export type LedgerDelivery = LedgerLine & GrantExpenseTerms;

/** Approved expenses of one stretch of a period, target group and mentor type, summed. */
export interface LedgerExpenseAggregate {
  stretchFrom: CalendarDate;
  targetGroupAtStart: TargetGroup;
  mentorType: MentorType;
  expenses: number;
  expenseOre: number;
}

/**
 * What a supplier's statement of a month may bill, as of an approval watermark: approved sessions dated in
 * the month, or in an earlier month already closed (approved after its close), and approved credit lines (to the month's end) of sessions a final statement paid, none of them
 * paid by a final statement yet. `approvedThrough` null: as of now.
 */
export interface BillingWindow {
  supplierId: string;
  month: CalendarMonth;
  approvedThrough: Date | null;
  /** Earlier months already closed: their sessions approved after the close belong to this window. */
  closedMonths: readonly CalendarMonth[];
}

/** The sessions of a window summed per VAT rate, and its credit lines one by one (they are few). */
export interface WindowTotals {
  sessions: Array<{ vatBasisPoints: number; minutes: number; approvedOre: number; lines: number }>;
  credits: LedgerDelivery[];
}

function windowParams(suppliers: string[], month: CalendarMonth, approvedThrough: Date | null, closedMonths: readonly CalendarMonth[]): unknown[] {
  return [suppliers, firstDayOfMonth(month), lastDayOfMonth(month), approvedThrough, closedMonthStarts(month, closedMonths)];
}

// Only months before the window's own can be late into it.
function closedMonthStarts(month: CalendarMonth, closedMonths: readonly CalendarMonth[]): CalendarDate[] {
  return closedMonths.filter((closed) => closed < month).map(firstDayOfMonth);
}

function creditParams(suppliers: string[], month: CalendarMonth, approvedThrough: Date | null): unknown[] {
  return [suppliers, lastDayOfMonth(month), approvedThrough];
}

/**
 * The invoices module's ledger of approved deliveries, for the modules above it: what a month bills to
 * each supplier, which final statement paid a delivery, and the approved expenses of a period.
 */
@Injectable()
export class DeliveryLedgerService {
  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly invoices: InvoiceStore,
    private readonly grants: GrantsService,
    private readonly suppliers: SuppliersService,
  ) {}

  /** Suppliers with something to bill in the month. */
  async suppliersToBill(manager: EntityManager, month: CalendarMonth, closedMonths: readonly CalendarMonth[]): Promise<string[]> {
    return this.deliveries.suppliersToBill(manager, firstDayOfMonth(month), lastDayOfMonth(month), await this.suppliers.ids(manager), closedMonthStarts(month, closedMonths));
  }

  /**
   * The windows of many suppliers' month as of now, in two set-based reads whatever their number: the sessions
   * summed per supplier and VAT rate, and the credit lines. What drafts' totals need, without their lines.
   * Every supplier asked for has an entry, empty when nothing is left to bill.
   */
  async windowTotals(manager: EntityManager, suppliers: string[], month: CalendarMonth, closedMonths: readonly CalendarMonth[]): Promise<Map<string, WindowTotals>> {
    const out = new Map<string, WindowTotals>(suppliers.map((id) => [id, { sessions: [], credits: [] }]));
    if (suppliers.length === 0) return out;
    const sessions = await this.deliveries.windowTotals(manager, windowParams(suppliers, month, null, closedMonths));
    const credits = await this.withTerms(manager, await this.deliveries.windowCredits(manager, creditParams(suppliers, month, null)));
    for (const { supplierId, ...rate } of sessions) out.get(supplierId)?.sessions.push(rate);
    for (const credit of credits) out.get(credit.supplierId)?.credits.push(credit);
    return out;
  }

  /** Every delivery of the window, line by line. */
  async window(manager: EntityManager, window: BillingWindow): Promise<LedgerDelivery[]> {
    const sessions = await this.deliveries.windowSessions(manager, windowParams([window.supplierId], window.month, window.approvedThrough, window.closedMonths));
    const credits = await this.deliveries.windowCredits(manager, creditParams([window.supplierId], window.month, window.approvedThrough));
    return this.withTerms(manager, [...sessions, ...credits]);
  }

  /**
   * Records that a final statement paid these deliveries, and bills the invoices all of whose approved
   * deliveries are now paid (the invoice transition approved / partly approved → billed, by the system).
   * Answers how many deliveries it took: fewer than asked means another statement paid some meanwhile,
   * and the caller must not go on.
   */
  async markBilled(manager: EntityManager, statementId: string, deliveries: LedgerDelivery[]): Promise<{ deliveries: number; invoices: number }> {
    const taken = await this.deliveries.markBilled(manager, statementId, deliveries.map((d) => d.deliveryId));
    const invoices = await this.invoices.transitionBilled(manager, [...new Set(deliveries.map((d) => d.invoiceId))], 'system');
    return { deliveries: taken, invoices };
  }

  /**
   * Records that the finance system paid a final statement on `paidOn`: its deliveries are paid that day, and
   * the invoices all of whose approved deliveries are now paid become paid (billed → paid, by `role`). Once:
   * deliveries paid before are left as they are.
   */
  async markPaid(manager: EntityManager, statementId: string, paidOn: CalendarDate, role: TransitionRole): Promise<{ deliveries: number; invoices: number }> {
    const paid = await this.deliveries.markPaid(manager, statementId, paidOn);
    const invoices = await this.invoices.transitionPaid(manager, paid.invoiceIds, role);
    return { deliveries: paid.deliveries, invoices };
  }

  /** Whether any approved expense is dated in the period. */
  hasApprovedExpenses(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<boolean> {
    return this.deliveries.hasApprovedExpenses(manager, from, to);
  }

  /** Approved expenses dated in a period (credits at the date of the session they correct), for refund claims. */
  async approvedExpenses(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<LedgerDelivery[]> {
    return this.withTerms(manager, await this.deliveries.approvedExpenses(manager, from, to), { from, to });
  }

  /**
   * The same approved expenses summed by stretch of the period (`stretchStarts`: the first days, in order, the
   * first the period's start), target group at the grant's start and mentor type: the database sums them per
   * stretch and grant in one pass over the period's deliveries, and the grants' terms (from the grants module)
   * group those sums, at most one per grant and stretch, however many deliveries there are.
   */
  async approvedExpenseAggregates(manager: EntityManager, from: CalendarDate, to: CalendarDate, stretchStarts: CalendarDate[]): Promise<LedgerExpenseAggregate[]> {
    const byGrant = await this.deliveries.approvedExpenseAggregates(manager, from, to, stretchStarts);
    const terms = await this.grants.expenseTerms(manager, byGrant.map((row) => row.grantId), { from, to });
    const sums = new Map<string, LedgerExpenseAggregate>();
    for (const row of byGrant) {
      const { mentorType, targetGroupAtStart } = terms.get(row.grantId) as GrantExpenseTerms;
      const key = `${row.stretchFrom}|${targetGroupAtStart}|${mentorType}`;
      const sum = sums.get(key) ?? { stretchFrom: row.stretchFrom, targetGroupAtStart, mentorType, expenses: 0, expenseOre: 0 };
      sum.expenses += row.expenses;
      sum.expenseOre = safeSum(sum.expenseOre, row.expenseOre);
      sums.set(key, sum);
    }
    return [...sums.values()];
  }

  /** The ledger's lines with their grants' expense terms, read from the grants module in one call. */
  private async withTerms(manager: EntityManager, lines: LedgerLine[], period?: { from: CalendarDate; to: CalendarDate }): Promise<LedgerDelivery[]> {
    if (lines.length === 0) return [];
    const terms = await this.grants.expenseTerms(manager, lines.map((line) => line.grantId), period);
    return lines.map((line) => ({ ...line, ...(terms.get(line.grantId) as GrantExpenseTerms) }));
  }
}

function safeSum(a: number, b: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError(`a sum of øre beyond the safe integers: ${a} + ${b}`);
  return sum;
}
