import type { OidcProviderConfig } from '../common/config/app-config';
import { configuredButNotInstalled, offeredProviders } from './federated-providers';

const oidc: OidcProviderConfig = {
  kind: 'oidc',
  displayName: 'MitID Erhverv',
  issuer: 'https://broker.example/',
  clientId: 'portal',
  clientSecret: 's',
  scopes: 'openid email',
  subjectClaim: 'sub',
  cvrClaim: 'cvr',
  emailClaim: 'email',
};

describe('federated providers', () => {
  it('offers a configured provider only when its strategy is installed', () => {
    expect(offeredProviders({ oidc, saml: null }, new Set())).toEqual([]);
    expect(offeredProviders({ oidc, saml: null }, new Set(['oidc']))).toEqual([oidc]);
    expect(offeredProviders({ oidc: null, saml: null }, new Set(['oidc', 'saml']))).toEqual([]);
  });
  it('names configured providers whose strategy is missing', () => {
    expect(configuredButNotInstalled({ oidc, saml: null }, new Set())).toEqual(['oidc']);
    expect(configuredButNotInstalled({ oidc, saml: null }, new Set(['oidc']))).toEqual([]);
  });
});
