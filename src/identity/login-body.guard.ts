import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request } from 'express';
import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { validationDetails } from '../common/errors/validation-options';
import { LoginDto } from './identity.dto';

/** Guards run before pipes, so the login body is validated here, before passport-local reads it. */
@Injectable()
export class LoginBodyGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const body: unknown = request.body ?? {};
    const errors = await validate(plainToInstance(LoginDto, body), { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw new DomainException(DomainErrorCode.InvalidInput, 'The request has invalid fields', validationDetails(errors));
    return true;
  }
}
