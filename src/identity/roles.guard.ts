import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../common/actor';
import { DomainException } from '../common/errors/domain.exception';
import { IS_PUBLIC, ROLES_KEY } from '../common/auth/auth.decorators';
import { isServicePrincipal, type AuthenticatedUser } from '../common/auth/authenticated-user';

/** Decides whether a role may call a route; pure, so it is tested on its own. */
export function roleAllowed(required: readonly Role[] | undefined, role: Role): boolean {
  return required === undefined || required.length === 0 || required.includes(role);
}

/** Enforces @Roles on every route; routes without @Roles are open to every signed-in role. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    const principal = context.switchToHttp().getRequest<Request>().user;
    if (!principal) return false;
    // A service account acts through its scopes alone, checked with its token (SessionAuthGuard).
    if (isServicePrincipal(principal)) return true;
    const user = principal as AuthenticatedUser;
    if (!roleAllowed(required, user.role)) throw DomainException.forbidden(`This action needs the role ${required?.join(' or ')}`);
    return true;
  }
}
