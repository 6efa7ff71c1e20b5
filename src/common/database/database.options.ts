import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { migrations } from '../../../migrations';

/**
 * One TypeORM configuration for every mode. The embedded PGlite has a single
 * session, so it gets a pool of one with a short wait: a query on a second
 * connection during a transaction then fails fast instead of hanging.
 */
export function databaseOptions(url: string, embedded: boolean): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url,
    autoLoadEntities: true,
    entities: [],
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: embedded ? { max: 1, connectionTimeoutMillis: 10_000 } : { max: 10, connectionTimeoutMillis: 5_000 },
  };
}
