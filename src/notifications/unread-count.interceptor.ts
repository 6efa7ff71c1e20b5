import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type { AuthenticatedUser } from '../common/auth/authenticated-user';
import { NotificationsService } from './notifications.service';

/**
 * For a page (not the API), reads the signed-in user's unread count before the handler, so the layout's top
 * bar shows it (pageContext reads it from the request).
 */
@Injectable()
export class UnreadCountInterceptor implements NestInterceptor {
  constructor(private readonly notifications: NotificationsService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<Request>();
      const user = request.user as AuthenticatedUser | undefined;
      if (user && request.method === 'GET' && !request.path.startsWith('/api/')) request.unreadNotifications = await this.notifications.unreadCount(user.id);
    }
    return next.handle();
  }
}
