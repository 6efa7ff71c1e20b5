import { Body, Controller, Get, Inject, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CurrentActor, CurrentUser, Public } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import type { Actor } from '../common/actor';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, toErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { parseForm } from '../common/web/form';
import { pageContext } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { AuthService } from './auth.service';
import { configuredButNotInstalled, offeredProviders } from './federated-providers';
import { ChangePasswordDto } from './identity.dto';
import { SESSION_COOKIE } from './session.strategy';
import { UsersService } from './users.service';

const LOGIN_CSRF_COOKIE = 'mps_login_csrf';

/** Only same-site paths are followed after sign-in, never another host. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) ? next : '/';
}

@ApiExcludeController()
@Controller()
export class SessionPagesController {
  private readonly catalogues = loadCatalogues(templatesDir());

  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const missing = configuredButNotInstalled(config);
    if (missing.length > 0) new Logger('SignIn').warn(`federated sign-in configured but no strategy installed for: ${missing.join(', ')}; only local accounts are offered`);
  }

  @Get('login')
  @Public()
  loginPage(@Req() request: Request, @Res() response: Response, @Query('next') next?: string): void {
    if (request.user) return response.redirect(303, safeNext(next));
    this.renderLogin(request, response, { next: safeNext(next) });
  }

  @Post('login')
  @Public()
  async login(@Req() request: Request, @Res() response: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const next = safeNext(body.next);
    const email = typeof body.email === 'string' ? body.email.slice(0, 200) : '';
    const cookieToken = (request.cookies as Record<string, string>)[LOGIN_CSRF_COOKIE];
    if (!sameToken(cookieToken, body._csrf)) return this.renderLogin(request, response, { next, email, errorKey: 'login.expired' }, 403);
    if (!email || typeof body.password !== 'string' || body.password === '') {
      return this.renderLogin(request, response, { next, email, errorKey: 'login.invalid' }, 422);
    }
    try {
      const meta = { ip: request.ip, requestId: String(request.id ?? ''), userAgent: request.header('user-agent'), language: pageContext(request).lang };
      const user = await this.auth.verifyCredentials(email, body.password.slice(0, 200), meta);
      const session = await this.auth.openSession(user, meta, 'cookie');
      response.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
      response.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: this.config.cookieSecure, path: '/', expires: session.expiresAt });
      response.redirect(303, next);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.code === DomainErrorCode.Unauthenticated) return this.renderLogin(request, response, { next, email, errorKey: 'login.failed' }, 401);
      // Too many attempts, a full queue, a deactivated supplier: their message is already in the page's language.
      if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      return this.renderLogin(request, response, { next, email, errorMessage: error.message }, toErrorBody(error).statusCode);
    }
  }

  /** The signed-in user's own page: change the password, sign out everywhere. */
  @Get('account')
  accountPage(@Req() request: Request, @Res() response: Response, @Query('notice') notice?: string): void {
    this.renderAccount(request, response, { notice: notice === 'password' ? 'account.password_changed' : undefined });
  }

  @Post('account/password')
  async changePassword(@Req() request: Request, @Res() response: Response, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: unknown): Promise<void> {
    try {
      const form = await parseForm(ChangePasswordDto, body);
      await this.users.changeOwnPassword(user, form.currentPassword, form.newPassword, actor, pageContext(request).lang);
      response.redirect(303, '/account?notice=password');
    } catch (error) {
      if (!isRefusal(error)) throw error;
      if (error instanceof DomainException && error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      const lang = pageContext(request).lang;
      const labels: Readonly<Record<string, string>> = { currentPassword: 'account.current_password', newPassword: 'account.new_password' };
      const errorBody = localizedErrorBody(error, this.catalogues, lang, { fieldLabel: (field) => (labels[field] === undefined ? undefined : translate(this.catalogues, lang, labels[field])) });
      this.renderAccount(request, response, { error: errorBody }, errorBody.statusCode);
    }
  }

  @Post('account/logout-all')
  async logoutAll(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Res() response: Response): Promise<void> {
    await this.auth.closeAllSessions(user, actor);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.redirect(303, '/login');
  }

  @Post('logout')
  async logout(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Res() response: Response): Promise<void> {
    await this.auth.closeSession(user, actor);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.redirect(303, '/login');
  }

  private renderAccount(request: Request, response: Response, model: Record<string, unknown>, status = 200): void {
    response.status(status).render('pages/account', { ...pageContext(request), title: 'account.heading', ...model });
  }

  private renderLogin(request: Request, response: Response, model: { next: string; email?: string; errorKey?: string; errorMessage?: string }, status = 200): void {
    const token = randomBytes(24).toString('base64url');
    response.cookie(LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: this.config.cookieSecure, path: '/login' });
    const federated = offeredProviders(this.config).map(({ kind, displayName }) => ({ kind, displayName }));
    response.status(status).render('pages/login', { ...pageContext(request), title: 'login.heading', loginCsrf: token, federated, ...model });
  }
}

function sameToken(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length !== b.length || a.length === 0) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

