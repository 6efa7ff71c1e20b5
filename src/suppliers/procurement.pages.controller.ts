import { listView, pageRequest, searchText } from '../common/web/list-query';
import { SUPPLIER_SORTS } from './supplier.store';
import { AGREEMENT_SORTS } from './agreement.store';
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
import { SuppliersErrorCode } from './suppliers.errors';
import { AgreementTermService } from './agreement-term.service';
import { EmployeeRatesService } from './employee-rates.service';
import { AddEmployeeRateDto, EndEmployeeRateDto } from './employee-rates.controller';
import { AgreementRecordsService } from './agreement-records.service';
import { DOCUMENT_KINDS } from './agreement-records.store';
import { COMMITMENT_PERIODS } from './agreement.entity';
import { CreatePenaltyDto, CreateSupervisionVisitDto, TerminateAgreementDto, UpdateAgreementDto, UploadDocumentDto } from './agreements.dto';
import { UpdateSupplierDto } from './suppliers.dto';
import { tooLarge } from './contract-document.rules';
import { uploadedDocument } from './document-upload.middleware';
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
const EMPLOYEE_RATE_FIELDS = {
  employeeRef: 'employee_rates.employee',
  rateKr: 'employee_rates.rate_kr',
  validFrom: 'rates.valid_from',
  validTo: 'rates.valid_to',
} as const;

const RATE_FIELDS = {
  mentorType: 'rates.mentor_type',
  serviceLevel: 'rates.level',
  validFrom: 'rates.valid_from',
  validTo: 'rates.valid_to_optional',
  rateKr: 'rates.rate_kr',
  rateOre: 'rates.rate_kr',
} as const;

/** The agreement-term and supplier-edit forms, whose refusals the agreement page shows in its error box. */
type TermForm = 'edit' | 'extension' | 'termination' | 'document' | 'visit' | 'penalty' | 'supplier_edit';

