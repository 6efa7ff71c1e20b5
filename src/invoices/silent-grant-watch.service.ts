import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/time/clock';
import { SilentGrantsService, type SilentFinding } from '../grants/silent-grants.service';
import { silence, silentAfterWeeks } from '../grants/silent-grant.rules';
import { minimumContactEveryWeeks } from '../rules/rule-set';
import { RulesService } from '../rules/rules.service';
import { GrantUsageService } from './grant-usage.service';

/**
 * The daily look for silent grants: every active grant in its period, its last delivered session (this module's
 * deliveries, through GrantUsageService), and the weeks of silence its contact rule allows under the rule set in
 * force on its start. The grants module records the flags and tells the caseworkers.
 */
@Injectable()
export class SilentGrantWatch {
  private readonly logger = new Logger('SilentGrantWatch');

  constructor(
    private readonly silentGrants: SilentGrantsService,
    private readonly usage: GrantUsageService,
    private readonly rules: RulesService,
    private readonly clock: Clock,
  ) {}

  /** Flags today's silent grants and clears the rest; the number newly flagged. */
  async run(): Promise<number> {
    const today = this.clock.today();
    const grants = await this.silentGrants.watched(today);
    const last = await this.usage.lastSessions(grants.map((g) => g.id), today);
    const snapshot = await this.rules.snapshot();
    const findings: SilentFinding[] = [];
    for (const grant of grants) {
      const ruleSet = snapshot.valuesOn(grant.start);
      const weeks = silentAfterWeeks(ruleSet.silentGrantWeeks, minimumContactEveryWeeks(ruleSet, grant.targetGroupAtStart, grant.mentorType));
      const found = silence({ activeFrom: grant.activeFrom, lastSession: last.get(grant.id) ?? null, today, weeks });
      if (found.silent) findings.push({ grantId: grant.id, reference: grant.reference, since: found.since, weeks, silentWeeks: found.silentWeeks });
    }
    const flagged = await this.silentGrants.record(today, findings);
    if (flagged > 0) this.logger.log({ day: today, watched: grants.length, silent: findings.length, flagged }, 'silent grants flagged');
    return flagged;
  }
}
