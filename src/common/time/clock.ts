import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { todayInCopenhagen, type CalendarDate } from './calendar-date';

/**
 * The portal's business day. Rules take "today" as a value; services and pages
 * ask this clock for it, so one setting (BUSINESS_DATE, never in production) can
 * pin a training environment or the test suite to a fixed day.
 */
@Injectable()
export class Clock {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The calendar date in Copenhagen now, or the pinned business date. */
  today(): CalendarDate {
    return this.config.businessDate ?? todayInCopenhagen(new Date());
  }
}
