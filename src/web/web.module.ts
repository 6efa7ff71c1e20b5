import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { IdentityModule } from '../identity/identity.module';
import { GrantsModule } from '../grants/grants.module';
import { InvoicesModule } from '../invoices/invoices.module';
import { RefundsModule } from '../refunds/refunds.module';
import { ReportsModule } from '../reports/reports.module';
import { RulesModule } from '../rules/rules.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { GrantsPagesController } from './grants.pages.controller';
import { HoursPagesController } from './hours.pages.controller';
import { InvoiceUploadMiddleware } from './invoice-upload.middleware';
import { InvoicesPagesController } from './invoices.pages.controller';
import { MonthClosePagesController } from './month-close.pages.controller';
import { ProcurementPagesController } from './procurement.pages.controller';
import { RefundClaimsPagesController } from './refund-claims.pages.controller';
import { ReportsPagesController } from './reports.pages.controller';
import { AdminPagesController } from './admin.pages.controller';
import { DashboardController } from './dashboard.controller';
import { SessionPagesController } from './session.pages.controller';

/** The web shell: sign-in, dashboards, and the pages of every area (grants, invoices, month close, reports, admin). */
@Module({
  imports: [IdentityModule, RulesModule, SuppliersModule, GrantsModule, InvoicesModule, BillingModule, RefundsModule, ReportsModule],
  controllers: [SessionPagesController, DashboardController, AdminPagesController, ProcurementPagesController, GrantsPagesController, InvoicesPagesController, HoursPagesController, MonthClosePagesController, RefundClaimsPagesController, ReportsPagesController],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // The upload form is multipart: read before the guards, which check its CSRF field.
    consumer.apply(InvoiceUploadMiddleware).forRoutes({ path: 'supplier/invoices/upload', method: RequestMethod.POST });
  }
}
