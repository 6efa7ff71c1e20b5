import { IdentityModule } from '../identity/identity.module';
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
import { BusinessResponseStore } from './business-response.store';
import { BusinessResponsesService } from './business-responses.service';
import { InvoiceDisputesService } from './invoice-disputes.service';
import { InvoiceHoldsService } from './invoice-holds.service';
import { InvoiceThreadStore } from './invoice-thread.store';
import { BusinessResponsesController } from './business-responses.controller';
import { HoldReleaseProcessor } from './hold-release.processor';
import { MentorSessionStore } from './mentor-session.store';
import { SessionLogController } from './session-log.controller';
import { SessionLogPagesController } from './session-log.pages.controller';
import { SessionLogService } from './session-log.service';
import { InvoiceThreadPagesController } from './invoice-thread.pages.controller';
import { SilentGrantWatch } from './silent-grant-watch.service';
import { SilentGrantsProcessor } from './silent-grants.processor';

/** Invoices: intake (JSON, CSV, UBL), validation of every hour, review and approval, hour registration, the session log. */
@Module({
  imports: [IdentityModule, RulesModule, SuppliersModule, GrantsModule],
  controllers: [InvoicesController, HourRegistrationsController, InvoicesPagesController, HoursPagesController, BusinessResponsesController, SessionLogController, SessionLogPagesController, InvoiceThreadPagesController],
  providers: [InvoiceStore, DeliveryStore, InvoiceIntake, InvoiceFactsService, InvoiceRecorder, InvoicesService, InvoiceReviewService, HourRegistrationsService, DeliveryLedgerService, GrantUsageService, CeilingLedgerCheckService, InvoiceThreadStore, BusinessResponseStore, BusinessResponsesService, InvoiceHoldsService, InvoiceDisputesService, HoldReleaseProcessor, MentorSessionStore, SessionLogService, SilentGrantWatch, SilentGrantsProcessor, AgreementUsageBridge],
  exports: [InvoiceHoldsService, InvoicesService, InvoiceReviewService, HourRegistrationsService, DeliveryLedgerService, GrantUsageService, CeilingLedgerCheckService, SilentGrantWatch],
})
export class InvoicesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The upload form is multipart: read before the guards, which check its CSRF field.
    consumer.apply(InvoiceUploadMiddleware).forRoutes({ path: 'supplier/invoices/upload', method: RequestMethod.POST }, { path: 'supplier/sessions/upload', method: RequestMethod.POST });
  }
}
