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
import { FollowUpStore } from './follow-up.store';
import { FollowUpsService } from './follow-ups.service';
import { GrantAmendmentStore } from './grant-amendment.store';
import { GrantAmendmentsService } from './grant-amendments.service';
import { GrantCourseController } from './grant-course.controller';
import { GrantCoursePagesController } from './grant-course.pages.controller';
import { GrantCourseViews } from './grant-course.views';
import { CaseSystemController } from './case-system.controller';
import { CaseSystemService } from './case-system.service';
import { GrantPeriodsController } from './grant-periods.controller';
import { GrantPeriodsPagesController } from './grant-periods.pages.controller';
import { GrantCourseService } from './grant-course.service';
import { GrantCourseStore } from './grant-course.store';
import { SilentGrantsService } from './silent-grants.service';
import { AgreementGrantsBridge } from './agreement-grants.bridge';

/** Citizens, grants, the written agreement, due tasks and progress reports. */
@Module({
  imports: [IdentityModule, RulesModule, SuppliersModule],
  controllers: [CitizensController, GrantsController, DueTasksController, GrantsPagesController, GrantCourseController, GrantCoursePagesController, CaseSystemController, GrantPeriodsController, GrantPeriodsPagesController],
  providers: [CitizenStore, GrantStore, CitizensService, GrantsService, DueTaskOrder, DueTaskOrderProcessor, DueTasksService, GrantAgreementService, ProgressReportsService,
    GrantAmendmentStore, GrantAmendmentsService, FollowUpStore, FollowUpsService, GrantCourseViews, GrantCourseStore, GrantCourseService, SilentGrantsService, CaseSystemService, AgreementGrantsBridge],
  exports: [GrantsService, CitizensService, DueTasksService, ProgressReportsService, DueTaskOrder, GrantAmendmentsService, GrantCourseService, SilentGrantsService],
})
export class GrantsModule {}
