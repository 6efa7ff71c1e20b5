import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeliveryStore } from './delivery.store';
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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deliveries: DeliveryStore,
  ) {}

  /**
   * Minutes per grant per ISO week over the whole weeks touching from..to, every week present (0 when
   * nothing was delivered). A supplier user counts only its own deliveries.
   */
  /**
   * The last day each grant had a session delivered, by `until`: every session that still claims time counts,
   * drafts of an hour registration and lines not yet decided too (a session is delivered whether or not it was
   * invoiced yet). Grants with none are left out.
   */
  async lastSessions(grantIds: string[], until: CalendarDate): Promise<Map<string, CalendarDate>> {
    const ids = [...new Set(grantIds)];
    if (ids.length === 0) return new Map();
    return this.deliveries.lastSessions(this.dataSource.manager, ids, until);
  }

  async weekUsage(grantIds: string[], from: CalendarDate, to: CalendarDate, scope: AccessScope): Promise<GrantWeekUsage[]> {
    const first = mondayOf(from);
    const last = sundayOf(to);
    const mondays: CalendarDate[] = [];
    for (let monday = first; compareDates(monday, last) <= 0; monday = addDays(monday, 7)) mondays.push(monday);
    const ids = [...new Set(grantIds)];
    if (ids.length === 0 || mondays.length === 0) return [];
    const rows = await this.deliveries.minutesByDay(this.dataSource.manager, ids, first, last, scope.isSupplier ? (scope.supplierId as string) : null);
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

  /** The approved amount on each grant (øre excl. VAT, credits subtracted), summed over its approved deliveries; 0 for a grant without any. */
  async approvedOreOnGrants(grantIds: string[]): Promise<Map<string, number>> {
    const ids = [...new Set(grantIds)];
    const sums = ids.length === 0 ? new Map<string, number>() : await this.deliveries.approvedOreByGrant(this.dataSource.manager, ids);
    return new Map(ids.map((id) => [id, sums.get(id) ?? 0]));
  }

  /** Minutes delivered on these grants from..to (both included), counted as the week rule counts them. */
  async minutesInPeriod(grantIds: string[], from: CalendarDate, to: CalendarDate): Promise<number> {
    const ids = [...new Set(grantIds)];
    if (ids.length === 0) return 0;
    const rows = await this.deliveries.minutesByDay(this.dataSource.manager, ids, from, to, null);
    return rows.filter((row) => compareDates(row.date, from) >= 0 && compareDates(row.date, to) <= 0).reduce((sum, row) => sum + row.minutes, 0);
  }
}
