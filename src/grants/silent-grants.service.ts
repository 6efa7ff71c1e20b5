import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { systemActor } from '../common/actor';
import { NotificationEvents, notificationEvent } from '../common/notifications/notification-events';
import type { CalendarDate } from '../common/time/calendar-date';
import { GrantCourseStore, type SilentGrantRow, type WatchedGrant } from './grant-course.store';

export type { SilentGrantRow, WatchedGrant } from './grant-course.store';

/** A grant found silent today, as the silent-grant job (in the invoices module, which knows the sessions) hands it over. */
const JOB = systemActor('silent-grants');

export interface SilentFinding {
  grantId: string;
  reference: string;
  since: CalendarDate;
  weeks: number;
  silentWeeks: number;
}

/**
 * Silent grants (issue 12, 8): the flags the daily job records, one per stretch of silence, each told once to the
 * grant's caseworker; cleared when a session arrives or the grant ends. The caseworker's dashboard and the supplier
 * performance report read them here.
 */
@Injectable()
export class SilentGrantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: GrantCourseStore,
    private readonly events: NotificationEvents,
    private readonly audit: AuditService,
  ) {}

  /** The active grants in their period today, for the job. */
  watched(today: CalendarDate): Promise<WatchedGrant[]> {
    return this.store.watched(this.dataSource.manager, today);
  }

  /**
   * Records today's findings in one transaction: a stretch not flagged before is flagged and told to the caseworker
   * (its key names the grant and the day the silence counts from, so a repeated run tells nobody again); flags of
   * grants no longer silent are cleared. Both are audited as the job's. The number newly flagged.
   */
  async record(today: CalendarDate, findings: readonly SilentFinding[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      let flagged = 0;
      for (const finding of findings) {
        if (!(await this.store.flag(manager, finding.grantId, finding.since, today, finding.weeks))) continue;
        flagged++;
        await this.audit.record(manager, JOB, { action: 'grant.silent_flagged', entityType: 'grant', entityId: finding.grantId, change: { silentSince: finding.since, flaggedOn: today, weeks: finding.weeks } });
        await this.events.publish(manager, [notificationEvent('grant.silent', `${finding.grantId}:${finding.since}`, { grantId: finding.grantId, grantReference: finding.reference, silentWeeks: finding.silentWeeks })]);
      }
      const cleared = await this.store.clear(manager, findings.map((f) => ({ grantId: f.grantId, since: f.since })), today);
      if (cleared.length > 0) {
        await this.audit.recordMany(manager, JOB, cleared.map((c) => ({ action: 'grant.silent_cleared', entityType: 'grant', entityId: c.grantId, change: { silentSince: c.silentSince, clearedOn: today } })));
      }
      return flagged;
    });
  }

  /** The open flags, oldest first: the caseworker's dashboard. */
  open(limit: number): Promise<SilentGrantRow[]> {
    return this.store.open(this.dataSource.manager, limit);
  }

  ofGrant(grantId: string): Promise<SilentGrantRow[]> {
    return this.store.ofGrant(this.dataSource.manager, grantId);
  }

  /** For the supplier performance report: grants flagged silent on a day in from..to, per supplier. */
  silentBySupplier(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<Map<string, number>> {
    return this.store.silentBySupplier(manager, from, to);
  }
}
