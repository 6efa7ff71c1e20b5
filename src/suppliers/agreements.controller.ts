import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../common/actor';
import { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import {
  AgreementDetailDto,
  AgreementDto,
  AgreementQueryDto,
  CreateAgreementDto,
  CreatePriceCapDto,
  CorrectRateDto,
  CreateRateDto,
  EndRateDto,
  PriceCapDto,
  PriceRegulationDto,
  PriceRegulationQueryDto,
  PriceRegulationResultDto,
  RateDto,
  UpdateAgreementDto,
} from './agreements.dto';
import { AgreementsService } from './agreements.service';
import { RateCardService } from './rate-card.service';

@ApiTags('agreements')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/v1/agreements')
export class AgreementsController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly rateCard: RateCardService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Agreements, filtered by supplier, kind and a date they are valid on; a supplier user sees only its own' })
  @ApiOkResponse({ type: [AgreementDto] })
  @ApiErrors(422)
  async list(@Query() query: AgreementQueryDto, @Scope() scope: AccessScope): Promise<AgreementDto[]> {
    return (await this.agreements.list(query, scope)).map((a) => AgreementDto.from(a));
  }

  @Post()
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Register a framework or partnership agreement (procurement, admin)' })
  @ApiCreatedResponse({ type: AgreementDetailDto })
  @ApiErrors(403, 409, 422)
  async create(@Body() body: CreateAgreementDto, @CurrentActor() actor: Actor): Promise<AgreementDetailDto> {
    const agreement = await this.agreements.create(body, actor);
    return AgreementDetailDto.detail(agreement, []);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One agreement with its rate card, ceiling and consumption' })
  @ApiOkResponse({ type: AgreementDetailDto })
  @ApiErrors(404)
  async get(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<AgreementDetailDto> {
    const agreement = await this.agreements.get(id, scope);
    return AgreementDetailDto.detail(agreement, await this.agreements.rates(id));
  }

  @Patch(':id')
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Change an agreement (procurement, admin)' })
  @ApiOkResponse({ type: AgreementDetailDto })
  @ApiErrors(403, 404, 422)
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAgreementDto, @CurrentActor() actor: Actor): Promise<AgreementDetailDto> {
    await this.agreements.update(id, body, actor);
    return this.get(id, AccessScope.unrestricted());
  }

  @Post(':id/use-extension')
  @HttpCode(200)
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Use one extension option: the end date moves extensionMonths on (procurement, admin)' })
  @ApiOkResponse({ type: AgreementDetailDto })
  @ApiErrors(403, 404, 422)
  async useExtension(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<AgreementDetailDto> {
    await this.agreements.useExtension(id, actor);
    return this.get(id, AccessScope.unrestricted());
  }

  @Get(':id/rates')
  @ApiOperation({ summary: 'The agreement’s rate card; same visibility as the agreement' })
  @ApiOkResponse({ type: [RateDto] })
  @ApiErrors(404)
  async rates(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<RateDto[]> {
    await this.agreements.get(id, scope);
    return (await this.agreements.rates(id)).map((r) => RateDto.from(r));
  }

  @Post(':id/rates')
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Add a rate (price regulation) to the rate card, checked against overlaps and the price cap (procurement, admin)' })
  @ApiCreatedResponse({ type: RateDto })
  @ApiErrors(403, 404, 422)
  async addRate(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateRateDto, @CurrentActor() actor: Actor): Promise<RateDto> {
    return RateDto.from(await this.agreements.addRate(id, body, actor));
  }

  @Post(':id/rates/:rateId/end')
  @HttpCode(200)
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'End a rate on validTo, its last day; the rates of its mentor type and level must still follow on without gap or overlap (procurement, admin)' })
  @ApiOkResponse({ type: RateDto })
  @ApiErrors(403, 404, 422)
  async endRate(@Param('id', ParseUUIDPipe) id: string, @Param('rateId', ParseUUIDPipe) rateId: string, @Body() body: EndRateDto, @CurrentActor() actor: Actor): Promise<RateDto> {
    return RateDto.from(await this.rateCard.endRate(id, rateId, body.validTo, actor));
  }

  @Patch(':id/rates/:rateId')
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Correct the dates or price of a rate that has not started yet (procurement, admin)' })
  @ApiOkResponse({ type: RateDto })
  @ApiErrors(403, 404, 422)
  async correctRate(@Param('id', ParseUUIDPipe) id: string, @Param('rateId', ParseUUIDPipe) rateId: string, @Body() body: CorrectRateDto, @CurrentActor() actor: Actor): Promise<RateDto> {
    return RateDto.from(await this.rateCard.correctRate(id, rateId, body, actor));
  }

  @Post(':id/price-regulations')
  @Roles('procurement', 'admin')
  @ApiOperation({
    summary:
      'Regulate the prices from effectiveFrom by a percent or an index: every rate in force ends the day before and a new one starts, rounded half up to the øre. With ?preview=true the answer (200) says what would change and nothing is stored; without, it is applied (201) (procurement, admin)',
  })
  @ApiCreatedResponse({ type: PriceRegulationResultDto })
  @ApiOkResponse({ type: PriceRegulationResultDto, description: 'The preview' })
  @ApiErrors(403, 404, 422)
  async regulatePrices(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PriceRegulationQueryDto,
    @Body() body: PriceRegulationDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PriceRegulationResultDto> {
    const command = { effectiveFrom: body.effectiveFrom, percent: body.percent, index: body.index ? { base: body.index.base, current: body.index.current } : undefined };
    if (query.preview === 'true') {
      response.status(200);
      return { applied: false, ...(await this.rateCard.previewRegulation(id, command)) };
    }
    return { applied: true, ...(await this.rateCard.applyRegulation(id, command, actor)) };
  }
}

@ApiTags('agreements')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Roles('admin', 'procurement', 'caseworker', 'team_leader', 'finance')
@Controller('api/v1/price-caps')
export class PriceCapsController {
  constructor(private readonly agreements: AgreementsService) {}

  @Get()
  @ApiOperation({ summary: 'Price caps per mentor type and level, by start date (staff)' })
  @ApiOkResponse({ type: [PriceCapDto] })
  async list(): Promise<PriceCapDto[]> {
    return (await this.agreements.listPriceCaps()).map((c) => PriceCapDto.from(c));
  }

  @Post()
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Add a price cap from a date; below a rate already in force on a day it would cover it is refused (cap_below_rate_in_use), below a rate from a later day it flags that rate and invoice lines above it are approvable at the cap (procurement, admin)' })
  @ApiCreatedResponse({ type: PriceCapDto })
  @ApiErrors(409, 422)
  async create(@Body() body: CreatePriceCapDto, @CurrentActor() actor: Actor): Promise<PriceCapDto> {
    return PriceCapDto.from(await this.agreements.addPriceCap(body, actor));
  }
}
