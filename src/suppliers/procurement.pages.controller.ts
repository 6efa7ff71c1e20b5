import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { DomainErrorCode, DomainException, type ErrorDetail } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, toErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { formErrorView, type FormErrorView, type FormFields } from '../common/web/form-errors';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { formatHundredths, formatKroner, formatMinutes, parseHundredths, parseKroner } from '../common/web/format';
import { parseForm } from '../common/web/form';
import { pageContext } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { Page } from '../common/web/page.decorator';

import { MENTOR_TYPES, TARGET_GROUPS } from '../rules/rule-set';
import { RulesService } from '../rules/rules.service';
import { AGREEMENT_KINDS, type AgreementRate } from './agreement.entity';
import { CreateAgreementDto, CreateRateDto, EndRateDto, PriceRegulationDto } from './agreements.dto';
import { RateCardService } from './rate-card.service';
import { capBelowRate, type Cap } from './price-cap.rules';
import { ceilingLevel, ceilingUsePercent, ceilingUsePermille } from './ceiling.rules';
import { AgreementsService, type AgreementWithUse } from './agreements.service';
import { SUPPLIER_KINDS } from './supplier.entity';
import { CatalogueQueryDto, CreateSupplierDto, PutCatalogueEntryDto } from './suppliers.dto';
import { SuppliersService } from './suppliers.service';
import { Clock } from '../common/time/clock';
import { CommonErrorCode } from '../common/errors/common.errors';
import type { RuleError } from '../common/errors/rule-error';

type FormBody = Record<string, unknown>;

// The forms' labels of the fields an error can name: the form's own names and the API fields they become.
const SUPPLIER_FIELDS = {
  name: 'suppliers.name',
  cvr: 'suppliers.cvr',
  gln: 'suppliers.gln',
  kind: 'suppliers.kind',
  address: 'suppliers.address',
  postalCode: 'suppliers.postal_code',
  city: 'suppliers.city',
  contactEmail: 'suppliers.contact_email',
  contactPhone: 'suppliers.contact_phone',
} as const;
const CATALOGUE_FIELDS = {
  mentorTypes: 'catalogue.mentor_types',
  targetGroups: 'catalogue.target_groups',
  methods: 'catalogue.methods',
  mentorProfiles: 'catalogue.mentor_profiles',
  contact: 'catalogue.contact',
  mentorType: 'catalogue.mentor_type',
  targetGroup: 'catalogue.target_group',
} as const;
const AGREEMENT_FIELDS = {
  supplierId: 'agreements.supplier',
  kind: 'agreements.kind',
  reference: 'agreements.reference',
  title: 'agreements.title',
  validFrom: 'agreements.valid_from',
  validTo: 'agreements.valid_to',
  mentorTypes: 'agreements.mentor_types',
  ceilingKr: 'agreements.ceiling_kr',
  ceilingOre: 'agreements.ceiling_kr',
  defaultHoursPerWeek: 'agreements.default_hours',
  defaultMinutesPerWeek: 'agreements.default_hours',
  defaultRateKr: 'agreements.default_rate_kr',
  defaultRateOre: 'agreements.default_rate_kr',
  vatPercent: 'agreements.vat_percent',
  vatRateBasisPoints: 'agreements.vat_percent',
} as const;
const REGULATION_FIELDS = {
  effectiveFrom: 'regulation.effective_from',
  percent: 'regulation.percent',
  index: 'regulation.percent',
} as const;
const RATE_FIELDS = {
  mentorType: 'rates.mentor_type',
  serviceLevel: 'rates.level',
  validFrom: 'rates.valid_from',
  validTo: 'rates.valid_to_optional',
  rateKr: 'rates.rate_kr',
  rateOre: 'rates.rate_kr',
} as const;

