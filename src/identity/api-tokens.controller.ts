import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ApiTokenDto, CreateServiceAccountDto, IssuedApiTokenDto, IssueApiTokenDto, ServiceAccountDto, UpdateServiceAccountDto } from './api-tokens.dto';
import { ApiTokensService, DEFAULT_TOKEN_DAYS } from './api-tokens.service';

@ApiTags('api-tokens')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors(401, 403)
@Controller('api/v1/api-tokens')
export class ApiTokensController {
  constructor(private readonly apiTokens: ApiTokensService) {}

  @Get()
  @ApiOperation({ summary: 'Service accounts and their tokens (admin); a token itself is never shown again' })
  @ApiOkResponse({ type: [ServiceAccountDto] })
  async list(): Promise<ServiceAccountDto[]> {
    return (await this.apiTokens.list()).map((account) => ServiceAccountDto.fromListed(account));
  }

  @Post()
  @ApiOperation({
    summary: 'Issue a token for a service account (admin): shown once in this answer, stored as its hash, valid validDays days',
    description: 'Every call made with the token is audited under its service account; the account acts only through its scopes.',
  })
  @ApiCreatedResponse({ type: IssuedApiTokenDto })
  @ApiErrors(404, 422)
  async issue(@Body() body: IssueApiTokenDto, @CurrentActor() actor: Actor): Promise<IssuedApiTokenDto> {
    return IssuedApiTokenDto.fromIssued(await this.apiTokens.issue(body.serviceAccountId, body.validDays ?? DEFAULT_TOKEN_DAYS, actor));
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a token (admin); it opens nothing from now on' })
  @ApiOkResponse({ type: ApiTokenDto })
  @ApiErrors(404)
  async revoke(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<ApiTokenDto> {
    return ApiTokenDto.from(await this.apiTokens.revoke(id, actor));
  }

  @Post('service-accounts')
  @ApiOperation({ summary: 'Create a service account with its scopes (admin)' })
  @ApiCreatedResponse({ type: ServiceAccountDto })
  @ApiErrors(409, 422)
  async createAccount(@Body() body: CreateServiceAccountDto, @CurrentActor() actor: Actor): Promise<ServiceAccountDto> {
    return ServiceAccountDto.from(await this.apiTokens.createAccount({ name: body.name, description: body.description ?? '', scopes: body.scopes }, actor));
  }

  @Patch('service-accounts/:id')
  @ApiOperation({ summary: "Change a service account's description, scopes or active flag (admin)" })
  @ApiOkResponse({ type: ServiceAccountDto })
  @ApiErrors(404, 422)
  async updateAccount(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateServiceAccountDto, @CurrentActor() actor: Actor): Promise<ServiceAccountDto> {
    return ServiceAccountDto.from(await this.apiTokens.updateAccount(id, body, actor));
  }
}
