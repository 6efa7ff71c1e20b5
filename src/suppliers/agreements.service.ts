import { containsPattern, type KeysetPage, type PageRequest } from '../common/web/list-query';
import type { AgreementSort } from './agreement.store';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, diff } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import { NotificationEvents, notificationEvent } from '../common/notifications/notification-events';
import { Clock } from '../common/time/clock';
import { addMonths, compareDates, type CalendarDate } from '../common/time/calendar-date';
import { DATE_WINDOW, isInDateWindow } from '../common/time/date-window';
import { serviceLevelBand, type MentorType } from '../rules/rule-set';
import { RulesService } from '../rules/rules.service';
import { Agreement, AgreementRate, PriceCap, type AgreementKind, type CommitmentPeriod } from './agreement.entity';
import { AgreementRecordsStore } from './agreement-records.store';
import { checkOpenForChange, grantStartRefusals, lastDayOf } from './agreement-term.rules';
import type { AgreementTerms } from './agreement-terms';
import { consumedOre, ledgerDifferences, movesBalance, NO_CONSUMPTION, type CeilingBalance, type CeilingEntry, type LedgerDifference } from './ceiling-ledger.rules';
import { appendCeilingEntries, ceilingBalances } from './ceiling-ledger.store';
import { ceilingMarksReached, ceilingUsePercent } from './ceiling.rules';
import { checkNewRate, rateInForce, withDefaultRate, type Rate } from './rate-card.rules';
import { capInForce, checkNewCap, type Cap } from './price-cap.rules';
import { AgreementStore } from './agreement.store';
import { Supplier } from './supplier.entity';
import { SupplierStore } from './supplier.store';
import { explainConstraint } from './unique-violation';
import { CommonErrorCode } from '../common/errors/common.errors';
import { SuppliersErrorCode } from './suppliers.errors';

export interface CreateAgreementCommand {
  kind: AgreementKind;
  supplierId: string;
  reference: string;
  title: string;
  validFrom: CalendarDate;
  validTo: CalendarDate;
  extensionOptions?: number;
  extensionMonths?: number;
  mentorTypes: MentorType[];
  vatRateBasisPoints?: number;
  ceilingOre?: number;
  defaultMinutesPerWeek?: number;
  defaultRateOre?: number;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  committedMinutes?: number | null;
  commitmentPeriod?: CommitmentPeriod | null;
}

export interface UpdateAgreementCommand {
  title?: string;
  validTo?: CalendarDate;
  active?: boolean;
  extensionOptions?: number;
  extensionMonths?: number;
  mentorTypes?: MentorType[];
  vatRateBasisPoints?: number;
  ceilingOre?: number | null;
  defaultMinutesPerWeek?: number | null;
  defaultRateOre?: number | null;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  committedMinutes?: number | null;
  commitmentPeriod?: CommitmentPeriod | null;
}

/** What invoice validation needs of an agreement: validity, ceiling use, VAT and the rate card. */
export interface AgreementInvoicingTerms {
  id: string;
  supplierId: string;
  kind: AgreementKind;
  validFrom: CalendarDate;
  validTo: CalendarDate;
  ceilingOre: number | null;
  /** Approved plus pending spending on the agreement. */
  consumedOre: number;
  vatBasisPoints: number;
  /** The rate card, with a partnership's default rate for every mentor type and level the card leaves out. */
  rates: Rate[];
}

export interface AgreementFilter {
  supplierId?: string;
  kind?: AgreementKind;
  activeOn?: CalendarDate;
}

export interface CreateRateCommand {
  mentorType: MentorType;
  serviceLevel: number;
  validFrom: CalendarDate;
  validTo?: CalendarDate | null;
  rateOre: number;
}

export interface CreatePriceCapCommand {
  mentorType: MentorType;
  serviceLevel: number;
  validFrom: CalendarDate;
  rateOre: number;
}

/** An agreement with its ceiling use: the balances of its ceiling ledger. */
export type AgreementWithUse = Agreement & { consumedApprovedOre: number; consumedPendingOre: number };

