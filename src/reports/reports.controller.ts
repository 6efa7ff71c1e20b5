import { applyDecorators, Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import type { BudgetReport } from './budget.rules';
import { exportShape } from '../common/export/export-query.dto';
import { BudgetReportDto, ReportExportQueryDto, ReportYearQueryDto, SpendReportDto, SupplierPerformanceReportDto } from './reports.dto';
import { ReportsService, type ExportFormat, type ReportName } from './reports.service';
import type { SpendReport } from './spend.rules';
import type { SupplierPerformanceReport } from './supplier-performance.rules';

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

  @Get('supplier-performance')
  @ApiOperation({ summary: 'Per supplier: granted vs delivered minutes, findings per invoice, weeks without minimum contact' })
  @ApiOkResponse({ type: SupplierPerformanceReportDto })
  supplierPerformance(@Query() query: ReportYearQueryDto): Promise<SupplierPerformanceReport> {
    return this.reports.supplierPerformance(query.year);
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
