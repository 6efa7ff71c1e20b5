import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { formValues } from '../common/web/form';
import { fieldMessages } from '../common/web/form-errors';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { CommonErrorCode } from '../common/errors/common.errors';
import { DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, toErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { parseForm } from '../common/web/form';
import { pageContext } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { FollowUpsService } from './follow-ups.service';
import { GrantAmendmentsService } from './grant-amendments.service';
import { GrantCourseViews, type CourseFormsState } from './grant-course.views';
import { CreateAmendmentDto, CreateFollowUpDto, RejectAmendmentDto } from './grant-course.dto';
import { GrantsService } from './grants.service';
import type { GrantDto } from './grants.dto';
import { grantErrorText } from './grants.pages.controller';

type Form = Record<string, string>;

const NOTICE = { amendment: 'amendment_recorded', proposed: 'amendment_proposed', approved: 'amendment_approved', rejected: 'amendment_rejected', followUp: 'follow_up_recorded' } as const;

/** The pages' forms of a grant's course: an amendment, a team leader's decision on one, a follow-up. */
@ApiExcludeController()
@Controller()
export class GrantCoursePagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly grants: GrantsService,
    private readonly amendments: GrantAmendmentsService,
    private readonly followUps: FollowUpsService,
    private readonly views: GrantCourseViews,
  ) {}

  @Get('grants/:id/course')
  @Roles('caseworker', 'team_leader', 'admin', 'finance')
  async coursePage(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.render(request, response, id, {});
  }

  @Post('grants/:id/amendments')
  @Roles('caseworker', 'admin')
  async amend(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    await this.step(request, response, id, values, 'amend', async () => {
      const plain: Record<string, unknown> = { kind: values.kind, effectiveFrom: values.effectiveFrom, reason: values.reason };
      if (values.kind === 'hours') {
        if (values.serviceLevel) plain.serviceLevel = Number(values.serviceLevel);
        if (values.minutesPerWeek) plain.minutesPerWeek = Number(values.minutesPerWeek);
      }
      if (values.kind === 'mentor') for (const key of ['mentorName', 'mentorPhone', 'mentorEmail']) if (values[key]) plain[key] = values[key];
      if (values.kind === 'goal') for (const key of ['goal', 'tasks']) if (values[key]) plain[key] = values[key];
      const amendment = await this.amendments.record(id, await parseForm(CreateAmendmentDto, plain), actor);
      return amendment.status === 'proposed' ? NOTICE.proposed : NOTICE.amendment;
    });
  }

  @Post('grants/:id/amendments/:amendmentId/approve')
  @Roles('team_leader')
  async approve(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Param('amendmentId', ParseUUIDPipe) amendmentId: string, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    await this.step(request, response, id, values, 'decide', async () => {
      await this.amendments.approve(id, amendmentId, actor);
      return NOTICE.approved;
    }, amendmentId);
  }

  @Post('grants/:id/amendments/:amendmentId/reject')
  @Roles('team_leader')
  async reject(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Param('amendmentId', ParseUUIDPipe) amendmentId: string, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    await this.step(request, response, id, values, 'decide', async () => {
      const form = await parseForm(RejectAmendmentDto, { reason: values.reason });
      await this.amendments.reject(id, amendmentId, form.reason, actor);
      return NOTICE.rejected;
    }, amendmentId);
  }

  @Post('grants/:id/follow-ups')
  @Roles('caseworker', 'admin')
  async followUp(@Req() request: Request, @Res() response: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Form, @CurrentActor() actor: Actor): Promise<void> {
    const values = formValues(body);
    await this.step(request, response, id, values, 'follow', async () => {
      await this.followUps.record(id, await parseForm(CreateFollowUpDto, { kind: values.kind || undefined, heldOn: values.heldOn, form: values.form, withWhom: values.withWhom, progress: values.progress, nextSteps: values.nextSteps }), actor);
      return NOTICE.followUp;
    });
  }

  /** Runs one step after its confirmation; a refusal shows the course page with the error beside the form's fields. */
  private async step(request: Request, response: Response, id: string, values: Form, form: 'amend' | 'decide' | 'follow', run: () => Promise<string>, decideId?: string): Promise<void> {
    try {
      // The page's confirmation: the step is recorded for good (the API takes none).
      if (values.confirm !== 'yes') throw DomainException.rule('Confirm the step', [{ field: 'confirm', rule: CommonErrorCode.Required, message: 'tick the box to confirm' }]);
      const notice = await run();
      response.redirect(303, `/grants/${id}?notice=${notice}`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const lang = pageContext(request).lang;
      const t = (key: string, params: Record<string, unknown> = {}) => translate(this.catalogues, lang, key, params);
      const localized = localizedErrorBody(error, this.catalogues, lang, grantErrorText(t));
      if (localized.statusCode === 404) throw error;
      const fieldErrors = fieldMessages(toErrorBody(error), localized);
      const state: CourseFormsState =
        form === 'amend'
          ? { amendValues: values, amendError: localized, amendFieldErrors: fieldErrors }
          : form === 'follow'
            ? { followValues: values, followError: localized, followFieldErrors: fieldErrors }
            : { decideError: localized, decideId };
      await this.render(request, response, id, state, localized.statusCode);
    }
  }

  private async render(request: Request, response: Response, id: string, state: CourseFormsState, status = 200): Promise<void> {
    const context = pageContext(request);
    const grant = (await this.grants.get(id, AccessScope.unrestricted())) as GrantDto;
    const userId = request.user ? (request.user as { id?: string }).id : undefined;
    response.status(status).render('pages/grants/course', {
      ...context,
      title: 'course.heading',
      grant,
      course: await this.views.view(grant, context.user?.role, userId, context.lang, state),
    });
  }
}
