import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { AdminPagesController } from './admin.pages.controller';
import { DashboardController } from './dashboard.controller';
import { SessionPagesController } from './session.pages.controller';

/** The web shell: sign-in, the dashboards, and admin pages. */
@Module({ imports: [IdentityModule, SuppliersModule], controllers: [SessionPagesController, DashboardController, AdminPagesController] })
export class WebModule {}
