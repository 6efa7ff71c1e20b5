import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { InvoiceUploadMiddleware } from '../invoices/invoice-upload.middleware';
import { PaymentsPagesController } from './payments.pages.controller';
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
import { PaymentsController, PostingsController } from './postings.controller';
import { PostingsService } from './postings.service';
import { PaymentsService } from './payments.service';
import { PostingExportStore } from './posting-export.store';
import { PaymentStore } from './payment.store';

/** Month close: billing runs in batch jobs, statements and their PDFs; the posting export and the payment import. */
@Module({
  imports: [RulesModule, SuppliersModule, InvoicesModule],
  controllers: [BillingRunsController, StatementsController, PostingsController, PaymentsController, MonthClosePagesController, PaymentsPagesController],
  providers: [BillingRunsService, StatementsService, BillingProcessor, BillingRunStore, StatementStore, PostingsService, PaymentsService, PostingExportStore, PaymentStore],
  exports: [BillingRunsService, StatementsService],
})
export class BillingModule implements NestModule {
  // The payment file comes as a multipart upload, read before the session guard checks the form's CSRF field.
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(InvoiceUploadMiddleware).forRoutes({ path: 'finance/payments/preview', method: RequestMethod.POST });
  }
}
