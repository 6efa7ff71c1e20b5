import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { addDays, isCalendarDate, maxDate, minDate, type CalendarDate } from '../common/time/calendar-date';
import { GrantsService, type GrantInvoicingFacts } from '../grants/grants.service';
import { GrantAmendmentsService } from '../grants/grant-amendments.service';
import type { MinutesStep } from '../grants/grant-amendment.rules';
import { RulesService } from '../rules/rules.service';
import { AgreementsService, type AgreementInvoicingTerms } from '../suppliers/agreements.service';
import type { Rate } from '../suppliers/rate-card.rules';
import {
  validateInvoice,
  type AgreementFacts,
  type Delivery,
  type GrantFacts,
  type InvoiceLineInput,
  type InvoiceTotals,
  type InvoiceValidation,
} from './invoice-validation.rules';
import { Clock } from '../common/time/clock';
import { DeliveryStore } from './delivery.store';

export interface ValidationRequest {
  supplierId: string;
  lines: InvoiceLineInput[];
  period: { from: CalendarDate; to: CalendarDate };
  /** The totals as invoiced, checked against the agreement's VAT rate (0 when the supplier is not VAT registered). */
  totals?: Omit<InvoiceTotals, 'vatBasisPoints'>;
  vatRegistered: boolean;
  /** When re-validating a stored invoice: it and its own deliveries are left out of the earlier ones. */
  stored?: { invoiceId: string; seq: string; pendingByAgreement: Map<string, number> };
}

export interface ValidationOutcome {
  validation: InvoiceValidation;
  grants: Map<string, GrantInvoicingFacts>;
  agreements: Map<string, AgreementInvoicingTerms>;
  /** The VAT rate of the invoice: its first agreement's, 0 for a supplier not registered for VAT. */
  vatBasisPoints: number;
}

const DEFAULT_VAT_BASIS_POINTS = 2500;

// Minimum contact looks back a few weeks before the period; week sums need the whole first and last week.
const LOOK_BACK_DAYS = 35;
const LOOK_AHEAD_DAYS = 7;

/**
 * Loads what the invoice rules need (grants, agreements, rates, earlier deliveries, the rule set) in the
 * caller's transaction and runs them. Earlier deliveries are the other invoices' sessions that still
 * count: those received before this invoice and not rejected or credited, and any already approved.
 */
@Injectable()
export class InvoiceFactsService {
  constructor(
    private readonly grants: GrantsService,
    private readonly agreements: AgreementsService,
    private readonly rules: RulesService,
    private readonly clock: Clock,
    private readonly deliveries: DeliveryStore,
    private readonly amendments: GrantAmendmentsService,
  ) {}

  async validate(manager: EntityManager, request: ValidationRequest): Promise<ValidationOutcome> {
    const references = [...new Set(request.lines.map((line) => line.grantReference))];
    const grantList = await this.grants.invoicingFacts(manager, references);
    const grants = new Map(grantList.map((grant) => [grant.reference, grant]));
    const ownGrants = grantList.filter((grant) => grant.supplierId === request.supplierId);
    const agreements = await this.agreements.invoicingTerms(manager, [...new Set(ownGrants.map((grant) => grant.agreementId))]);
    const earlierDeliveries = await this.earlierDeliveries(manager, ownGrants, request);
    const ruleSet = await this.rules.valuesInForce(request.period.to, manager);
    // Each ISO week is held to the minutes in force that week, each line's rate to the level in force on its day.
    const steps = await this.amendments.minutesStepsOf(manager, ownGrants);
    const firstAgreement = ownGrants.length > 0 ? agreements.get(ownGrants[0].agreementId) : undefined;
    const vatBasisPoints = request.vatRegistered ? (firstAgreement?.vatBasisPoints ?? DEFAULT_VAT_BASIS_POINTS) : 0;
    const validation = validateInvoice({
      supplierId: request.supplierId,
      ruleSet,
      lines: request.lines,
      grants: new Map(grantList.map((grant) => [grant.reference, grantFacts(grant, steps.get(grant.id))])),
      agreements: new Map([...agreements.values()].map((terms) => [terms.id, agreementFacts(terms, request.stored?.pendingByAgreement.get(terms.id) ?? 0)])),
      rates: new Map<string, Rate[]>([...agreements.values()].map((terms) => [terms.id, terms.rates])),
      priceCaps: await this.agreements.invoicingPriceCaps(manager),
      earlierDeliveries,
      period: request.period,
      totals: request.totals ? { ...request.totals, vatBasisPoints } : undefined,
      today: this.clock.today(),
    });
    return { validation, grants, agreements, vatBasisPoints };
  }

  private async earlierDeliveries(manager: EntityManager, grants: GrantInvoicingFacts[], request: ValidationRequest): Promise<Delivery[]> {
    if (grants.length === 0) return [];
    const dates = request.lines.map((line) => line.date).filter(isCalendarDate);
    const from = addDays(minDate(request.period.from, ...dates), -LOOK_BACK_DAYS);
    const to = addDays(maxDate(request.period.to, ...dates), LOOK_AHEAD_DAYS);
    const rows = await this.deliveries.earlier(manager, grants.map((grant) => grant.id), from, to, request.stored);
    return rows;
  }
}

function grantFacts(grant: GrantInvoicingFacts, minutesSteps: MinutesStep[] | undefined): GrantFacts {
  return minutesSteps ? { ...grant, minutesSteps } : { ...grant };
}

// Exact, never clamped: the invoice's own pending is in the ceiling ledger; a drift shows in check-ledger instead.
function agreementFacts(terms: AgreementInvoicingTerms, ownPendingOre: number): AgreementFacts {
  return { id: terms.id, validFrom: terms.validFrom, validTo: terms.validTo, ceilingOre: terms.ceilingOre, consumedOre: terms.consumedOre - ownPendingOre };
}
