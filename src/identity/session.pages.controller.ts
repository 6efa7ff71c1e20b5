import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CurrentActor, CurrentUser, PasswordChangeOpen, Public, TwoFactorSetup } from '../common/auth/auth.decorators';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import type { Actor } from '../common/actor';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { isRefusal, localizedErrorBody, toErrorBody } from '../common/errors/http-exception.filter';
import { loadCatalogues, translate } from '../common/i18n/messages';
import { parseForm } from '../common/web/form';
import { formErrorView } from '../common/web/form-errors';
import { pageContext } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { AuthService, type PasswordSignIn } from './auth.service';
import { LOGIN_CSRF_COOKIE, LoginPage, type LoginPageModel } from './login-page';
import { ChangePasswordDto } from './identity.dto';
import { SESSION_COOKIE } from './session.strategy';
import { OidcSignInService } from './oidc-sign-in.service';
import { TwoFactorService } from './two-factor.service';
import { UsersService } from './users.service';

/** Between the password and the code of an account with two-factor on (AuthService.loginChallenge). */
const LOGIN_CODE_COOKIE = 'mps_login_code';

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
    private readonly twoFactor: TwoFactorService,
    private readonly oidc: OidcSignInService,
    private readonly signInPage: LoginPage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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
      if (await this.twoFactor.enabled(user.id)) {
        response.cookie(LOGIN_CODE_COOKIE, this.auth.loginChallenge(user.id, next), { httpOnly: true, sameSite: 'strict', secure: this.config.cookieSecure, path: '/login', maxAge: 5 * 60_000 });
        return this.renderCode(request, response, {});
      }
      await this.signedIn(response, await this.auth.secondFactor(user, undefined, meta), meta, next);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.code === DomainErrorCode.Unauthenticated) return this.renderLogin(request, response, { next, email, errorKey: 'login.failed' }, 401);
      // Too many attempts, a full queue, a deactivated supplier: their message is already in the page's language.
      if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      return this.renderLogin(request, response, { next, email, errorMessage: error.message }, toErrorBody(error).statusCode);
    }
  }

  /** The second step for an account with two-factor on: the code from the app, or a recovery code. */
  @Post('login/code')
  @Public()
  async loginCode(@Req() request: Request, @Res() response: Response, @Body() body: Record<string, unknown>): Promise<void> {
    const cookies = request.cookies as Record<string, string>;
    const lang = pageContext(request).lang;
    if (!sameToken(cookies[LOGIN_CSRF_COOKIE], body._csrf)) return this.renderLogin(request, response, { next: '/', errorKey: 'login.expired' }, 403);
    const challenge = this.auth.readLoginChallenge(cookies[LOGIN_CODE_COOKIE]);
    const user = challenge ? await this.auth.challengedUser(challenge.userId) : null;
    if (!challenge || !user) return this.renderLogin(request, response, { next: '/', errorKey: 'identity.code_expired' }, 401);
    const meta = { ip: request.ip, requestId: String(request.id ?? ''), userAgent: request.header('user-agent'), language: lang };
    try {
      const signIn = await this.auth.secondFactor(user, typeof body.code === 'string' && body.code !== '' ? body.code.slice(0, 20) : '-', meta);
      response.clearCookie(LOGIN_CODE_COOKIE, { path: '/login' });
      await this.signedIn(response, signIn, meta, safeNext(challenge.next));
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
      this.renderCode(request, response, { errorMessage: error.message }, toErrorBody(error).statusCode);
    }
  }

  /** The signed-in user's own page: change the password, sign out everywhere. */
  @PasswordChangeOpen()
  @Get('account')
  accountPage(@Req() request: Request, @Res() response: Response, @Query('notice') notice?: string): void {
    this.renderAccount(request, response, { notice: notice === 'password' ? 'account.password_changed' : undefined });
  }

  @PasswordChangeOpen()
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
      this.renderAccount(request, response, formErrorView(toErrorBody(error), errorBody, { ids: { currentPassword: 'current-password', newPassword: 'new-password' } }), errorBody.statusCode);
    }
  }

  @Post('account/logout-all')
  async logoutAll(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Res() response: Response): Promise<void> {
    await this.auth.closeAllSessions(user, actor);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.redirect(303, '/login');
  }

  @PasswordChangeOpen()
  @Post('logout')
  @TwoFactorSetup()
  async logout(@Req() request: Request, @CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Res() response: Response): Promise<void> {
    const idToken = await this.auth.closeSession(user, actor);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    // An OpenID Connect sign-in ends at the provider too. The page sends the browser on (a redirect from this
    // form to another site would break the pages' form-action policy).
    const providerLogout = idToken ? await this.oidc.endSessionUrl(idToken) : null;
    if (!providerLogout) return response.redirect(303, '/login');
    request.user = undefined;
    response.render('pages/signed-out', { ...pageContext(request), title: 'identity.signed_out_heading', redirectTo: providerLogout, provider: this.config.oidc?.displayName });
  }

  /** Opens the cookie session of a password sign-in; a role that still has to set up two-factor goes there. */
  private async signedIn(response: Response, signIn: PasswordSignIn, meta: { ip?: string; requestId: string; userAgent?: string }, next: string): Promise<void> {
    const session = await this.auth.openSession(signIn.user, meta, 'cookie', { method: signIn.method, pendingTwoFactor: signIn.pendingTwoFactor });
    response.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
    response.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: this.config.cookieSecure, path: '/', expires: session.expiresAt });
    // A password an administrator chose is replaced first; the second factor is set up before that.
    response.redirect(303, signIn.pendingTwoFactor ? '/account/two-factor' : signIn.user.mustChangePassword ? '/account' : next);
  }

  private renderCode(request: Request, response: Response, model: { errorMessage?: string }, status = 200): void {
    const token = randomBytes(24).toString('base64url');
    response.cookie(LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: this.config.cookieSecure, path: '/login' });
    response.status(status).render('pages/login-code', { ...pageContext(request), title: 'identity.code_heading', loginCsrf: token, ...model });
  }

  private renderAccount(request: Request, response: Response, model: object, status = 200): void {
    const user = request.user as AuthenticatedUser | undefined;
    response.status(status).render('pages/account', { ...pageContext(request), title: 'account.heading', mustChangePassword: user?.pendingPasswordChange === true, ...model });
  }

  private renderLogin(request: Request, response: Response, model: LoginPageModel, status = 200): void {
    this.signInPage.render(request, response, model, status);
  }
}

function sameToken(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length !== b.length || a.length === 0) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

