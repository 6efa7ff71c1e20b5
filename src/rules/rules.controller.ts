import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { IsCalendarDateField } from '../common/time/calendar-date.validator';
import { RulesService, type StoredRuleSetVersion } from './rules.service';

export class RuleSetVersionDto {
  @ApiProperty({ format: 'date', example: '2026-01-01' }) effectiveFrom: string;
  @ApiProperty({ enum: ['shipped', 'added'] }) source: 'shipped' | 'added';
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The rule-set values (service levels, periods, refund regimes, account codes …)' }) values: Record<string, unknown>;

  static from(version: StoredRuleSetVersion): RuleSetVersionDto {
    return { effectiveFrom: version.effectiveFrom, source: version.source, note: version.note, values: version.values as unknown as Record<string, unknown> };
  }
}

export class AddRuleSetVersionDto {
  @ApiProperty({ format: 'date', example: '2027-01-01' }) @IsCalendarDateField() effectiveFrom: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'A complete set of rule-set values; checked for coherence' }) @IsObject() values: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

@ApiTags('rule-sets')
@ApiBearerAuth()
@ApiErrors(401, 403)
@Controller('api/v1/rule-sets')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @Roles('admin', 'procurement', 'finance', 'caseworker', 'team_leader')
  @ApiOperation({ summary: 'Every rule-set version, shipped and added, by effective date' })
  @ApiOkResponse({ type: [RuleSetVersionDto] })
  async list(): Promise<RuleSetVersionDto[]> {
    return (await this.rules.versions()).map((v) => RuleSetVersionDto.from(v));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add (or replace an added) rule-set version from a date (admin)' })
  @ApiCreatedResponse({ type: RuleSetVersionDto })
  @ApiErrors(422)
  async add(@Body() body: AddRuleSetVersionDto, @CurrentActor() actor: Actor): Promise<RuleSetVersionDto> {
    return RuleSetVersionDto.from(await this.rules.addVersion(body.effectiveFrom, body.values, body.note ?? null, actor));
  }
}
