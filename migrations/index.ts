import { Foundation1763888000000 } from './1763888000000-foundation';
import { AgreementsAndGrants1763888100000 } from './1763888100000-agreements-and-grants';
import { Invoices1763888200000 } from './1763888200000-invoices';
import { MonthClose1763888300000 } from './1763888300000-month-close';
import { Indexes1763888400000 } from './1763888400000-indexes';
import { DueTaskOrder1763888500000 } from './1763888500000-due-task-order';
import { RefundClaimComputing1763888600000 } from './1763888600000-refund-claim-computing';
import { SessionLastSeen1763888700000 } from './1763888700000-session-last-seen';
import { StatementWatermark1763889000000 } from './1763889000000-statement-watermark';
import { CeilingLedger1763889100000 } from './1763889100000-ceiling-ledger';
import { MonthCloseBatches1763889200000 } from './1763889200000-month-close-batches';
import { ContactGap1763889500000 } from './1763889500000-contact-gap';
import { SupplierAccessClosed1763890300000 } from './1763890300000-supplier-access-closed';
import { UnbilledSessionsIndex1763890310000 } from './1763890310000-unbilled-sessions-index';
import { SignIn1763890400000 } from './1763890400000-sign-in';
import { Notifications1763890500000 } from './1763890500000-notifications';
import { Visitation1763890600000 } from './1763890600000-visitation';
import { TargetGroupHistory1763890610000 } from './1763890610000-target-group-history';
import { MustChangePassword1763891300000 } from './1763891300000-must-change-password';

/** Every migration, in order. New migrations are appended; landed ones are never edited. */
export const migrations = [Foundation1763888000000, AgreementsAndGrants1763888100000, Invoices1763888200000, MonthClose1763888300000, Indexes1763888400000, DueTaskOrder1763888500000, RefundClaimComputing1763888600000, SessionLastSeen1763888700000, StatementWatermark1763889000000, CeilingLedger1763889100000, MonthCloseBatches1763889200000, ContactGap1763889500000, SupplierAccessClosed1763890300000, UnbilledSessionsIndex1763890310000, SignIn1763890400000, Notifications1763890500000, Visitation1763890600000, TargetGroupHistory1763890610000, MustChangePassword1763891300000];
