import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDir } from '../database/embedded-postgres';
import { AppConfig, DemoSecrets, generateDemoSecrets, loadConfig } from './app-config';

/**
 * Loads the configuration from the environment. In embedded demo mode (no
 * DATABASE_URL) the secrets are generated once and kept beside the embedded
 * data, so a second start can still read the CPR numbers it encrypted.
 */
export function resolveConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const embedded = !env.DATABASE_URL?.trim();
  return loadConfig(env, embedded ? demoSecrets(env.DATA_DIR?.trim() || './data') : undefined);
}

function demoSecrets(dataDir: string): DemoSecrets {
  // The secrets and the embedded database are for this user's eyes only.
  makePrivateDir(dataDir);
  const file = join(dataDir, 'demo-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoSecrets;
  const secrets = generateDemoSecrets();
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