// Where each form's fields are: the element id of a field name, and the form's name of an API field.
const API_FIELD_OF_FORM = { ceilingOre: 'ceilingKr', defaultMinutesPerWeek: 'defaultHoursPerWeek', defaultRateOre: 'defaultRateKr', vatRateBasisPoints: 'vatPercent', rateOre: 'rateKr', index: 'percent' } as const;
const FORM_FIELDS: Record<'supplier' | 'catalogue' | 'filter' | 'agreement' | 'rate' | 'rate_end' | 'regulation', FormFields> = {
  supplier: { ids: { name: 's-name', cvr: 's-cvr', gln: 's-gln', kind: 's-kind', contactEmail: 's-email', contactPhone: 's-phone', address: 's-address', postalCode: 's-postal', city: 's-city' } },
  catalogue: { ids: { methods: 'c-methods', mentorProfiles: 'c-profiles', contact: 'c-contact' } },
  filter: { ids: { mentorType: 'f-type', targetGroup: 'f-group' } },
  agreement: {
    ids: { kind: 'a-kind', supplierId: 'a-supplier', reference: 'a-reference', title: 'a-title', validFrom: 'a-from', validTo: 'a-to', vatPercent: 'a-vat', ceilingKr: 'a-ceiling', defaultHoursPerWeek: 'a-hours', defaultRateKr: 'a-rate' },
    aliases: API_FIELD_OF_FORM,
  },
  rate: { ids: { mentorType: 'r-type', serviceLevel: 'r-level', validFrom: 'r-from', validTo: 'r-to', rateKr: 'r-rate' }, aliases: API_FIELD_OF_FORM },
  rate_end: { ids: {} },
  regulation: { ids: { effectiveFrom: 'reg-from', percent: 'reg-percent' }, aliases: API_FIELD_OF_FORM },
};


