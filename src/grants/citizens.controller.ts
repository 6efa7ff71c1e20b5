import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
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
  @ApiOperation({ summary: 'Find citizens by exact CPR number or by name / case number (staff)' })
  @ApiOkResponse({ type: [CitizenDto] })
  @ApiErrors(422)
  list(@Query() query: CitizenQueryDto): Promise<CitizenDto[]> {
    return this.citizens.list({ cpr: query.cpr, q: query.q, limit: query.limit ?? 100 });
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
