import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { IS_PUBLIC } from '../common/auth/auth.decorators';
import { AuthService } from './auth.service';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { IdentityErrorCode } from './identity.errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/**
 * Global guard: every route needs a signed-in user unless marked @Public().
 * A state change made with the session cookie must also carry the session's
 * CSRF token (form field or header); bearer tokens are not ambient, so need none.
 */
@Injectable()
export class SessionAuthGuard extends AuthGuard('session') {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
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
    const user = request.user as AuthenticatedUser;
    if (user.via === 'cookie') {
      if (!SAFE_METHODS.has(request.method)) this.checkCsrf(request, user);
      request.csrfToken = this.auth.csrfTokenFor(user.sessionId);
    }
    return true;
  }

  override handleRequest<TUser>(error: unknown, user: TUser): TUser {
    if (error) throw error;
    if (!user) throw new DomainException(DomainErrorCode.Unauthenticated, 'Sign in to use this resource');
    return user;
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
      const user = request.user as AuthenticatedUser;
      if (user.via === 'cookie') request.csrfToken = this.auth.csrfTokenFor(user.sessionId);
    } catch {
      // anonymous is fine here
    }
  }
}
