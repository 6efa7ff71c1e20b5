import { Module } from '@nestjs/common';
import { GrantsModule } from '../grants/grants.module';
import { InvoicesModule } from '../invoices/invoices.module';
import { RefundsModule } from '../refunds/refunds.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { RulesModule } from '../rules/rules.module';
import { ReportSourcesService } from './report-sources.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { ReportsPagesController } from './reports.pages.controller';
import { HourBudgetPagesController } from './hour-budget.pages.controller';
import { ComparisonsController } from './comparisons.controller';
import { ComparisonsService } from './comparisons.service';
import { MunicipalityFigureStore } from './municipality-figure.store';

/** Reports, the highest area: the budget follow-up, spend by mentor type and supplier, and supplier performance, as JSON, CSV and XLSX. */
@Module({
  imports: [GrantsModule, InvoicesModule, RefundsModule, SuppliersModule, RulesModule],
  controllers: [ReportsController, ComparisonsController, ReportsPagesController, HourBudgetPagesController],
  providers: [ReportsService, ReportSourcesService, ComparisonsService, MunicipalityFigureStore],
  exports: [ReportsService],
})
export class ReportsModule {}
