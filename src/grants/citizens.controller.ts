import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pageRequest, searchText } from '../common/web/list-query';
import { CITIZEN_SORTS } from './citizen.store';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { ApiScopes, CurrentActor, Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { CitizensService } from './citizens.service';
import { ChangeTargetGroupDto, CitizenDto, CitizenQueryDto, CitizenTargetGroupsDto, CreateCitizenDto } from './grants.dto';

@ApiTags('citizens')
@ApiBearerAuth()
@Roles('caseworker', 'team_leader', 'admin', 'finance')
@ApiErrors(401, 403)
@Controller('api/v1/citizens')
export class CitizensController {
  constructor(private readonly citizens: CitizensService) {}

  @Post()
  @Roles('caseworker', 'admin')
  @ApiScopes('case-system:write')
  @ApiOperation({ summary: 'Register a citizen (caseworker, admin; the case system with case-system:write); the CPR number is stored encrypted and shown masked' })
  @ApiCreatedResponse({ type: CitizenDto })
  @ApiErrors(409, 422)
  create(@Body() body: CreateCitizenDto, @CurrentActor() actor: Actor): Promise<CitizenDto> {
    return this.citizens.create(body, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Find citizens by exact CPR number, or q: part of a name or case number, a masked CPR number or birth date (DDMMYY), or a whole CPR number (staff); sorted by `sort` and paged by `cursor`, the next and previous pages in the Link header' })
  @ApiOkResponse({
    type: [CitizenDto],
    headers: { Link: { description: 'The next and previous pages when there are any: `<…?cursor=…>; rel="next"`, `<…>; rel="prev"`', schema: { type: 'string' } } },
  })
  @ApiErrors(422)
  async list(@Query() query: CitizenQueryDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<CitizenDto[]> {
    const page = await this.citizens.page({ q: searchText(query.q), cpr: query.cpr }, pageRequest(query, CITIZEN_SORTS, { limit: 100 }));
    const link = (cursor: string, rel: string) => {
      const url = new URL(request.originalUrl, 'http://portal');
      url.searchParams.set('cursor', cursor);
      return `<${url.pathname}${url.search}>; rel="${rel}"`;
    };
    const links = [page.nextCursor ? link(page.nextCursor, 'next') : null, page.prevCursor ? link(page.prevCursor, 'prev') : null].filter((l) => l !== null);
    if (links.length > 0) response.setHeader('Link', links.join(', '));
    return page.items;
  }

  @Get(':id')
  @ApiOkResponse({ type: CitizenDto })
  @ApiErrors(404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<CitizenDto> {
    return this.citizens.get(id);
  }

  @Get(':id/target-groups')
  @ApiOperation({ summary: 'The citizen’s target group now and its history, each from the day it took effect (staff)' })
  @ApiOkResponse({ type: CitizenTargetGroupsDto })
  @ApiErrors(404)
  targetGroups(@Param('id', ParseUUIDPipe) id: string): Promise<CitizenTargetGroupsDto> {
    return this.citizens.targetGroups(id);
  }

  @Put(':id/target-groups')
  @Roles('caseworker', 'admin')
  @ApiOperation({
    summary:
      'Record a change of the citizen’s target group from a day (caseworker, admin): the grants not yet approved that start on or after it take it; 409 target_group_alters_grant when it would alter an approved grant’s target group at its start',
  })
  @ApiOkResponse({ type: CitizenTargetGroupsDto })
  @ApiErrors(404, 409, 422)
  changeTargetGroup(@Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeTargetGroupDto, @CurrentActor() actor: Actor): Promise<CitizenTargetGroupsDto> {
    return this.citizens.changeTargetGroup(id, body, actor);
  }
}
