import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { IdentityModule } from '../identity/identity.module';
import { GrantsModule } from '../grants/grants.module';
import { InvoicesModule } from '../invoices/invoices.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { AdminPagesController } from './admin.pages.controller';
import { DashboardController } from './dashboard.controller';

/** The web shell: the dashboards and the admin pages that span areas (users and suppliers, the audit log); each area keeps its own pages. */
@Module({
  imports: [IdentityModule, SuppliersModule, GrantsModule, InvoicesModule, BillingModule],
  controllers: [DashboardController, AdminPagesController],
})
export class WebModule {}
