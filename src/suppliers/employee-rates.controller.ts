import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import type { Actor } from '../common/actor';
import type { AccessScope } from '../common/auth/access-scope';
import { CurrentActor, Roles, Scope } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { IsCalendarDateField as IsCalendarDate } from '../common/time/calendar-date.validator';
import type { StoredEmployeeRate } from './employee-rate.rules';
import { EmployeeRatesService } from './employee-rates.service';

/** Initials or a staff number: letters, digits, dot, dash, underscore; never a CPR number. */
export const EMPLOYEE_REF = /^(?![0-9]{6}-?[0-9]{4}$)[A-Za-z0-9ÆØÅæøå._-]{1,20}$/;

export class EmployeeRateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'KJ', description: 'An anonymous reference to the partner employee (initials or staff number), never a CPR number' }) employeeRef: string;
  @ApiProperty({ description: 'øre per hour, the employee’s actual wage cost' }) rateOre: number;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) validTo: string | null;

  static from(rate: StoredEmployeeRate): EmployeeRateDto {
    return { id: rate.id, employeeRef: rate.employeeRef, rateOre: rate.rateOre, validFrom: rate.validFrom, validTo: rate.validTo };
  }
}

export class AddEmployeeRateDto {
  @ApiProperty({ example: 'KJ' }) @IsString() @Matches(EMPLOYEE_REF, { message: 'employeeRef must be initials or a staff number of at most 20 letters and digits, never a CPR number' }) employeeRef: string;
  @ApiProperty({ example: 31_250 }) @IsInt() @Min(1) @Max(10_000_00) rateOre: number;
  @ApiProperty({ format: 'date' }) @IsCalendarDate() validFrom: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String }) @IsOptional() @IsCalendarDate() validTo?: string | null;
}

export class EndEmployeeRateDto {
  @ApiProperty({ format: 'date', description: 'The rate’s last day' }) @IsCalendarDate() validTo: string;
}

@ApiTags('agreements')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/v1/agreements/:id/employee-rates')
export class EmployeeRatesController {
  constructor(private readonly rates: EmployeeRatesService) {}

  @Get()
  @ApiOperation({ summary: 'The hourly rates per partner employee (frikøb at the actual wage cost), by employee and date; same visibility as the agreement' })
  @ApiOkResponse({ type: [EmployeeRateDto] })
  @ApiErrors(404)
  async list(@Param('id', ParseUUIDPipe) id: string, @Scope() scope: AccessScope): Promise<EmployeeRateDto[]> {
    return (await this.rates.list(id, scope)).map((rate) => EmployeeRateDto.from(rate));
  }

  @Post()
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'Add an employee’s hourly rate from a day, not overlapping the employee’s other rates (employee_rate_overlap); partnership agreements only (employee_rate_partnership_only) (procurement, admin)' })
  @ApiCreatedResponse({ type: EmployeeRateDto })
  @ApiErrors(403, 404, 422)
  async add(@Param('id', ParseUUIDPipe) id: string, @Body() body: AddEmployeeRateDto, @CurrentActor() actor: Actor): Promise<EmployeeRateDto> {
    return EmployeeRateDto.from(await this.rates.add(id, body, actor));
  }

  @Post(':rateId/end')
  @HttpCode(200)
  @Roles('procurement', 'admin')
  @ApiOperation({ summary: 'End an employee’s rate on a day from its start (employee_rate_end) (procurement, admin)' })
  @ApiOkResponse({ type: EmployeeRateDto })
  @ApiErrors(403, 404, 422)
  async end(@Param('id', ParseUUIDPipe) id: string, @Param('rateId', ParseUUIDPipe) rateId: string, @Body() body: EndEmployeeRateDto, @CurrentActor() actor: Actor): Promise<EmployeeRateDto> {
    return EmployeeRateDto.from(await this.rates.end(id, rateId, body.validTo, actor));
  }
}
