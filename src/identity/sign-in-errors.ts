import { DomainErrorCode, DomainException } from '../common/errors/domain.exception';
import { loadCatalogues, translate, type Catalogue } from '../common/i18n/messages';
import type { Language } from '../common/web/page-context';
import { templatesDir } from '../common/web/view-engine';
import { IdentityErrorCode } from './identity.errors';

let catalogues: Record<Language, Catalogue> | undefined;
const text = (lang: Language, key: string, params: Record<string, unknown> = {}) => translate((catalogues ??= loadCatalogues(templatesDir())), lang, key, params);

export function tooManyAttempts(lang: Language, retryAfterSeconds: number): DomainException {
  return new DomainException(
    DomainErrorCode.TooManyRequests,
    text(lang, 'auth.too_many_attempts', { seconds: retryAfterSeconds }),
    [{ rule: IdentityErrorCode.SignInAttempts, message: 'too many failed sign-ins; try again after Retry-After seconds', values: { retryAfterSeconds } }],
    retryAfterSeconds,
  ).withText('auth.too_many_attempts', { seconds: retryAfterSeconds });
}

export function hashingBusy(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Unavailable, text(lang, 'auth.busy'), [{ rule: IdentityErrorCode.SignInCapacity, message: 'every password check of this server is taken; try again after Retry-After seconds', values: { retryAfterSeconds: 1 } }], 1).withText('auth.busy');
}

export function supplierInactive(lang: Language): DomainException {
  return new DomainException(DomainErrorCode.Forbidden, text(lang, 'auth.supplier_inactive'), [{ rule: IdentityErrorCode.SupplierActive, message: "the user's supplier is deactivated" }]).withText('auth.supplier_inactive');
}