/** A difference between an agreement's ceiling ledger and its deliveries, with the agreement's reference. */
export type CeilingLedgerDifference = LedgerDifference & { reference: string };

type AgreementFields = Omit<Agreement, 'id' | 'createdAt' | 'updatedAt' | 'extensionsUsed' | 'status' | 'terminatedOn' | 'terminationReason'>;

// A framework agreement is made with a mentor supplier, another municipal department or an education institution.
const SUPPLIER_KINDS_OF: Record<AgreementKind, ReadonlyArray<Supplier['kind']>> = { framework: ['mentor_supplier', 'internal', 'education_institution'], partnership: ['partner_company'] };

/** A period's rate per hour (øre, excl. VAT); `validTo` null: until further notice. */
export interface ScheduledRate {
  validFrom: CalendarDate;
  validTo: CalendarDate | null;
  rateOre: number;
}

/** The rates of one mentor type and level on an agreement's card, and the default rate when the card has none in force. */
export interface RateSchedule {
  rates: ScheduledRate[];
  fallback: ScheduledRate | null;
}

@Injectable()
export class AgreementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly rules: RulesService,
    private readonly store: AgreementStore,
    private readonly suppliers: SupplierStore,
    private readonly clock: Clock,
    private readonly notifications: NotificationEvents,
    private readonly records: AgreementRecordsStore,
  ) {}

  async list(filter: AgreementFilter, scope: AccessScope): Promise<AgreementWithUse[]> {
    return this.withUse(this.dataSource.manager, await this.store.list(this.dataSource.manager, filter, scope));
  }

  /** A page of agreements: `q` part of the reference, title or supplier name; a supplier user sees its own only. */
  async page(q: string | null, request: PageRequest<AgreementSort>, scope: AccessScope): Promise<KeysetPage<AgreementWithUse>> {
    const page = await this.store.page(this.dataSource.manager, scope, q === null ? null : containsPattern(q), request);
    return { ...page, items: await this.withUse(this.dataSource.manager, page.items) };
  }

  /** The agreement if the scope may see it; another supplier's agreement is not found. */
  async get(id: string, scope: AccessScope): Promise<AgreementWithUse> {
    const agreement = await this.store.findById(this.dataSource.manager, id);
    if (!agreement || !scope.canSee(agreement.supplierId)) throw DomainException.notFound('Agreement');
    return (await this.withUse(this.dataSource.manager, [agreement]))[0];
  }

  rates(agreementId: string): Promise<AgreementRate[]> {
    return this.store.rates(this.dataSource.manager, agreementId);
  }

  async create(command: CreateAgreementCommand, actor: Actor): Promise<AgreementWithUse> {
    const values: AgreementFields = {
      kind: command.kind,
      supplierId: command.supplierId,
      reference: command.reference.trim(),
      title: command.title.trim(),
      validFrom: command.validFrom,
      validTo: command.validTo,
      extensionOptions: command.extensionOptions ?? 0,
      extensionMonths: command.extensionMonths ?? 0,
      mentorTypes: [...new Set(command.mentorTypes)],
      vatRateBasisPoints: command.vatRateBasisPoints ?? 2500,
      ceilingOre: command.ceilingOre ?? null,
      defaultMinutesPerWeek: command.defaultMinutesPerWeek ?? null,
      defaultRateOre: command.defaultRateOre ?? null,
      active: true,
      contactName: blankToNull(command.contactName),
      contactEmail: blankToNull(command.contactEmail),
      contactPhone: blankToNull(command.contactPhone),
      committedMinutes: command.committedMinutes ?? null,
      commitmentPeriod: command.commitmentPeriod ?? null,
    };
    assertCoherent(values, 0);
    const id = await this.dataSource.transaction(async (manager) => {
      const supplier = await this.suppliers.findById(manager, values.supplierId);
      if (!supplier) throw DomainException.rule('The supplier does not exist', [{ field: 'supplierId', rule: CommonErrorCode.Exists, message: 'no supplier has this id' }]);
      if (!SUPPLIER_KINDS_OF[values.kind].includes(supplier.kind)) {
        throw DomainException.rule('The supplier is of the wrong kind for this agreement', [
          {
            field: 'supplierId',
            rule: SuppliersErrorCode.SupplierKind,
            message: `a ${values.kind} agreement needs a supplier of kind ${SUPPLIER_KINDS_OF[values.kind].join(' or ')}, this one is ${supplier.kind}`,
            values: { agreementKind: values.kind, supplierKind: supplier.kind },
          },
        ]);
      }
      if (supplier.kind === 'internal' && values.vatRateBasisPoints !== 0) {
        if (command.vatRateBasisPoints !== undefined) {
          throw DomainException.rule('An internal supplier is settled internally', [{ field: 'vatRateBasisPoints', rule: SuppliersErrorCode.InternalSupplierNoVat, message: 'an agreement with an internal supplier has no VAT' }]);
        }
        values.vatRateBasisPoints = 0;
      }
      if (!supplier.active) {
        throw DomainException.rule('The supplier is deactivated', [
          { field: 'supplierId', rule: SuppliersErrorCode.SupplierDeactivated, message: `the supplier ${supplier.name} is deactivated; it gets no new agreements or grants`, values: { supplier: supplier.name } },
        ]);
      }
      let saved: Agreement;
      try {
        saved = await this.store.insert(manager, values);
      } catch (error) {
        explainConstraint(error, { agreement_reference_key: 'reference' }, { agreement_supplier_id_fkey: 'supplierId' });
      }
      await this.audit.record(manager, actor, { action: 'agreement.created', entityType: 'agreement', entityId: saved.id, change: { ...values } });
      return saved.id;
    });
    return this.loadOrFail(this.dataSource.manager, id);
  }

  async update(id: string, command: UpdateAgreementCommand, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const agreement = await this.store.findById(manager, id, true);
      if (!agreement) throw DomainException.notFound('Agreement');
      const closed = checkOpenForChange(agreement, this.clock.today());
      if (closed.length > 0) throw DomainException.rule('The agreement takes no more changes', closed);
      const before = editable(agreement);
      const after = { ...before };
      for (const [key, value] of Object.entries(command)) {
        if (value === undefined) continue;
        (after as Record<string, unknown>)[key] = key === 'mentorTypes' ? [...new Set(value as string[])] : CONTACT_FIELDS.has(key) ? blankToNull(value as string | null) : value;
      }
      assertCoherent({ ...agreement, ...after }, agreement.extensionsUsed);
      const change = diff(before, after);
      if (Object.keys(change).length === 0) return;
      await this.store.update(manager, id, after);
      await this.records.appendHistory(manager, id, 'edited', change, actor);
      await this.audit.record(manager, actor, { action: 'agreement.updated', entityType: 'agreement', entityId: id, change });
    });
  }

  /** Uses one option to extend: validTo moves extensionMonths months on. */
  async useExtension(id: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const agreement = await this.store.findById(manager, id, true);
      if (!agreement) throw DomainException.notFound('Agreement');
      const closed = checkOpenForChange(agreement, this.clock.today());
      if (closed.length > 0) throw DomainException.rule('The agreement takes no more changes', closed);
      if (agreement.extensionsUsed >= agreement.extensionOptions || agreement.extensionMonths <= 0) {
        throw DomainException.rule('The agreement has no extension option left', [
          {
            rule: SuppliersErrorCode.ExtensionOptionsExhausted,
            message: `all ${agreement.extensionOptions} extension options are used`,
            values: { extensionOptions: agreement.extensionOptions, extensionsUsed: agreement.extensionsUsed, extensionMonths: agreement.extensionMonths },
          },
        ]);
      }
      const validTo = addMonths(agreement.validTo, agreement.extensionMonths);
      const extensionsUsed = agreement.extensionsUsed + 1;
      await this.store.update(manager, id, { validTo, extensionsUsed });
      const change = { validTo: { from: agreement.validTo, to: validTo }, extensionsUsed: { from: agreement.extensionsUsed, to: extensionsUsed } };
      await this.records.appendHistory(manager, id, 'extended', change, actor);
      await this.audit.record(manager, actor, { action: 'agreement.extended', entityType: 'agreement', entityId: id, change });
    });
  }

  /** Adds a rate to the card; the agreement row is locked so two concurrent additions cannot overlap. */
  async addRate(agreementId: string, command: CreateRateCommand, actor: Actor): Promise<AgreementRate> {
    const candidate = { mentorType: command.mentorType, serviceLevel: command.serviceLevel, validFrom: command.validFrom, validTo: command.validTo ?? null, rateOre: command.rateOre };
    const ruleValues = await this.rules.valuesInForce(candidate.validFrom);
    return this.dataSource.transaction(async (manager) => {
      const agreement = await this.store.findById(manager, agreementId, true);
      if (!agreement) throw DomainException.notFound('Agreement');
      const problems: ErrorDetail[] = [];
      if (!agreement.mentorTypes.includes(candidate.mentorType)) {
        problems.push({ field: 'mentorType', rule: SuppliersErrorCode.MentorTypeCovered, message: `the agreement does not cover mentor type ${candidate.mentorType}`, values: { mentorType: candidate.mentorType } });
      }
      if (serviceLevelBand(ruleValues, candidate.serviceLevel) === null) {
        problems.push({ field: 'serviceLevel', rule: SuppliersErrorCode.ServiceLevelExists, message: `service level ${candidate.serviceLevel} is not defined in the rule set in force on ${candidate.validFrom}`, values: { serviceLevel: candidate.serviceLevel } });
      }
      const existing = await this.store.rateCard(manager, agreementId);
      const cap = await this.store.capInForce(manager, candidate.mentorType, candidate.serviceLevel, candidate.validFrom);
      problems.push(...checkNewRate(existing, candidate, cap?.rateOre ?? null));
      if (problems.length > 0) throw DomainException.rule('The rate cannot be added to the rate card', problems);
      const saved = await this.store.insertRate(manager, { agreementId, ...candidate });
      await this.audit.record(manager, actor, { action: 'agreement_rate.created', entityType: 'agreement', entityId: agreementId, change: { rateId: saved.id, ...candidate } });
      return saved;
    });
  }

  listPriceCaps(): Promise<PriceCap[]> {
    return this.store.priceCaps(this.dataSource.manager);
  }

  /**
   * Adds a price cap. A cap below a rate that was already in force on a day the cap would cover is refused (it
   * may have been invoiced); below a rate only from a later day it is accepted, and that rate is flagged.
   */
  async addPriceCap(command: CreatePriceCapCommand, actor: Actor): Promise<PriceCap> {
    return this.dataSource.transaction(async (manager) => {
      const rates = await this.store.ratesOfLevel(manager, command.mentorType, command.serviceLevel);
      const problems = checkNewCap(await this.store.priceCaps(manager), command, rates, this.clock.today());
      if (problems.length > 0) throw DomainException.rule('The price cap is below a rate that may already have been invoiced', problems);
      let saved: PriceCap;
      try {
        saved = await this.store.insertPriceCap(manager, { ...command });
      } catch (error) {
        explainConstraint(error, { price_cap_mentor_type_service_level_valid_from_key: 'validFrom' });
      }
      await this.audit.record(manager, actor, { action: 'price_cap.created', entityType: 'price_cap', entityId: saved.id, change: { ...command } });
      return saved;
    });
  }

  /** The price caps, for invoice validation, read in the caller's transaction. */
  invoicingPriceCaps(manager: EntityManager): Promise<Cap[]> {
    return this.store.priceCaps(manager);
  }

  /** Each supplier's prices per mentor type and level on a date, from its active agreements in force; flagged where a cap lies below. */
  async pricesInForce(supplierIds: string[], date: CalendarDate): Promise<Map<string, Array<Rate & { capOre: number | null }>>> {
    const [rows, caps] = await Promise.all([this.store.pricesInForce(this.dataSource.manager, supplierIds, date), this.store.priceCaps(this.dataSource.manager)]);
    const prices = new Map<string, Array<Rate & { capOre: number | null }>>();
    for (const { supplierId, ...rate } of rows) {
      const cap = capInForce(caps, rate.mentorType, rate.serviceLevel, date);
      prices.set(supplierId, [...(prices.get(supplierId) ?? []), { ...rate, capOre: cap !== null && cap.rateOre < rate.rateOre ? cap.rateOre : null }]);
    }
    return prices;
  }

  /** What the grants module needs of an agreement, or null when there is none. */
  async termsFor(agreementId: string): Promise<AgreementTerms | null> {
    const agreement = await this.store.findById(this.dataSource.manager, agreementId);
    if (!agreement) return null;
    const supplier = await this.suppliers.findById(this.dataSource.manager, agreement.supplierId);
    if (!supplier) return null;
    return {
      id: agreement.id,
      supplierId: agreement.supplierId,
      supplierName: supplier.name,
      supplierCvr: supplier.cvr,
      kind: agreement.kind,
      reference: agreement.reference,
      title: agreement.title,
      validFrom: agreement.validFrom,
      validTo: agreement.validTo,
      mentorTypes: agreement.mentorTypes,
      active: agreement.active,
      defaultMinutesPerWeek: agreement.defaultMinutesPerWeek,
    };
  }

  /**
   * Why a grant may not start on `start` under the agreement (asked by the grants module when a grant is
   * proposed and when it is approved): the agreement is terminated before that day, or its supplier is deactivated.
   */
  async grantStartRefusals(agreementId: string, start: CalendarDate): Promise<ErrorDetail[]> {
    const agreement = await this.store.findById(this.dataSource.manager, agreementId);
    if (!agreement) return [];
    const supplier = await this.suppliers.findById(this.dataSource.manager, agreement.supplierId);
    return grantStartRefusals(agreement, supplier ?? { name: '?', active: false }, start);
  }

  /**
   * The agreed price per hour in øre for a mentor type and level on a date: the rate card's rate in force, or for a
   * partnership without a card rate its default rate (inside the agreement's validity); null when there is none.
   */
  async rateFor(agreementId: string, mentorType: MentorType, serviceLevel: number, date: CalendarDate): Promise<number | null> {
    const agreement = await this.store.findById(this.dataSource.manager, agreementId);
    if (!agreement || !agreement.mentorTypes.includes(mentorType)) return null;
    const rate = rateInForce(await this.rates(agreementId), mentorType, serviceLevel, date);
    if (rate) return rate.rateOre;
    const withinAgreement = compareDates(agreement.validFrom, date) <= 0 && compareDates(date, agreement.validTo) <= 0;
    if (agreement.kind === 'partnership' && agreement.defaultRateOre !== null && withinAgreement) return agreement.defaultRateOre;
    return null;
  }

  /**
   * The rates a grant's lines are priced at, for a form to suggest the rate of a line by its date: the card's
   * rates for the mentor type and level, and a partnership's default rate over the agreement's validity, which
   * applies on a day no card rate is in force (as `rateFor`). Empty when the agreement does not cover the type.
   */
  async rateSchedule(agreementId: string, mentorType: MentorType, serviceLevel: number): Promise<RateSchedule> {
    const agreement = await this.store.findById(this.dataSource.manager, agreementId);
    if (!agreement || !agreement.mentorTypes.includes(mentorType)) return { rates: [], fallback: null };
    const rates = (await this.rates(agreementId))
      .filter((rate) => rate.mentorType === mentorType && rate.serviceLevel === serviceLevel)
      .map((rate) => ({ validFrom: rate.validFrom, validTo: rate.validTo, rateOre: rate.rateOre }));
    const fallback = agreement.kind === 'partnership' && agreement.defaultRateOre !== null ? { validFrom: agreement.validFrom, validTo: agreement.validTo, rateOre: agreement.defaultRateOre } : null;
    return { rates, fallback };
  }

  /** The invoicing terms of these agreements, read in the caller's transaction. */
  async invoicingTerms(manager: EntityManager, agreementIds: string[]): Promise<Map<string, AgreementInvoicingTerms>> {
    const terms = new Map<string, AgreementInvoicingTerms>();
    if (agreementIds.length === 0) return terms;
    const agreements = await this.store.findByIds(manager, agreementIds);
    const rates = await this.store.ratesOf(manager, agreementIds);
    const balances = await ceilingBalances(manager, agreementIds);
    for (const a of agreements) {
      const card = rates.filter((rate) => rate.agreementId === a.id);
      terms.set(a.id, {
        id: a.id,
        supplierId: a.supplierId,
        kind: a.kind,
        validFrom: a.validFrom,
        // A terminated agreement is invoiced up to its termination date.
        validTo: lastDayOf(a),
        ceilingOre: a.ceilingOre,
        consumedOre: consumedOre(balances.get(a.id) ?? NO_CONSUMPTION),
        vatBasisPoints: a.vatRateBasisPoints,
        rates: a.kind === 'partnership' && a.defaultRateOre !== null ? withDefaultRate(card, a.mentorTypes, a.defaultRateOre, a.validFrom, a.validTo) : card,
      });
    }
    return terms;
  }

  /**
   * Moves agreements' ceiling use by appending to their ceiling ledger, in the caller's transaction: pending
   * when an invoice is submitted, released and approved when it is approved, released when it is rejected,
   * approved down when a credit note is approved. Entries that move nothing are not written.
   */
  async recordConsumption(manager: EntityManager, entries: readonly CeilingEntry[]): Promise<void> {
    const moving = entries.filter(movesBalance);
    if (moving.length === 0) return;
    const ids = [...new Set(moving.map((entry) => entry.agreementId))];
    const before = await ceilingBalances(manager, ids);
    await appendCeilingEntries(manager, moving);
    await this.tellCeilingMarks(manager, ids, before);
  }

  /** Procurement is told when a framework agreement's use passes a warning mark or the ceiling (once per mark and ceiling). */
  private async tellCeilingMarks(manager: EntityManager, ids: string[], before: Map<string, CeilingBalance>): Promise<void> {
    const framework = (await this.store.findByIds(manager, ids)).filter((agreement) => agreement.ceilingOre !== null);
    if (framework.length === 0) return;
    const after = await ceilingBalances(manager, framework.map((agreement) => agreement.id));
    const marks = (await this.rules.valuesInForce(this.clock.today(), manager)).ceilingWarningPercents;
    const events = framework.flatMap((agreement) => {
      const used = consumedOre(after.get(agreement.id) ?? NO_CONSUMPTION);
      return ceilingMarksReached(agreement.ceilingOre, consumedOre(before.get(agreement.id) ?? NO_CONSUMPTION), used, marks).map((mark) =>
        notificationEvent('ceiling.mark_reached', `${agreement.id}:${agreement.ceilingOre}:${mark}`, { agreementId: agreement.id, agreementReference: agreement.reference, mark, percent: ceilingUsePercent(agreement.ceilingOre, used) ?? 0 }),
      );
    });
    await this.notifications.publish(manager, events);
  }

  /**
   * Every agreement whose ledger balances differ from the sums over its deliveries (as the invoices module
   * computes them, read in the caller's transaction so both sides see one snapshot).
   */
  async ledgerDifferences(manager: EntityManager, fromDeliveries: ReadonlyMap<string, CeilingBalance>): Promise<CeilingLedgerDifference[]> {
    const differences = ledgerDifferences(await ceilingBalances(manager, null), fromDeliveries);
    if (differences.length === 0) return [];
    const references = await this.store.references(manager, differences.map((d) => d.agreementId));
    return differences.map((d) => ({ ...d, reference: references.get(d.agreementId) ?? '?' }));
  }

  private async loadOrFail(manager: EntityManager, id: string): Promise<AgreementWithUse> {
    const agreement = await this.store.findById(manager, id);
    if (!agreement) throw DomainException.notFound('Agreement');
    return (await this.withUse(manager, [agreement]))[0];
  }

  /** The agreements with their ledger balances, summed in one grouped query. */
  private async withUse(manager: EntityManager, agreements: Agreement[]): Promise<AgreementWithUse[]> {
    const balances = await ceilingBalances(manager, agreements.map((a) => a.id));
    return agreements.map((a) => {
      const balance = balances.get(a.id) ?? NO_CONSUMPTION;
      return { ...a, consumedApprovedOre: balance.approvedOre, consumedPendingOre: balance.pendingOre };
    });
  }
}

