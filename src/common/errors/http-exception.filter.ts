import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { hasText, loadCatalogues, translate, type Catalogues } from '../i18n/messages';
import { apiLanguage, pageContext, resolvePageUser, type Language } from '../web/page-context';
import { templatesDir } from '../web/view-engine';
import { DomainErrorCode, DomainException } from './domain.exception';
import { localizeErrorBody, type ErrorBody, type ErrorTextOptions } from './error-text';
import { RuleError } from './rule-error';
import { isDependencyUnavailable, RETRY_AFTER_SECONDS } from './unavailable';
import { AnswerErrorCode, CommonErrorCode } from './common.errors';

export type { ErrorBody } from './error-text';

const statusOfCode: Record<DomainErrorCode, number> = {
  [DomainErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.Conflict]: HttpStatus.CONFLICT,
  [DomainErrorCode.RuleViolation]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.InvalidInput]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.TooManyRequests]: HttpStatus.TOO_MANY_REQUESTS,
  [DomainErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
};

/** Body-parser errors carry a `type` and a status; map them to the one error shape. */
interface BodyParserError {
  type: string;
  status: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as BodyParserError).type === 'string' && typeof (error as BodyParserError).status === 'number';
}

export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof DomainException) {
    const statusCode = statusOfCode[exception.code];
    return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: exception.message, details: exception.details };
  }
  if (exception instanceof RuleError) {
    // A pure rule refused what the request carried: the request, not the server, is at fault.
    const statusCode = exception.conflict ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_ENTITY;
    const message = exception.conflict ? 'The request conflicts with stored data' : 'The request breaks a rule';
    return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, details: [exception.detail] };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    const cause = exception.cause;
    if (isBodyParserError(cause)) return bodyParserBody(cause);
    const message = typeof response === 'string' ? response : typeof (response as { message?: unknown }).message === 'string' ? (response as { message: string }).message : exception.message;
    return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, details: [] };
  }
  if (isBodyParserError(exception)) return bodyParserBody(exception);
  if (isDependencyUnavailable(exception)) {
    return { statusCode: 503, error: 'Service Unavailable', message: 'The portal cannot reach its data right now. Please try again in a moment.', details: [] };
  }
  if (isTextRefusedByDatabase(exception)) {
    return { statusCode: 422, error: 'Unprocessable Entity', message: 'The request holds text that cannot be stored', details: [{ rule: CommonErrorCode.TextCharacter, message: 'text may not hold the character U+0000 (NUL)' }] };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'An unexpected error occurred', details: [] };
}

// PostgreSQL refuses U+0000 in text (22021) and in jsonb (22P05) wherever a request's text lands; every write runs in a
// transaction, so the refusal leaves nothing behind and the request, not the server, is at fault.
const TEXT_REFUSED = new Set(['22021', '22P05']);

function isTextRefusedByDatabase(error: unknown): boolean {
  return error instanceof QueryFailedError && TEXT_REFUSED.has((error.driverError as { code?: string }).code ?? '');
}

function bodyParserBody(error: BodyParserError): ErrorBody {
  if (error.type === 'entity.too.large') {
    return { statusCode: 413, error: 'Payload Too Large', message: `The request body is larger than ${error.limit} bytes`, details: [{ field: 'body', rule: CommonErrorCode.MaxSize, message: `at most ${error.limit} bytes`, values: { limit: error.limit ?? null } }] };
  }
  if (error.type === 'entity.too.deep') {
    return { statusCode: 400, error: 'Bad Request', message: `The request body nests deeper than ${error.limit} levels`, details: [{ field: 'body', rule: CommonErrorCode.MaxDepth, message: `at most ${error.limit} levels of arrays and objects`, values: { limit: error.limit ?? null } }] };
  }
  if (error.type === 'entity.text.malformed') {
    return { statusCode: 400, error: 'Bad Request', message: 'The request body holds text that is not Unicode', details: [{ field: 'body', rule: CommonErrorCode.Unicode, message: 'a \\u escape of a lone surrogate is not a character' }] };
  }
  if (error.type === 'entity.parse.failed') {
    return { statusCode: 400, error: 'Bad Request', message: 'The request body is not valid JSON', details: [{ field: 'body', rule: CommonErrorCode.JsonSyntax, message: 'the body could not be parsed as JSON' }] };
  }
  const statusCode = error.status >= 400 && error.status < 500 ? error.status : 400;
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Bad Request', message: 'The request body could not be read', details: [{ field: 'body', rule: CommonErrorCode.BodyUnreadable, message: 'the body could not be read', values: { type: error.type } }] };
}

// The code of an answer as a whole whose exception carries none, by its status.
const ANSWER_OF_STATUS: Record<number, string> = {
  400: AnswerErrorCode.BadRequest,
  401: DomainErrorCode.Unauthenticated,
  403: DomainErrorCode.Forbidden,
  404: DomainErrorCode.NotFound,
  409: DomainErrorCode.Conflict,
  413: AnswerErrorCode.PayloadTooLarge,
  415: AnswerErrorCode.UnsupportedMediaType,
  422: DomainErrorCode.InvalidInput,
  429: DomainErrorCode.TooManyRequests,
  503: DomainErrorCode.Unavailable,
};

