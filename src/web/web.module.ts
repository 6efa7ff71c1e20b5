import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { GrantsModule } from '../grants/grants.module';
import { RulesModule } from '../rules/rules.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { GrantsPagesController } from './grants.pages.controller';
import { ProcurementPagesController } from './procurement.pages.controller';
import { AdminPagesController } from './admin.pages.controller';
import { DashboardController } from './dashboard.controller';
import { SessionPagesController } from './session.pages.controller';

/** The web shell: sign-in, the dashboards, and admin pages. */
@Module({
  imports: [IdentityModule, RulesModule, SuppliersModule, GrantsModule],
  controllers: [SessionPagesController, DashboardController, AdminPagesController, ProcurementPagesController, GrantsPagesController],
 })
export class WebModule {}
