import type { OidcProviderConfig, SamlProviderConfig } from '../common/config/app-config';
import { offeredProviders } from './federated-providers';

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
const saml: SamlProviderConfig = {
  kind: 'saml',
  displayName: 'Fælleskommunal adgangsstyring',
  entryPoint: 'https://idp.example/sso',
  entityId: 'https://portal.example/saml',
  idpCerts: ['MIIB'],
  idpIssuer: null,
  emailAttribute: 'email',
  nameAttribute: 'name',
  groupAttribute: 'groups',
  roleMap: [],
};

describe('federated providers', () => {
  it('offers each configured provider, suppliers first', () => {
    expect(offeredProviders({ oidc: null, saml: null })).toEqual([]);
    expect(offeredProviders({ oidc, saml: null })).toEqual([oidc]);
    expect(offeredProviders({ oidc, saml })).toEqual([oidc, saml]);
  });
});
