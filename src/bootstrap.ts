import { INestApplicationContext, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule, AppModuleOptions } from './app.module';
import type { AppConfig } from './common/config/app-config';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { validationOptions } from './common/errors/validation-options';
import { checkJsonBody } from './common/web/json-body';
import { LANGUAGE_COOKIE, requestedLanguage } from './common/web/page-context';
import { configureViews } from './common/web/view-engine';
import { documentErrorCodes } from './error-codes';

/** Applies everything an HTTP app needs beyond its modules; shared by main and the tests. */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(PinoLogger));
  // Only the configured proxies may say who the client is (TRUST_PROXY); by default nobody can, so a
  // client cannot step around the sign-in budgets per address by sending its own X-Forwarded-For.
  app.set('trust proxy', config.trustProxy === false || typeof config.trustProxy === 'number' ? config.trustProxy : [...config.trustProxy]);
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
    }),
  );
  // API answers and pages hold personal and citizen data: no browser or proxy may keep a copy. Only the
  // static assets (CSS, fonts) are cached; they set their own header.
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!request.path.startsWith('/static/')) response.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(cookieParser());
  // Too deep nesting and lone surrogates are refused before parsing (json-body.ts); Nest's useBodyParser takes no `verify`.
  app.use(json({ limit: config.bodyLimitBytes, verify: (_request, _response, body) => checkJsonBody(body) }));
  // Invoices arrive as CSV or UBL XML too. CSV is text; an e-invoice stays bytes, so that its XML declaration
  // decides the encoding (an ISO-8859-1 document read as UTF-8 would lose its æ, ø and å).
  app.useBodyParser('text', { limit: config.bodyLimitBytes, type: ['text/csv'] });
  app.useBodyParser('raw', { limit: config.bodyLimitBytes, type: ['application/xml', 'text/xml'] });
  app.useBodyParser('urlencoded', { limit: config.bodyLimitBytes, extended: false, parameterLimit: 2000 });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const cookies = request.cookies as Record<string, string> | undefined;
    const lang = requestedLanguage(request.query.lang, cookies?.[LANGUAGE_COOKIE]);
    if (lang) {
      request.locale = lang;
      if (typeof request.query.lang === 'string') response.cookie(LANGUAGE_COOKIE, lang, { sameSite: 'lax', httpOnly: true, secure: config.cookieSecure, maxAge: 365 * 86_400_000 });
    }
    next();
  });
  app.useGlobalPipes(new ValidationPipe(validationOptions));
  app.useGlobalFilters(new HttpExceptionFilter());
  configureViews(app);
  const document = documentErrorCodes(
    SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Mentor supplier portal API')
      .setDescription('Agreements, grants, invoices validated hour by hour, month close and refund claims. Every 4xx answer has the shape { statusCode, error, message, details[] }.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  app.enableShutdownHooks();
}

export async function createHttpApp(options: AppModuleOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), { bodyParser: false, bufferLogs: true });
  configureHttpApp(app, options.config);
  return app;
}

export async function createWorkerContext(options: AppModuleOptions): Promise<INestApplicationContext> {
  const context = await NestFactory.createApplicationContext(AppModule.forRoot(options), { bufferLogs: true });
  context.useLogger(context.get(PinoLogger));
  context.enableShutdownHooks();
  return context;
}

/** For `migrate` and `seed`: the modules without HTTP, without Redis, and without job workers or the sweeper. */
export async function createCliContext(options: Omit<AppModuleOptions, 'mode'>): Promise<INestApplicationContext> {
  const context = await NestFactory.createApplicationContext(AppModule.forRoot({ ...options, config: { ...options.config, redisUrl: null }, mode: 'cli' }), { bufferLogs: true });
  context.useLogger(context.get(PinoLogger));
  return context;
}

/**
 * Runs pending migrations. Several processes may start at once (api and
 * workers), so on a real PostgreSQL they take turns under an advisory lock.
 */
export async function runMigrations(dataSource: DataSource, embedded: boolean): Promise<string[]> {
  const logger = new Logger('Migrations');
  if (embedded) return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(7210571)');
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) logger.log(`applied ${applied.map((m) => m.name).join(', ')}`);
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(7210571)').catch(() => undefined);
    await runner.release();
  }
}