const TERM_FIELDS = {
  title: 'agreements.title',
  contactName: 'term.contact_name',
  contactEmail: 'term.contact_email',
  contactPhone: 'term.contact_phone',
  mentorTypes: 'agreements.mentor_types',
  ceilingKr: 'agreements.ceiling_kr',
  ceilingOre: 'agreements.ceiling_kr',
  committedHours: 'term.committed_hours',
  committedMinutes: 'term.committed_hours',
  commitmentPeriod: 'term.commitment_period',
  terminatedOn: 'term.terminated_on',
  reason: 'term.reason',
  file: 'documents.file',
  kind: 'documents.kind',
  visitedOn: 'visits.visited_on',
  findings: 'visits.findings',
  followUpOn: 'visits.follow_up_on',
  imposedOn: 'penalties.imposed_on',
  amountKr: 'penalties.amount_kr',
  amountOre: 'penalties.amount_kr',
  status: 'agreements.status',
  validTo: 'agreements.valid_to',
  extensionOptions: 'agreements.extension_options',
} as const;
// Where each form's fields are: the element id of a field name, and the form's name of an API field.
const API_FIELD_OF_FORM = { ceilingOre: 'ceilingKr', defaultMinutesPerWeek: 'defaultHoursPerWeek', defaultRateOre: 'defaultRateKr', vatRateBasisPoints: 'vatPercent', rateOre: 'rateKr', index: 'percent' } as const;
const FORM_FIELDS: Record<'supplier' | 'catalogue' | 'filter' | 'agreement' | 'rate' | 'rate_end' | 'regulation' | 'employee_rate' | 'employee_rate_end', FormFields> = {
  employee_rate: { ids: { employeeRef: 'er-ref', rateKr: 'er-rate', validFrom: 'er-from', validTo: 'er-to' }, aliases: API_FIELD_OF_FORM },
  employee_rate_end: { ids: { validTo: 'ere-to' } },
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
    private readonly term: AgreementTermService,
    private readonly records: AgreementRecordsService,
    private readonly employeeRates: EmployeeRatesService,
  ) {}

  /** A refusal in the page's language under the heading of the form it came from, each field by the label the form gives it. */
  private refusal(error: DomainException | RuleError, request: Request, tried: TermForm | keyof typeof FORM_FIELDS, labels: Readonly<Record<string, string>>): ErrorBody {
    const lang = pageContext(request).lang;
    return localizedErrorBody(error, this.catalogues, lang, {
      heading: `procurement.error.${tried}`,
      fieldLabel: (field) => (labels[field] === undefined ? undefined : translate(this.catalogues, lang, labels[field])),
    });
  }

  /**
   * A refusal in the page's language under the heading of what was tried, each field by the label the form
   * gives it: the summary for the top of the page and each message for beside its field.
   */
  private errorBody(error: DomainException | RuleError, request: Request, tried: keyof typeof FORM_FIELDS, labels: Readonly<Record<string, string>>): FormErrorView & { statusCode: number } {
    const localized = this.refusal(error, request, tried, labels);
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
    const query = request.method === 'GET' ? (request.query as Record<string, unknown>) : {};
    const q = searchText(query.q);
    const wanted = pageRequest(query, SUPPLIER_SORTS, { limit: 50 });
    const page = await this.suppliers.page(q, wanted, AccessScope.unrestricted());
    response.status(status).render('pages/procurement/suppliers', {
      ...pageContext(request),
      title: 'suppliers.heading',
      suppliers: page.items,
      list: listView('/procurement/suppliers', wanted, SUPPLIER_SORTS, page, q),
      kinds: SUPPLIER_KINDS,
      form: {},
      ...extra,
    });
  }

  @Get('procurement/suppliers/:id')
  @Roles('procurement', 'admin')
  async supplierPage(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Query('notice') notice?: string): Promise<void> {
    await this.renderSupplier(request, response, id, { notice: notice === 'saved' ? 'suppliers.saved' : undefined });
  }

  /** Changes a supplier; unticking "active" deactivates it (no new agreements or grants; its users still read). */
  @Post('procurement/suppliers/:id')
  @Roles('procurement', 'admin')
  async updateSupplier(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    try {
      const form = await parseForm(UpdateSupplierDto, supplierFromForm((body ?? {}) as FormBody));
      await this.suppliers.update(id, form, actor);
      response.redirect(303, `/procurement/suppliers/${id}?notice=saved`);
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.refusal(error, request, 'supplier_edit', SUPPLIER_FIELDS);
      await this.renderSupplier(request, response, id, { error: errorBody, form: echo(body) }, errorBody.statusCode);
    }
  }

  private async renderSupplier(request: Request, response: Response, id: string, extra: Record<string, unknown>, status = 200): Promise<void> {
    const supplier = await this.suppliers.get(id, AccessScope.unrestricted());
    const form = (extra.form as FormBody | undefined) ?? { ...supplier, gln: supplier.gln ?? '', active: supplier.active ? 'true' : '' };
    response.status(status).render('pages/procurement/supplier', {
      ...pageContext(request),
      title: 'suppliers.edit_heading',
      supplier,
      kinds: SUPPLIER_KINDS.map((kind) => ({ kind, selected: kind === form.kind })),
      ...extra,
      form: { ...form, active: form.active === 'true' || form.active === true },
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
    const query = request.method === 'GET' ? (request.query as Record<string, unknown>) : {};
    const q = searchText(query.q);
    const wanted = pageRequest(query, AGREEMENT_SORTS, { limit: 50 });
    const [page, suppliers, marks] = await Promise.all([this.agreements.page(q, wanted, scope), this.suppliers.list(scope), this.ceilingMarks()]);
    const agreements = page.items;
    const supplierNames = new Map(suppliers.map((s) => [s.id, s.name]));
    const form = (extra.form ?? {}) as FormBody;
    const chosenTypes = new Set(asList(form.mentorTypes));
    response.status(status).render('pages/procurement/agreements', {
      ...pageContext(request),
      title: 'agreements.heading',
      agreements: agreements.map((a) => ({ ...agreementRow(a, marks.marks), supplierName: supplierNames.get(a.supplierId) ?? '–' })),
      list: listView('/procurement/agreements', wanted, AGREEMENT_SORTS, page, q),
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
    const notices: Record<string, string> = {
      created: 'agreements.created',
      rate_added: 'rates.created',
      rate_ended: 'rates.ended',
      regulated: 'regulation.applied',
      edited: 'term.edited',
      extended: 'term.extended',
      terminated: 'term.terminated',
      document: 'documents.attached',
      visit: 'visits.recorded',
      penalty: 'penalties.recorded',
      employee_rate_added: 'employee_rates.added',
      employee_rate_ended: 'employee_rates.ended',
    };
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

  @Post('procurement/agreements/:id/employee-rates')
  @Roles('procurement', 'admin')
  async addEmployeeRate(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    const form = (body ?? {}) as FormBody;
    try {
      const rateKr = text(form, 'rateKr');
      const plain = { employeeRef: text(form, 'employeeRef'), rateOre: rateKr === '' ? undefined : (parseKroner(rateKr) ?? rateKr), validFrom: text(form, 'validFrom'), validTo: text(form, 'validTo') || undefined };
      await this.employeeRates.add(id, await parseForm(AddEmployeeRateDto, plain), actor);
      response.redirect(303, `/procurement/agreements/${id}?notice=employee_rate_added#employee-rates`);
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.errorBody(error, request, 'employee_rate', EMPLOYEE_RATE_FIELDS);
      await this.renderAgreement(request, response, id, { error: errorBody.error, employeeRateErrors: errorBody.fieldErrors, employeeRateForm: echo(body) }, errorBody.statusCode);
    }
  }

  /**
   * Ending an employee's rate asks first: the confirmation page says which rate ends on which day and that sessions
   * after it cannot name the employee until a new rate is added; `confirm=yes` ends it.
   */
  @Post('procurement/agreements/:id/employee-rates/:rateId/end')
  @Roles('procurement', 'admin')
  async endEmployeeRate(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Param('rateId', ParseUUIDPipe) rateId: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    const form = (body ?? {}) as FormBody;
    try {
      const { validTo } = await parseForm(EndEmployeeRateDto, { validTo: text(form, 'validTo') });
      if (text(form, 'confirm') !== 'yes') {
        const rate = (await this.employeeRates.list(id, AccessScope.unrestricted())).find((r) => r.id === rateId);
        if (!rate) throw DomainException.notFound('Employee rate');
        const agreement = await this.agreements.get(id, AccessScope.unrestricted());
        response.status(200).render('pages/procurement/employee-rate-end', {
          ...pageContext(request),
          title: 'employee_rates.end_heading',
          agreement: { id: agreement.id, reference: agreement.reference, title: agreement.title },
          rate: { ...rate, rate: formatKroner(rate.rateOre) },
          validTo,
        });
        return;
      }
      await this.employeeRates.end(id, rateId, validTo, actor);
      response.redirect(303, `/procurement/agreements/${id}?notice=employee_rate_ended#employee-rates`);
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.errorBody(error, request, 'employee_rate_end', EMPLOYEE_RATE_FIELDS);
      await this.renderAgreement(request, response, id, { error: errorBody.error, employeeRateEndErrors: { [rateId]: Object.values(errorBody.fieldErrors).flat() } }, errorBody.statusCode);
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

  /** Runs a page form's action and redirects with a notice, or shows the agreement again with the refusal. */
  private async agreementAction(request: Request, response: Response, id: string, tried: TermForm, notice: string, action: () => Promise<unknown>, formKey = 'form'): Promise<void> {
    try {
      await action();
      response.redirect(303, `/procurement/agreements/${id}?notice=${notice}`);
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.refusal(error, request, tried, TERM_FIELDS);
      await this.renderAgreement(request, response, id, { error: errorBody, [formKey]: echo(request.body), fieldErrors: { [formKey]: fieldErrorsOf(error, errorBody) } }, errorBody.statusCode);
    }
  }

  @Post('procurement/agreements/:id/edit')
  @Roles('procurement', 'admin')
  async editAgreement(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    await this.agreementAction(request, response, id, 'edit', 'edited', async () => this.agreements.update(id, await parseForm(UpdateAgreementDto, editFromForm((body ?? {}) as FormBody)), actor), 'editForm');
  }

  @Post('procurement/agreements/:id/use-extension')
  @Roles('procurement', 'admin')
  async useExtension(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.agreementAction(request, response, id, 'extension', 'extended', () => this.agreements.useExtension(id, actor));
  }

  /** The confirmation step of a termination: the date and reason checked, the running grants listed, nothing stored. */
  @Post('procurement/agreements/:id/terminate/preview')
  @Roles('procurement', 'admin')
  async previewTermination(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    const raw = { terminatedOn: text((body ?? {}) as FormBody, 'terminatedOn'), reason: text((body ?? {}) as FormBody, 'reason') };
    try {
      const form = await parseForm(TerminateAgreementDto, raw);
      const preview = await this.term.previewTermination(id, form.terminatedOn, actor);
      const agreement = await this.agreements.get(id, AccessScope.unrestricted());
      response.status(200).render('pages/procurement/terminate-agreement', {
        ...pageContext(request),
        title: 'term.confirm_heading',
        agreement: { id: agreement.id, reference: agreement.reference, title: agreement.title, validFrom: agreement.validFrom, validTo: agreement.validTo },
        terminatedOn: form.terminatedOn,
        reason: form.reason,
        runningGrants: preview.runningGrants,
        runningAfter: preview.runningGrants.filter((grant) => grant.endsAfterTermination).length,
      });
    } catch (error) {
      if (!isRefusal(error) || (error instanceof DomainException && error.code === DomainErrorCode.NotFound)) throw error;
      const errorBody = this.refusal(error, request, 'termination', TERM_FIELDS);
      await this.renderAgreement(request, response, id, { error: errorBody, terminateForm: raw, fieldErrors: { terminateForm: fieldErrorsOf(error, errorBody) } }, errorBody.statusCode);
    }
  }

  @Post('procurement/agreements/:id/terminate')
  @Roles('procurement', 'admin')
  async terminate(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    const raw = { terminatedOn: text((body ?? {}) as FormBody, 'terminatedOn'), reason: text((body ?? {}) as FormBody, 'reason') };
    await this.agreementAction(request, response, id, 'termination', 'terminated', async () => this.term.terminate(id, await parseForm(TerminateAgreementDto, raw), actor), 'terminateForm');
  }

  @Post('procurement/agreements/:id/documents')
  @Roles('procurement', 'admin')
  async attachDocument(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    await this.agreementAction(request, response, id, 'document', 'document', async () => {
      // The file's errors are shown beside the file field of the document form.
      const upload = uploadedDocument(request);
      const form = await parseForm(UploadDocumentDto, { kind: text((body ?? {}) as FormBody, 'kind') });
      if (upload.tooLarge) throw DomainException.rule('The document cannot be attached', [tooLarge()]);
      return this.records.upload(id, { kind: form.kind, fileName: upload.fileName, content: upload.content }, actor);
    });
  }

  @Post('procurement/agreements/:id/supervision-visits')
  @Roles('procurement', 'admin')
  async recordVisit(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    const form = (body ?? {}) as FormBody;
    const raw = { visitedOn: text(form, 'visitedOn'), findings: text(form, 'findings'), followUpOn: text(form, 'followUpOn') || undefined };
    await this.agreementAction(request, response, id, 'visit', 'visit', async () => this.records.recordVisit(id, await parseForm(CreateSupervisionVisitDto, raw), actor), 'visitForm');
  }

  @Post('procurement/agreements/:id/penalties')
  @Roles('procurement', 'admin')
  async recordPenalty(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<void> {
    await this.agreementAction(request, response, id, 'penalty', 'penalty', async () => this.records.recordPenalty(id, await parseForm(CreatePenaltyDto, penaltyFromForm((body ?? {}) as FormBody)), actor), 'penaltyForm');
  }

  private async renderAgreement(request: Request, response: Response, id: string, extra: Record<string, unknown>, status = 200): Promise<void> {
    const scope = AccessScope.unrestricted();
    const agreement = await this.agreements.get(id, scope);
    const [rates, supplier, marks, caps, history, documents, visits, penalties, employeeRates] = await Promise.all([
      this.agreements.rates(id),
      this.suppliers.get(agreement.supplierId, scope),
      this.ceilingMarks(),
      this.agreements.listPriceCaps(),
      this.term.history(id),
      this.records.documents(id, scope),
      this.records.visits(id, scope),
      this.records.penalties(id, scope),
      agreement.kind === 'partnership' ? this.employeeRates.list(id, scope) : Promise.resolve(null),
    ]);
    const endErrors = (extra.employeeRateEndErrors ?? {}) as Record<string, string[]>;
    const form = (extra.form ?? {}) as FormBody;
    const editForm = (extra.editForm as FormBody | undefined) ?? {
      title: agreement.title,
      contactName: agreement.contactName ?? '',
      contactEmail: agreement.contactEmail ?? '',
      contactPhone: agreement.contactPhone ?? '',
      ceilingKr: agreement.ceilingOre === null ? '' : formatKroner(agreement.ceilingOre, 'da', 'field'),
      committedHours: agreement.committedMinutes === null ? '' : formatMinutes(agreement.committedMinutes, { as: 'hours', language: 'da', grouping: false }),
      commitmentPeriod: agreement.commitmentPeriod ?? '',
      mentorTypes: agreement.mentorTypes,
    };
    const editTypes = new Set(asList(editForm.mentorTypes));
    const today = this.clock.today();
    const open = agreement.status === 'in_force' && agreement.validTo >= today;
    const [commitment, kpis] = await Promise.all([this.term.commitmentUse(agreement, today), this.term.kpis(id, today)]);
    response.status(status).render('pages/procurement/agreement', {
      ...pageContext(request),
      title: 'agreements.detail_heading',
      agreement: agreementRow(agreement, marks.marks),
      supplier,
      rates: rates.map((rate) => flaggedRateRow(rate, caps)),
      open,
      commitmentUse: commitment && {
        ...commitment,
        committed: formatMinutes(commitment.committedMinutes, { as: 'hours', language: 'da', grouping: false }),
        used: formatMinutes(commitment.usedMinutes, { as: 'hours', language: 'da', grouping: false }),
        left: formatMinutes(commitment.leftMinutes, { as: 'hours', language: 'da', grouping: false }),
        meter: Math.min(commitment.percent, 100),
      },
      kpis,
      terminated: agreement.status === 'terminated',
      extensionsLeft: agreement.extensionOptions - agreement.extensionsUsed,
      canExtend: open && agreement.extensionsUsed < agreement.extensionOptions && agreement.extensionMonths > 0,
      history: history.map((entry) => ({ ...entry, changes: Object.entries(entry.change).map(([field, value]) => ({ field, value: describeChange(value) })) })),
      documents: documents.map((d) => ({ ...d, shortSha: d.sha256.slice(0, 12) })),
      documentKinds: DOCUMENT_KINDS,
      visits,
      penalties: penalties.map((p) => ({ ...p, amount: formatKroner(p.amountOre) })),
      isPartnership: employeeRates !== null,
      employeeRates: employeeRates && employeeRates.map((rate) => ({ ...rate, rate: formatKroner(rate.rateOre), endErrors: endErrors[rate.id] })),
      employeeRateForm: extra.employeeRateForm ?? {},
      employeeRateErrors: extra.employeeRateErrors ?? {},
      editForm,
      editMentorTypes: MENTOR_TYPES.map((type) => ({ type, checked: editTypes.has(type) })),
      commitmentPeriods: COMMITMENT_PERIODS.map((period) => ({ period, selected: period === editForm.commitmentPeriod })),
      terminateForm: extra.terminateForm ?? {},
      fieldErrors: extra.fieldErrors ?? {},
      visitForm: extra.visitForm ?? {},
      penaltyForm: extra.penaltyForm ?? {},
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
      agreements.map(async (agreement) => ({ ...agreementRow(agreement, marks.marks), rates: (await this.agreements.rates(agreement.id)).map(rateRow), documents: await this.records.documents(agreement.id, scope) })),
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
    status: a.status,
    terminatedOn: a.terminatedOn,
    terminationReason: a.terminationReason,
    contactName: a.contactName,
    contactEmail: a.contactEmail,
    contactPhone: a.contactPhone,
    extensionMonths: a.extensionMonths,
    commitment: a.committedMinutes === null ? null : formatMinutes(a.committedMinutes, { as: 'hours', language: 'da', grouping: false }),
    commitmentPeriod: a.commitmentPeriod,
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

/** The supplier form → UpdateSupplierDto fields: an empty text leaves the field empty, the active box ticked or not. */
export function supplierFromForm(body: FormBody): FormBody {
  const optional = (name: string) => (text(body, name) === '' ? undefined : text(body, name));
  return {
    name: text(body, 'name'),
    cvr: text(body, 'cvr'),
    gln: text(body, 'gln') === '' ? null : text(body, 'gln'),
    kind: text(body, 'kind'),
    active: text(body, 'active') === 'true',
    address: optional('address'),
    postalCode: optional('postalCode'),
    city: optional('city'),
    contactName: optional('contactName'),
    contactEmail: optional('contactEmail'),
    contactPhone: optional('contactPhone'),
  };
}

/** The edit form → UpdateAgreementDto fields: kroner → øre, hours → minutes, empty contacts cleared. */
export function editFromForm(body: FormBody): FormBody {
  const problems: ErrorDetail[] = [];
  const ceilingText = text(body, 'ceilingKr');
  const ceilingOre = ceilingText === '' ? null : parseKroner(ceilingText);
  if (ceilingOre === null && ceilingText !== '') problems.push({ field: 'ceilingKr', rule: CommonErrorCode.Kroner, message: 'ceilingKr must be an amount in kroner, e.g. 1.500.000' });
  const hoursText = text(body, 'committedHours');
  const hundredths = hoursText === '' ? null : parseHundredths(hoursText);
  const committedMinutes = hundredths === null || (hundredths * 60) % 100 !== 0 ? null : (hundredths * 60) / 100;
  if (hoursText !== '' && committedMinutes === null) problems.push({ field: 'committedHours', rule: SuppliersErrorCode.CommittedHours, message: 'committedHours must be hours in whole minutes, e.g. 400 or 12,5' });
  if (problems.length > 0) throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', problems);
  const period = text(body, 'commitmentPeriod');
  return {
    title: text(body, 'title'),
    contactName: text(body, 'contactName') || null,
    contactEmail: text(body, 'contactEmail') || null,
    contactPhone: text(body, 'contactPhone') || null,
    mentorTypes: asList(body.mentorTypes),
    ...(text(body, 'hasCeiling') === 'true' ? { ceilingOre } : {}),
    committedMinutes,
    commitmentPeriod: period === '' ? null : period,
  };
}

/** The penalty form → CreatePenaltyDto fields: kroner → øre. */
export function penaltyFromForm(body: FormBody): FormBody {
  const amountText = text(body, 'amountKr');
  const amountOre = parseKroner(amountText);
  if (amountText !== '' && amountOre === null) {
    throw new DomainException(DomainErrorCode.InvalidInput, 'The form has invalid fields', [{ field: 'amountKr', rule: CommonErrorCode.Kroner, message: 'amountKr must be an amount in kroner, e.g. 5.000' }]);
  }
  return { imposedOn: text(body, 'imposedOn'), amountOre: amountOre ?? undefined, reason: text(body, 'reason') };
}

/** One changed field of the history as text: "from → to", lists joined, none shown as a dash. */
function describeChange(value: unknown): string {
  const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '–' : Array.isArray(v) ? v.join(', ') : String(v));
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'from' in value && 'to' in value) {
    const change = value as { from: unknown; to: unknown };
    return `${show(change.from)} → ${show(change.to)}`;
  }
  return show(value);
}

/** The localized messages of a refusal by the field they name, to show beside it (both bodies list the details in one order). */
function fieldErrorsOf(error: unknown, localized: ErrorBody): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  toErrorBody(error).details.forEach((detail, index) => {
    if (detail.field) (errors[detail.field] ??= []).push(localized.details[index]?.message ?? '');
  });
  return errors;
}
