import { Body, Controller, Get, Param, ParseIntPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import type { Actor } from '../common/actor';
import { CurrentActor, Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { DomainException } from '../common/errors/domain.exception';
import { BudgetYearsService, type BudgetYearDto } from './budget-years.service';
import { RefundsErrorCode } from './refunds.errors';

const MAX_ORE = 1_000_000_000_00;

export class PutBudgetYearDto {
  @ApiProperty({ example: 650_000_000, description: 'The year’s budget for mentor support in øre' }) @IsInt() @Min(0) @Max(MAX_ORE) budgetOre: number;
  @ApiProperty({ example: 224_900_000, nullable: true, type: Number, description: 'The refund frame in øre; null when none applies' })
  @ValidateIf((o: PutBudgetYearDto) => o.frameOre !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_ORE)
  frameOre: number | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class BudgetYearDtoDoc {
  @ApiProperty() year: number;
  @ApiProperty() budgetOre: number;
  @ApiProperty({ nullable: true }) frameOre: number | null;
  @ApiProperty({ nullable: true }) note: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

@ApiTags('refunds')
@ApiBearerAuth()
@Roles('finance', 'admin')
@ApiErrors(401, 403)
@Controller('api/v1/budgets')
export class BudgetYearsController {
  constructor(private readonly budgets: BudgetYearsService) {}

  @Get()
  @ApiOperation({ summary: 'Budgets and refund frames by year' })
  @ApiOkResponse({ type: [BudgetYearDtoDoc] })
  list(): Promise<BudgetYearDto[]> {
    return this.budgets.list();
  }

  @Put(':year')
  @Roles('finance')
  @ApiOperation({ summary: 'Enter the year’s budget and refund frame (finance)' })
  @ApiOkResponse({ type: BudgetYearDtoDoc })
  @ApiErrors(400, 422)
  put(@Param('year', ParseIntPipe) year: number, @Body() body: PutBudgetYearDto, @CurrentActor() actor: Actor): Promise<BudgetYearDto> {
    if (year < 2000 || year > 2100) throw DomainException.rule('The year is out of range', [{ field: 'year', rule: RefundsErrorCode.YearRange, message: `the year must be from 2000 to 2100, got ${year}` }]);
    return this.budgets.put(year, body, actor);
  }
}
