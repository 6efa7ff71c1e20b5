import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { formValues } from '../common/web/form';
import { fieldMessages } from '../common/web/form-errors';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { CommonErrorCode } from '../common/errors/common.errors';
import { DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, toErrorBody, type ErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { Clock } from '../common/time/clock';
import { parseForm } from '../common/web/form';
import { pageContext, type Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { RulesService } from '../rules/rules.service';
import { checkEnd, isEarlyEnd } from './grant-end.rules';
import { GrantCourseService } from './grant-course.service';
import { EndGrantDto, OUTCOMES, type GrantDto } from './grants.dto';
import { grantErrorText } from './grants.pages.controller';
import { GrantsService } from './grants.service';
import { SilentGrantsService } from './silent-grants.service';

type Form = Record<string, string>;

/**
 * The course pages of a grant: ending it (the reasons its mentor type allows, then a confirmation that says what
 * follows), the chain of holistic periods with the next period a period asks for, and the silent grants.
 */
@ApiExcludeController()
@Controller()
export class GrantPeriodsPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly grants: GrantsService,
    private readonly course: GrantCourseService,
    private readonly silent: SilentGrantsService,
    private readonly rules: RulesService,
    private readonly clock: Clock,
  ) {}

  @Get('grants/:id/ending')
  @Roles('caseworker', 'admin')
  async endingForm(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.renderEnding(request, response, id, { values: {} });
  }

  /** Checks the choice and shows what ending means before anything is stored. */
  @Post('grants/:id/ending')
  @HttpCode(200)
  @Roles('caseworker', 'admin')
  async endingReview(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form): Promise<void> {
    const values = formValues(body);
    const lang = pageContext(request).lang;
    try {
      const form = await parseForm(EndGrantDto, values);
      const grant = (await this.grants.get(id, AccessScope.unrestricted())) as GrantDto;
      const ruleSet = await this.rules.valuesInForce(grant.start);
      const problems = checkEnd({ ruleSet, mentorType: grant.mentorType, end: grant.end, endedOn: form.endedOn, outcome: form.outcome, reason: form.reason ?? null });
      if (problems.length > 0) throw DomainException.rule('The grant cannot end so', problems);
      const t = (key: string, params?: Record<string, unknown>) => translate(this.catalogues, lang, key, params);
      response.render('pages/grants/ending-confirm', {
        ...pageContext(request),
        title: 'course.ending_confirm_heading',
        grant,
        values,
        early: isEarlyEnd(grant.end, form.endedOn),
        pending: grant.mentorType === 'holistic' && !isEarlyEnd(grant.end, form.endedOn) && form.outcome !== 'active_offer' && grant.course?.nextGrantId === null,
        summary: t('course.ending_summary', { reference: grant.reference, endedOn: form.endedOn, outcome: t(`outcome.${form.outcome}`) }),
      });
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, lang);
      if (errorBody.statusCode === 404) throw error;
      await this.renderEnding(request, response, id, { values, error: errorBody, fieldErrors: fieldMessages(toErrorBody(error), errorBody) }, errorBody.statusCode);
    }
  }

  @Post('grants/:id/ending/confirm')
  @Roles('caseworker', 'admin')
  async endingConfirm(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    try {
      const form = await parseForm(EndGrantDto, { outcome: values.outcome, endedOn: values.endedOn, reason: values.reason });
      await this.grants.end(id, form.outcome, form.endedOn, actor, form.reason ?? null);
      response.redirect(303, `/grants/${id}?notice=ended`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, pageContext(request).lang);
      if (errorBody.statusCode === 404) throw error;
      await this.renderEnding(request, response, id, { values, error: errorBody, fieldErrors: fieldMessages(toErrorBody(error), errorBody) }, errorBody.statusCode);
    }
  }

  @Get('grants/:id/periods')
  @Roles('admin', 'procurement', 'caseworker', 'team_leader', 'finance')
  async periods(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<void> {
    await this.renderPeriods(request, response, id, scope, {});
  }

  @Post('grants/:id/successor-period')
  @Roles('caseworker', 'admin')
  async successor(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    try {
      if (formValues(body).confirm !== 'yes') throw DomainException.rule('Confirm the step', [{ field: 'confirm', rule: CommonErrorCode.Required, message: 'tick the box to confirm' }]);
      const next = await this.course.proposeSuccessor(id, actor);
      response.redirect(303, `/grants/${next.id}?notice=created_proposed`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errorBody = this.errorBody(error, pageContext(request).lang);
      if (errorBody.statusCode === 404) throw error;
      await this.renderPeriods(request, response, id, scope, { error: errorBody }, errorBody.statusCode);
    }
  }

  @Get('grants-silent')
  @Roles('caseworker', 'team_leader', 'admin')
  async silentGrants(@Req() request: Request, @Res() response: Response): Promise<void> {
    response.render('pages/grants/silent', { ...pageContext(request), title: 'course.silent_heading', silent: await this.silent.open(200) });
  }

  private async renderEnding(request: Request, response: Response, id: string, extra: { values: Form; error?: ErrorBody; fieldErrors?: Record<string, string[]> }, status = 200): Promise<void> {
    const grant = (await this.grants.get(id, AccessScope.unrestricted())) as GrantDto;
    const reasons = grant.course?.earlyEndReasons ?? [];
    response.status(status).render('pages/grants/ending', {
      ...pageContext(request),
      title: 'course.ending_heading',
      grant,
      canEnd: grant.status === 'active',
      holistic: grant.mentorType === 'holistic',
      outcomeOptions: OUTCOMES.map((value) => ({ value, selected: extra.values.outcome === value })),
      reasonOptions: reasons.map((value) => ({ value, selected: extra.values.reason === value })),
      endedOn: extra.values.endedOn ?? this.clock.today(),
      error: extra.error,
      fieldErrors: extra.fieldErrors ?? {},
    });
  }

  private async renderPeriods(request: Request, response: Response, id: string, scope: AccessScope, extra: { error?: ErrorBody }, status = 200): Promise<void> {
    const grant = (await this.grants.get(id, scope)) as GrantDto;
    const chain = await this.course.chain(id, scope);
    const user = pageContext(request).user;
    response.status(status).render('pages/grants/periods', {
      ...pageContext(request),
      title: 'course.periods_heading',
      grant,
      chain: chain.map((period) => ({ ...period, current: period.id === id })),
      canPropose: grant.course?.successor === 'needed' && (user?.role === 'caseworker' || user?.role === 'admin'),
      silent: await this.silent.ofGrant(id),
      ...extra,
    });
  }

  private errorBody(error: Parameters<typeof localizedErrorBody>[0], lang: Language): ErrorBody {
    return localizedErrorBody(error, this.catalogues, lang, grantErrorText((key, params) => translate(this.catalogues, lang, key, params)));
  }
}