function editable(a: Agreement): Required<UpdateAgreementCommand> {
  return {
    title: a.title,
    validTo: a.validTo,
    active: a.active,
    extensionOptions: a.extensionOptions,
    extensionMonths: a.extensionMonths,
    mentorTypes: a.mentorTypes,
    vatRateBasisPoints: a.vatRateBasisPoints,
    ceilingOre: a.ceilingOre,
    defaultMinutesPerWeek: a.defaultMinutesPerWeek,
    defaultRateOre: a.defaultRateOre,
    contactName: a.contactName,
    contactEmail: a.contactEmail,
    contactPhone: a.contactPhone,
    committedMinutes: a.committedMinutes,
    commitmentPeriod: a.commitmentPeriod,
  };
}

const CONTACT_FIELDS = new Set(['contactName', 'contactEmail', 'contactPhone']);

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** The rules an agreement's own fields must meet together; throws 422 with every broken one. */
function assertCoherent(a: Pick<Agreement, 'kind' | 'validFrom' | 'validTo' | 'ceilingOre' | 'defaultMinutesPerWeek' | 'defaultRateOre' | 'extensionOptions' | 'committedMinutes' | 'commitmentPeriod'>, extensionsUsed: number): void {
  const problems: ErrorDetail[] = [];
  if ((a.committedMinutes === null) !== (a.commitmentPeriod === null)) {
    problems.push({ field: a.committedMinutes === null ? 'committedMinutes' : 'commitmentPeriod', rule: SuppliersErrorCode.CommitmentWhole, message: 'a committed volume needs both the hours and the period' });
  }
  for (const [field, date] of [['validFrom', a.validFrom], ['validTo', a.validTo]] as const) {
    if (!isInDateWindow(date)) problems.push({ field, rule: CommonErrorCode.DateWindow, message: `${field} must lie from ${DATE_WINDOW.from} to ${DATE_WINDOW.to}, got ${date}`, values: { date, from: DATE_WINDOW.from, to: DATE_WINDOW.to } });
  }
  if (compareDates(a.validTo, a.validFrom) < 0) {
    problems.push({ field: 'validTo', rule: CommonErrorCode.PeriodOrder, message: `the agreement ends on ${a.validTo}, before it starts on ${a.validFrom}`, values: { validFrom: a.validFrom, validTo: a.validTo } });
  }
  if (a.kind !== 'framework' && a.ceilingOre !== null) {
    problems.push({ field: 'ceilingOre', rule: SuppliersErrorCode.CeilingOnlyFramework, message: 'only a framework agreement has a ceiling', values: { kind: a.kind } });
  }
  if (a.kind !== 'partnership' && (a.defaultMinutesPerWeek !== null || a.defaultRateOre !== null)) {
    problems.push({ field: a.defaultRateOre !== null ? 'defaultRateOre' : 'defaultMinutesPerWeek', rule: SuppliersErrorCode.DefaultsOnlyPartnership, message: 'only a partnership agreement has default minutes and rate', values: { kind: a.kind } });
  }
  if (a.extensionOptions < extensionsUsed) {
    problems.push({ field: 'extensionOptions', rule: SuppliersErrorCode.ExtensionOptionsUsed, message: `${extensionsUsed} extension options are already used`, values: { extensionOptions: a.extensionOptions, extensionsUsed } });
  }
  if (problems.length > 0) throw DomainException.rule('The agreement is not coherent', problems);
}
