import { pageRequest, searchText } from '../common/web/list-query';
import { GRANT_SORTS } from './grant.store';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import {
  ApproveGrantDto,
  CreateGrantDto,
  CreateProgressReportDto,
  DueTaskItemDto,
  DueTaskQueryDto,
  EndGrantDto,
  ExtendGrantDto,
  GrantDto,
  GrantPageDto,
  GrantQueryDto,
  ProgressReportDto,
  ProposeGrantDto,
  SendBackGrantDto,
  SupplierGrantDto,
} from './grants.dto';
import { DueTasksService } from './due-tasks.service';
import { GrantAgreementService } from './grant-agreement.service';
import { GrantsService } from './grants.service';
import { ProgressReportsService } from './progress-reports.service';

const STAFF = ['admin', 'procurement', 'caseworker', 'team_leader', 'finance'] as const;
const GRANT_ONE_OF = { oneOf: [{ $ref: getSchemaPath(GrantDto) }, { $ref: getSchemaPath(SupplierGrantDto) }] };

@ApiTags('grants')
@ApiBearerAuth()
@ApiExtraModels(GrantDto, SupplierGrantDto)
@Roles(...STAFF, 'supplier')
@ApiErrors(401, 403)
@Controller('api/v1/grants')
export class GrantsController {
  constructor(
    private readonly grants: GrantsService,
    private readonly agreementDocuments: GrantAgreementService,
    private readonly progressReportsService: ProgressReportsService,
  ) {}

