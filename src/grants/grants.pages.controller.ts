import { listView, pageRequest, searchText } from '../common/web/list-query';
import { partnershipMinutes } from './partnership-minutes.rules';
import { formValues } from '../common/web/form';
import { fieldMessages } from '../common/web/form-errors';
import { GRANT_SORTS } from './grant.store';
import { isUUID } from 'class-validator';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { DomainException } from '../common/errors/domain.exception';
import { CommonErrorCode } from '../common/errors/common.errors';
import { UsersService } from '../identity/users.service';
import { formatTimestamp } from '../common/web/finance-view';
import type { RuleError } from '../common/errors/rule-error';
import type { ErrorTextOptions } from '../common/errors/error-text';
import { isRefusal, localizedErrorBody, toErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { bandPhrase, loadCatalogues, minutesPhrase, translate } from '../common/i18n/messages';
import { compareDates, type CalendarDate } from '../common/time/calendar-date';
import { parseForm } from '../common/web/form';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { CitizensService } from './citizens.service';
import { latestPeriodEnd } from './grant.rules';
import {
  ApproveGrantDto,
  ChangeTargetGroupDto,
  CreateCitizenDto,
  CreateGrantDto,
  CreateProgressReportDto,
  EndGrantDto,
  ExtendGrantDto,
  GRANT_STATUSES,
  GrantQueryDto,
  OUTCOMES,
  ProposeGrantDto,
  SendBackGrantDto,
  type GrantDto,
  type SupplierGrantDto,
} from './grants.dto';
import { GrantsService } from './grants.service';
import { FIRST_TARGET_GROUP_FROM } from './target-group.rules';
import { DueTasksService } from './due-tasks.service';
import { ProgressReportsService } from './progress-reports.service';
import { MENTOR_TYPES, TARGET_GROUPS, type RuleSetValues } from '../rules/rule-set';
import { RulesService } from '../rules/rules.service';
import { AgreementsService } from '../suppliers/agreements.service';
import { SuppliersService } from '../suppliers/suppliers.service';
import { Clock } from '../common/time/clock';
import { GrantThreads } from '../common/notifications/grant-threads';
import { GRANT_MESSAGE_KINDS } from '../common/notifications/notification-events';
import { GrantCourseViews } from './grant-course.views';

type Form = Record<string, string>;

const NOTICES: Record<string, string> = {
  created: 'grants.notice.created',
  extended: 'grants.notice.extended',
  ended: 'grants.notice.ended',
  citizen_created: 'grants.notice.citizen_created',
  report_filed: 'grants.notice.report_filed',
  message_sent: 'messages.sent',
  created_proposed: 'grants.notice.created_proposed',
  approved: 'grants.notice.approved',
  sent_back: 'grants.notice.sent_back',
  proposed: 'grants.notice.proposed',
  target_group_changed: 'grants.notice.target_group_changed',
  amendment_recorded: 'course.notice.amendment_recorded',
  amendment_proposed: 'course.notice.amendment_proposed',
  amendment_approved: 'course.notice.amendment_approved',
  amendment_rejected: 'course.notice.amendment_rejected',
  follow_up_recorded: 'course.notice.follow_up_recorded',
};

/** The caseworker's grant pages and the supplier's view of its grants. */
/** How many citizens the new-grant page's picker offers for a search; more asks for a narrower search. */
/** Grants a page of the due list holds. */
const DUE_PAGE = 25;
const CITIZEN_PICKS = 20;

@ApiExcludeController()
@Controller()
export class GrantsPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly grants: GrantsService,
    private readonly dueTasks: DueTasksService,
    private readonly progressReports: ProgressReportsService,
    private readonly citizens: CitizensService,
    private readonly rules: RulesService,
    private readonly agreements: AgreementsService,
    private readonly suppliers: SuppliersService,
    private readonly clock: Clock,
    private readonly threads: GrantThreads,
    private readonly users: UsersService,
    private readonly courseViews: GrantCourseViews,
  ) {}

  // ---- list ----

  @Get('grants')
  @Roles('caseworker', 'team_leader', 'admin')
  async list(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>, @Scope() scope: AccessScope): Promise<void> {
    const lang = pageContext(request).lang;
    const raw = Object.fromEntries(Object.entries(query).filter(([key, value]) => ['status', 'mentorType', 'serviceLevel', 'reference'].includes(key) && typeof value === 'string')) as Form;
    if (raw.reference) raw.reference = raw.reference.trim().toUpperCase();
    const q = searchText(query.q);
    const wanted = pageRequest(query, GRANT_SORTS, { limit: 50 });
    let error: ErrorBody | undefined;
    let items: GrantDto[] = [];
    let page = { nextCursor: null as string | null, prevCursor: null as string | null };
    try {
      const filter = await parseForm(GrantQueryDto, { ...raw, serviceLevel: raw.serviceLevel || undefined });
      const found = await this.grants.search({ ...filter, limit: wanted.limit }, q, wanted, scope);
      items = found.items as GrantDto[];
      page = found;
    } catch (caught) {
      if (!isRefusal(caught)) throw caught;
      error = this.errorBody(caught, lang);
    }
    const [supplierOptions, nextTask] = await Promise.all([this.suppliers.options(), this.dueTasks.nextOpenTasks(items.map((grant) => grant.id))]);
    const supplierName = new Map(supplierOptions.map((s) => [s.id, s.name]));
    response.status(error ? error.statusCode : 200).render('pages/grants/list', {
      ...pageContext(request),
      title: 'grants.list_heading',
      error,
      filters: raw,
      statusOptions: GRANT_STATUSES.map((value) => ({ value, selected: raw.status === value })),
      mentorTypeOptions: MENTOR_TYPES.map((value) => ({ value, selected: raw.mentorType === value })),
      levelOptions: [1, 2, 3, 4].map((value) => ({ value, selected: raw.serviceLevel === String(value) })),
      grants: items.map((grant) => ({
        ...grant,
        supplierName: supplierName.get(grant.supplierId) ?? '–',
        hours: minutesPhrase(this.catalogues, lang, grant.minutesPerWeek),
        nextTask: nextTask.get(grant.id) ?? null,
      })),
      list: listView('/grants', wanted, GRANT_SORTS, page, q, raw),
    });
  }

  // ---- new grant ----

  /** The whole due list (the dashboard shows its first rows), a page of grants at a time. */
  @Get('grants/due')
  @Roles('caseworker', 'team_leader', 'admin')
  async dueList(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const sorts = { due: 'asc' } as const;
    const wanted = { ...pageRequest(query, sorts, { limit: DUE_PAGE }), dir: 'asc' as const };
    const page = await this.dueTasks.dueTaskPage(wanted);
    response.render('pages/grants/due', {
      ...pageContext(request),
      title: 'grants.due_heading',
      tasks: page.items,
      list: listView('/grants/due', wanted, sorts, page, null),
    });
  }

  @Get('grants/new')
  @Roles('caseworker')
  async newGrant(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    // The form comes back here (GET) when the agreement is chosen without scripts: its values are kept, and a
    // partnership's minutes per week fill the time when none is given (or when asked to with `prefill`).
    const { notice, prefill, citizenQuery, ...rest } = formValues(query);
    const values: Form = { citizenId: '', ...rest };
    if (values.agreementId && isUUID(values.agreementId)) {
      const agreement = await this.agreements.termsFor(values.agreementId);
      const minutes = agreement ? partnershipMinutes(agreement) : null;
      if (minutes !== null && (prefill !== undefined || ((values.hours ?? '') === '' && (values.minutes ?? '') === ''))) {
        values.hours = String(Math.floor(minutes / 60));
        values.minutes = String(minutes % 60);
        values.mentorType ??= 'company';
      }
    }
    await this.renderForm(request, response, { values, notice: notice ? NOTICES[notice] : undefined, citizenQuery: searchText(citizenQuery) });
  }

  @Post('grants/new')
  @Roles('caseworker')
  async createGrant(@Req() request: Request, @Res() response: Response, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    try {
      const { hours, minutes, serviceLevel, ...rest } = values;
      const plain: Record<string, unknown> = { ...rest };
      if (serviceLevel !== '') plain.serviceLevel = Number(serviceLevel);
      if (hours !== '' || minutes !== '') plain.minutesPerWeek = Number(hours || 0) * 60 + Number(minutes || 0);
      const form = await parseForm(CreateGrantDto, plain);
      const grant = await this.grants.create(form, actor);
      response.redirect(303, `/grants/${grant.id}?notice=created_proposed`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const raw = toErrorBody(error);
      const body = this.errorBody(error, pageContext(request).lang);
      await this.renderForm(request, response, { values, error: body, fieldErrors: fieldMessages(raw, body) }, body.statusCode);
    }
  }

  @Post('grants/citizens')
  @Roles('caseworker')
  async createCitizen(@Req() request: Request, @Res() response: Response, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    try {
      const form = await parseForm(CreateCitizenDto, values);
      const citizen = await this.citizens.create(form, actor);
      response.redirect(303, `/grants/new?citizenId=${citizen.id}&notice=citizen_created`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, pageContext(request).lang);
      await this.renderForm(request, response, { values: {}, citizenValues: { ...values, cpr: '' }, citizenError: errorBody }, errorBody.statusCode);
    }
  }

  // ---- one grant (staff) ----

  @Get('grants/:id')
  @Roles('caseworker', 'team_leader', 'admin', 'finance')
  async grantPage(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope, @Query('notice') notice?: string): Promise<void> {
    await this.renderGrant(request, response, id, scope, { notice: notice ? NOTICES[notice] : undefined });
  }

  @Post('grants/:id/extend')
  @Roles('caseworker', 'admin')
  async extend(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    try {
      const form = await parseForm(ExtendGrantDto, values);
      await this.grants.extend(id, form.newEnd, actor);
      response.redirect(303, `/grants/${id}?notice=extended`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, pageContext(request).lang);
      if (errorBody.statusCode === 404) throw error;
      await this.renderGrant(request, response, id, scope, { extendError: errorBody, extendValues: values }, errorBody.statusCode);
    }
  }

  @Post('grants/:id/end')
  @Roles('caseworker', 'admin')
  async end(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    try {
      const form = await parseForm(EndGrantDto, values);
      await this.grants.end(id, form.outcome, form.endedOn, actor, form.reason ?? null);
      response.redirect(303, `/grants/${id}?notice=ended`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, pageContext(request).lang);
      if (errorBody.statusCode === 404) throw error;
      await this.renderGrant(request, response, id, scope, { endError: errorBody, endValues: values }, errorBody.statusCode);
    }
  }

  // ---- visitation: a team leader approves or sends back a proposal; the caseworker proposes it again ----

  @Post('grants/:id/approve')
  @Roles('team_leader')
  async approve(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    await this.visitationStep(request, response, id, scope, values, 'approveError', async () => {
      const form = await parseForm(ApproveGrantDto, values.activeFrom ? { activeFrom: values.activeFrom } : {});
      await this.grants.approve(id, form.activeFrom, actor);
      return 'approved';
    });
  }

  @Post('grants/:id/reject')
  @Roles('team_leader')
  async sendBack(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    await this.visitationStep(request, response, id, scope, values, 'sendBackError', async () => {
      const form = await parseForm(SendBackGrantDto, { reason: values.reason });
      await this.grants.sendBack(id, form.reason, actor);
      return 'sent_back';
    });
  }

  @Post('grants/:id/propose')
  @Roles('caseworker', 'admin')
  async proposeAgain(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    await this.visitationStep(request, response, id, scope, values, 'proposeError', async () => {
      const plain: Record<string, unknown> = {};
      for (const key of ['end', 'goal', 'tasks', 'mentorName', 'mentorPhone', 'mentorEmail', 'excessReason'] as const) if (values[key]) plain[key] = values[key];
      if (values.serviceLevel) plain.serviceLevel = Number(values.serviceLevel);
      if (values.minutesPerWeek) plain.minutesPerWeek = Number(values.minutesPerWeek);
      await this.grants.propose(id, await parseForm(ProposeGrantDto, plain), actor);
      return 'proposed';
    });
  }

  /** Runs one visitation step; a refusal shows the grant page with the error beside its form. */
  private async visitationStep(request: Request, response: Response, id: string, scope: AccessScope, values: Form, errorSlot: string, step: () => Promise<string>): Promise<void> {
    try {
      // The page's confirmation: the team leader or caseworker ticks that the step is meant (the API takes none).
      if (errorSlot !== 'proposeError' && values.confirm !== 'yes') {
        throw DomainException.rule('Confirm the step', [{ field: 'confirm', rule: CommonErrorCode.Required, message: 'tick the box to confirm' }]);
      }
      const notice = await step();
      response.redirect(303, `/grants/${id}?notice=${notice}`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, pageContext(request).lang);
      if (errorBody.statusCode === 404) throw error;
      await this.renderGrant(request, response, id, scope, { [errorSlot]: errorBody, visitationValues: values }, errorBody.statusCode);
    }
  }

  // ---- a citizen: the target-group history and the grants ----

  @Get('citizens/:id')
  @Roles('caseworker', 'team_leader', 'admin', 'finance')
  async citizenPage(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Query('notice') notice?: string): Promise<void> {
    await this.renderCitizen(request, response, id, { notice: notice ? NOTICES[notice] : undefined });
  }

  @Post('citizens/:id/target-groups')
  @Roles('caseworker', 'admin')
  async changeTargetGroup(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    try {
      const form = await parseForm(ChangeTargetGroupDto, values);
      await this.citizens.changeTargetGroup(id, form, actor);
      response.redirect(303, `/citizens/${id}?notice=target_group_changed`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, pageContext(request).lang);
      if (errorBody.statusCode === 404) throw error;
      await this.renderCitizen(request, response, id, { changeError: errorBody, changeValues: values }, errorBody.statusCode);
    }
  }

  private async renderCitizen(request: Request, response: Response, id: string, extra: Record<string, unknown>, status = 200): Promise<void> {
    const [citizen, targetGroups, grants] = await Promise.all([this.citizens.get(id), this.citizens.targetGroups(id), this.grants.ofCitizen(id)]);
    const user = pageContext(request).user;
    const selected = (extra.changeValues as Form | undefined)?.targetGroup ?? targetGroups.current;
    response.status(status).render('pages/grants/citizen', {
      ...pageContext(request),
      title: 'citizen.heading',
      citizen,
      targetGroups,
      history: targetGroups.history.map((entry, index) => ({ ...entry, first: index === 0 && entry.effectiveFrom === FIRST_TARGET_GROUP_FROM, recordedAt: formatTimestamp(entry.recordedAt) })),
      grants,
      canChange: user?.role === 'caseworker' || user?.role === 'admin',
      targetGroupOptions: TARGET_GROUPS.map((value) => ({ value, selected: selected === value })),
      ...extra,
    });
  }

  // ---- the supplier's grants ----

  @Get('supplier/grants')
  @Roles('supplier')
  async supplierGrants(@Req() request: Request, @Res() response: Response, @Scope() scope: AccessScope): Promise<void> {
    const lang = pageContext(request).lang;
    const page = await this.grants.list({ status: 'active', limit: 200 }, scope);
    const grants = await Promise.all(
      page.items.map(async (item) => {
        const grant = await this.grants.get(item.id, scope);
        const next = (grant.dueTasks ?? []).find((task) => task.kind === 'follow_up' && task.state !== 'done') ?? null;
        return { id: grant.id, reference: grant.reference, mentorType: grant.mentorType, serviceLevel: grant.serviceLevel, hours: minutesPhrase(this.catalogues, lang, grant.minutesPerWeek), start: grant.start, end: grant.end, nextFollowUp: next };
      }),
    );
    response.render('pages/supplier/grants', { ...pageContext(request), title: 'grants.supplier_heading', grants });
  }

  @Get('supplier/grants/:id')
  @Roles('supplier')
  async supplierGrant(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope, @Query('notice') notice?: string): Promise<void> {
    await this.renderSupplierGrant(request, response, id, scope, { notice: notice ? NOTICES[notice] : undefined });
  }

  @Post('supplier/grants/:id/progress-reports')
  @Roles('supplier')
  async fileReport(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    try {
      const form = await parseForm(CreateProgressReportDto, values);
      await this.progressReports.submit(id, form, scope, actor);
      response.redirect(303, `/supplier/grants/${id}?notice=report_filed`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const raw = toErrorBody(error);
      const errorBody = this.errorBody(error, pageContext(request).lang);
      if (errorBody.statusCode === 404) throw error;
      await this.renderSupplierGrant(request, response, id, scope, { error: errorBody, values, fieldErrors: fieldMessages(raw, errorBody) }, errorBody.statusCode);
    }
  }

  // ---- rendering ----

  private t(lang: Language): (key: string, params?: Record<string, unknown>) => string {
    return (key, params = {}) => translate(this.catalogues, lang, key, params);
  }

  /** The error in the page's language from the one catalogue, under the grant's heading, with the form's field labels. */
  private errorBody(error: DomainException | RuleError, lang: Language): ErrorBody {
    return localizedErrorBody(error, this.catalogues, lang, grantErrorText(this.t(lang)));
  }

  private async ruleView(lang: Language) {
    const t = this.t(lang);
    const today = this.clock.today();
    const ruleSet: RuleSetValues = await this.rules.valuesInForce(today);
    const bands = ruleSet.serviceLevels.map((band) => ({ ...band, text: bandPhrase(this.catalogues, lang, band) }));
    const json = {
      today,
      levels: ruleSet.serviceLevels.map((band) => ({ level: band.level, min: band.minMinutesExclusive, max: band.maxMinutes, text: bandPhrase(this.catalogues, lang, band) })),
      maxPeriodMonths: ruleSet.maxPeriodMonths,
      level4MaxMonths: ruleSet.level4MaxMonths,
      holisticPeriodMonths: ruleSet.holisticPeriodMonths,
      text: {
        hours: t('duration.hours'),
        minutesOnly: t('duration.minutes_only'),
        hoursMinutes: t('duration.hours_minutes'),
        fits: t('grants.hint.fits'),
        outside: t('grants.hint.outside'),
        latestEnd: t('grants.hint.latest_end'),
        endTooLate: t('grants.hint.end_too_late'),
        chooseLevel: t('grants.hint.choose_level'),
        partnership: t('grants.partnership_minutes_hint'),
      },
    };
    return {
      bands,
      ruleSet,
      periodText: t('grants.rules.period', { months: ruleSet.maxPeriodMonths, level4: ruleSet.level4MaxMonths, holistic: ruleSet.holisticPeriodMonths }),
      // Escaped so the JSON cannot close its <script> element.
      rulesJson: JSON.stringify(json).replace(/</g, '\\u003c'),
      example: latestPeriodEnd(today, ruleSet.maxPeriodMonths),
    };
  }

  private async renderForm(
    request: Request,
    response: Response,
    extra: { values: Form; error?: ErrorBody; fieldErrors?: FieldErrors; citizenValues?: Form; citizenError?: ErrorBody; notice?: string; citizenQuery?: string | null },
    status = 200,
  ): Promise<void> {
    const lang = pageContext(request).lang;
    const today = this.clock.today();
    // The citizen picker: the citizen chosen (if any) and those the search found, at most CITIZEN_PICKS; no list of everyone.
    const citizenQuery = extra.citizenQuery ?? null;
    const chosenId = typeof extra.values.citizenId === 'string' && /^[0-9a-f-]{36}$/i.test(extra.values.citizenId) ? extra.values.citizenId : null;
    const [found, chosen] = await Promise.all([
      citizenQuery === null ? null : this.citizens.page({ q: citizenQuery }, { sort: 'name', dir: 'asc', cursor: null, limit: CITIZEN_PICKS }),
      chosenId === null ? null : this.citizens.get(chosenId).catch(() => null),
    ]);
    const citizens = [...(chosen ? [chosen] : []), ...(found?.items ?? []).filter((c) => c.id !== chosen?.id)];
    const [agreements, supplierOptions, rules] = await Promise.all([
      this.agreements.list({}, AccessScope.unrestricted()),
      this.suppliers.options(),
      this.ruleView(lang),
    ]);
    const supplierName = new Map(supplierOptions.map((s) => [s.id, s.name]));
    const values = extra.values;
    const citizenValues = extra.citizenValues ?? {};
    const shown = agreements
      .filter((a) => a.active && compareDates(a.validTo as CalendarDate, today) >= 0)
      .map((a) => ({ id: a.id, reference: a.reference, title: a.title, validFrom: a.validFrom, validTo: a.validTo, kind: a.kind, defaultMinutesPerWeek: a.defaultMinutesPerWeek, supplierName: supplierName.get(a.supplierId) ?? '' }));
    const chosenAgreement = shown.find((a) => a.id === values.agreementId);
    response.status(status).render('pages/grants/new', {
      ...pageContext(request),
      title: 'grants.new_heading',
      notice: extra.notice,
      error: extra.error,
      fieldErrors: extra.fieldErrors ?? {},
      citizenError: extra.citizenError,
      values,
      citizenValues,
      today,
      citizens: citizens.map((c) => ({ ...c, selected: values.citizenId === c.id || (chosen === null && found?.items.length === 1) })),
      citizenQuery: citizenQuery ?? '',
      citizenSearch: found === null ? null : { count: found.items.length, more: found.nextCursor !== null },
      agreements: shown.map((a) => ({ ...a, partnershipMinutes: partnershipMinutes(a), selected: values.agreementId === a.id })),
      chosenMinutes: chosenAgreement ? partnershipMinutes(chosenAgreement) : null,
      chosenMinutesText: chosenAgreement && partnershipMinutes(chosenAgreement) !== null ? this.t(lang)('grants.partnership_minutes_hint', { time: minutesPhrase(this.catalogues, lang, partnershipMinutes(chosenAgreement) as number) }) : null,
      mentorTypeOptions: MENTOR_TYPES.map((value) => ({ value, selected: values.mentorType === value })),
      levelOptions: rules.bands.map((band) => ({ value: band.level, text: band.text, selected: values.serviceLevel === String(band.level) })),
      targetGroupOptions: TARGET_GROUPS.map((value) => ({ value, selected: citizenValues.targetGroup === value })),
      bands: rules.bands,
      periodText: rules.periodText,
      rulesJson: rules.rulesJson,
    });
  }

  private async renderGrant(request: Request, response: Response, id: string, scope: AccessScope, extra: Record<string, unknown>, status = 200): Promise<void> {
    const lang = pageContext(request).lang;
    const grant = (await this.grants.get(id, scope)) as GrantDto;
    const [agreement, reports, supplierOptions, thread] = await Promise.all([this.agreements.get(grant.agreementId, scope), this.progressReports.list(id, scope), this.suppliers.options(), this.thread(id, scope)]);
    const rank = (state: string) => (state === 'overdue' ? 0 : state === 'due' ? 1 : 2);
    const tasks = [...(grant.dueTasks ?? [])].sort((a, b) => rank(a.state) - rank(b.state) || compareDates(a.due, b.due));
    const user = pageContext(request).user;
    const t = this.t(lang);
    const v = grant.visitation;
    const nameOf = async (userId: string | null) => (userId ? (await this.users.get(userId).catch(() => null))?.displayName ?? '–' : '–');
    const when = formatTimestamp;
    const visitation = {
      proposed: v.proposedAt ? t('grants.proposed_by', { name: await nameOf(v.proposedBy), when: when(v.proposedAt) }) : null,
      approved: v.approvedAt ? t('grants.approved_by', { name: await nameOf(v.approvedBy), when: when(v.approvedAt), from: grant.activeFrom }) : null,
      sentBack: v.sentBackAt ? t('grants.sent_back_by', { name: await nameOf(v.sentBackBy), when: when(v.sentBackAt) }) : null,
      sentBackReason: v.sentBackReason,
    };
    const actorId = request.user ? (request.user as { id?: string }).id : undefined;
    const ownProposal = actorId !== undefined && (actorId === grant.createdBy || actorId === v.proposedBy);
    response.status(status).render('pages/grants/show', {
      visitation,
      canDecide: grant.status === 'proposed' && user?.role === 'team_leader',
      ownProposal,
      canPropose: grant.status === 'sent_back' && (user?.role === 'caseworker' || user?.role === 'admin'),
      draftAgreement: grant.status === 'proposed' || grant.status === 'sent_back',
      ...pageContext(request),
      title: 'grants.grant_heading',
      grant,
      hours: minutesPhrase(this.catalogues, lang, grant.minutesPerWeek),
      agreement,
      supplierName: supplierOptions.find((s) => s.id === grant.supplierId)?.name ?? '',
      tasks,
      reports,
      canChange: grant.status === 'active' && (user?.role === 'caseworker' || user?.role === 'admin'),
      thread,
      messageKinds: GRANT_MESSAGE_KINDS,
      messageAction: user?.role === 'caseworker' ? `/grants/${id}/messages` : null,
      outcomeOptions: OUTCOMES.map((value) => ({ value, selected: (extra.endValues as Form | undefined)?.outcome === value })),
      today: this.clock.today(),
      // The course: the terms in force, the timeline, and the amendment and follow-up forms.
      course: await this.courseViews.view(grant, user?.role, actorId, lang),
      ...extra,
    });
  }

  /** The grant's messages between caseworker and supplier, with times as the page shows them. */
  private async thread(id: string, scope: AccessScope) {
    return (await this.threads.thread(id, scope)).map((message) => ({ ...message, createdAt: formatTimestamp(message.createdAt) }));
  }

  private async renderSupplierGrant(request: Request, response: Response, id: string, scope: AccessScope, extra: Record<string, unknown>, status = 200): Promise<void> {
    const lang = pageContext(request).lang;
    const grant = (await this.grants.get(id, scope)) as SupplierGrantDto;
    const [reports, thread] = await Promise.all([this.progressReports.list(id, scope), this.thread(id, scope)]);
    const tasks = grant.dueTasks ?? [];
    const values = (extra.values as Form | undefined) ?? {};
    const open = tasks.filter((task) => task.kind === 'follow_up' && task.state !== 'done');
    // Only the supplier's view of the grant: no citizen fields reach the template.
    const view = { id: grant.id, reference: grant.reference, mentorType: grant.mentorType, serviceLevel: grant.serviceLevel, start: grant.start, end: grant.end, goal: grant.goal, tasks: grant.tasks, mentor: grant.mentor, status: grant.status };
    response.status(status).render('pages/supplier/grant', {
      ...pageContext(request),
      title: 'grants.supplier_grant_heading',
      grant: view,
      hours: minutesPhrase(this.catalogues, lang, grant.minutesPerWeek),
      tasks,
      reports,
      dueOptions: open.map((task) => ({ ...task, selected: values.dueDate === task.due })),
      values,
      thread,
      messageKinds: GRANT_MESSAGE_KINDS,
      messageAction: `/supplier/grants/${id}/messages`,
      ...extra,
    });
  }
}

/**
 * What the grant pages put around an error's texts: the heading by what went wrong (the rules, or a
 * conflict with the grant's state), and each field by its label on the form.
 */
export function grantErrorText(t: (key: string, params?: Record<string, unknown>) => string): ErrorTextOptions {
  return {
    heading: (body) => (body.statusCode === 422 ? 'grants.error.rules' : body.statusCode === 409 ? 'grants.error.conflict' : undefined),
    fieldLabel: (field) => {
      const key = `grants.field.${field}`;
      const label = t(key);
      return label === key ? undefined : label;
    },
  };
}

/** The messages of a refusal by the field they name. */
type FieldErrors = Record<string, string[]>;
