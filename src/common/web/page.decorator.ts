import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, Render, UseInterceptors } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Request } from 'express';
import { map, Observable } from 'rxjs';
import { pageContext } from './page-context';

/** Adds the layout's context (user, navigation, language, CSRF token) to a page's model. */
@Injectable()
export class PageContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(map((model: Record<string, unknown>) => ({ ...pageContext(request), ...model })));
  }
}

/** A server-rendered page: a Handlebars view from templates/, kept out of the OpenAPI document. */
export function Page(view: string) {
  return applyDecorators(Render(view), UseInterceptors(PageContextInterceptor), ApiExcludeEndpoint());
}