/** The catalogue key (and parameters) of an answer's message: the exception's own text, else its code's. */
export function answerTextOf(exception: unknown, statusCode: number): { key: string; params?: Record<string, unknown> } {
  if (exception instanceof DomainException) return exception.text ?? { key: `error.${exception.code}` };
  if (exception instanceof RuleError) return { key: `error.${exception.conflict ? DomainErrorCode.Conflict : DomainErrorCode.RuleViolation}` };
  return { key: `error.${ANSWER_OF_STATUS[statusCode] ?? AnswerErrorCode.InternalError}` };
}

/**
 * The one error shape of an exception with its texts from the one catalogue in `lang` (see localizeErrorBody);
 * pages pass their heading and field labels. The status, rules and values are those of toErrorBody.
 */
export function localizedErrorBody(exception: unknown, catalogues: Catalogues, lang: Language, options: ErrorTextOptions = {}): ErrorBody {
  const body = toErrorBody(exception);
  return localizeErrorBody(catalogues, lang, body, answerTextOf(exception, body.statusCode), options);
}

/** An error a page shows in its own form (a refusal of what was asked); anything else goes to the filter. */
export function isRefusal(error: unknown): error is DomainException | RuleError {
  return error instanceof DomainException || error instanceof RuleError;
}

/** One place that maps every error to HTTP: the API gets JSON, pages get an error page. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');
  private readonly catalogues = loadCatalogues(templatesDir());

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request>();
    const page = wantsPage(request);
    // Pages speak the page's language; the API answers in Danish when asked for it, else in its own English.
    const lang: Language | null = page ? pageContext(request).lang : apiLanguage(request) === 'da' ? 'da' : null;
    let body = lang === null ? toErrorBody(exception) : localizedErrorBody(exception, this.catalogues, lang);
    const unavailable = isDependencyUnavailable(exception);
    // The database or Redis is away: the request may well succeed shortly, so say when to try again, in the user's language.
    if (unavailable) body = { ...body, message: translate(this.catalogues, pageContext(request).lang, 'error.unavailable') };
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, path: request.path }, 'request failed');
    }
    if (response.headersSent) return;
    if (unavailable) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    else if (exception instanceof DomainException && exception.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (page) {
      if (body.statusCode === 401) {
        response.redirect(303, `/login?next=${encodeURIComponent(request.originalUrl)}`);
        return;
      }
      // A user whose password an administrator chose goes to the page where they choose their own.
      if (exception instanceof DomainException && exception.details.some((detail) => detail.rule === PASSWORD_CHANGE_FIRST)) {
        response.redirect(303, '/account');
        return;
      }
      const retryAfter = response.getHeader('Retry-After');
      const render = () => {
        if (response.headersSent) return;
        const context = pageContext(request);
        response.status(body.statusCode).render('pages/error', { ...context, ...errorPageModel(body, this.catalogues, context.lang), retryAfterSeconds: retryAfter === undefined ? null : Number(retryAfter) });
      };
      // A path no route has is answered before the guard knew who is signed in: look first, so the page has the layout.
      if (request.user === undefined) {
        resolvePageUser(request)
          .then(render)
          .catch((error: unknown) => {
            this.logger.error({ err: error, path: request.path }, 'error page failed');
            if (!response.headersSent) response.status(body.statusCode).type('text/plain').send(body.message);
          });
      } else render();
      return;
    }
    response.status(body.statusCode).json(body);
  }
}

// The rule of identity's refusal while a user must choose their own password (identity.errors.ts).
const PASSWORD_CHANGE_FIRST = 'password_change_first';

// Error pages have a heading of their own for these statuses; any other shows the 4xx or 5xx heading.
const PAGE_HEADINGS = new Set([400, 403, 404, 409, 413, 415, 422, 429, 500, 503]);

/**
 * What the error page shows: a heading by the status in the page's language, the answer's text, and only the
 * details the catalogue words (a detail's own text is English for developers). Never the framework's own
 * message ("Cannot GET /…").
 */
export function errorPageModel(body: ErrorBody, catalogues: Catalogues, lang: Language): { title: string; heading: string; error: ErrorBody } {
  const heading = `error_page.${PAGE_HEADINGS.has(body.statusCode) ? body.statusCode : body.statusCode >= 500 ? 500 : 400}`;
  const details = body.details.filter((detail) => hasText(catalogues, lang, `error.${detail.rule}`));
  return { title: heading, heading, error: { ...body, details } };
}

function wantsPage(request: Request): boolean {
  return !request.path.startsWith('/api/') && request.path !== '/health' && request.accepts(['html', 'json']) === 'html';
}
