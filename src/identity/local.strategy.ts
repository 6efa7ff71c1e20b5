import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { AuthService } from './auth.service';
import { apiLanguage } from '../common/web/page-context';
import type { User } from './user.entity';

/** E-mail and password sign-in; always available beside federated providers. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(request: Request, email: string, password: string): Promise<User> {
    return this.auth.verifyCredentials(email, password, { ip: request.ip, requestId: String(request.id ?? '') || null, language: apiLanguage(request) });
  }
}
