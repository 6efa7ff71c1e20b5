import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module';
import { RulesModule } from '../rules/rules.module';
import { BudgetYearsController } from './budget-years.controller';
import { BudgetYearStore } from './budget-year.store';
import { BudgetYearsService } from './budget-years.service';
import { RefundClaimStore } from './refund-claim.store';
import { RefundClaimsService } from './refund-claims.service';
import { RefundClaimsController } from './refunds.controller';
import { RefundsProcessor } from './refunds.processor';
import { RefundClaimsPagesController } from './refund-claims.pages.controller';
import { HourBudgetStore } from './hour-budget.store';
import { HourBudgetsService } from './hour-budgets.service';
import { HourBudgetsController } from './hour-budgets.controller';

/** State refund claims, computed in jobs, exported as CSV, XLSX and PDF; the years' budgets and refund frames. */
@Module({
  imports: [RulesModule, InvoicesModule],
  controllers: [RefundClaimsController, BudgetYearsController, RefundClaimsPagesController, HourBudgetsController],
  providers: [RefundClaimsService, RefundsProcessor, BudgetYearsService, RefundClaimStore, BudgetYearStore, HourBudgetStore, HourBudgetsService],
  exports: [RefundClaimsService, BudgetYearsService, HourBudgetsService],
})
export class RefundsModule {}
