import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '../actor';
import type { Actor } from '../actor';
import { AccessScope } from './access-scope';
import { actorOf, AuthenticatedUser } from './authenticated-user';

export const IS_PUBLIC = 'identity:public';
export const ROLES_KEY = 'identity:roles';

/** The route needs no sign-in. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (checked by the global RolesGuard). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedUser => {
  return context.switchToHttp().getRequest<Request>().user as AuthenticatedUser;
});

/** The caller's data scope: every supplier for staff, its own for a supplier user. */
export const Scope = createParamDecorator((_data: unknown, context: ExecutionContext): AccessScope => {
  return AccessScope.of(context.switchToHttp().getRequest<Request>().user as AuthenticatedUser);
});

/** The caller as an audit actor, with the request's IP and id. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<Request>();
  return actorOf(request.user as AuthenticatedUser, { ip: request.ip, requestId: String(request.id ?? '') || null, onBehalfOf: request.actingFor ?? null });
});
