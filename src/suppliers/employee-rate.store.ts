import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { readOre } from '../common/database/money.transformer';
import { sqlQueries } from '../common/database/sql-queries';
import type { CalendarDate } from '../common/time/calendar-date';
import type { StoredEmployeeRate } from './employee-rate.rules';

const COLUMNS = `id, employee_ref AS "employeeRef", rate_ore::text AS "rateOre", valid_from::text AS "validFrom", valid_to::text AS "validTo"`;

export const EMPLOYEE_RATE_SQL = sqlQueries('suppliers/employee-rate.store', {
  ofAgreement: `SELECT ${COLUMNS} FROM partner_employee_rate WHERE agreement_id = $1 ORDER BY employee_ref, valid_from`,
  insert: `INSERT INTO partner_employee_rate (agreement_id, employee_ref, rate_ore, valid_from, valid_to, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
  // Ends a rate only as it was when checked: a concurrent end makes this a conflict.
  end: `UPDATE partner_employee_rate SET valid_to = $3 WHERE id = $1 AND agreement_id = $2 AND valid_to IS NOT DISTINCT FROM $4`,
});

const Q = EMPLOYEE_RATE_SQL;
type Row = Omit<StoredEmployeeRate, 'rateOre'> & { rateOre: string };

/** Every query on partner_employee_rate. */
@Injectable()
export class EmployeeRateStore {
  async ofAgreement(manager: EntityManager, agreementId: string): Promise<StoredEmployeeRate[]> {
    return ((await manager.query(Q.ofAgreement, [agreementId])) as Row[]).map((row) => ({ ...row, rateOre: readOre(row.rateOre) }));
  }

  async insert(manager: EntityManager, agreementId: string, rate: { employeeRef: string; rateOre: number; validFrom: CalendarDate; validTo: CalendarDate | null }, createdBy: string | null): Promise<string> {
    const rows = (await manager.query(Q.insert, [agreementId, rate.employeeRef, rate.rateOre, rate.validFrom, rate.validTo, createdBy])) as Array<{ id: string }>;
    return rows[0].id;
  }

  async end(manager: EntityManager, agreementId: string, id: string, validTo: CalendarDate, was: CalendarDate | null): Promise<boolean> {
    const [, affected] = (await manager.query(Q.end, [id, agreementId, validTo, was])) as [unknown, number];
    return affected === 1;
  }
}
