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

/** State refund claims, computed in jobs, exported as CSV, XLSX and PDF; the years' budgets and refund frames. */
@Module({
  imports: [RulesModule, InvoicesModule],
  controllers: [RefundClaimsController, BudgetYearsController, RefundClaimsPagesController],
  providers: [RefundClaimsService, RefundsProcessor, BudgetYearsService, RefundClaimStore, BudgetYearStore],
  exports: [RefundClaimsService, BudgetYearsService],
})
export class RefundsModule {}
