import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { CurrentActor, CurrentUser, Roles } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { DelegationsService, type DelegationView } from './delegations.service';
import { CreateDelegationDto, DelegationDto } from './notifications.dto';

function dto(view: DelegationView): DelegationDto {
  return {
    id: view.id,
    principalUserId: view.principalId,
    principal: view.principal,
    deputyUserId: view.deputyId,
    deputy: view.deputy,
    validFrom: view.validFrom,
    validTo: view.validTo,
    endedAt: view.endedAt?.toISOString() ?? null,
  };
}

/** Deputies for a period: finance's approvers and team leaders name their own; admin names them for anyone. */
@ApiTags('notifications')
@ApiBearerAuth()
@Roles('finance', 'team_leader', 'admin')
@ApiErrors(401, 403)
@Controller('api/v1/delegations')
export class DelegationsController {
  constructor(private readonly delegations: DelegationsService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s delegations, as principal or deputy (admin: all), current and recently ended' })
  @ApiOkResponse({ type: [DelegationDto] })
  async list(@CurrentUser() user: AuthenticatedUser): Promise<DelegationDto[]> {
    return (await this.delegations.list(user)).map(dto);
  }

  @Post()
  @ApiOperation({ summary: 'Names a deputy of the same role for a period; the deputy is told of the waiting work, and the audit names whom the deputy acted for' })
  @ApiCreatedResponse({ type: DelegationDto })
  @ApiErrors(409, 422)
  async create(@Body() body: CreateDelegationDto, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<DelegationDto> {
    return dto(await this.delegations.create(user, body, actor));
  }

  @Post(':id/end')
  @HttpCode(204)
  @ApiOperation({ summary: 'Ends a delegation now (its principal, its deputy, or admin)' })
  @ApiNoContentResponse()
  @ApiErrors(404, 409)
  async end(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor): Promise<void> {
    await this.delegations.end(user, id, actor);
  }
}
