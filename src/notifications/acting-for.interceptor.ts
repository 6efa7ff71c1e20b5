import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { DELEGATING_ROLES, DelegationsService } from './delegations.service';

/**
 * Before a change made by a user who stands in for someone today, names that someone on the request, so the
 * audit entry of the change says who acted for whom (CurrentActor reads it).
 */
@Injectable()
export class ActingForInterceptor implements NestInterceptor {
  constructor(private readonly delegations: DelegationsService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<Request>();
      const user = request.user as AuthenticatedUser | undefined;
      if (user && request.method !== 'GET' && DELEGATING_ROLES.includes(user.role)) {
        const principal = await this.delegations.actingFor(user.id);
        if (principal) request.actingFor = principal;
      }
    }
    return next.handle();
  }
}
