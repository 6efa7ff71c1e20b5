import { applyDecorators, Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import type { BudgetReport } from './budget.rules';
import type { StatisticsReport } from './statistics.rules';
import type { InvestmentCase } from './investment-case.rules';
import type { InvestmentCaseQuery } from './reports.service';

/** Whole kroner from the query as øre. */
export function toInvestmentQuery(query: InvestmentCaseQueryDto): InvestmentCaseQuery {
  return {
    year: query.year,
    benefit: query.benefit,
    monthlyBenefitOre: query.monthlyBenefit === undefined ? undefined : query.monthlyBenefit * 100,
    monthsOnBenefit: query.monthsOnBenefit,
    costPerCitizenOre: query.costPerCitizen === undefined ? undefined : query.costPerCitizen * 100,
  };
}
import { exportShape } from '../common/export/export-query.dto';
import { BudgetReportDto, HolisticStatusFigureDto, InvestmentCaseDto, InvestmentCaseQueryDto, StatisticsReportDto, ReportExportQueryDto, ReportYearQueryDto, SpendReportDto, SupplierPerformanceReportDto } from './reports.dto';
import type { HolisticStatusFigure } from './holistic-status.rules';
import { ReportsService, type ExportFormat, type ReportName } from './reports.service';
import type { SpendReport } from './spend.rules';
import type { SupplierPerformanceReport } from './supplier-performance.rules';
import type { HourBudgetReport } from './hour-budget.rules';
import type { SupplierQualityReport } from './supplier-quality.rules';
import type { BudgetGuaranteeReport } from './reports.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function CsvExport(what: string): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary: `${what} as CSV (; separated, UTF-8 with BOM; formulas neutralised): for people by default, the machine table with ?format=raw` }),
    ApiProduces('text/csv', 'application/json'),
    ApiOkResponse({ description: 'The CSV', content: { 'text/csv': { schema: { type: 'string' } } } }),
  );
}

function XlsxExport(what: string): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary: `${what} as an XLSX workbook: for people by default (kroner in #,##0.00, a totals row), the machine table with ?format=raw` }),
    ApiProduces(XLSX, 'application/json'),
    ApiOkResponse({ description: 'The workbook', content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } } }),
  );
}

