/**
 * Builds the key sources that need no network: age (files, `SOPS_AGE_*`, the default key
 * file and SSH keys) and OpenPGP (in-process keys, else the `gpg` binary). Cloud KMS sources
 * are built elsewhere and appended by the caller.
 */
import { UserError } from '../errors.ts';
import type { Exec } from '../ports.ts';
import { loadAgeKeySource } from './age.ts';
import { createGpgKeySource } from './gpg.ts';
import type { KeySource } from './key-source.ts';
import type { Mask } from '../ports.ts';

/** Options and environment for {@link buildLocalKeySources}. */
export interface LocalKeyOptions {
  /** `--age-key-file`, repeatable; read before any environment source. */
  readonly ageKeyFiles?: readonly string[];
  /** Age identities given as text (the `age-key` input); read with `SOPS_AGE_KEY`, after it. */
  readonly ageKeys?: readonly string[];
  /** `--pgp-key-file`, repeatable. When given, the gpg binary is not used. */
  readonly pgpKeyFiles?: readonly string[];
  /** Armored private keys as text (the Action's `pgp-key` input). Like key files, they replace gpg. */
  readonly pgpKeys?: readonly string[];
  /** Unlocks passphrase-protected `--pgp-key-file` keys. */
  readonly pgpPassphrase?: string;
  /** The process environment (`SOPS_AGE_*`, `XDG_CONFIG_HOME`, `GNUPGHOME`, `SOPS_GPG_EXEC`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user's home; when absent the default key file and `~/.ssh` keys are not read. */
  readonly homeDir?: string;
  /** Runs `SOPS_AGE_KEY_CMD`, `SOPS_AGE_SSH_PRIVATE_KEY_CMD` and gpg. */
  readonly exec: Exec;
  /** Called with every secret the moment it is read (the host's `setSecret`). */
  readonly mask: Mask;
}

/**
 * Returns the local key sources, age first, then pgp. Explicitly named key files that cannot
 * be used are errors; environment sources only note their problems in `locations`.
 */
export async function buildLocalKeySources(options: LocalKeyOptions): Promise<KeySource[]> {
  // The passphrase is masked before anything else can fail and print it.
  if (options.pgpPassphrase !== undefined && options.pgpPassphrase !== '')
    options.mask(options.pgpPassphrase);
  const pgpKeyFiles = options.pgpKeyFiles ?? [];
  const pgpKeys = options.pgpKeys ?? [];
  if (options.pgpPassphrase !== undefined && pgpKeyFiles.length === 0 && pgpKeys.length === 0) {
    throw new UserError('USAGE', 'a pgp passphrase was given without --pgp-key-file');
  }
  const age = await loadAgeKeySource({
    keyFiles: options.ageKeyFiles ?? [],
    keyTexts: options.ageKeys ?? [],
    env: options.env,
    exec: options.exec,
    mask: options.mask,
    ...(options.homeDir === undefined ? {} : { homeDir: options.homeDir }),
  });
  const pgp =
    pgpKeyFiles.length > 0 || pgpKeys.length > 0
      ? // openpgp is large; loading it only when PGP keys are given keeps the age path fast.
        await (
          await import('./pgp.ts')
        ).loadPgpKeySource({
          keyFiles: pgpKeyFiles,
          keyTexts: pgpKeys,
          mask: options.mask,
          ...(options.pgpPassphrase === undefined ? {} : { passphrase: options.pgpPassphrase }),
        })
      : createGpgKeySource({
          exec: options.exec,
          env: options.env,
          ...(options.homeDir === undefined ? {} : { homeDir: options.homeDir }),
        });
  return [age, pgp];
}
