import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccessScope } from '../common/auth/access-scope';
import type { CalendarDate } from '../common/time/calendar-date';
import { GrantsService } from '../grants/grants.service';
import { AgreementUsageDirectory } from '../suppliers/agreement-grants.directory';
import { GrantUsageService } from './grant-usage.service';

const PAGE = 500;

/** Tells the suppliers module how many minutes were delivered under an agreement (its committed volume's use). */
@Injectable()
export class AgreementUsageBridge implements OnModuleInit {
  constructor(
    private readonly directory: AgreementUsageDirectory,
    private readonly grants: GrantsService,
    private readonly usage: GrantUsageService,
  ) {}

  onModuleInit(): void {
    this.directory.provide({ minutesDelivered: (agreementId, from, to) => this.minutesDelivered(agreementId, from, to) });
  }

  private async minutesDelivered(agreementId: string, from: CalendarDate, to: CalendarDate): Promise<number> {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.grants.list({ agreementId, after, limit: PAGE }, AccessScope.unrestricted());
      ids.push(...page.items.map((grant) => grant.id));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    return this.usage.minutesInPeriod(ids, from, to);
  }
}
