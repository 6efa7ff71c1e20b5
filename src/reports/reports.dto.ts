import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ExportQueryDto } from '../common/export/export-query.dto';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateBy, type ValidationArguments } from 'class-validator';
import { BENEFIT_KINDS, type BenefitKind } from '../rules/benefit-rates';
import { OUTCOMES } from '../grants/grants.dto';
import { MENTOR_TYPES } from '../rules/rule-set';
import { SUPPLIER_KINDS } from '../suppliers/supplier.entity';
import { ReportsErrorCode } from './reports.errors';

export const FIRST_REPORT_YEAR = 2000;
export const LAST_REPORT_YEAR = 2100;

/** One detail for any wrong year: missing, not four digits, or out of range. */
function IsReportYear(): PropertyDecorator {
  return ValidateBy({
    name: ReportsErrorCode.ReportYear,
    validator: {
      validate: (value: unknown) => Number.isInteger(value) && (value as number) >= FIRST_REPORT_YEAR && (value as number) <= LAST_REPORT_YEAR,
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.value === undefined ? 'year is required' : `year must be a year from ${FIRST_REPORT_YEAR} to ${LAST_REPORT_YEAR}`}, e.g. ?year=2026`,
    },
  });
}

/** A report's export: the year, and how it is shaped (for people by default, `format=raw` for machines). */
export class ReportExportQueryDto extends ExportQueryDto {
  @ApiProperty({ example: 2026, minimum: FIRST_REPORT_YEAR, maximum: LAST_REPORT_YEAR, type: 'integer', description: 'The calendar year reported on' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : value))
  @IsReportYear()
  year: number;

  @ApiPropertyOptional({ enum: ['mentor_type', 'supplier'], default: 'mentor_type', description: 'The spend table for people: a row per mentor type or per supplier' })
  @IsOptional()
  @IsIn(['mentor_type', 'supplier'])
  by?: 'mentor_type' | 'supplier';
}

export class ReportYearQueryDto {
  @ApiProperty({ example: 2026, minimum: FIRST_REPORT_YEAR, maximum: LAST_REPORT_YEAR, type: 'integer', description: 'The calendar year reported on' })
  // Only four digits become a number: '2026.0', '0x7EA' and ' 2026' stay text and are refused.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : value))
  @IsReportYear()
  year: number;
}

// --- Budget ---

export class BudgetMonthDto {
  @ApiProperty({ example: '2026-10' }) month: string;
  @ApiProperty({ description: 'Approved øre excl. VAT of deliveries dated in the month, credits negative' }) spentOre: number;
  @ApiProperty({ description: 'Remaining granted minutes of active grants in the month from today, priced at the rate in force' }) committedOre: number;
  @ApiProperty({ description: 'spent + committed' }) forecastOre: number;
}

export class BudgetTotalMonthDto extends BudgetMonthDto {
  @ApiProperty({ description: 'forecast of this and the earlier months' }) cumulativeForecastOre: number;
}

export class BudgetTotalsDto {
  @ApiProperty() spentOre: number;
  @ApiProperty() committedOre: number;
  @ApiProperty({ description: 'spent + committed (forecastMethod spent_plus_committed)' }) forecastOre: number;
  @ApiProperty({ nullable: true, type: Number, description: 'budget − forecast; negative when the forecast passes the budget' }) budgetLeftAfterForecastOre: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'forecast / budget in percent, one decimal' }) forecastPercentOfBudget: number | null;
}

export class BudgetFiguresDto {
  @ApiProperty() spentOre: number;
  @ApiProperty() committedOre: number;
  @ApiProperty() forecastOre: number;
  @ApiProperty({ type: [BudgetMonthDto] }) months: BudgetMonthDto[];
}

export class BudgetByMentorTypeDto extends BudgetFiguresDto {
  @ApiProperty({ enum: MENTOR_TYPES }) mentorType: string;
}

export class BudgetBySupplierDto extends BudgetFiguresDto {
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty() supplierName: string;
  @ApiProperty({ enum: SUPPLIER_KINDS, nullable: true }) supplierKind: string | null;
}

export class UnpricedGrantDto {
  @ApiProperty({ example: 'MS-2026-000123' }) grantReference: string;
  @ApiProperty({ description: 'Remaining days this year without a rate in force' }) days: number;
}

export class BudgetReportDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ format: 'date', description: 'The day computed on; committed counts from it' }) today: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The year’s budget (PUT /api/v1/budgets/:year); null when none is entered' }) budgetOre: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The year’s refund frame' }) frameOre: number | null;
  @ApiProperty({ enum: ['spent_plus_committed'], description: 'Forecast to year end = spent so far + committed for the rest of the year' }) forecastMethod: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'How spent, committed and forecast are defined' }) definitions: Record<string, string>;
  @ApiProperty({ type: BudgetTotalsDto }) totals: BudgetTotalsDto;
  @ApiProperty({ type: [BudgetTotalMonthDto], description: 'January to December' }) months: BudgetTotalMonthDto[];
  @ApiProperty({ type: [BudgetByMentorTypeDto] }) byMentorType: BudgetByMentorTypeDto[];
  @ApiProperty({ type: [BudgetBySupplierDto] }) bySupplier: BudgetBySupplierDto[];
  @ApiProperty({ type: [UnpricedGrantDto], description: 'Active grants whose remaining days lack a rate: their cost is missing from committed' }) unpricedGrants: UnpricedGrantDto[];
}

// --- Spend ---

export class SpendFiguresDto {
  @ApiProperty({ description: 'Approved øre excl. VAT, credits negative' }) amountOre: number;
  @ApiProperty({ description: 'Unique citizens with an approved amount above 0' }) citizens: number;
  @ApiProperty({ nullable: true, type: Number, description: 'amount / citizens, rounded half up to whole øre' }) averagePerCitizenOre: number | null;
}

export class SpendByMentorTypeDto extends SpendFiguresDto {
  @ApiProperty({ enum: MENTOR_TYPES }) mentorType: string;
}

export class SpendBySupplierDto extends SpendFiguresDto {
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty() supplierName: string;
  @ApiProperty({ enum: SUPPLIER_KINDS, nullable: true }) supplierKind: string | null;
}

export class SpendBySupplierKindDto extends SpendFiguresDto {
  @ApiProperty({ enum: SUPPLIER_KINDS }) supplierKind: string;
  @ApiProperty({ enum: ['external', 'company', 'internal'], description: 'mentor_supplier and education_institution = external supplier; partner_company = company (frikøb); internal = another municipal department' }) share: string;
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Share of the total amount in percent, one decimal' }) percentOfAmount: number | null;
  @ApiProperty({ description: 'Courses started in the year' }) coursesStarted: number;
}

export class StartedMonthDto {
  @ApiProperty({ example: '2026-09' }) month: string;
  @ApiProperty() started: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { retention: 2, company: 1, holistic: 1, discharge: 0, release: 0 } }) byMentorType: Record<string, number>;
}

export class CoursesStartedDto {
  @ApiProperty() total: number;
  @ApiProperty({ type: [StartedMonthDto] }) byMonth: StartedMonthDto[];
}

export class DurationFiguresDto {
  @ApiProperty() count: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Whole days, rounded half up' }) averageDays: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Whole days; the mean of the middle two rounded half up for an even count' }) medianDays: number | null;
}

export class OutcomeFiguresDto extends DurationFiguresDto {
  @ApiProperty({ enum: OUTCOMES }) outcome: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Share of the ended courses in percent, one decimal' }) percent: number | null;
}

export class EndedCoursesDto extends DurationFiguresDto {
  @ApiProperty({ type: [OutcomeFiguresDto] }) byOutcome: OutcomeFiguresDto[];
}

export class SpendStatisticsDto {
  @ApiProperty({ type: CoursesStartedDto }) coursesStarted: CoursesStartedDto;
  @ApiProperty({ type: EndedCoursesDto }) endedCourses: EndedCoursesDto;
}

export class SpendReportDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'How each figure is defined' }) definitions: Record<string, string>;
  @ApiProperty({ type: SpendFiguresDto, description: 'A citizen in several rows counts once here' }) total: SpendFiguresDto;
  @ApiProperty({ type: [SpendByMentorTypeDto] }) byMentorType: SpendByMentorTypeDto[];
  @ApiProperty({ type: [SpendBySupplierDto] }) bySupplier: SpendBySupplierDto[];
  @ApiProperty({ type: [SpendBySupplierKindDto] }) bySupplierKind: SpendBySupplierKindDto[];
  @ApiProperty({ type: SpendStatisticsDto }) statistics: SpendStatisticsDto;
}

// --- Supplier performance ---

export class PerformanceFiguresDto {
  @ApiProperty({ description: 'Grants with granted days in the measured period' }) grants: number;
  @ApiProperty() grantedMinutes: number;
  @ApiProperty() deliveredMinutes: number;
  @ApiProperty({ nullable: true, type: Number, description: 'delivered / granted in percent, one decimal' }) deliveredPercent: number | null;
  @ApiProperty() invoices: number;
  @ApiProperty() errors: number;
  @ApiProperty() warnings: number;
  @ApiProperty({ nullable: true, type: Number, description: '(errors + warnings) / invoices, two decimals' }) findingsPerInvoice: number | null;
  @ApiProperty({ description: 'Distinct grant and ISO week without the minimum contact' }) missedMinimumContacts: number;
  @ApiProperty({ description: 'Distinct grants flagged silent (no delivered session for the rule set’s weeks) in the measured period' }) silentGrants: number;
}

export class SupplierPerformanceRowDto extends PerformanceFiguresDto {
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty() supplierName: string;
  @ApiProperty({ enum: SUPPLIER_KINDS, nullable: true }) supplierKind: string | null;
}

export class SupplierPerformanceReportDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ format: 'date' }) measuredFrom: string;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'The earlier of today and 31 December; null before the year begins' }) measuredThrough: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'How each figure is defined' }) definitions: Record<string, string>;
  @ApiProperty({ type: PerformanceFiguresDto }) total: PerformanceFiguresDto;
  @ApiProperty({ type: [SupplierPerformanceRowDto] }) suppliers: SupplierPerformanceRowDto[];
}

export class HolisticStatusCountDto {
  @ApiProperty({ description: 'in_mentor_support, unknown, or the outcome of the period that ended last before the day (job, education, education_started, active_offer, other_benefit, still_on_benefit, moved, other)', example: 'active_offer' }) status: string;
  @ApiProperty() count: number;
}

export class HolisticStatusFigureDto {
  @ApiProperty() year: number;
  @ApiProperty({ description: 'Citizens whose first approved holistic period started in the year' }) courses: number;
  @ApiProperty({ description: 'Of those, the ones whose seven months have not passed yet' }) pending: number;
  @ApiProperty({ type: [HolisticStatusCountDto], description: 'The measured ones by status, largest first' }) byStatus: HolisticStatusCountDto[];
}

/** The investment case's inputs: the year, and for "what if" a benefit, its monthly rate, the time on benefit at start and a cost per citizen. */
export class InvestmentCaseQueryDto extends ReportYearQueryDto {
  @ApiPropertyOptional({ enum: BENEFIT_KINDS, default: 'cash_benefit', description: 'The benefit the citizens receive' })
  @IsOptional()
  @IsIn(BENEFIT_KINDS)
  benefit?: BenefitKind;

  @ApiPropertyOptional({ example: 13000, description: 'Gross monthly benefit per person in whole kroner, replacing the dated rate' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  monthlyBenefit?: number;

  @ApiPropertyOptional({ example: 12, default: 12, description: 'Whole months on benefit when the course starts (gives the refund on the staircase)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(0)
  @Max(600)
  monthsOnBenefit?: number;

  @ApiPropertyOptional({ example: 25000, description: 'Cost per citizen in whole kroner, replacing the portal figure for every mentor type' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : typeof value === 'string' && /^\d{1,8}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  costPerCitizen?: number;
}

// --- Course statistics ---

export class StatisticsMonthDto {
  @ApiProperty({ example: '2026-03' }) month: string;
  @ApiProperty({ description: 'Approved grants started in the month' }) started: number;
  @ApiProperty({ description: 'Approved mentor changes effective in the month' }) mentorChanges: number;
  @ApiProperty({ description: 'started + mentorChanges: a mentor change counts as a new course' }) courses: number;
}

export class StatisticsTotalsDto {
  @ApiProperty() started: number;
  @ApiProperty() mentorChanges: number;
  @ApiProperty() courses: number;
}

export class StatisticsExtensionsDto {
  @ApiProperty({ description: 'Courses ended in the year with an outcome' }) endedCourses: number;
  @ApiProperty({ description: 'Of those, the ones extended at least once' }) extended: number;
  @ApiProperty({ nullable: true, type: Number, description: 'extended / endedCourses in percent, one decimal' }) extendedPercent: number | null;
  @ApiProperty({ description: 'Extensions used by the ended courses in all' }) extensions: number;
}

export class CumulativeBandDto {
  @ApiProperty({ enum: ['up_to_6_months', 'up_to_12_months', 'over_12_months'], description: 'Up to 183 days, up to 366 days, more' }) band: string;
  @ApiProperty() citizens: number;
}

export class StatisticsCumulativeDto {
  @ApiProperty({ description: 'Citizens with a course in the year' }) citizens: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Days in mentor support in all up to the year’s end, a day counted once; mean rounded half up' }) averageDays: number | null;
  @ApiProperty({ nullable: true, type: Number }) medianDays: number | null;
  @ApiProperty({ type: [CumulativeBandDto] }) bands: CumulativeBandDto[];
}

export class InternalShareDto {
  @ApiProperty({ description: 'Courses started in the year' }) started: number;
  @ApiProperty({ description: 'Of those, at internal suppliers (the municipality’s own departments)' }) internal: number;
  @ApiProperty() external: number;
  @ApiProperty({ nullable: true, type: Number, description: 'internal / started in percent, one decimal' }) internalPercent: number | null;
}

export class StatisticsBreakdownRowDto {
  @ApiProperty({ description: 'The mentor type, target group, supplier id or age band (under_18, 18_24, 25_29, 30_39, 40_49, 50_59, 60_plus, unknown)' }) key: string;
  @ApiPropertyOptional({ description: 'The supplier’s name (supplier rows)' }) name?: string;
  @ApiPropertyOptional({ enum: SUPPLIER_KINDS, nullable: true, description: 'The supplier’s kind (supplier rows)' }) supplierKind?: string | null;
  @ApiProperty() started: number;
  @ApiProperty() mentorChanges: number;
  @ApiProperty({ description: 'Courses ended in the year with an outcome' }) ended: number;
  @ApiProperty({ nullable: true, type: Number }) averageDays: number | null;
  @ApiProperty({ nullable: true, type: Number }) medianDays: number | null;
}

export class StatisticsReportDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ type: [StatisticsMonthDto] }) startsByMonth: StatisticsMonthDto[];
  @ApiProperty({ type: StatisticsTotalsDto }) totals: StatisticsTotalsDto;
  @ApiProperty({ type: EndedCoursesDto, description: 'Courses ended in the year: durations in days (start and end day included), overall and by outcome' }) ended: EndedCoursesDto;
  @ApiProperty({ type: StatisticsExtensionsDto }) extensions: StatisticsExtensionsDto;
  @ApiProperty({ type: HolisticStatusFigureDto, description: 'Status seven months after the start of the first holistic course' }) sevenMonthStatus: HolisticStatusFigureDto;
  @ApiProperty({ type: StatisticsCumulativeDto }) cumulative: StatisticsCumulativeDto;
  @ApiProperty({ type: InternalShareDto }) internalShare: InternalShareDto;
  @ApiProperty({ type: [StatisticsBreakdownRowDto] }) byMentorType: StatisticsBreakdownRowDto[];
  @ApiProperty({ type: [StatisticsBreakdownRowDto], description: 'Target group at the grant’s start; groups without courses left out' }) byTargetGroup: StatisticsBreakdownRowDto[];
  @ApiProperty({ type: [StatisticsBreakdownRowDto], description: 'By supplier name' }) bySupplier: StatisticsBreakdownRowDto[];
  @ApiProperty({ type: [StatisticsBreakdownRowDto], description: 'Age band at the grant’s start, from the birth date computed server-side; unknown only when some are' }) byAgeBand: StatisticsBreakdownRowDto[];
  @ApiProperty({ enum: [false], description: 'The portal records no sex, so there is no breakdown by it' }) sexRecorded: false;
}

// --- Investment case ---

export class InvestmentCaseRowDto {
  @ApiProperty({ enum: MENTOR_TYPES }) mentorType: string;
  @ApiProperty({ description: 'Approved øre excl. VAT of deliveries dated in the year' }) amountOre: number;
  @ApiProperty({ description: 'Unique citizens with an approved amount above 0' }) citizens: number;
  @ApiProperty({ nullable: true, type: Number, description: 'amountOre / citizens rounded half up, or the entered cost; null without citizens' }) costPerCitizenOre: number | null;
  @ApiProperty({ enum: ['portal', 'entered'] }) costSource: string;
  @ApiProperty({ nullable: true, type: Number, example: 16, description: 'Months of benefit the course must save to break even, in tenths of a month (16 = 1.6 months): costPerCitizenOre × 10 / netMonthlyBenefitOre rounded half up; null without a cost or a net benefit' })
  breakEvenTenthsOfMonth: number | null;
}

export class InvestmentCaseDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ enum: BENEFIT_KINDS }) benefit: string;
  @ApiProperty({ example: 1_300_000, description: 'Gross monthly benefit per person in øre' }) monthlyBenefitOre: number;
  @ApiProperty({ enum: ['rule_data', 'entered'], description: 'The dated benefit rate, or the figure entered' }) monthlyBenefitSource: string;
  @ApiProperty({ description: 'True when the dated rate is an example still to be entered from the published rates' }) monthlyBenefitExample: boolean;
  @ApiProperty({ example: 12, description: 'Whole months on benefit at the course’s start' }) monthsOnBenefitAtStart: number;
  @ApiProperty({ example: 30, description: 'The state’s refund in percent on the refund staircase (80 / 40 / 30 / 20)' }) refundPercent: number;
  @ApiProperty({ example: 910_000, description: 'monthlyBenefitOre × (100 − refundPercent) / 100 rounded half up: the municipality’s net cost a month' }) netMonthlyBenefitOre: number;
  @ApiProperty({ type: [InvestmentCaseRowDto] }) rows: InvestmentCaseRowDto[];
}
