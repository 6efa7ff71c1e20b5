import { Body, Controller, Get, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { DomainException } from '../common/errors/domain.exception';
import { MENTOR_TYPES, type MentorType } from '../rules/rule-set';
import { parseFullTimePersons } from './full-time-persons.rules';
import { HourBudgetsService, type FullTimePersonsRow, type HourBudgetRow } from './hour-budgets.service';
import { RefundsErrorCode } from './refunds.errors';

export class SetHourBudgetDto {
  @ApiProperty({ enum: MENTOR_TYPES }) @IsIn(MENTOR_TYPES) mentorType: MentorType;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The supplier; null for every supplier of the mentor type' })
  @ValidateIf((o: SetHourBudgetDto) => o.supplierId !== null)
  @IsUUID()
  supplierId: string | null;
  @ApiProperty({ example: 60_000, description: 'The year’s budget in minutes' }) @IsInt() @Min(0) @Max(100_000_000) minutes: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class HourBudgetDoc {
  @ApiProperty() year: number;
  @ApiProperty({ enum: MENTOR_TYPES }) mentorType: string;
  @ApiProperty({ nullable: true, type: String }) supplierId: string | null;
  @ApiProperty() minutes: number;
}

export class PutFullTimePersonsDto {
  @ApiProperty({ example: '1234,56', description: 'Full-time persons in the target group of the year, at most two decimals' })
  @IsString()
  @Matches(/^\s*\d{1,7}([.,]\d{1,2})?\s*$/, { message: 'fullTimePersons must be a number with at most two decimals' })
  fullTimePersons: string;
}

export class ImportFullTimePersonsDto {
  @ApiProperty({ example: 'year;full_time_persons\n2026;1234,56', description: 'CSV, `year;full_time_persons` per line; refused whole when a row is bad' })
  @IsString()
  @MaxLength(100_000)
  csv: string;
}

export class FullTimePersonsDoc {
  @ApiProperty() year: number;
  @ApiProperty({ description: 'Hundredths of full-time persons' }) hundredths: number;
  @ApiProperty({ enum: ['entered', 'imported'] }) source: string;
}

function checkYear(year: number): void {
  if (year < 2000 || year > 2100) throw DomainException.rule('The year is out of range', [{ field: 'year', rule: RefundsErrorCode.YearRange, message: `the year must be from 2000 to 2100, got ${year}` }]);
}

const fullTimePersonsDoc = (row: FullTimePersonsRow) => ({ year: row.year, hundredths: row.hundredths, source: row.source });

@ApiTags('refunds')
@ApiBearerAuth()
@Roles('finance', 'admin')
@ApiErrors(401, 403)
@Controller('api/v1')
export class HourBudgetsController {
  constructor(private readonly budgets: HourBudgetsService) {}

  @Get('hour-budgets/:year')
  @ApiOperation({ summary: 'The year’s hour budgets by mentor type and supplier (minutes)' })
  @ApiOkResponse({ type: [HourBudgetDoc] })
  @ApiErrors(400, 422)
  list(@Param('year', ParseIntPipe) year: number): Promise<HourBudgetRow[]> {
    checkYear(year);
    return this.budgets.budgetsOfYear(year);
  }

  @Put('hour-budgets/:year')
  @Roles('finance')
  @ApiOperation({ summary: 'Set the year’s hour budget of a mentor type and supplier (finance); appended to the budget ledger' })
  @ApiOkResponse({ type: HourBudgetDoc })
  @ApiErrors(400, 422)
  set(@Param('year', ParseIntPipe) year: number, @Body() body: SetHourBudgetDto, @CurrentActor() actor: Actor): Promise<HourBudgetRow> {
    checkYear(year);
    return this.budgets.setBudget(year, body.mentorType, body.supplierId, body.minutes, body.note ?? null, actor);
  }

  @Put('budget-guarantee/:year')
  @Roles('finance')
  @ApiOperation({ summary: 'Enter the year’s full-time persons in the target group, for the budget-guarantee limit (finance)' })
  @ApiOkResponse({ type: FullTimePersonsDoc })
  @ApiErrors(400, 422)
  async putFullTimePersons(@Param('year', ParseIntPipe) year: number, @Body() body: PutFullTimePersonsDto, @CurrentActor() actor: Actor) {
    checkYear(year);
    return fullTimePersonsDoc(await this.budgets.putFullTimePersons(year, parseFullTimePersons(body.fullTimePersons) as number, actor));
  }

  @Post('budget-guarantee/import')
  @Roles('finance')
  @ApiOperation({ summary: 'Import full-time persons per year from CSV (finance); nothing is applied from a file with a bad row' })
  @ApiOkResponse({ type: [FullTimePersonsDoc] })
  @ApiErrors(400, 422)
  async importFullTimePersons(@Body() body: ImportFullTimePersonsDto, @CurrentActor() actor: Actor) {
    return (await this.budgets.importFullTimePersons(body.csv, actor)).map(fullTimePersonsDoc);
  }
}
