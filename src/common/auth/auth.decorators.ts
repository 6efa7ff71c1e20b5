import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '../actor';
import type { Actor } from '../actor';
import { CommonErrorCode } from '../errors/common.errors';
import { DomainErrorCode, DomainException } from '../errors/domain.exception';
import { AccessScope } from './access-scope';
import type { ApiScope } from './api-scopes';
import { actorOf, AuthenticatedUser, isServicePrincipal, serviceActor } from './authenticated-user';

export const IS_PUBLIC = 'identity:public';
export const ROLES_KEY = 'identity:roles';
export const API_SCOPES_KEY = 'identity:api-scopes';
export const TWO_FACTOR_SETUP_KEY = 'identity:two-factor-setup';
export const PASSWORD_CHANGE_KEY = 'identity:password-change';

/** The route needs no sign-in. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (checked by the global RolesGuard). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Service accounts (API tokens) holding one of these scopes may call the route too; the roles still decide
 * for people. Without it a service account is refused (403).
 */
export const ApiScopes = (...scopes: ApiScope[]) => SetMetadata(API_SCOPES_KEY, scopes);

/** Open to a session that still has to set up its second factor (the set-up itself, signing out). */
export const TwoFactorSetup = () => SetMetadata(TWO_FACTOR_SETUP_KEY, true);

/** Open to a user who must first choose their own password (the change itself, the account page, signing out). */
export const PasswordChangeOpen = () => SetMetadata(PASSWORD_CHANGE_KEY, true);

/** The signed-in person; a service account never gets here (a route that reads the person is not for it). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  const user = context.switchToHttp().getRequest<Request>().user;
  if (isServicePrincipal(user)) throw new DomainException(DomainErrorCode.Forbidden, 'Only a signed-in person can do this', [{ rule: CommonErrorCode.PeopleOnly, message: 'a service account cannot use this route' }]);
  return user as AuthenticatedUser;
});

/** The caller's data scope: every supplier for staff and for the municipality's own systems, its own for a supplier user. */
export const Scope = createParamDecorator((_data: unknown, context: ExecutionContext): AccessScope => {
  const user = context.switchToHttp().getRequest<Request>().user;
  return isServicePrincipal(user) ? AccessScope.unrestricted() : AccessScope.of(user as AuthenticatedUser);
});

/** The caller as an audit actor, with the request's IP and id: a person, or `service:<name>` for an API token. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<Request>();
  const meta = { ip: request.ip, requestId: String(request.id ?? '') || null, onBehalfOf: request.actingFor ?? null };
  return isServicePrincipal(request.user) ? serviceActor(request.user, meta) : actorOf(request.user as AuthenticatedUser, meta);
});