/** Procurement's pages: suppliers and their catalogue entries, agreements with rate cards and ceiling use; the mentor catalogue; a supplier's own agreements. */
@ApiExcludeController()
@Controller()
export class ProcurementPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly suppliers: SuppliersService,
    private readonly agreements: AgreementsService,
    private readonly rules: RulesService,
    private readonly clock: Clock,
    private readonly rateCard: RateCardService,
  ) {}

  /**
   * A refusal in the page's language under the heading of what was tried, each field by the label the form
   * gives it: the summary for the top of the page and each message for beside its field.
   */
  private errorBody(error: DomainException | RuleError, request: Request, tried: keyof typeof FORM_FIELDS, labels: Readonly<Record<string, string>>): FormErrorView & { statusCode: number } {
    const lang = pageContext(request).lang;
    const localized = localizedErrorBody(error, this.catalogues, lang, {
      heading: `procurement.error.${tried}`,
      fieldLabel: (field) => (labels[field] === undefined ? undefined : translate(this.catalogues, lang, labels[field])),
    });
    return { ...formErrorView(toErrorBody(error), localized, FORM_FIELDS[tried]), statusCode: localized.statusCode };
  }

  /** The ceiling warning marks of the rule set in force today (e.g. 80 and 90 %). */
  private async ceilingMarks(): Promise<CeilingMarks> {
    const marks = (await this.rules.valuesInForce(this.clock.today())).ceilingWarningPercents;
    return { marks, warnPercent: Math.min(...marks), alertPercent: Math.max(...marks) };
  }

  // ---- Suppliers -------------------------------------------------------------------------------------------------

  @Get('procurement/suppliers')
  @Roles('procurement', 'admin')
  async suppliersPage(@Req() request: Request, @Res() response: Response, @Query('notice') notice?: string): Promise<void> {
    await this.renderSuppliers(request, response, { notice: notice === 'created' ? 'suppliers.created' : undefined });
  }

  @Post('procurement/suppliers')
  @Roles('procurement', 'admin')
  async createSupplier(@Req() request: Request, @Res() response: Response, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(CreateSupplierDto, body);
      await this.suppliers.create(form, actor);
      response.redirect(303, '/procurement/suppliers?notice=created');
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, request, 'supplier', SUPPLIER_FIELDS);
      await this.renderSuppliers(request, response, { error: errorBody.error, fieldErrors: errorBody.fieldErrors, form: echo(body) }, errorBody.statusCode);
    }
  }

  private async renderSuppliers(request: Request, response: Response, extra: Record<string, unknown>, status = 200): Promise<void> {
    const suppliers = await this.suppliers.list(AccessScope.unrestricted());
    response.status(status).render('pages/procurement/suppliers', {
      ...pageContext(request),
      title: 'suppliers.heading',
      suppliers,
      kinds: SUPPLIER_KINDS,
      form: {},
      ...extra,
    });
  }

  // ---- Catalogue entries -----------------------------------------------------------------------------------------

  @Get('procurement/suppliers/:id/catalogue')
  @Roles('procurement', 'admin')
  async catalogueEntryPage(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Query('notice') notice?: string): Promise<void> {
    await this.renderCatalogueEntry(request, response, id, { notice: notice === 'saved' ? 'catalogue.saved' : undefined });
  }

  @Post('procurement/suppliers/:id/catalogue')
  @Roles('procurement', 'admin')
  async saveCatalogueEntry(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(PutCatalogueEntryDto, catalogueFromForm((body ?? {}) as FormBody), CATALOGUE_TEXTS);
      await this.suppliers.putCatalogueEntry(id, form, actor);
      response.redirect(303, `/procurement/suppliers/${id}/catalogue?notice=saved`);
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.errorBody(error, request, 'catalogue', CATALOGUE_FIELDS);
      await this.renderCatalogueEntry(request, response, id, { error: errorBody.error, fieldErrors: errorBody.fieldErrors, form: echo(body) }, errorBody.statusCode);
    }
  }

  private async renderCatalogueEntry(request: Request, response: Response, id: string, extra: Record<string, unknown>, status = 200): Promise<void> {
    const { supplier, entry } = await this.suppliers.catalogueEntry(id);
    const echoed = extra.form as FormBody | undefined;
    const form = echoed
      ? { mentorTypes: asList(echoed.mentorTypes), targetGroups: asList(echoed.targetGroups), methods: text(echoed, 'methods'), mentorProfiles: text(echoed, 'mentorProfiles'), contact: text(echoed, 'contact') }
      : { mentorTypes: entry?.mentorTypes ?? [], targetGroups: entry?.targetGroups ?? [], methods: entry?.methods ?? '', mentorProfiles: entry?.mentorProfiles ?? '', contact: entry?.contact ?? '' };
    const types = new Set(form.mentorTypes);
    const groups = new Set(form.targetGroups);
    response.status(status).render('pages/procurement/catalogue-entry', {
      ...pageContext(request),
      title: 'catalogue.edit_heading',
      supplier: { id: supplier.id, name: supplier.name, cvr: supplier.cvr, kind: supplier.kind, active: supplier.active },
      updatedAt: entry?.updatedAt ? entry.updatedAt.toISOString().slice(0, 10) : null,
      mentorTypes: MENTOR_TYPES.map((type) => ({ type, checked: types.has(type) })),
      targetGroups: TARGET_GROUPS.map((group) => ({ group, checked: groups.has(group) })),
      ...extra,
      form,
    });
  }

  // ---- The mentor catalogue ---------------------------------------------------------------------------------------

  @Get('catalogue')
  @Roles('caseworker', 'procurement', 'admin')
  async cataloguePage(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const raw = {
      mentorType: typeof query.mentorType === 'string' ? query.mentorType : '',
      targetGroup: typeof query.targetGroup === 'string' ? query.targetGroup : '',
    };
    let error: ErrorBody | undefined;
    let fieldErrors: FormErrorView['fieldErrors'] = {};
    let rows: Awaited<ReturnType<SuppliersService['catalogue']>> = [];
    let prices: Awaited<ReturnType<AgreementsService['pricesInForce']>> = new Map();
    try {
      const filter = await parseForm(CatalogueQueryDto, raw);
      rows = await this.suppliers.catalogue(filter);
      prices = await this.agreements.pricesInForce(rows.map(({ supplier }) => supplier.id), this.clock.today());
    } catch (caught) {
      if (!isRefusal(caught)) throw caught;
      ({ error, fieldErrors } = this.errorBody(caught, request, 'filter', CATALOGUE_FIELDS));
    }
    response.status(error ? error.statusCode : 200).render('pages/procurement/catalogue', {
      ...pageContext(request),
      title: 'catalogue.heading',
      error,
      fieldErrors,
      filters: raw,
      filtered: raw.mentorType !== '' || raw.targetGroup !== '',
      mentorTypeOptions: MENTOR_TYPES.map((value) => ({ value, selected: raw.mentorType === value })),
      targetGroupOptions: TARGET_GROUPS.map((value) => ({ value, selected: raw.targetGroup === value })),
      entries: rows.map(({ supplier, entry }) => ({
        supplierId: supplier.id,
        name: supplier.name,
        kind: supplier.kind,
        mentorTypes: entry.mentorTypes,
        prices: (prices.get(supplier.id) ?? []).map((p) => ({ mentorType: p.mentorType, serviceLevel: p.serviceLevel, rate: formatKroner(p.rateOre), cap: p.capOre === null ? null : formatKroner(p.capOre) })),
        targetGroups: entry.targetGroups,
        methods: entry.methods,
        mentorProfiles: entry.mentorProfiles,
        contact: entry.contact,
        updatedAt: entry.updatedAt.toISOString().slice(0, 10),
      })),
    });
  }

  // ---- Agreements ------------------------------------------------------------------------------------------------

  @Get('procurement/agreements')
  @Roles('procurement', 'admin')
  async agreementsPage(@Req() request: Request, @Res() response: Response, @Query('notice') notice?: string): Promise<void> {
    await this.renderAgreements(request, response, { notice: notice === 'created' ? 'agreements.created' : undefined });
  }

  @Post('procurement/agreements')
  @Roles('procurement', 'admin')
  async createAgreement(@Req() request: Request, @Res() response: Response, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(CreateAgreementDto, agreementFromForm((body ?? {}) as FormBody));
      const agreement = await this.agreements.create(form, actor);
      response.redirect(303, `/procurement/agreements/${agreement.id}?notice=created`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, request, 'agreement', AGREEMENT_FIELDS);
      await this.renderAgreements(request, response, { error: errorBody.error, fieldErrors: errorBody.fieldErrors, form: echo(body) }, errorBody.statusCode);
    }
  }

  private async renderAgreements(request: Request, response: Response, extra: Record<string, unknown>, status = 200): Promise<void> {
    const scope = AccessScope.unrestricted();
    const [agreements, suppliers, marks] = await Promise.all([this.agreements.list({}, scope), this.suppliers.list(scope), this.ceilingMarks()]);
    const supplierNames = new Map(suppliers.map((s) => [s.id, s.name]));
    const form = (extra.form ?? {}) as FormBody;
    const chosenTypes = new Set(asList(form.mentorTypes));
    response.status(status).render('pages/procurement/agreements', {
      ...pageContext(request),
      title: 'agreements.heading',
      agreements: agreements.map((a) => ({ ...agreementRow(a, marks.marks), supplierName: supplierNames.get(a.supplierId) ?? '–' })),
      suppliers: suppliers.filter((s) => s.active).map((s) => ({ id: s.id, name: s.name, cvr: s.cvr, kind: s.kind, selected: s.id === form.supplierId })),
      kinds: AGREEMENT_KINDS.map((kind) => ({ kind, selected: kind === form.kind })),
      mentorTypes: MENTOR_TYPES.map((type) => ({ type, checked: chosenTypes.has(type) })),
      warnPercent: marks.warnPercent,
      alertPercent: marks.alertPercent,
      ...extra,
      form: { vatPercent: '25', ...form },
    });
  }

  @Get('procurement/agreements/:id')
  @Roles('procurement', 'admin')
  async agreementPage(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Query('notice') notice?: string): Promise<void> {
    const notices: Record<string, string> = { created: 'agreements.created', rate_added: 'rates.created', rate_ended: 'rates.ended', regulated: 'regulation.applied' };
    await this.renderAgreement(request, response, id, { notice: notice ? notices[notice] : undefined });
  }

  @Post('procurement/agreements/:id/rates')
  @Roles('procurement', 'admin')
  async addRate(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(CreateRateDto, rateFromForm((body ?? {}) as FormBody));
      await this.agreements.addRate(id, form, actor);
      response.redirect(303, `/procurement/agreements/${id}?notice=rate_added`);
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.errorBody(error, request, 'rate', RATE_FIELDS);
      await this.renderAgreement(request, response, id, { error: errorBody.error, fieldErrors: errorBody.fieldErrors, form: echo(body) }, errorBody.statusCode);
    }
  }

  @Post('procurement/agreements/:id/rates/:rateId/end')
  @Roles('procurement', 'admin')
  async endRate(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Param('rateId', ParseUUIDPipe) rateId: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(EndRateDto, { validTo: text((body ?? {}) as FormBody, 'validTo') });
      await this.rateCard.endRate(id, rateId, form.validTo, actor);
      response.redirect(303, `/procurement/agreements/${id}?notice=rate_ended`);
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.errorBody(error, request, 'rate_end', RATE_FIELDS);
      await this.renderAgreement(request, response, id, { error: errorBody.error, fieldErrors: errorBody.fieldErrors }, errorBody.statusCode);
    }
  }

  /** The confirmation step of a price regulation: what will end and start, nothing stored. */
  @Post('procurement/agreements/:id/price-regulations/preview')
  @Roles('procurement', 'admin')
  async previewRegulation(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<void> {
    const raw = regulationFromForm((body ?? {}) as FormBody);
    try {
      const form = await parseForm(PriceRegulationDto, raw);
      const plan = await this.rateCard.previewRegulation(id, { effectiveFrom: form.effectiveFrom, percent: form.percent });
      const agreement = await this.agreements.get(id, AccessScope.unrestricted());
      response.status(200).render('pages/procurement/price-regulation', {
        ...pageContext(request),
        title: 'regulation.confirm_heading',
        agreement: { id: agreement.id, reference: agreement.reference },
        effectiveFrom: plan.effectiveFrom,
        percent: plan.percent,
        percentShown: (plan.percent ?? '').replace('.', ','),
        lines: plan.lines.map((line) => ({ ...line, oldRate: formatKroner(line.oldRateOre), newRate: formatKroner(line.newRateOre) })),
      });
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.errorBody(error, request, 'regulation', REGULATION_FIELDS);
      await this.renderAgreement(request, response, id, { error: errorBody.error, fieldErrors: errorBody.fieldErrors, regulationForm: echo(body) }, errorBody.statusCode);
    }
  }

  @Post('procurement/agreements/:id/price-regulations')
  @Roles('procurement', 'admin')
  async applyRegulation(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(PriceRegulationDto, regulationFromForm((body ?? {}) as FormBody));
      await this.rateCard.applyRegulation(id, { effectiveFrom: form.effectiveFrom, percent: form.percent }, actor);
      response.redirect(303, `/procurement/agreements/${id}?notice=regulated`);
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.errorBody(error, request, 'regulation', REGULATION_FIELDS);
      await this.renderAgreement(request, response, id, { error: errorBody.error, fieldErrors: errorBody.fieldErrors, regulationForm: echo(body) }, errorBody.statusCode);
    }
  }

  private async renderAgreement(request: Request, response: Response, id: string, extra: Record<string, unknown>, status = 200): Promise<void> {
    const scope = AccessScope.unrestricted();
    const agreement = await this.agreements.get(id, scope);
    const [rates, supplier, marks, caps] = await Promise.all([this.agreements.rates(id), this.suppliers.get(agreement.supplierId, scope), this.ceilingMarks(), this.agreements.listPriceCaps()]);
    const form = (extra.form ?? {}) as FormBody;
    response.status(status).render('pages/procurement/agreement', {
      ...pageContext(request),
      title: 'agreements.detail_heading',
      agreement: agreementRow(agreement, marks.marks),
      supplier,
      rates: rates.map((rate) => flaggedRateRow(rate, caps)),
      mentorTypes: agreement.mentorTypes.map((type) => ({ type, selected: type === form.mentorType })),
      warnPercent: marks.warnPercent,
      alertPercent: marks.alertPercent,
      ...extra,
      form,
    });
  }

  // ---- The supplier's own agreements ----------------------------------------------------------------------------

  @Get('supplier/agreements')
  @Roles('supplier')
  @Page('pages/supplier/agreements')
  async supplierAgreements(@Scope() scope: AccessScope) {
    const [agreements, marks] = await Promise.all([this.agreements.list({}, scope), this.ceilingMarks()]);
    const withRates = await Promise.all(
      agreements.map(async (agreement) => ({ ...agreementRow(agreement, marks.marks), rates: (await this.agreements.rates(agreement.id)).map(rateRow) })),
    );
    return { title: 'supplier_agreements.heading', agreements: withRates };
  }
}

