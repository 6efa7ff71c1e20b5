import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';

const descriptions: Record<number, string> = {
  400: 'Malformed request body',
  401: 'Not signed in',
  403: 'The role may not do this',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with stored data',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Invalid fields or a broken rule',
  429: 'Too many attempts; Retry-After says when to try again',
  503: 'Busy; Retry-After says when to try again',
};

/** Documents the error answers of a route in OpenAPI, all in the one error shape. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: descriptions[status] ?? 'Error', type: ErrorBodyDto })));
}
