import type { AppConfig, FederatedProviderConfig } from '../common/config/app-config';

/**
 * The federated providers the sign-in page offers: each one configured (OpenID Connect for suppliers through
 * the MitID Erhverv broker, SAML for municipal staff), beside the local accounts that always work.
 */
export function offeredProviders(config: Pick<AppConfig, 'oidc' | 'saml'>): FederatedProviderConfig[] {
  return [config.oidc, config.saml].filter((provider): provider is FederatedProviderConfig => provider !== null);
}
