import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { RulesModule } from '../rules/rules.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { CitizensController } from './citizens.controller';
import { CitizenStore } from './citizen.store';
import { CitizensService } from './citizens.service';
import { DueTaskOrderProcessor } from './due-task-order.processor';
import { DueTaskOrder } from './due-task-order.service';
import { DueTasksService } from './due-tasks.service';
import { GrantAgreementService } from './grant-agreement.service';
import { GrantStore } from './grant.store';
import { DueTasksController, GrantsController } from './grants.controller';
import { GrantsService } from './grants.service';
import { ProgressReportsService } from './progress-reports.service';
import { GrantsPagesController } from './grants.pages.controller';
import { AgreementGrantsBridge } from './agreement-grants.bridge';

/** Citizens, grants, the written agreement, due tasks and progress reports. */
@Module({
  imports: [IdentityModule, RulesModule, SuppliersModule],
  controllers: [CitizensController, GrantsController, DueTasksController, GrantsPagesController],
  providers: [CitizenStore, GrantStore, CitizensService, GrantsService, DueTaskOrder, DueTaskOrderProcessor, DueTasksService, GrantAgreementService, ProgressReportsService, AgreementGrantsBridge],
  exports: [GrantsService, CitizensService, DueTasksService, ProgressReportsService, DueTaskOrder],
})
export class GrantsModule {}
