import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { loadCatalogues, translate, type Catalogue } from '../common/i18n/messages';
import type { Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE, type PasswordVerdict } from './password-policy.rules';

/** The error codes of sign-in, sessions and users; each is a detail's `rule` and the key of its text (`error.<code>`). */
export enum IdentityErrorCode {
  CsrfToken = 'csrf_token',
  SignInAttempts = 'sign_in_attempts',
  SignInCapacity = 'sign_in_capacity',
  /** The user's organisation is deactivated; the suppliers module refuses its writes with the same code. */
  SupplierActive = 'supplier_active',
  NotSelf = 'not_self',
  CurrentPassword = 'current_password',
  DiffersFromCurrent = 'differs_from_current',
  PasswordChangeFirst = 'password_change_first',
  RequiredForSupplierRole = 'required_for_supplier_role',
  OnlyForSupplierRole = 'only_for_supplier_role',
  // ---- the password policy ----
  PasswordLength = 'password_length',
  PasswordStrength = 'password_strength',
  // ---- two-factor sign-in ----
  TwoFactorRequired = 'two_factor_required',
  TwoFactorCode = 'two_factor_code',
  TwoFactorEnrolment = 'two_factor_enrolment',
  TwoFactorNotStarted = 'two_factor_not_started',
  TwoFactorEnabled = 'two_factor_enabled',
  // ---- federated sign-in ----
  FederatedSignIn = 'federated_sign_in',
  // ---- service accounts and API tokens ----
  ApiToken = 'api_token',
  ApiScope = 'api_scope',
  ServiceAccountActive = 'service_account_active',
}

let catalogues: Record<Language, Catalogue> | undefined;
export const identityText = (lang: Language, key: string, params: Record<string, unknown> = {}) => translate((catalogues ??= loadCatalogues(templatesDir())), lang, key, params);

export function passwordRefused(verdict: PasswordVerdict, field: string, lang: Language = 'en'): DomainException {
  const length = verdict.rule === 'password_length';
  const key = length ? 'identity.password_too_short' : 'identity.password_guessable';
  return DomainException.rule(identityText(lang, key, { min: MIN_PASSWORD_LENGTH }), [
    {
      field,
      rule: length ? IdentityErrorCode.PasswordLength : IdentityErrorCode.PasswordStrength,
      message: length ? `${field} must be at least ${MIN_PASSWORD_LENGTH} characters` : `${field} is too easy to guess${verdict.warning ? `: ${verdict.warning}` : ''}`,
      values: length ? { minLength: MIN_PASSWORD_LENGTH } : { score: verdict.score, minScore: MIN_PASSWORD_SCORE },
    },
  ]).withText(key, { min: MIN_PASSWORD_LENGTH });
}

/** The password was right; the account also needs its code (TOTP or a recovery code). */
export function twoFactorRequired(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Unauthenticated, identityText(lang, 'identity.two_factor_required'), [
    { field: 'otp', rule: IdentityErrorCode.TwoFactorRequired, message: 'this account signs in with a code from its authenticator app as well: send it as otp' },
  ]).withText('identity.two_factor_required');
}

export function twoFactorCodeWrong(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Unauthenticated, identityText(lang, 'identity.two_factor_wrong'), [
    { field: 'otp', rule: IdentityErrorCode.TwoFactorCode, message: 'the code is wrong, used already or expired' },
  ]).withText('identity.two_factor_wrong');
}

/** A code typed on a form of the signed-in user (the set-up, new recovery codes) that does not open: 422 on the field. */
export function twoFactorCodeInvalid(lang: Language, message = 'the code is wrong, used already or expired'): DomainException {
  return DomainException.rule(identityText(lang, 'identity.two_factor_wrong'), [{ field: 'code', rule: IdentityErrorCode.TwoFactorCode, message }]).withText('identity.two_factor_wrong');
}

/** A session of a role that needs a second factor, before one is set up: only the set-up is open. */
export function twoFactorEnrolmentFirst(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Forbidden, identityText(lang, 'identity.two_factor_enrol_first'), [
    { rule: IdentityErrorCode.TwoFactorEnrolment, message: 'set up two-factor sign-in first: POST /api/v1/auth/two-factor, then /api/v1/auth/two-factor/confirm' },
  ]).withText('identity.two_factor_enrol_first');
}

/** An administrator chose the user's password: the user must choose their own before anything else. */
export function passwordChangeFirst(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Forbidden, identityText(lang, 'identity.password_change_first'), [
    { rule: IdentityErrorCode.PasswordChangeFirst, message: 'choose your own password first: POST /api/v1/auth/password with currentPassword and newPassword' },
  ]).withText('identity.password_change_first');
}

export function twoFactorNotStarted(lang: Language): DomainException {
  return DomainException.rule(identityText(lang, 'identity.two_factor_not_started'), [{ rule: IdentityErrorCode.TwoFactorNotStarted, message: 'start the set-up first; it is confirmed with a code' }]).withText(
    'identity.two_factor_not_started',
  );
}

export function twoFactorAlreadyOn(): DomainException {
  return DomainException.conflict('Two-factor sign-in is set up already', [{ rule: IdentityErrorCode.TwoFactorEnabled, message: 'an administrator resets it when the app is lost' }]);
}

/** Every refused federated sign-in says the same to the browser; the reason goes to the audit log. */
export function federatedRefused(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Unauthenticated, identityText(lang, 'identity.federated_refused'), [
    { rule: IdentityErrorCode.FederatedSignIn, message: 'the sign-in could not be verified or is not linked to a user of the portal' },
  ]).withText('identity.federated_refused');
}

export function apiScopeMissing(needed: readonly string[]): DomainException {
  return new DomainException(DomainErrorCode.Forbidden, needed.length === 0 ? 'Service accounts cannot call this route' : `This route needs the scope ${needed.join(' or ')}`, [
    { rule: IdentityErrorCode.ApiScope, message: needed.length === 0 ? 'no scope opens this route to a service account' : `the service account lacks ${needed.join(' or ')}` },
  ]);
}

export function serviceAccountInactive(): DomainException {
  return DomainException.rule('The service account is deactivated', [{ field: 'serviceAccountId', rule: IdentityErrorCode.ServiceAccountActive, message: 'activate the service account first' }]);
}
