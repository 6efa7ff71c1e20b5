import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module';
import { RulesModule } from '../rules/rules.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { BillingRunsController, StatementsController } from './billing.controller';
import { BillingProcessor } from './billing.processor';
import { BillingRunsService } from './billing-runs.service';
import { StatementsService } from './statements.service';
import { BillingRunStore } from './billing-run.store';
import { StatementStore } from './statement.store';
import { MonthClosePagesController } from './month-close.pages.controller';

/** Month close: billing runs in batch jobs, statements and their PDFs. */
@Module({
  imports: [RulesModule, SuppliersModule, InvoicesModule],
  controllers: [BillingRunsController, StatementsController, MonthClosePagesController],
  providers: [BillingRunsService, StatementsService, BillingProcessor, BillingRunStore, StatementStore],
  exports: [BillingRunsService, StatementsService],
})
export class BillingModule {}