interface CeilingMarks {
  marks: number[];
  warnPercent: number;
  alertPercent: number;
}

/** What a page shows of an agreement: money formatted, ceiling use in whole percent with its marks. */
function agreementRow(a: AgreementWithUse, ceilingMarks: readonly number[]) {
  const consumed = a.consumedApprovedOre + a.consumedPendingOre;
  const percent = ceilingUsePercent(a.ceilingOre, consumed);
  return {
    id: a.id,
    kind: a.kind,
    reference: a.reference,
    title: a.title,
    validFrom: a.validFrom,
    validTo: a.validTo,
    active: a.active,
    mentorTypes: a.mentorTypes,
    vatPercent: formatHundredths(a.vatRateBasisPoints),
    ceiling: a.ceilingOre === null ? null : formatKroner(a.ceilingOre),
    consumedApproved: formatKroner(a.consumedApprovedOre),
    consumedPending: formatKroner(a.consumedPendingOre),
    consumedTotal: formatKroner(consumed),
    hasCeiling: percent !== null,
    ceilingPercent: percent,
    // "0,3 %", not "0 %": the use in tenths of a percent, in the one number formatter.
    ceilingPercentText: percent === null ? null : formatHundredths((ceilingUsePermille(a.ceilingOre, consumed) ?? 0) * 10),
    ceilingMeter: percent === null ? null : Math.min(percent, 100),
    ceilingLevel: percent === null ? null : ceilingLevel(percent, ceilingMarks),
    defaultHoursPerWeek: a.defaultMinutesPerWeek === null ? null : formatMinutes(a.defaultMinutesPerWeek, { as: 'hours', language: 'da', grouping: false }),
    defaultRate: a.defaultRateOre === null ? null : formatKroner(a.defaultRateOre),
  };
}

