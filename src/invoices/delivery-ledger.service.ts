import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { moneyTransformer } from '../common/database/money.transformer';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarDate, CalendarMonth } from '../common/time/calendar-date';
import { firstDayOfMonth, lastDayOfMonth } from '../common/time/calendar-date';
import type { MentorType, TargetGroup } from '../rules/rule-set';

/** An approved delivery as billing and refunds see it: what was paid, for which grant, at which VAT rate. */
export interface LedgerDelivery {
  deliveryId: string;
  kind: 'session' | 'credit';
  grantReference: string;
  date: CalendarDate;
  /** Face-to-face minutes; negative on a credit line (minutes taken back). */
  minutes: number;
  /** Approved øre excl. VAT; negative on a credit line. */
  approvedOre: number;
  vatBasisPoints: number;
  mentorType: MentorType;
  targetGroupAtStart: TargetGroup;
  invoiceId: string;
  invoiceNumber: string;
  selfBilled: boolean;
  supplierId: string;
  /** On a credit line: the date of the session it reverses; null on a session. */
  creditedDate: CalendarDate | null;
}

/**
 * What a supplier's statement of a month may bill, as of an approval watermark: approved sessions dated in
 * the month and approved credit lines (to the month's end) of sessions a final statement paid, none of them
 * paid by a final statement yet. `approvedThrough` null: as of now.
 */
export interface BillingWindow {
  supplierId: string;
  month: CalendarMonth;
  approvedThrough: Date | null;
}

/** The sessions of a window summed per VAT rate, and its credit lines one by one (they are few). */
export interface WindowTotals {
  sessions: Array<{ vatBasisPoints: number; minutes: number; approvedOre: number; lines: number }>;
  credits: LedgerDelivery[];
}

interface LedgerRow extends Omit<LedgerDelivery, 'approvedOre'> {
  approvedOre: string;
}

const LEDGER_COLUMNS = `d.id AS "deliveryId", d.kind, d.grant_reference AS "grantReference", d.delivered_on::text AS date,
  CASE WHEN d.kind = 'credit' THEN -d.minutes ELSE d.minutes END AS minutes, d.approved_ore AS "approvedOre",
  i.vat_basis_points AS "vatBasisPoints", g.mentor_type AS "mentorType", g.target_group_at_start AS "targetGroupAtStart",
  i.id AS "invoiceId", i.invoice_number AS "invoiceNumber", i.source = 'registration' AS "selfBilled", d.supplier_id AS "supplierId"`;

// The window's two parts: $1 suppliers, $2 first day, $3 last day, $4 watermark (null: now). A delivery's grant is
// its supplier's by a composite key (delivery_grant_of_supplier), so no row needs its grant's owner checked here.
const WINDOW_SESSIONS = `d.supplier_id = ANY($1::uuid[]) AND d.kind = 'session' AND d.status IN ('approved', 'partly_approved') AND d.billed_by_statement_id IS NULL
       AND d.delivered_on BETWEEN $2 AND $3 AND i.approved_at <= COALESCE($4::timestamptz, now())`;
// Credits: $1 suppliers, $2 last day, $3 watermark (null: now).
const WINDOW_CREDITS = `c.supplier_id = ANY($1::uuid[]) AND c.kind = 'credit' AND c.status = 'approved' AND c.billed_by_statement_id IS NULL AND o.billed_by_statement_id IS NOT NULL
       AND c.delivered_on <= $2 AND i.approved_at < ($2::date + 1) AND i.approved_at <= COALESCE($3::timestamptz, now())`;

