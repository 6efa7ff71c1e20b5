import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { GrantsModule } from '../grants/grants.module';
import { AgreementUsageBridge } from './agreement-usage.bridge';
import { RulesModule } from '../rules/rules.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { CeilingLedgerCheckService } from './ceiling-ledger-check.service';
import { DeliveryLedgerService } from './delivery-ledger.service';
import { DeliveryStore } from './delivery.store';
import { GrantUsageService } from './grant-usage.service';
import { HourRegistrationsService } from './hour-registrations.service';
import { InvoiceFactsService } from './invoice-facts.service';
import { InvoiceIntake } from './invoice-intake';
import { InvoiceRecorder } from './invoice-recorder.service';
import { InvoiceReviewService } from './invoice-review.service';
import { InvoiceStore } from './invoice.store';
import { HourRegistrationsController, InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';
import { HoursPagesController } from './hours.pages.controller';
import { InvoiceUploadMiddleware } from './invoice-upload.middleware';
import { InvoicesPagesController } from './invoices.pages.controller';

/** Invoices: intake (JSON, CSV, UBL), validation of every hour, review and approval, hour registration. */
@Module({
  imports: [RulesModule, SuppliersModule, GrantsModule],
  controllers: [InvoicesController, HourRegistrationsController, InvoicesPagesController, HoursPagesController],
  providers: [InvoiceStore, DeliveryStore, InvoiceIntake, InvoiceFactsService, InvoiceRecorder, InvoicesService, InvoiceReviewService, HourRegistrationsService, DeliveryLedgerService, GrantUsageService, CeilingLedgerCheckService, AgreementUsageBridge],
  exports: [InvoicesService, InvoiceReviewService, HourRegistrationsService, DeliveryLedgerService, GrantUsageService, CeilingLedgerCheckService],
})
export class InvoicesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The upload form is multipart: read before the guards, which check its CSRF field.
    consumer.apply(InvoiceUploadMiddleware).forRoutes({ path: 'supplier/invoices/upload', method: RequestMethod.POST });
  }
}
