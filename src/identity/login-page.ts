import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../common/config/app-config';
import { APP_CONFIG } from '../common/config/config.module';
import { pageContext } from '../common/web/page-context';
import { offeredProviders } from './federated-providers';

export const LOGIN_CSRF_COOKIE = 'mps_login_csrf';

export interface LoginPageModel {
  next: string;
  email?: string;
  errorKey?: string;
  errorMessage?: string;
}

/** The sign-in page: e-mail and password, and a button for each configured federated provider. */
@Injectable()
export class LoginPage {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  render(request: Request, response: Response, model: LoginPageModel, status = 200): void {
    const token = randomBytes(24).toString('base64url');
    response.cookie(LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: this.config.cookieSecure, path: '/login' });
    const federated = offeredProviders(this.config).map(({ kind, displayName }) => ({ kind, displayName, href: `/auth/${kind}/login${model.next && model.next !== '/' ? `?next=${encodeURIComponent(model.next)}` : ''}` }));
    response.status(status).render('pages/login', { ...pageContext(request), title: 'login.heading', loginCsrf: token, federated, ...model });
  }
}