function rateRow(r: AgreementRate) {
  return { id: r.id, mentorType: r.mentorType, serviceLevel: r.serviceLevel, validFrom: r.validFrom, validTo: r.validTo, rate: formatKroner(r.rateOre) };
}

/** A rate card line on procurement's page, flagged with the lowest price cap below it on some day of its period. */
function flaggedRateRow(r: AgreementRate, caps: readonly Cap[]) {
  const cap = capBelowRate(caps, r);
  return { ...rateRow(r), capBelow: cap === null ? null : { rate: formatKroner(cap.rateOre), from: cap.validFrom } };
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

function text(body: FormBody, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** The submitted fields back into the form, strings only (never the CSRF token). */
function echo(body: unknown): FormBody {
  const out: FormBody = {};
  for (const [key, value] of Object.entries((body ?? {}) as FormBody)) {
    if (key !== '_csrf' && (typeof value === 'string' || Array.isArray(value))) out[key] = value;
  }
  return out;
}

/**
 * The agreement form's strings → the API's CreateAgreementDto fields: kroner → øre, VAT percent → basis points,
 * hours per week → minutes; integers only. A field that cannot be read is reported under its form name.
 */
export function agreementFromForm(body: FormBody): FormBody {
  const problems: ErrorDetail[] = [];
  const amount = (name: string, parse: (value: string) => number | null, rule: string, message: string): number | undefined => {
    const raw = text(body, name);
    if (raw === '') return undefined;
    const value = parse(raw);
    if (value === null) problems.push({ field: name, rule, message });
    return value ?? undefined;
  };
  const ceilingOre = amount('ceilingKr', parseKroner, 'kroner', 'ceilingKr must be an amount in kroner, e.g. 1.500.000 or 250,50');
  const defaultRateOre = amount('defaultRateKr', parseKroner, 'kroner', 'defaultRateKr must be an amount in kroner, e.g. 250 or 250,50');
  const vatRateBasisPoints = amount('vatPercent', parseHundredths, 'percent', 'vatPercent must be a percentage with at most two decimals, e.g. 25');
  const defaultMinutesPerWeek = amount(
    'defaultHoursPerWeek',
    (raw) => {
      const hundredths = parseHundredths(raw);
      return hundredths === null || (hundredths * 60) % 100 !== 0 ? null : (hundredths * 60) / 100;
    },
    'hours',
    'defaultHoursPerWeek must be hours in whole minutes, e.g. 2, 2,5 or 2,25',
  );
  if (problems.length > 0) throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', problems);
  return {
    kind: text(body, 'kind'),
    supplierId: text(body, 'supplierId'),
    reference: text(body, 'reference'),
    title: text(body, 'title'),
    validFrom: text(body, 'validFrom'),
    validTo: text(body, 'validTo'),
    mentorTypes: asList(body.mentorTypes),
    vatRateBasisPoints,
    ceilingOre,
    defaultMinutesPerWeek,
    defaultRateOre,
  };
}

/** The catalogue form's text fields, which may be left empty. */
const CATALOGUE_TEXTS = ['methods', 'mentorProfiles', 'contact'] as const;

/** The catalogue form → PutCatalogueEntryDto fields: unticked checkbox groups become empty lists, texts trimmed. */
export function catalogueFromForm(body: FormBody): FormBody {
  return {
    mentorTypes: asList(body.mentorTypes),
    targetGroups: asList(body.targetGroups),
    methods: text(body, 'methods'),
    mentorProfiles: text(body, 'mentorProfiles'),
    contact: text(body, 'contact'),
  };
}

/** The rate form's strings → CreateRateDto fields: kroner → øre, level as an integer. */
export function rateFromForm(body: FormBody): FormBody {
  const rateKr = text(body, 'rateKr');
  const rateOre = parseKroner(rateKr);
  if (rateKr !== '' && rateOre === null) {
    throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', [{ field: 'rateKr', rule: CommonErrorCode.Kroner, message: 'rateKr must be an amount in kroner, e.g. 250 or 250,50' }]);
  }
  const level = text(body, 'serviceLevel');
  return {
    mentorType: text(body, 'mentorType'),
    serviceLevel: /^\d{1,2}$/.test(level) ? Number(level) : level,
    validFrom: text(body, 'validFrom'),
    validTo: text(body, 'validTo'),
    rateOre: rateOre ?? undefined,
  };
}

/** The regulation form → PriceRegulationDto fields: the percentage as a decimal string, a Danish comma read as the point. */
export function regulationFromForm(body: FormBody): FormBody {
  return { effectiveFrom: text(body, 'effectiveFrom'), percent: text(body, 'percent').replace(',', '.') };
}
