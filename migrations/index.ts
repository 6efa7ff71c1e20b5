import { Foundation1763888000000 } from './1763888000000-foundation';
import { AgreementsAndGrants1763888100000 } from './1763888100000-agreements-and-grants';
import { Invoices1763888200000 } from './1763888200000-invoices';
import { MonthClose1763888300000 } from './1763888300000-month-close';
import { Indexes1763888400000 } from './1763888400000-indexes';
import { DueTaskOrder1763888500000 } from './1763888500000-due-task-order';
import { StatementWatermark1763889000000 } from './1763889000000-statement-watermark';

/** Every migration, in order. New migrations are appended; landed ones are never edited. */
export const migrations = [Foundation1763888000000, AgreementsAndGrants1763888100000, Invoices1763888200000, MonthClose1763888300000, Indexes1763888400000, DueTaskOrder1763888500000, StatementWatermark1763889000000];
