import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessScope } from '../common/auth/access-scope';
import type { CalendarDate } from '../common/time/calendar-date';
import { GrantsService, type GrantMeeting, type StatisticsGrantRow } from '../grants/grants.service';
import { CitizensService } from '../grants/citizens.service';
import { GrantAmendmentsService } from '../grants/grant-amendments.service';
import { GrantCourseService } from '../grants/grant-course.service';
import { SilentGrantsService } from '../grants/silent-grants.service';
import type { HolisticPeriod } from './holistic-status.rules';
import { DeliveryLedgerService, type LedgerDelivery } from '../invoices/delivery-ledger.service';
import { InvoicesService } from '../invoices/invoices.service';
import { BudgetYearsService, type BudgetYearDto } from '../refunds/budget-years.service';
import { AgreementsService } from '../suppliers/agreements.service';
import type { Rate } from '../suppliers/rate-card.rules';
import { SuppliersService } from '../suppliers/suppliers.service';
import type { ReportSupplier } from './report-supplier';
import type { InvoiceCounts, MissedContactFinding } from './supplier-performance.rules';
import type { QualityInvoiceQuarter, QualityReportQuarter } from './supplier-quality.rules';

/** A grant as the reports read it: periods, hours and outcome; the citizen by id only, never a name or CPR number. */
export type ReportGrant = GrantMeeting;

/**
 * Everything the reports read, in one place: approved deliveries from the invoices module's ledger, rate
 * cards, suppliers, budget years, invoice counts and weeks without minimum contact through their modules'
 * services, and, for figures no service exposes yet, read-only queries over the grants module's table: grant
 * periods (commitments, granted minutes, course statistics) and the citizen id behind a delivery's grant.
 */
@Injectable()
export class ReportSourcesService {
  constructor(
    private readonly ledger: DeliveryLedgerService,
    private readonly suppliersService: SuppliersService,
    private readonly agreements: AgreementsService,
    private readonly budgetYears: BudgetYearsService,
    private readonly invoices: InvoicesService,
    private readonly grants: GrantsService,
    private readonly silent: SilentGrantsService,
    private readonly course: GrantCourseService,
    private readonly amendments: GrantAmendmentsService,
    private readonly citizens: CitizensService,
  ) {}

  /** Every approved grant started by `until`, with its citizen id and target group at start (the course statistics). */
  statisticsGrants(manager: EntityManager, until: CalendarDate): Promise<StatisticsGrantRow[]> {
    return this.grants.statisticsGrants(manager, until);
  }

  /** Approved mentor changes effective in from..to. */
  mentorChanges(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<Array<{ grantId: string; effectiveFrom: CalendarDate }>> {
    return this.amendments.mentorChanges(manager, from, to);
  }

  /** Birth dates by citizen id, derived from the CPR numbers inside the grants module, for age bands only. */
  birthDates(manager: EntityManager, citizenIds: string[]): Promise<Map<string, CalendarDate>> {
    return this.citizens.birthDatesOf(manager, citizenIds);
  }

  /** Grants flagged silent on a day in from..to, per supplier (the grants module's flags). */
  silentGrants(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<Map<string, number>> {
    return this.silent.silentBySupplier(manager, from, to);
  }

  /** The approved holistic periods that started by `until`, for the seven-month status. */
  holisticPeriods(manager: EntityManager, until: CalendarDate): Promise<HolisticPeriod[]> {
    return this.course.holisticPeriods(manager, until);
  }

  async suppliers(): Promise<ReportSupplier[]> {
    return (await this.suppliersService.list(AccessScope.unrestricted())).map(({ id, name, kind }) => ({ id, name, kind }));
  }

  budgetYear(year: number): Promise<BudgetYearDto | null> {
    return this.budgetYears.get(year);
  }

  /** Approved deliveries and approved credits dated in from..to, excl. VAT (credits negative). */
  approvedDeliveries(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<LedgerDelivery[]> {
    return this.ledger.approvedExpenses(manager, from, to);
  }

  /** Each agreement's rate card, a partnership's default rate included. */
  async rateCards(manager: EntityManager, agreementIds: string[]): Promise<Map<string, Rate[]>> {
    const terms = await this.agreements.invoicingTerms(manager, [...new Set(agreementIds)]);
    return new Map([...terms].map(([id, term]) => [id, term.rates]));
  }

  /** Active and ended grants whose period (to the day it ended, when ended) meets from..to. */
  grantsMeeting(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<ReportGrant[]> {
    return this.grants.grantsMeeting(manager, from, to);
  }

  /** The citizen id behind each delivery, through its grant. */
  async citizenIdsOf(manager: EntityManager, deliveries: Array<Pick<LedgerDelivery, 'deliveryId' | 'grantReference'>>): Promise<Map<string, string>> {
    const byReference = await this.grants.citizenIdsByReference(manager, deliveries.map((d) => d.grantReference));
    return new Map(deliveries.flatMap((d) => (byReference.has(d.grantReference) ? [[d.deliveryId, byReference.get(d.grantReference) as string] as const] : [])));
  }

  /** Per supplier: invoices and credit notes issued in from..to (drafts left out) with their error and warning counts (invoice and lines). */
  invoiceCounts(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<InvoiceCounts[]> {
    return this.invoices.issuedCounts(manager, from, to);
  }

  /** The weeks of the year without minimum contact, per supplier and grant: the invoices module's contact-gap rows (drafts and rejected invoices have none). */
  missedContactFindings(manager: EntityManager, year: number): Promise<MissedContactFinding[]> {
    return this.invoices.contactGapsOfYear(manager, year);
  }

  /** Per supplier and quarter of the issue date: findings and session minutes invoiced, decided and approved. */
  invoiceQuality(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<QualityInvoiceQuarter[]> {
    return this.invoices.quarterQuality(manager, from, to);
  }

  /** Per supplier and quarter of the due date: progress reports due and how many came late. */
  progressReports(manager: EntityManager, from: CalendarDate, to: CalendarDate): Promise<QualityReportQuarter[]> {
    return this.grants.progressReportCounts(manager, from, to);
  }
}
