import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { API_SCOPES_KEY, IS_PUBLIC, PASSWORD_CHANGE_KEY, TWO_FACTOR_SETUP_KEY } from '../common/auth/auth.decorators';
import type { ApiScope } from '../common/auth/api-scopes';
import { isServicePrincipal, type AuthenticatedUser, type ServicePrincipal } from '../common/auth/authenticated-user';
import { ApiTokensService } from './api-tokens.service';
import { AuthService } from './auth.service';
import { apiScopeMissing, IdentityErrorCode, passwordChangeFirst, twoFactorEnrolmentFirst } from './identity.errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/**
 * Global guard: every route needs a signed-in user unless marked @Public().
 * A state change made with the session cookie must also carry the session's
 * CSRF token (form field or header); bearer tokens are not ambient, so need none. A service account's API
 * token opens only the routes marked @ApiScopes with a scope it holds, and each of its calls is audited.
 */
@Injectable()
export class SessionAuthGuard extends AuthGuard('session') {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokensService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      await this.attachOptionalUser(context);
      return true;
    }
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<Request>();
    if (isServicePrincipal(request.user)) {
      await this.checkScope(context, request, request.user);
      return true;
    }
    const user = request.user as AuthenticatedUser;
    if (user.via === 'cookie') {
      if (!SAFE_METHODS.has(request.method)) this.checkCsrf(request, user);
      request.csrfToken = this.auth.csrfTokenFor(user.sessionId);
    }
    if (user.pendingTwoFactor && !this.reflector.getAllAndOverride<boolean>(TWO_FACTOR_SETUP_KEY, [context.getHandler(), context.getClass()])) {
      throw twoFactorEnrolmentFirst(request.locale ?? user.language);
    }
    if (user.pendingPasswordChange && !this.reflector.getAllAndOverride<boolean>(PASSWORD_CHANGE_KEY, [context.getHandler(), context.getClass()])) {
      throw passwordChangeFirst(request.locale ?? user.language);
    }
    return true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser): TUser {
    if (error) throw error;
    if (!user) throw new DomainException(DomainErrorCode.Unauthenticated, 'Sign in to use this resource');
    return user;
  }

  private async checkScope(context: ExecutionContext, request: Request, principal: ServicePrincipal): Promise<void> {
    const needed = this.reflector.getAllAndOverride<ApiScope[] | undefined>(API_SCOPES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    const scope = needed.find((candidate) => principal.scopes.includes(candidate)) ?? null;
    await this.apiTokens.recordCall(principal, { method: request.method, path: request.path, scope }, { ip: request.ip, requestId: String(request.id ?? '') || null });
    if (scope === null) throw apiScopeMissing(needed);
  }

  private checkCsrf(request: Request, user: AuthenticatedUser): void {
    const body = request.body as Record<string, unknown> | undefined;
    const fromBody = typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined;
    const given = request.header(CSRF_HEADER) ?? fromBody;
    if (!this.auth.csrfTokenValid(user.sessionId, given)) {
      throw new DomainException(DomainErrorCode.Forbidden, 'The form has expired or did not come from this portal; reload the page and try again', [
        { field: CSRF_FIELD, rule: IdentityErrorCode.CsrfToken, message: 'a valid CSRF token is required with the session cookie' },
      ]).withText('error.csrf_token');
    }
    if (body && fromBody !== undefined) delete body[CSRF_FIELD];
  }

  /** Public pages still show who is signed in (e.g. the layout's navigation). */
  private async attachOptionalUser(context: ExecutionContext): Promise<void> {
    try {
      await super.canActivate(context);
      const request = context.switchToHttp().getRequest<Request>();
      // An API token is nobody on a public route.
      if (isServicePrincipal(request.user)) request.user = undefined;
      const user = request.user as AuthenticatedUser | undefined;
      if (user?.via === 'cookie') request.csrfToken = this.auth.csrfTokenFor(user.sessionId);
    } catch {
      // anonymous is fine here
    }
  }
}
