import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessScope } from '../common/auth/access-scope';
import { addDays, compareDates, isoWeekOf, mondayOf, sundayOf, type CalendarDate } from '../common/time/calendar-date';

export interface WeekUsage {
  /** ISO week key, e.g. 2026-W45. */
  week: string;
  monday: CalendarDate;
  sunday: CalendarDate;
  /** Minutes delivered on the grant in the week. */
  minutes: number;
}

export interface GrantWeekUsage {
  grantId: string;
  weeks: WeekUsage[];
}

/**
 * How much of each grant's weekly minutes is already used: the minutes of its session deliveries per ISO
 * week (Monday–Sunday), counting every delivery that still claims time (drafts and pending lines too)
 * and none that is rejected or credited, as the week rule of invoice validation does.
 */
@Injectable()
export class GrantUsageService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Minutes per grant per ISO week over the whole weeks touching from..to, every week present (0 when
   * nothing was delivered). A supplier user counts only its own deliveries.
   */
  async weekUsage(grantIds: string[], from: CalendarDate, to: CalendarDate, scope: AccessScope): Promise<GrantWeekUsage[]> {
    const first = mondayOf(from);
    const last = sundayOf(to);
    const mondays: CalendarDate[] = [];
    for (let monday = first; compareDates(monday, last) <= 0; monday = addDays(monday, 7)) mondays.push(monday);
    const ids = [...new Set(grantIds)];
    if (ids.length === 0 || mondays.length === 0) return [];
    const params: unknown[] = [ids, first, last];
    if (scope.isSupplier) params.push(scope.supplierId);
    const rows = (await this.dataSource.query(
      `SELECT d.grant_id AS "grantId", d.delivered_on::text AS date, sum(d.minutes)::int AS minutes
         FROM delivery d
        WHERE d.grant_id = ANY($1::uuid[]) AND d.delivered_on BETWEEN $2 AND $3 AND d.kind = 'session'
          AND d.status NOT IN ('rejected', 'credited') ${scope.isSupplier ? 'AND d.supplier_id = $4' : ''}
        GROUP BY d.grant_id, d.delivered_on`,
      params,
    )) as Array<{ grantId: string; date: CalendarDate; minutes: number }>;
    // Weeks are bucketed by the one calendar helper, not by the database's week functions.
    const used = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.grantId}|${mondayOf(row.date)}`;
      used.set(key, (used.get(key) ?? 0) + row.minutes);
    }
    return ids.map((grantId) => ({
      grantId,
      weeks: mondays.map((monday) => ({ week: isoWeekOf(monday).key, monday, sunday: addDays(monday, 6), minutes: used.get(`${grantId}|${monday}`) ?? 0 })),
    }));
  }
}
