import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { validateBody } from '../common/errors/validation-options';
import { LoginDto } from './identity.dto';

/** Guards run before pipes, so the login body is validated here, before passport-local reads it. */
@Injectable()
export class LoginBodyGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    await validateBody(LoginDto, context.switchToHttp().getRequest<Request>().body, 'The request has invalid fields');
    return true;
  }
}
