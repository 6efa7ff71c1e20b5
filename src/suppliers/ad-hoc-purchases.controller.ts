import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AD_HOC_LIMIT_ORE } from './ad-hoc-purchase.rules';
import type { AdHocPurchaseWithSpend } from './ad-hoc-purchases.service';
import { AdHocPurchasesService } from './ad-hoc-purchases.service';

const NOT_BLANK = /\S/;

export class AdHocPurchaseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ description: 'The citizen’s case number (never a CPR number)' }) caseNumber: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'øre excl. VAT' }) amountOre: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The grant the purchase is for' }) grantId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'MS-2026-000123' }) grantReference: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'øre excl. VAT spent against the purchase: the approved deliveries on its grant (credits subtracted); null without a grant' }) spentOre: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'amountOre less spentOre (negative when spent beyond it); null without a grant' }) leftOre: number | null;
  @ApiProperty({ enum: ['proposed', 'approved', 'refused'] }) status: string;
  @ApiProperty() proposedAt: string;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionReason: string | null;

  static from(p: AdHocPurchaseWithSpend): AdHocPurchaseDto {
    return { id: p.id, supplierId: p.supplierId, caseNumber: p.caseNumber, description: p.description, amountOre: p.amountOre, grantId: p.grantId, grantReference: p.grantReference, spentOre: p.spentOre, leftOre: p.leftOre, status: p.status, proposedAt: p.proposedAt, decidedAt: p.decidedAt, decisionReason: p.decisionReason };
  }
}

export class ProposeAdHocPurchaseDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() supplierId: string;
  @ApiProperty({ example: '2026-004711' }) @IsString() @MinLength(1) @MaxLength(60) @Matches(NOT_BLANK, { message: 'caseNumber must not be blank' }) @Matches(/^(?![0-9]{6}[- ]?[0-9]{4}$)/, { message: 'caseNumber must not be a CPR number' }) caseNumber: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) @Matches(NOT_BLANK, { message: 'description must not be blank' }) description: string;
  @ApiProperty({ description: `øre excl. VAT, at most ${AD_HOC_LIMIT_ORE} (ad_hoc_over_limit)` }) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) amountOre: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'The grant the purchase is for: its approved deliveries are spent against the purchase; its supplier must be the purchase’s (ad_hoc_grant_supplier)' }) @IsOptional() @IsUUID() grantId?: string;
}

export class DecideAdHocPurchaseDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(2000) reason?: string;
}

@ApiTags('suppliers')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/v1/ad-hoc-purchases')
export class AdHocPurchasesController {
  constructor(private readonly purchases: AdHocPurchasesService) {}

  @Get()
  @ApiOperation({ summary: 'Ad-hoc purchases outside a framework, latest first; a supplier user sees its own' })
  @ApiOkResponse({ type: [AdHocPurchaseDto] })
  async list(@Scope() scope: AccessScope): Promise<AdHocPurchaseDto[]> {
    return (await this.purchases.list(scope)).map((p) => AdHocPurchaseDto.from(p));
  }

  @Post()
  @Roles('caseworker', 'procurement', 'admin')
  @ApiOperation({ summary: 'Propose an ad-hoc purchase for one case, at most the spend limit (caseworker, procurement, admin)' })
  @ApiCreatedResponse({ type: AdHocPurchaseDto })
  @ApiErrors(403, 422)
  async propose(@Body() body: ProposeAdHocPurchaseDto, @CurrentActor() actor: Actor): Promise<AdHocPurchaseDto> {
    return AdHocPurchaseDto.from(await this.purchases.propose(body, actor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One ad-hoc purchase; a supplier user sees only its own' })
  @ApiOkResponse({ type: AdHocPurchaseDto })
  @ApiErrors(404)
  async get(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<AdHocPurchaseDto> {
    return AdHocPurchaseDto.from(await this.purchases.get(id, scope));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('team_leader')
  @ApiOperation({ summary: 'Approve a proposed ad-hoc purchase (a team leader who did not propose it)' })
  @ApiOkResponse({ type: AdHocPurchaseDto })
  @ApiErrors(403, 404, 409, 422)
  async approve(@Param('id', ParseUUIDPipe) id: string, @Body() body: DecideAdHocPurchaseDto, @CurrentActor() actor: Actor): Promise<AdHocPurchaseDto> {
    return AdHocPurchaseDto.from(await this.purchases.decide(id, 'approved', body.reason ?? null, actor));
  }

  @Post(':id/refuse')
  @HttpCode(200)
  @Roles('team_leader')
  @ApiOperation({ summary: 'Refuse a proposed ad-hoc purchase with a reason (a team leader who did not propose it)' })
  @ApiOkResponse({ type: AdHocPurchaseDto })
  @ApiErrors(403, 404, 409, 422)
  async refuse(@Param('id', ParseUUIDPipe) id: string, @Body() body: DecideAdHocPurchaseDto, @CurrentActor() actor: Actor): Promise<AdHocPurchaseDto> {
    return AdHocPurchaseDto.from(await this.purchases.decide(id, 'refused', body.reason ?? null, actor));
  }
}
