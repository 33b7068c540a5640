/**
 * All key sources for one run, built from the Config: local ones (age, OpenPGP) first, then
 * the cloud ones. Each source decides for itself whether a stanza is its own.
 */
import { homedir } from 'node:os';
import type { KeyConfig } from '../config/keys.ts';
import type { Exec } from '../host/exec.ts';
import type { Host } from '../host/host.ts';
import { createAwsKmsKeySource } from './aws-kms.ts';
import { buildVaultPolicy, parseAwsPolicy } from './endpoint-policy.ts';
import type { KeySource } from './key-source.ts';
import { buildLocalKeySources } from './local-keys.ts';
import { createVaultKeySource } from './vault.ts';

export interface KeySourceDeps {
  readonly host: Host;
  readonly exec: Exec;
}

export async function createKeySources(config: KeyConfig, deps: KeySourceDeps): Promise<KeySource[]> {
  const mask = (value: string): void => deps.host.setSecret(value);
  // Inline identities (the Action's age-key input) are read exactly like SOPS_AGE_KEY.
  for (const key of config.ageKeys) mask(key);
  const env =
    config.ageKeys.length === 0
      ? config.env
      : {
          ...config.env,
          SOPS_AGE_KEY: [config.env['SOPS_AGE_KEY'] ?? '', ...config.ageKeys].join('\n').trim(),
        };
  const local = await buildLocalKeySources({
    ageKeyFiles: config.ageKeyFiles,
    pgpKeyFiles: config.pgpKeyFiles,
    pgpKeys: config.pgpKeys,
    ...(config.pgpPassphrase === undefined ? {} : { pgpPassphrase: config.pgpPassphrase }),
    env,
    homeDir: config.env['HOME'] ?? homedir(),
    exec: deps.exec,
    mask,
  });
  // Policies are validated before any key is tried, so a typo in them fails the run at once.
  const awsPolicy = parseAwsPolicy({
    accounts: config.awsAllowedAccounts,
    keys: config.awsAllowedKeys,
    roles: config.awsAllowedRoles,
  });
  const vaultPolicy = buildVaultPolicy({ allowedAddresses: config.vaultAllowedAddresses, env: config.env });
  return [
    ...local,
    createAwsKmsKeySource({ env: config.env, policy: awsPolicy, mask }),
    createVaultKeySource({ env: config.env, policy: vaultPolicy, mask }),
  ];
}