export const DELIVERY_LEDGER_SQL = sqlQueries('invoices/delivery-ledger', {
  // Suppliers with approved sessions of the month not yet paid, or approved credits of sessions already paid.
  // One probe of the unbilled deliveries' index per supplier, not a pass over the month's deliveries.
  suppliersToBill: `
    SELECT p.id FROM supplier p
     WHERE EXISTS (SELECT 1 FROM delivery d WHERE d.supplier_id = p.id AND d.kind = 'session' AND d.status IN ('approved', 'partly_approved')
                      AND d.billed_by_statement_id IS NULL AND d.delivered_on BETWEEN $1 AND $2)
    UNION
    SELECT c.supplier_id FROM delivery c JOIN delivery o ON o.id = c.credits_delivery_id JOIN invoice i ON i.id = c.invoice_id
     WHERE c.kind = 'credit' AND c.status = 'approved' AND c.billed_by_statement_id IS NULL AND o.billed_by_statement_id IS NOT NULL
       AND c.delivered_on <= $2 AND i.approved_at < ($2::date + 1)
    ORDER BY 1`,
  // Many suppliers' windows (as of now) in one pass: the sessions summed per supplier and VAT rate.
  windowTotals: `
    SELECT d.supplier_id AS "supplierId", i.vat_basis_points AS "vatBasisPoints", sum(d.minutes)::int AS minutes, sum(d.approved_ore)::text AS "approvedOre",
           count(*)::int AS lines
      FROM delivery d JOIN invoice i ON i.id = d.invoice_id
     WHERE ${WINDOW_SESSIONS}
     GROUP BY 1, 2 ORDER BY 1, 2`,
  windowSessions: `
    SELECT ${LEDGER_COLUMNS}, NULL AS "creditedDate"
      FROM delivery d JOIN invoice i ON i.id = d.invoice_id JOIN mentor_grant g ON g.id = d.grant_id
     WHERE ${WINDOW_SESSIONS}`,
  windowCredits: `
    SELECT ${LEDGER_COLUMNS.replace(/\bd\./g, 'c.')}, o.delivered_on::text AS "creditedDate"
      FROM delivery c JOIN delivery o ON o.id = c.credits_delivery_id JOIN invoice i ON i.id = c.invoice_id JOIN mentor_grant g ON g.id = c.grant_id
     WHERE ${WINDOW_CREDITS}`,
  // Each delivery is paid by one final statement: a delivery another statement paid meanwhile is not taken.
  markBilled: `UPDATE delivery SET billed_by_statement_id = $1 WHERE id = ANY($2::uuid[]) AND billed_by_statement_id IS NULL`,
  invoicesBilled: `
    UPDATE invoice i SET status = 'billed', updated_at = now()
     WHERE i.id = ANY($1::uuid[]) AND i.status IN ('approved', 'partly_approved')
       AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.invoice_id = i.id AND d.status IN ('approved', 'partly_approved') AND d.billed_by_statement_id IS NULL)`,
  hasApprovedExpenses: `
    SELECT 1 FROM delivery d WHERE d.status IN ('approved', 'partly_approved', 'credited') AND d.approved_ore IS NOT NULL AND d.delivered_on BETWEEN $1 AND $2 LIMIT 1`,
  approvedExpenses: `
    SELECT ${LEDGER_COLUMNS}, NULL AS "creditedDate"
      FROM delivery d JOIN invoice i ON i.id = d.invoice_id JOIN mentor_grant g ON g.id = d.grant_id
     WHERE d.status IN ('approved', 'partly_approved', 'credited') AND d.approved_ore IS NOT NULL AND d.delivered_on BETWEEN $1 AND $2`,
});

const Q = DELIVERY_LEDGER_SQL;

// Øre from a bigint column, refused when beyond the safe integers.
function ore(value: string): number {
  return moneyTransformer.from(value) as number;
}

function fromRow(row: LedgerRow): LedgerDelivery {
  return { ...row, approvedOre: ore(row.approvedOre) };
}

