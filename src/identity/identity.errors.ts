import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { loadCatalogues, translate, type Catalogue } from '../common/i18n/messages';
import type { Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE, type PasswordVerdict } from './password-policy.rules';

/**
 * Identity's refusals, each under a stable rule name (the `rule` of the error's details), with the
 * message from the catalogue (templates/i18n/identity.*.json) in the language asked for.
 */
export const IDENTITY_RULES = {
  passwordLength: 'password_length',
  passwordStrength: 'password_strength',
  twoFactorRequired: 'two_factor_required',
  twoFactorCode: 'two_factor_code',
  twoFactorEnrolment: 'two_factor_enrolment',
  twoFactorNotStarted: 'two_factor_not_started',
  federatedSignIn: 'federated_sign_in',
  apiToken: 'api_token',
  apiScope: 'api_scope',
  scopeUnknown: 'scope_known',
  serviceAccountName: 'service_account_name',
} as const;

let catalogues: Record<Language, Catalogue> | undefined;
export const identityText = (lang: Language, key: string, params: Record<string, unknown> = {}) => translate((catalogues ??= loadCatalogues(templatesDir())), lang, key, params);

export function passwordRefused(verdict: PasswordVerdict, field: string, lang: Language = 'en'): DomainException {
  const length = verdict.rule === 'password_length';
  return DomainException.rule(identityText(lang, length ? 'identity.password_too_short' : 'identity.password_guessable', { min: MIN_PASSWORD_LENGTH }), [
    {
      field,
      rule: length ? IDENTITY_RULES.passwordLength : IDENTITY_RULES.passwordStrength,
      message: length ? `${field} must be at least ${MIN_PASSWORD_LENGTH} characters` : `${field} is too easy to guess${verdict.warning ? `: ${verdict.warning}` : ''}`,
      values: length ? { minLength: MIN_PASSWORD_LENGTH } : { score: verdict.score, minScore: MIN_PASSWORD_SCORE },
    },
  ]);
}

/** The password was right; the account also needs its code (TOTP or a recovery code). */
export function twoFactorRequired(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Unauthenticated, identityText(lang, 'identity.two_factor_required'), [
    { field: 'otp', rule: IDENTITY_RULES.twoFactorRequired, message: 'this account signs in with a code from its authenticator app as well: send it as otp' },
  ]);
}

export function twoFactorCodeWrong(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Unauthenticated, identityText(lang, 'identity.two_factor_wrong'), [
    { field: 'otp', rule: IDENTITY_RULES.twoFactorCode, message: 'the code is wrong, used already or expired' },
  ]);
}

/** A session of a role that needs a second factor, before one is set up: only the set-up is open. */
export function twoFactorEnrolmentFirst(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Forbidden, identityText(lang, 'identity.two_factor_enrol_first'), [
    { rule: IDENTITY_RULES.twoFactorEnrolment, message: 'set up two-factor sign-in first: POST /api/v1/auth/two-factor, then /api/v1/auth/two-factor/confirm' },
  ]);
}

export function twoFactorNotStarted(lang: Language): DomainException {
  return DomainException.rule(identityText(lang, 'identity.two_factor_not_started'), [{ rule: IDENTITY_RULES.twoFactorNotStarted, message: 'start the set-up first; it is confirmed with a code' }]);
}

/** Every refused federated sign-in says the same to the browser; the reason goes to the audit log. */
export function federatedRefused(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Unauthenticated, identityText(lang, 'identity.federated_refused'), [{ rule: IDENTITY_RULES.federatedSignIn, message: 'the sign-in could not be verified or is not linked to a user of the portal' }]);
}

export function apiTokenRefused(): DomainException {
  return new DomainException(DomainErrorCode.Unauthenticated, 'The API token is unknown, expired or revoked', [{ rule: IDENTITY_RULES.apiToken, message: 'the API token is unknown, expired or revoked' }]);
}

export function apiScopeMissing(needed: readonly string[]): DomainException {
  return new DomainException(DomainErrorCode.Forbidden, needed.length === 0 ? 'Service accounts cannot call this route' : `This route needs the scope ${needed.join(' or ')}`, [
    { rule: IDENTITY_RULES.apiScope, message: needed.length === 0 ? 'no scope opens this route to a service account' : `the service account lacks ${needed.join(' or ')}` },
  ]);
}
