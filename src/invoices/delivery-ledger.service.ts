import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
  invoiceNumber: string;
  selfBilled: boolean;
  supplierId: string;
}

interface LedgerRow extends Omit<LedgerDelivery, 'approvedOre' | 'minutes' | 'vatBasisPoints'> {
  approvedOre: string;
  minutes: number;
  vatBasisPoints: number;
}

const LEDGER_COLUMNS = `d.id AS "deliveryId", d.kind, d.grant_reference AS "grantReference", d.delivered_on::text AS date,
  CASE WHEN d.kind = 'credit' THEN -d.minutes ELSE d.minutes END AS minutes, d.approved_ore AS "approvedOre",
  i.vat_basis_points AS "vatBasisPoints", g.mentor_type AS "mentorType", g.target_group_at_start AS "targetGroupAtStart",
  i.invoice_number AS "invoiceNumber", i.source = 'registration' AS "selfBilled", d.supplier_id AS "supplierId"`;

const LEDGER_FROM = `FROM delivery d JOIN invoice i ON i.id = d.invoice_id JOIN mentor_grant g ON g.id = d.grant_id`;

function fromRow(row: LedgerRow): LedgerDelivery {
  const approvedOre = Number(row.approvedOre);
  if (!Number.isSafeInteger(approvedOre)) throw new RangeError(`approved amount ${row.approvedOre} is beyond the safe integer range`);
  return { ...row, approvedOre };
}

/**
 * The invoices module's ledger of approved deliveries, for the modules above it: what a month bills
 * to each supplier, which deliveries a statement holds, and the approved expenses of a period.
 */
@Injectable()
export class DeliveryLedgerService {
  /**
   * Suppliers with something to bill in the month: approved sessions dated in it and not on a final
   * statement, approved credits of sessions on final statements, or a draft statement to rebuild.
   */
  async suppliersToBill(manager: EntityManager, month: CalendarMonth): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT DISTINCT supplier_id AS id FROM (
         SELECT d.supplier_id FROM delivery d
          WHERE d.kind = 'session' AND d.status IN ('approved', 'partly_approved') AND d.delivered_on BETWEEN $1 AND $2 AND NOT ${ON_FINAL_STATEMENT('d')}
         UNION
         SELECT c.supplier_id ${CREDIT_FROM} WHERE ${CREDIT_WHERE}
         UNION
         SELECT supplier_id FROM statement WHERE month = $3 AND status = 'draft'
       ) AS s ORDER BY 1`,
      [firstDayOfMonth(month), lastDayOfMonth(month), month],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** What the month bills to one supplier, not yet on any statement. */
  async billable(manager: EntityManager, supplierId: string, month: CalendarMonth): Promise<LedgerDelivery[]> {
    const sessions = (await manager.query(
      `SELECT ${LEDGER_COLUMNS} ${LEDGER_FROM}
        WHERE d.supplier_id = $1 AND g.supplier_id = $1 AND d.kind = 'session' AND d.status IN ('approved', 'partly_approved')
          AND d.delivered_on BETWEEN $2 AND $3 AND NOT EXISTS (SELECT 1 FROM statement_line l WHERE l.delivery_id = d.id)`,
      [supplierId, firstDayOfMonth(month), lastDayOfMonth(month)],
    )) as LedgerRow[];
    const credits = (await manager.query(
      `SELECT ${LEDGER_COLUMNS.replace(/\bd\./g, 'c.')} ${CREDIT_FROM} JOIN mentor_grant g ON g.id = c.grant_id WHERE ${CREDIT_WHERE} AND c.supplier_id = $3`,
      [firstDayOfMonth(month), lastDayOfMonth(month), supplierId],
    )) as LedgerRow[];
    return [...sessions, ...credits].map(fromRow);
  }

  /** Puts deliveries on a statement. */
  async attach(manager: EntityManager, deliveryIds: string[], statementId: string): Promise<void> {
    await manager.query(`INSERT INTO statement_line (delivery_id, statement_id) SELECT unnest($1::uuid[]), $2`, [deliveryIds, statementId]);
  }

  /** Invoices whose approved deliveries are all on final statements become billed. */
  async markBilled(manager: EntityManager, statementId: string): Promise<number> {
    const [, affected] = (await manager.query(
      `UPDATE invoice i SET status = 'billed', updated_at = now()
        WHERE i.status IN ('approved', 'partly_approved')
          AND i.id IN (SELECT d.invoice_id FROM statement_line l JOIN delivery d ON d.id = l.delivery_id WHERE l.statement_id = $1)
          AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.invoice_id = i.id AND d.status IN ('approved', 'partly_approved') AND NOT ${ON_FINAL_STATEMENT('d')})`,
      [statementId],
    )) as [unknown, number];
    return affected;
  }

  /** Whether any approved expense is dated in the period. */
  async hasApprovedExpenses(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT 1 FROM delivery d WHERE d.status IN ('approved', 'partly_approved', 'credited') AND d.approved_ore IS NOT NULL AND d.delivered_on BETWEEN $1 AND $2 LIMIT 1`,
      [from, to],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Approved expenses dated in a period (credits at the date of the session they correct), for refund claims. */
  async approvedExpenses(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<LedgerDelivery[]> {
    const rows = (await manager.query(
      `SELECT ${LEDGER_COLUMNS} ${LEDGER_FROM}
        WHERE d.status IN ('approved', 'partly_approved', 'credited') AND d.approved_ore IS NOT NULL AND d.delivered_on BETWEEN $1 AND $2`,
      [from, to],
    )) as LedgerRow[];
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

// Approved credit lines of sessions already on a final statement, approved by the end of the month: a correction in a later month.
const CREDIT_FROM = `FROM delivery c JOIN invoice i ON i.id = c.invoice_id JOIN statement_line ol ON ol.delivery_id = c.credits_delivery_id JOIN statement os ON os.id = ol.statement_id`;
const CREDIT_WHERE = `c.kind = 'credit' AND c.status = 'approved' AND NOT EXISTS (SELECT 1 FROM statement_line cl WHERE cl.delivery_id = c.id)
  AND os.status = 'final' AND i.approved_at < ($2::date + 1) AND os.month < to_char($1::date, 'YYYY-MM')`;

/** Whether the delivery (by alias) is on a final statement. */
const ON_FINAL_STATEMENT = (alias: string): string =>
  `EXISTS (SELECT 1 FROM statement_line l JOIN statement s ON s.id = l.statement_id WHERE l.delivery_id = ${alias}.id AND s.status = 'final')`;