  @Post()
  @Roles('caseworker', 'admin')
  @ApiOperation({ summary: 'Propose mentor support (caseworker, admin): the terms are checked against the rule set in force on the start; the grant is `proposed` until a team leader approves it' })
  @ApiCreatedResponse({ type: GrantDto })
  @ApiErrors(422)
  create(@Body() body: CreateGrantDto, @CurrentActor() actor: Actor): Promise<GrantDto> {
    return this.grants.create(body, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Grants, filtered, by reference with a keyset cursor, or with q, sort or cursor searched, sorted and paged by cursor; a supplier user sees only its own, without the citizen' })
  @ApiOkResponse({ type: GrantPageDto })
  @ApiErrors(422)
  list(@Query() query: GrantQueryDto, @Scope() scope: AccessScope): Promise<GrantPageDto> {
    if (query.q !== undefined || query.sort !== undefined || query.cursor !== undefined || query.dir !== undefined) {
      const { q, sort: _sort, dir: _dir, cursor: _cursor, after: _after, ...filter } = query;
      return this.grants.search({ ...filter, limit: query.limit ?? 50 }, searchText(q), pageRequest(query, GRANT_SORTS), scope);
    }
    return this.grants.list({ ...query, limit: query.limit ?? 50 }, scope);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A grant with its due tasks: GrantDto for staff, SupplierGrantDto (no name, CPR or case number) for its supplier' })
  @ApiOkResponse({ schema: GRANT_ONE_OF })
  @ApiErrors(404)
  get(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<GrantDto | SupplierGrantDto> {
    return this.grants.get(id, scope);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('team_leader')
  @ApiOperation({ summary: 'Approve a proposed grant (a team leader other than its creator and proposer): it becomes active from `activeFrom`, its written agreement final and its supplier able to invoice it. 409 naming the states when it is not proposed' })
  @ApiOkResponse({ type: GrantDto })
  @ApiErrors(404, 409, 422)
  approve(@Param('id', ParseUUIDPipe) id: string, @Body() body: ApproveGrantDto, @CurrentActor() actor: Actor): Promise<GrantDto> {
    return this.grants.approve(id, body.activeFrom, actor);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('team_leader')
  @ApiOperation({ summary: 'Send a proposed grant back to the caseworker with the reason (team leader); it is `sent_back` until proposed again' })
  @ApiOkResponse({ type: GrantDto })
  @ApiErrors(404, 409, 422)
  sendBack(@Param('id', ParseUUIDPipe) id: string, @Body() body: SendBackGrantDto, @CurrentActor() actor: Actor): Promise<GrantDto> {
    return this.grants.sendBack(id, body.reason, actor);
  }

  @Post(':id/propose')
  @HttpCode(200)
  @Roles('caseworker', 'admin')
  @ApiOperation({ summary: 'Propose a grant sent back again, with its terms changed (caseworker, admin); the terms left out stay, and all are checked again' })
  @ApiOkResponse({ type: GrantDto })
  @ApiErrors(404, 409, 422)
  propose(@Param('id', ParseUUIDPipe) id: string, @Body() body: ProposeGrantDto, @CurrentActor() actor: Actor): Promise<GrantDto> {
    return this.grants.propose(id, body, actor);
  }

  @Post(':id/extend')
  @HttpCode(200)
  @Roles('caseworker', 'admin')
  @ApiOperation({ summary: 'Extend an active grant to a new end (caseworker, admin)' })
  @ApiOkResponse({ type: GrantDto })
  @ApiErrors(404, 409, 422)
  extend(@Param('id', ParseUUIDPipe) id: string, @Body() body: ExtendGrantDto, @CurrentActor() actor: Actor): Promise<GrantDto> {
    return this.grants.extend(id, body.newEnd, actor);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles('caseworker', 'admin')
  @ApiOperation({ summary: 'End an active grant with an outcome, on a date within its period (caseworker, admin); before the period’s last day only with a reason its mentor type allows (422 end_reason_required, end_reason_for_mentor_type)' })
  @ApiOkResponse({ type: GrantDto })
  @ApiErrors(404, 409, 422)
  end(@Param('id', ParseUUIDPipe) id: string, @Body() body: EndGrantDto, @CurrentActor() actor: Actor): Promise<GrantDto> {
    return this.grants.end(id, body.outcome, body.endedOn, actor, body.reason ?? null);
  }

  // A supplier user passes the role check so that another supplier's grant answers 404 like every other read.
  @Get(':id/agreement.pdf')
  @ApiOperation({ summary: 'The written agreement of the grant as PDF (staff; 403 for the grant’s supplier, 404 for another supplier); the viewing is audited. 409 when the grant lacks a mandatory content (a goal of blanks stored before it was checked)' })
  @ApiProduces('application/pdf', 'application/json')
  @ApiOkResponse({ description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(404, 409)
  async agreementPdf(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const { reference, pdf } = await this.agreementDocuments.pdf(id, scope, actor);
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `inline; filename="${reference}.pdf"`);
    response.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(pdf);
  }

  @Post(':id/progress-reports')
  @Roles('supplier')
  @ApiOperation({ summary: 'Submit the progress report due on one of the grant’s follow-up dates (the grant’s supplier)' })
  @ApiCreatedResponse({ type: ProgressReportDto })
  @ApiErrors(404, 409, 422)
  submitProgressReport(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CreateProgressReportDto,
    @Scope() scope: AccessScope,
    @CurrentActor() actor: Actor,
  ): Promise<ProgressReportDto> {
    return this.progressReportsService.submit(id, body, scope, actor);
  }

  @Get(':id/progress-reports')
  @ApiOperation({ summary: 'The grant’s progress reports (staff, and the grant’s supplier)' })
  @ApiOkResponse({ type: [ProgressReportDto] })
  @ApiErrors(404)
  progressReports(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<ProgressReportDto[]> {
    return this.progressReportsService.list(id, scope);
  }
}

/** Tasks in one answer unless `limit` asks for more (at most 200). */
const DUE_TASK_PAGE = 50;

@ApiTags('grants')
@ApiBearerAuth()
@Roles('caseworker', 'admin')
@ApiErrors(401, 403)
@Controller('api/v1/due-tasks')
export class DueTasksController {
  constructor(private readonly dueTasks: DueTasksService) {}

  @Get()
  @ApiOperation({ summary: 'Open follow-ups and evaluations of active grants, overdue first, then by date (the first 50, or `limit` up to 200)' })
  @ApiOkResponse({ type: [DueTaskItemDto] })
  @ApiErrors(422)
  list(@Query() query: DueTaskQueryDto): Promise<DueTaskItemDto[]> {
    return this.dueTasks.openDueTasks(query.limit ?? DUE_TASK_PAGE);
  }
}