function windowParams(suppliers: string[], month: CalendarMonth, approvedThrough: Date | null): unknown[] {
  return [suppliers, firstDayOfMonth(month), lastDayOfMonth(month), approvedThrough];
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
  /** Suppliers with something to bill in the month. */
  async suppliersToBill(manager: EntityManager, month: CalendarMonth): Promise<string[]> {
    const rows = (await manager.query(Q.suppliersToBill, [firstDayOfMonth(month), lastDayOfMonth(month)])) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /**
   * The windows of many suppliers' month as of now, in two set-based reads whatever their number: the sessions
   * summed per supplier and VAT rate, and the credit lines. What drafts' totals need, without their lines.
   * Every supplier asked for has an entry, empty when nothing is left to bill.
   */
  async windowTotals(manager: EntityManager, suppliers: string[], month: CalendarMonth): Promise<Map<string, WindowTotals>> {
    const out = new Map<string, WindowTotals>(suppliers.map((id) => [id, { sessions: [], credits: [] }]));
    if (suppliers.length === 0) return out;
    const sessions = (await manager.query(Q.windowTotals, windowParams(suppliers, month, null))) as Array<{ supplierId: string; vatBasisPoints: number; minutes: number; approvedOre: string; lines: number }>;
    const credits = (await manager.query(Q.windowCredits, creditParams(suppliers, month, null))) as LedgerRow[];
    for (const { supplierId, ...rate } of sessions) out.get(supplierId)?.sessions.push({ ...rate, approvedOre: ore(rate.approvedOre) });
    for (const credit of credits) out.get(credit.supplierId)?.credits.push(fromRow(credit));
    return out;
  }

  /** Every delivery of the window, line by line. */
  async window(manager: EntityManager, window: BillingWindow): Promise<LedgerDelivery[]> {
    const sessions = (await manager.query(Q.windowSessions, windowParams([window.supplierId], window.month, window.approvedThrough))) as LedgerRow[];
    const credits = (await manager.query(Q.windowCredits, creditParams([window.supplierId], window.month, window.approvedThrough))) as LedgerRow[];
    return [...sessions, ...credits].map(fromRow);
  }

  /**
   * Records that a final statement paid these deliveries, and bills the invoices all of whose approved
   * deliveries are now paid. Answers how many deliveries it took: fewer than asked means another
   * statement paid some meanwhile, and the caller must not go on.
   */
  async markBilled(manager: EntityManager, statementId: string, deliveries: LedgerDelivery[]): Promise<{ deliveries: number; invoices: number }> {
    const [, taken] = (await manager.query(Q.markBilled, [statementId, deliveries.map((d) => d.deliveryId)])) as [unknown, number];
    const invoiceIds = [...new Set(deliveries.map((d) => d.invoiceId))];
    const [, invoices] = (await manager.query(Q.invoicesBilled, [invoiceIds])) as [unknown, number];
    return { deliveries: taken, invoices };
  }

  /** Whether any approved expense is dated in the period. */
  async hasApprovedExpenses(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<boolean> {
    const rows = (await manager.query(Q.hasApprovedExpenses, [from, to])) as unknown[];
    return rows.length > 0;
  }

  /** Approved expenses dated in a period (credits at the date of the session they correct), for refund claims. */
  async approvedExpenses(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<LedgerDelivery[]> {
    const rows = (await manager.query(Q.approvedExpenses, [from, to])) as LedgerRow[];
    return rows.map(fromRow);
  }

  /**
   * The same approved expenses summed in the database by stretch of the period (`stretchStarts`: the first
   * days, in order, the first the period's start), target group at the grant's start and mentor type. One
   * pass over the period's deliveries, however many there are.
   */
  async approvedExpenseAggregates(manager: EntityManager, from: CalendarDate, to: CalendarDate, stretchStarts: CalendarDate[]): Promise<LedgerExpenseAggregate[]> {
    const rows = (await manager.query(
      `SELECT width_bucket(d.delivered_on, $3::date[]) AS stretch, g.target_group_at_start AS "targetGroupAtStart", g.mentor_type AS "mentorType",
              count(*)::int AS expenses, sum(d.approved_ore)::text AS "expenseOre"
         FROM delivery d JOIN mentor_grant g ON g.id = d.grant_id
        WHERE d.status IN ('approved', 'partly_approved', 'credited') AND d.approved_ore IS NOT NULL AND d.delivered_on BETWEEN $1 AND $2
        GROUP BY 1, 2, 3`,
      [from, to, stretchStarts],
    )) as Array<{ stretch: number; targetGroupAtStart: TargetGroup; mentorType: MentorType; expenses: number; expenseOre: string }>;
    return rows.map((row) => {
      const expenseOre = Number(row.expenseOre);
      if (!Number.isSafeInteger(expenseOre)) throw new RangeError(`the approved expenses ${row.expenseOre} are beyond the safe integer range`);
      return { stretchFrom: stretchStarts[row.stretch - 1], targetGroupAtStart: row.targetGroupAtStart, mentorType: row.mentorType, expenses: row.expenses, expenseOre };
    });
  }
}

/** Approved expenses of one stretch of a period, target group and mentor type, summed. */
export interface LedgerExpenseAggregate {
  stretchFrom: CalendarDate;
  targetGroupAtStart: TargetGroup;
  mentorType: MentorType;
  expenses: number;
  expenseOre: number;
}
