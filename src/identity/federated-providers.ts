import type { AppConfig, FederatedProviderConfig } from '../common/config/app-config';

/**
 * Passport strategy names of the federated providers this build contains. A
 * provider's strategy (OIDC through the MitID Erhverv broker, SAML through the
 * municipalities' access control) adds its name here when it is installed; it
 * hands the verified identity to AuthService.resolveFederated. Until then a
 * configured provider is not offered on the sign-in page.
 */
export const INSTALLED_FEDERATED_STRATEGIES: ReadonlySet<'oidc' | 'saml'> = new Set();

export function offeredProviders(config: Pick<AppConfig, 'oidc' | 'saml'>, installed: ReadonlySet<string> = INSTALLED_FEDERATED_STRATEGIES): FederatedProviderConfig[] {
  return [config.oidc, config.saml].filter((provider): provider is FederatedProviderConfig => provider !== null && installed.has(provider.kind));
}

export function configuredButNotInstalled(config: Pick<AppConfig, 'oidc' | 'saml'>, installed: ReadonlySet<string> = INSTALLED_FEDERATED_STRATEGIES): string[] {
  return [config.oidc, config.saml].filter((provider): provider is FederatedProviderConfig => provider !== null && !installed.has(provider.kind)).map((p) => p.kind);
}
