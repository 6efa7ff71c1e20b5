import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module';
import { RulesModule } from '../rules/rules.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { BillingRunsController, StatementsController } from './billing.controller';
import { BillingProcessor } from './billing.processor';
import { BillingRunsService } from './billing-runs.service';
import { StatementsService } from './statements.service';

/** Month close: billing runs in batch jobs, statements and their PDFs. */
@Module({
  imports: [RulesModule, SuppliersModule, InvoicesModule],
  controllers: [BillingRunsController, StatementsController],
  providers: [BillingRunsService, StatementsService, BillingProcessor],
  exports: [BillingRunsService, StatementsService],
})
export class BillingModule {}
