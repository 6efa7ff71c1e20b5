import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { CreateMentorSessionDto, MentorSessionDto, MentorSessionImportDto, MentorSessionListDto, MentorSessionQueryDto, UpdateMentorSessionDto } from './session-log.dto';
import { SessionLogService } from './session-log.service';

/** The supplier's session log (mentor sessions as they are held; not sign-in sessions). */
@ApiTags('invoices')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/v1/sessions')
export class SessionLogController {
  constructor(private readonly sessionLog: SessionLogService) {}

  @Post()
  @Roles('supplier')
  @ApiOperation({
    summary: 'Log a mentor session on one of the supplier’s grants (the session log)',
    description: 'Not after today, inside the grant period, 1 to 1440 minutes; the same grant, day and minutes twice is 409. Another supplier’s grant is 404. A monthly invoice line of the grant is matched against the log.',
  })
  @ApiCreatedResponse({ type: MentorSessionDto })
  @ApiErrors(400, 404, 409, 422)
  log(@Body() body: CreateMentorSessionDto, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<MentorSessionDto> {
    return this.sessionLog.log(body, scope, actor);
  }

  @Post('import')
  @Roles('supplier')
  @ApiOperation({
    summary: 'Log a file of sessions (text/csv): all rows or none',
    description:
      'Header row with bevilling|grant_reference, dato|date, minutter|minutes, kontaktform|contact_form (fremmøde, telefon, video), med_hvem|with_whom (borger, borger og arbejdsgiver, borger og netværk, arbejdsgiver eller netværk); ";" or ",". At most 2,000 rows and 512 KB (413). A file with any invalid row logs nothing and answers 422 with a detail per row (`rows[N].field`).',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'bevilling;dato;minutter;kontaktform;med_hvem\nMS-2026-000123;2026-11-03;60;fremmøde;borger' } })
  @ApiCreatedResponse({ type: MentorSessionImportDto })
  @ApiErrors(409, 413, 415, 422)
  importCsv(@Req() request: Request, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<MentorSessionImportDto> {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'text/csv') throw new UnsupportedMediaTypeException('Send the session log as text/csv');
    return this.sessionLog.importCsv(request.body, scope, actor);
  }

  @Get()
  @Roles('supplier', 'caseworker', 'team_leader', 'finance', 'admin', 'procurement')
  @ApiOperation({ summary: 'Logged sessions by grant and period; invoiced=false: those no invoice covers yet. A supplier sees only its own grants’' })
  @ApiOkResponse({ type: MentorSessionListDto })
  @ApiErrors(400, 404, 422)
  list(@Query() query: MentorSessionQueryDto, @Scope() scope: AccessScope): Promise<MentorSessionListDto> {
    return this.sessionLog.list(query, scope);
  }

  @Patch(':id')
  @Roles('supplier')
  @ApiOperation({ summary: 'Change a logged session while no invoice covers it (409 once invoiced)' })
  @ApiOkResponse({ type: MentorSessionDto })
  @ApiErrors(400, 404, 409, 422)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateMentorSessionDto, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<MentorSessionDto> {
    return this.sessionLog.update(id, body, scope, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('supplier')
  @ApiOperation({ summary: 'Remove a logged session while no invoice covers it (409 once invoiced)' })
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  remove(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope, @CurrentActor() actor: Actor): Promise<void> {
    return this.sessionLog.remove(id, scope, actor);
  }
}
