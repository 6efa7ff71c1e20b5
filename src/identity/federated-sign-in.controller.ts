import { Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/auth/auth.decorators';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { toErrorBody } from '../common/errors/http-exception.filter';
import { pageContext } from '../common/web/page-context';
import { AuthService, type SessionOptions } from './auth.service';
import { OidcRefusal, OidcSignInService } from './oidc-sign-in.service';
import { identityText } from './identity.errors';
import { LoginPage } from './login-page';
import { SamlRefusal, SamlSignInService } from './saml-sign-in.service';
import { safeNext } from './session.pages.controller';
import { SESSION_COOKIE } from './session.strategy';
import type { User } from './user.entity';

/** The browser's handle of a started OpenID Connect sign-in; Lax, because the provider sends the browser back with a top-level GET. */
const OIDC_COOKIE = 'mps_oidc';

/** Federated sign-in: /auth/oidc/… (suppliers, MitID Erhverv through a broker) and /auth/saml/… (municipal staff). */
@ApiExcludeController()
@Public()
@Controller('auth')
export class FederatedSignInController {
  constructor(
    private readonly auth: AuthService,
    private readonly oidc: OidcSignInService,
    private readonly saml: SamlSignInService,
    private readonly loginPage: LoginPage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sends the browser to the provider with a fresh state, nonce and PKCE challenge. */
  @Get('oidc/login')
  async oidcLogin(@Req() request: Request, @Res() response: Response, @Query('next') next?: string): Promise<void> {
    const provider = this.config.oidc;
    if (!provider) throw DomainException.notFound('Sign-in provider');
    try {
      const started = await this.oidc.start(safeNext(next));
      response.cookie(OIDC_COOKIE, started.handle, { httpOnly: true, sameSite: 'lax', secure: this.config.cookieSecure, path: '/auth/oidc', maxAge: 10 * 60_000 });
      response.redirect(303, started.url);
    } catch (error) {
      if (!(error instanceof OidcRefusal)) throw error;
      const lang = pageContext(request).lang;
      this.loginPage.render(request, response, { next: safeNext(next), errorMessage: this.text(lang, 'identity.federated_unavailable', provider.displayName) }, 503);
    }
  }

  /** The provider's answer: checked against this browser's started sign-in, mapped to a provisioned supplier user. */
  @Get('oidc/callback')
  async oidcCallback(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (!this.config.oidc) throw DomainException.notFound('Sign-in provider');
    const meta = this.meta(request);
    const handle = (request.cookies as Record<string, string | undefined>)[OIDC_COOKIE];
    response.clearCookie(OIDC_COOKIE, { path: '/auth/oidc' });
    let user: User;
    let next = '/';
    let idToken: string;
    try {
      const answer = await this.oidc.finish(handle, new URL(request.originalUrl, this.config.publicUrl));
      next = safeNext(answer.next);
      idToken = answer.idToken;
      user = await this.auth.resolveSupplierSignIn(answer, meta);
    } catch (error) {
      if (error instanceof OidcRefusal) {
        await this.auth.recordFederatedFailure('oidc', error.reason, meta);
        return this.refused(request, response);
      }
      return this.failed(request, response, error);
    }
    await this.signIn(response, user, meta, { method: 'oidc', idToken }, next);
  }

  /** The service provider's metadata for the IdP administrator: entity ID, assertion consumer service, signed assertions wanted. */
  @Get('saml/metadata')
  samlMetadata(@Res() response: Response): void {
    if (!this.config.saml) throw DomainException.notFound('Sign-in provider');
    response.type('application/samlmetadata+xml').send(this.saml.metadata());
  }

  /** Sends the browser to the IdP with a signed-in-here AuthnRequest whose id the answer must name. */
  @Get('saml/login')
  async samlLogin(@Req() request: Request, @Res() response: Response, @Query('next') next?: string): Promise<void> {
    if (!this.config.saml) throw DomainException.notFound('Sign-in provider');
    await this.saml.login(request, response, safeNext(next));
  }

  /** The assertion consumer service: the IdP POSTs its signed response here. */
  @Post('saml/acs')
  async samlAcs(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (!this.config.saml) throw DomainException.notFound('Sign-in provider');
    const meta = this.meta(request);
    let user: User;
    try {
      const identity = await this.saml.consume(request, response);
      user = await this.auth.resolveStaffSignIn(identity, meta);
    } catch (error) {
      if (error instanceof SamlRefusal) {
        await this.auth.recordFederatedFailure('saml', error.reason, meta);
        return this.refused(request, response);
      }
      return this.failed(request, response, error);
    }
    const relayState = (request.body as Record<string, unknown>).RelayState;
    await this.signIn(response, user, meta, { method: 'saml' }, safeNext(relayState));
  }

  private async signIn(response: Response, user: User, meta: ReturnType<FederatedSignInController['meta']>, options: SessionOptions, next: string): Promise<void> {
    const session = await this.auth.openSession(user, meta, 'cookie', options);
    response.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: this.config.cookieSecure, path: '/', expires: session.expiresAt });
    response.redirect(303, next);
  }

  /** A refusal the resolver made (unknown subject, deactivated supplier …): the login page with its message. */
  private failed(request: Request, response: Response, error: unknown): void {
    if (!(error instanceof DomainException)) throw error;
    if (error.code === DomainErrorCode.Unauthenticated) return this.refused(request, response);
    this.loginPage.render(request, response, { next: '/', errorMessage: error.message }, toErrorBody(error).statusCode);
  }

  private refused(request: Request, response: Response): void {
    this.loginPage.render(request, response, { next: '/', errorKey: 'identity.federated_refused' }, 401);
  }

  private meta(request: Request) {
    return { ip: request.ip, requestId: String(request.id ?? ''), userAgent: request.header('user-agent'), language: pageContext(request).lang };
  }

  private text(lang: 'da' | 'en', key: string, provider: string): string {
    return identityText(lang, key, { provider });
  }
}
