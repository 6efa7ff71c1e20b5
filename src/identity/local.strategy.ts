import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import { AuthService, type PasswordSignIn } from './auth.service';
import { apiLanguage } from '../common/web/page-context';

/** E-mail and password sign-in, and the code of an account with two-factor on; always available beside federated providers. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  async validate(request: Request, email: string, password: string): Promise<PasswordSignIn> {
    const meta = { ip: request.ip, requestId: String(request.id ?? '') || null, language: apiLanguage(request) };
    const user = await this.auth.verifyCredentials(email, password, meta);
    return this.auth.secondFactor(user, (request.body as { otp?: unknown }).otp, meta);
  }
}