/**
 * Finance's budget follow-up, and the spend and supplier-performance reports for finance and procurement,
 * each as JSON, CSV and XLSX. The paths are literal ('spend.csv'), so no route shadows another.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('finance', 'admin', 'procurement')
@ApiErrors(401, 403, 422)
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('budget')
  @Roles('finance', 'admin')
  @ApiOperation({ summary: 'Budget and frame of the year; spent, committed and forecast month by month, per mentor type and per supplier (finance, admin)' })
  @ApiOkResponse({ type: BudgetReportDto })
  budget(@Query() query: ReportYearQueryDto): Promise<BudgetReport> {
    return this.reports.budget(query.year);
  }

  @Get('budget.csv')
  @Roles('finance', 'admin')
  @CsvExport('The budget report')
  budgetCsv(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('budget', query, 'csv', response);
  }

  @Get('budget.xlsx')
  @Roles('finance', 'admin')
  @XlsxExport('The budget report')
  budgetXlsx(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('budget', query, 'xlsx', response);
  }

  @Get('spend')
  @ApiOperation({ summary: 'Amount, unique citizens and average per citizen by mentor type, supplier and supplier kind, with course statistics' })
  @ApiOkResponse({ type: SpendReportDto })
  spend(@Query() query: ReportYearQueryDto): Promise<SpendReport> {
    return this.reports.spend(query.year);
  }

  @Get('spend.csv')
  @CsvExport('The spend table')
  spendCsv(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('spend', query, 'csv', response);
  }

  @Get('spend.xlsx')
  @XlsxExport('The spend table')
  spendXlsx(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('spend', query, 'xlsx', response);
  }

  @Get('supplier-quality')
  @ApiOperation({ summary: 'Per supplier and year with a trend per quarter: late progress reports, findings per 100 invoiced hours, share of hours approved' })
  @ApiOkResponse({ description: 'The supplier quality report' })
  supplierQuality(@Query() query: ReportYearQueryDto): Promise<SupplierQualityReport> {
    return this.reports.supplierQuality(query.year);
  }

  @Get('supplier-quality.csv')
  @CsvExport('Supplier quality')
  supplierQualityCsv(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('supplier-quality', query, 'csv', response);
  }

  @Get('supplier-quality.xlsx')
  @XlsxExport('Supplier quality')
  supplierQualityXlsx(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('supplier-quality', query, 'xlsx', response);
  }

  @Get('hour-budget')
  @Roles('finance', 'admin')
  @ApiOperation({ summary: 'Hours budgeted, granted and delivered per mentor type and supplier, the average granted hours a week, and the high-intensity grants for review (finance, admin)' })
  @ApiOkResponse({ description: 'The hour budget report' })
  hourBudget(@Query() query: ReportYearQueryDto): Promise<HourBudgetReport> {
    return this.reports.hourBudget(query.year);
  }

  @Get('hour-budget.csv')
  @Roles('finance', 'admin')
  @CsvExport('The hour budget')
  hourBudgetCsv(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('hour-budget', query, 'csv', response);
  }

  @Get('hour-budget.xlsx')
  @Roles('finance', 'admin')
  @XlsxExport('The hour budget')
  hourBudgetXlsx(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('hour-budget', query, 'xlsx', response);
  }

  @Get('budget-guarantee')
  @Roles('finance', 'admin')
  @ApiOperation({ summary: 'The year’s mentor spending against the budget-guarantee limit (LAB § 203 a): full-time persons × the figure per person (finance, admin)' })
  @ApiOkResponse({ description: 'The budget-guarantee figures' })
  budgetGuarantee(@Query() query: ReportYearQueryDto): Promise<BudgetGuaranteeReport> {
    return this.reports.budgetGuarantee(query.year);
  }

  @Get('supplier-performance')
  @ApiOperation({ summary: 'Per supplier: granted vs delivered minutes, findings per invoice, weeks without minimum contact' })
  @ApiOkResponse({ type: SupplierPerformanceReportDto })
  supplierPerformance(@Query() query: ReportYearQueryDto): Promise<SupplierPerformanceReport> {
    return this.reports.supplierPerformance(query.year);
  }

  @Get('holistic-status')
  @ApiOperation({
    summary:
      'Status seven months after the start of the first holistic mentor course (Copenhagen 000): the citizens whose first approved holistic period started in the year, by where they stood seven months later (in_mentor_support, an outcome such as active_offer or education_started, or unknown); pending until the day has come',
  })
  @ApiOkResponse({ type: HolisticStatusFigureDto })
  holisticStatus(@Query() query: ReportYearQueryDto): Promise<HolisticStatusFigure> {
    return this.reports.holisticStatus(query.year);
  }

  @Get('statistics')
  @ApiOperation({
    summary:
      'Course statistics of the year: starts and mentor changes per month (a mentor change counts as a new course), durations (average and median days) and outcomes of courses ended in the year, their extensions, the status seven months after start, days in mentor support per citizen, the internal suppliers\' share, and the same by mentor type, target group at start, supplier and age band at start (from the birth date, computed server-side). Sex is not recorded.',
  })
  @ApiOkResponse({ type: StatisticsReportDto })
  statistics(@Query() query: ReportYearQueryDto): Promise<StatisticsReport> {
    return this.reports.statistics(query.year);
  }

  @Get('statistics.csv')
  @CsvExport('The course statistics')
  statisticsCsv(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('statistics', query, 'csv', response);
  }

  @Get('statistics.xlsx')
  @XlsxExport('The course statistics')
  statisticsXlsx(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('statistics', query, 'xlsx', response);
  }

  @Get('investment-case')
  @ApiOperation({
    summary:
      'The investment case (003): cost per citizen by mentor type in the year against the months on benefit a course must save to break even: N = cost per citizen / (monthly benefit less the refund at the time on benefit at start), in tenths of a month',
  })
  @ApiOkResponse({ type: InvestmentCaseDto })
  investmentCase(@Query() query: InvestmentCaseQueryDto): Promise<InvestmentCase> {
    return this.reports.investmentCase(toInvestmentQuery(query));
  }

  @Get('supplier-performance.csv')
  @CsvExport('Supplier performance')
  supplierPerformanceCsv(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('supplier-performance', query, 'csv', response);
  }

  @Get('supplier-performance.xlsx')
  @XlsxExport('Supplier performance')
  supplierPerformanceXlsx(@Query() query: ReportExportQueryDto, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    return this.send('supplier-performance', query, 'xlsx', response);
  }

  private async send(report: ReportName, query: ReportExportQueryDto, format: ExportFormat, response: Response): Promise<StreamableFile> {
    const file = await this.reports.export(report, query.year, format, { ...exportShape(query), by: query.by });
    response.setHeader('Content-Type', file.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    response.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(file.body);
  }
}
