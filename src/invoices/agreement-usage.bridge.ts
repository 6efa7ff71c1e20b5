import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccessScope } from '../common/auth/access-scope';
import type { CalendarDate } from '../common/time/calendar-date';
import type { GrantDto } from '../grants/grants.dto';
import { GrantsService } from '../grants/grants.service';
import { ProgressReportsService } from '../grants/progress-reports.service';
import type { GrantWeeks, ReportFacts } from '../suppliers/agreement-kpi.rules';
import { AgreementUsageDirectory } from '../suppliers/agreement-grants.directory';
import { GrantUsageService } from './grant-usage.service';

const PAGE = 500;

/** Tells the suppliers module what was delivered under an agreement: its committed volume's use and its KPIs. */
@Injectable()
export class AgreementUsageBridge implements OnModuleInit {
  constructor(
    private readonly directory: AgreementUsageDirectory,
    private readonly grants: GrantsService,
    private readonly usage: GrantUsageService,
    private readonly progressReports: ProgressReportsService,
  ) {}

  onModuleInit(): void {
    this.directory.provide({
      minutesDelivered: (agreementId, from, to) => this.minutesDelivered(agreementId, from, to),
      kpiFacts: (agreementId, today) => this.kpiFacts(agreementId, today),
      approvedOreOnGrants: (grantIds) => this.usage.approvedOreOnGrants(grantIds),
    });
  }

  private async minutesDelivered(agreementId: string, from: CalendarDate, to: CalendarDate): Promise<number> {
    return this.usage.minutesInPeriod((await this.grantsUnder(agreementId)).map((grant) => grant.id), from, to);
  }

  /** Each approved grant's weeks with the minutes delivered in them, and its progress reports against its follow-ups. */
  private async kpiFacts(agreementId: string, today: CalendarDate): Promise<{ grants: GrantWeeks[]; reports: ReportFacts }> {
    const approved = (await this.grantsUnder(agreementId)).filter((grant) => grant.status === 'active' || grant.status === 'ended');
    if (approved.length === 0) return { grants: [], reports: { submitted: 0, late: 0, overdue: 0 } };
    const scope = AccessScope.unrestricted();
    const periods = approved.map((grant) => ({ id: grant.id, from: grant.activeFrom ?? grant.start, to: grant.endedOn ?? grant.end }));
    const earliest = periods.reduce((min, p) => (p.from < min ? p.from : min), periods[0].from);
    const usage = new Map((await this.usage.weekUsage(approved.map((grant) => grant.id), earliest, today, scope)).map((u) => [u.grantId, u.weeks]));
    const reports: ReportFacts = { submitted: 0, late: 0, overdue: 0 };
    for (const grant of approved) {
      const submitted = await this.progressReports.list(grant.id, scope);
      reports.submitted += submitted.length;
      reports.late += submitted.filter((report) => report.late).length;
      const detail = await this.grants.get(grant.id, scope);
      reports.overdue += (detail.dueTasks ?? []).filter((task) => task.kind === 'follow_up' && task.state === 'overdue').length;
    }
    return {
      grants: periods.map((p) => ({ from: p.from, to: p.to, minutesByMonday: new Map((usage.get(p.id) ?? []).map((week) => [week.monday, week.minutes])) })),
      reports,
    };
  }

  private async grantsUnder(agreementId: string): Promise<GrantDto[]> {
    const out: GrantDto[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.grants.list({ agreementId, after, limit: PAGE }, AccessScope.unrestricted());
      out.push(...(page.items as GrantDto[]));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    return out;
  }
}
