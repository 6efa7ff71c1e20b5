import { Injectable } from '@nestjs/common';
import type { CalendarDate } from '../common/time/calendar-date';
import type { GrantWeeks, ReportFacts } from './agreement-kpi.rules';

/** A grant running under an agreement (proposed, sent back or active), as a termination lists it. */
export interface RunningGrant {
  id: string;
  reference: string;
  status: string;
  start: CalendarDate;
  end: CalendarDate;
}

/** A grant as an ad-hoc purchase links to it: its supplier must be the purchase's. */
export interface GrantLink {
  id: string;
  reference: string;
  supplierId: string;
}

export interface AgreementGrantsLookup {
  /** The grants under the agreement that are not ended, by start. */
  runningUnder(agreementId: string): Promise<RunningGrant[]>;
  /** The grant with this id or reference, or null. */
  grantOf(key: { id: string } | { reference: string }): Promise<GrantLink | null>;
}

/**
 * The suppliers module sits below grants and cannot call it; the grants module hands its lookup in here when it
 * starts (grants/agreement-grants.bridge.ts). Until then no grant is known to run.
 */
@Injectable()
export class AgreementGrantsDirectory implements AgreementGrantsLookup {
  private lookup: AgreementGrantsLookup | null = null;

  provide(lookup: AgreementGrantsLookup): void {
    this.lookup = lookup;
  }

  runningUnder(agreementId: string): Promise<RunningGrant[]> {
    return this.lookup ? this.lookup.runningUnder(agreementId) : Promise.resolve([]);
  }

  grantOf(key: { id: string } | { reference: string }): Promise<GrantLink | null> {
    return this.lookup ? this.lookup.grantOf(key) : Promise.resolve(null);
  }
}

export interface AgreementUsageLookup {
  /** Minutes delivered under the agreement from..to (both included), by every grant under it. */
  minutesDelivered(agreementId: string, from: CalendarDate, to: CalendarDate): Promise<number>;
  /** What the agreement's KPIs are measured from: each approved grant's weeks and the progress reports. */
  kpiFacts(agreementId: string, today: CalendarDate): Promise<{ grants: GrantWeeks[]; reports: ReportFacts }>;
  /** The approved amount (øre excl. VAT, credits subtracted) of the deliveries on each grant; a grant without any is 0. */
  approvedOreOnGrants(grantIds: string[]): Promise<Map<string, number>>;
}

/** The minutes delivered under an agreement, handed in by the invoices module (invoices/agreement-usage.bridge.ts). */
@Injectable()
export class AgreementUsageDirectory implements AgreementUsageLookup {
  private lookup: AgreementUsageLookup | null = null;

  provide(lookup: AgreementUsageLookup): void {
    this.lookup = lookup;
  }

  minutesDelivered(agreementId: string, from: CalendarDate, to: CalendarDate): Promise<number> {
    return this.lookup ? this.lookup.minutesDelivered(agreementId, from, to) : Promise.resolve(0);
  }

  kpiFacts(agreementId: string, today: CalendarDate): Promise<{ grants: GrantWeeks[]; reports: ReportFacts }> {
    return this.lookup ? this.lookup.kpiFacts(agreementId, today) : Promise.resolve({ grants: [], reports: { submitted: 0, late: 0, overdue: 0 } });
  }

  approvedOreOnGrants(grantIds: string[]): Promise<Map<string, number>> {
    return this.lookup ? this.lookup.approvedOreOnGrants(grantIds) : Promise.resolve(new Map(grantIds.map((id) => [id, 0])));
  }
}
