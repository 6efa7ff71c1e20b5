import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { BillingModule } from './billing/billing.module';
import type { AppConfig, RunMode } from './common/config/app-config';
import { ConfigModule } from './common/config/config.module';
import { databaseOptions } from './common/database/database.options';
import { HealthModule } from './common/health/health.module';
import { loggerOptions } from './common/logging/logger.options';
import { QueueModule } from './common/queue/queue.module';
import { DemoModule } from './demo/demo.module';
import { GrantsModule } from './grants/grants.module';
import { IdentityModule } from './identity/identity.module';
import { InvoicesModule } from './invoices/invoices.module';
import { NotificationsModule } from './notifications/notifications.module';
import { RefundsModule } from './refunds/refunds.module';
import { ReportsModule } from './reports/reports.module';
import { RulesModule } from './rules/rules.module';
import { SuppliersModule } from './suppliers/suppliers.module';
import { WebModule } from './web/web.module';

/** How the modules are put together: a run mode, or `cli` (migrate, seed) with neither HTTP nor job workers. */
export type ContextMode = RunMode | 'cli';

export interface AppModuleOptions {
  config: AppConfig;
  mode: ContextMode;
  /** The PostgreSQL to use: DATABASE_URL, or the embedded server's address. */
  databaseUrl: string;
  embedded: boolean;
  /** Redis key prefix for queues (tests isolate themselves with it). */
  queuePrefix?: string;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config, mode } = options;
    const http = mode === 'all' || mode === 'api';
    // An api without Redis runs its own jobs in-process; a CLI command runs none against the live database.
    const runsWorkers = mode === 'all' || mode === 'worker' || (mode === 'api' && config.redisUrl === null);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.logLevel)),
        TypeOrmModule.forRoot(databaseOptions(options.databaseUrl, options.embedded)),
        QueueModule.forRoot({ redisUrl: config.redisUrl, prefix: options.queuePrefix ?? config.queuePrefix, lockMs: config.queueLockMs, concurrency: config.queueConcurrency, sweepMs: 2 * config.queueLockMs, runsWorkers }),
        AuditModule,
        IdentityModule,
        RulesModule,
        SuppliersModule,
        GrantsModule,
        InvoicesModule,
        BillingModule,
        RefundsModule,
        ReportsModule,
        NotificationsModule,
        DemoModule,
        ...(http ? [HealthModule, WebModule] : []),
      ],
    };
  }
}
