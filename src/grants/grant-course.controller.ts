import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { FollowUpsService } from './follow-ups.service';
import { GrantAmendmentsService } from './grant-amendments.service';
import { AmendmentDto, AmendmentListDto, CreateAmendmentDto, CreateFollowUpDto, FollowUpDto, RejectAmendmentDto } from './grant-course.dto';

const STAFF = ['admin', 'procurement', 'caseworker', 'team_leader', 'finance'] as const;

/** A grant's course: its amendments with their history, and the follow-ups and evaluation the caseworker holds. */
@ApiTags('grants')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/v1/grants/:id')
export class GrantCourseController {
  constructor(
    private readonly amendments: GrantAmendmentsService,
    private readonly followUps: FollowUpsService,
  ) {}

  @Post('amendments')
  @Roles('caseworker', 'admin')
  @ApiOperation({
    summary:
      'Amend an active grant from a day, with a reason (caseworker, admin): `hours` (level and minutes, on a Monday), `mentor` or `goal` (goal and tasks). Checked against the rule set in force on that day; one that raises the minutes is `proposed` until a team leader approves it, the others are `approved` (in force) at once',
  })
  @ApiCreatedResponse({ type: AmendmentDto })
  @ApiErrors(404, 409, 422)
  record(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateAmendmentDto, @CurrentActor() actor: Actor): Promise<AmendmentDto> {
    return this.amendments.record(id, body, actor);
  }

  // A supplier user passes the role check so that another supplier's grant answers 404 like every other read.
  @Get('amendments')
  @Roles(...STAFF, 'supplier')
  @ApiOperation({ summary: 'The grant’s amendments and the terms in force today (staff: all, with reasons; the grant’s supplier: those approved, without reasons)' })
  @ApiOkResponse({ type: AmendmentListDto })
  @ApiErrors(404)
  list(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<AmendmentListDto> {
    return this.amendments.list(id, scope);
  }

  @Post('amendments/:amendmentId/approve')
  @HttpCode(200)
  @Roles('team_leader')
  @ApiOperation({ summary: 'Approve a proposed amendment (a team leader other than its creator); it is checked again against the grant as it is now. 409 naming the states when it is not proposed' })
  @ApiOkResponse({ type: AmendmentDto })
  @ApiErrors(404, 409, 422)
  approve(@Param('id', ParseUUIDPipe) id: string, @Param('amendmentId', ParseUUIDPipe) amendmentId: string, @CurrentActor() actor: Actor): Promise<AmendmentDto> {
    return this.amendments.approve(id, amendmentId, actor);
  }

  @Post('amendments/:amendmentId/reject')
  @HttpCode(200)
  @Roles('team_leader')
  @ApiOperation({ summary: 'Reject a proposed amendment with the reason (team leader); the grant keeps its terms' })
  @ApiOkResponse({ type: AmendmentDto })
  @ApiErrors(404, 409, 422)
  reject(@Param('id', ParseUUIDPipe) id: string, @Param('amendmentId', ParseUUIDPipe) amendmentId: string, @Body() body: RejectAmendmentDto, @CurrentActor() actor: Actor): Promise<AmendmentDto> {
    return this.amendments.reject(id, amendmentId, body.reason, actor);
  }

  @Post('follow-ups')
  @Roles('caseworker', 'admin')
  @ApiOperation({
    summary:
      'Record a follow-up or the evaluation held with the citizen (caseworker, admin): day, form, with whom, progress toward the goal, next steps. A follow-up closes the open follow-up task and the next falls due 13 weeks after it; 409 on a grant not active, 422 for a day in the future or outside the period',
  })
  @ApiCreatedResponse({ type: FollowUpDto })
  @ApiErrors(404, 409, 422)
  recordFollowUp(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateFollowUpDto, @CurrentActor() actor: Actor): Promise<FollowUpDto> {
    return this.followUps.record(id, body, actor);
  }

  @Get('follow-ups')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'The grant’s follow-ups and evaluations by the day held (staff)' })
  @ApiOkResponse({ type: [FollowUpDto] })
  @ApiErrors(404)
  listFollowUps(@Param('id', ParseUUIDPipe) id: string): Promise<FollowUpDto[]> {
    return this.followUps.list(id);
  }
}
