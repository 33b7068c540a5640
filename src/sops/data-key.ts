/**
 * Data-key recovery (sops `GetDataKeyWithKeyServices`): one key group gives the data key from
 * its first key that works; several groups each give a Shamir share, and at least
 * `shamir_threshold` shares are combined. When it fails, the error carries sops's long report:
 * every group and key tried, why each failed, and where keys were looked for.
 */
import { UserError, errorMessage } from '../errors.ts';
import type { KeySource } from '../keys/key-source.ts';
import { describeMasterKey, type MasterKey } from '../keys/master-key.ts';
import type { Metadata } from './metadata.ts';
import { combineShares } from './shamir.ts';

/** sops's `DefaultDecryptionOrder`: local keys before anything that needs the network. */
export const DEFAULT_DECRYPTION_ORDER: readonly string[] = ['age', 'pgp'];

const DATA_KEY_BYTES = 32;
/** A share carries its x-coordinate as one extra byte. */
const SHARE_BYTES = DATA_KEY_BYTES + 1;

/** One key that was tried, with the reason for each failure (never key material). */
export interface KeyAttempt {
  readonly key: MasterKey;
  readonly ok: boolean;
  readonly reasons: readonly string[];
}

/** One key group: the keys tried in order, and whether one of them worked. */
export interface GroupAttempt {
  readonly ok: boolean;
  readonly keys: readonly KeyAttempt[];
}

/** What {@link formatKeyReport} prints. */
export interface KeyReportInput {
  readonly groups: readonly GroupAttempt[];
  /** Shares needed; 0 or 1 for a single group. */
  readonly threshold: number;
  readonly sources: readonly KeySource[];
}

/**
 * The keys of a group in the order they are tried: stably sorted by `order` (types not in it
 * go last, in file order), as sops's `sortKeyGroupIndices`.
 */
export function sortKeysForDecryption(group: readonly MasterKey[], order: readonly string[]): MasterKey[] {
  const rank = (key: MasterKey): number => {
    const index = order.indexOf(key.type);
    return index === -1 ? order.length : index;
  };
  // Array.prototype.sort is stable, which keeps file order within a rank.
  return [...group].sort((a, b) => rank(a) - rank(b));
}

/**
 * Tries one key against every source that handles its type (a source handles the stanza
 * type equal to its `name`). Null from every source means it holds no identity for the key.
 */
async function tryKey(
  key: MasterKey,
  sources: readonly KeySource[],
  expectedBytes: number,
): Promise<{ attempt: KeyAttempt; value?: Uint8Array }> {
  const handlers = sources.filter((s) => s.name === key.type);
  if (handlers.length === 0) {
    return { attempt: { key, ok: false, reasons: [`no key source for ${key.type}`] } };
  }
  const reasons: string[] = [];
  for (const source of handlers) {
    let value: Uint8Array | null;
    try {
      value = await source.decrypt(key);
    } catch (error) {
      reasons.push(firstLine(errorMessage(error)));
      continue;
    }
    if (value === null) continue;
    if (value.length !== expectedBytes) {
      reasons.push(`decrypted to ${value.length} bytes, expected ${expectedBytes}`);
      continue;
    }
    return { attempt: { key, ok: true, reasons: [] }, value };
  }
  if (reasons.length === 0) reasons.push('no identity for this recipient');
  return { attempt: { key, ok: false, reasons } };
}

function firstLine(text: string): string {
  // Long enough for a provider's refusal with the claims it saw; still one line.
  return (text.split('\n')[0] ?? '').slice(0, 600);
}

/**
 * The sops-style report: each group and key with SUCCESS/FAILED and its reasons, why
 * recovery failed, then where each source looked for keys.
 */
export function formatKeyReport(input: KeyReportInput): string {
  const lines: string[] = ['Failed to get the data key required to decrypt the SOPS file.', ''];
  for (const [index, group] of input.groups.entries()) {
    lines.push(`Group ${index}: ${group.ok ? 'SUCCESS' : 'FAILED'}`);
    if (group.keys.length === 0) lines.push('  (no keys)');
    for (const attempt of group.keys) {
      lines.push(`  ${describeMasterKey(attempt.key)}: ${attempt.ok ? 'SUCCESS' : 'FAILED'}`);
      for (const reason of attempt.reasons) lines.push(`    - ${reason}`);
    }
    lines.push('');
  }
  const succeeded = input.groups.filter((g) => g.ok).length;
  if (input.groups.length <= 1) {
    lines.push(
      'Recovery failed because no master key was able to decrypt the file. At least one key has to be successful, but none were.',
    );
  } else {
    lines.push(
      `Recovery failed because the file was encrypted with a Shamir threshold of ${input.threshold}, but only ${succeeded} part(s) were recovered, one for each successful key group. At least ${input.threshold} groups have to be successful; a group is successful when any one of its keys decrypts.`,
    );
  }
  lines.push('', 'Keys were looked for in:');
  if (input.sources.length === 0) lines.push('  (no key sources were configured)');
  for (const source of input.sources) {
    lines.push(`  ${source.name}:`);
    if (source.locations.length === 0) lines.push('    - (nothing)');
    for (const location of source.locations) lines.push(`    - ${location}`);
  }
  return lines.join('\n');
}

const HINT =
  'give a key that matches one of the recipients above: --age-key-file, SOPS_AGE_KEY_FILE or SOPS_AGE_KEY for age, --pgp-key-file or a gpg keyring for pgp';

/**
 * Recovers the 32-byte data key of a sops file from its key groups, using `sources` for each
 * master key. Throws `NO_MATCHING_KEY` with the full report when too few keys work.
 */
export async function recoverDataKey(
  metadata: Metadata,
  sources: readonly KeySource[],
  options: { readonly decryptionOrder?: readonly string[] } = {},
): Promise<Uint8Array> {
  const groups = metadata.keyGroups;
  if (groups.length === 0 || groups.every((g) => g.length === 0)) {
    throw new UserError('BAD_METADATA', 'no keys found in file');
  }
  const order = options.decryptionOrder ?? DEFAULT_DECRYPTION_ORDER;
  const shamir = groups.length > 1;
  const expectedBytes = shamir ? SHARE_BYTES : DATA_KEY_BYTES;

  // Every group is tried, as sops does, so the report is complete even past the threshold.
  const attempts: GroupAttempt[] = [];
  const parts: Uint8Array[] = [];
  for (const group of groups) {
    const keys: KeyAttempt[] = [];
    let part: Uint8Array | undefined;
    for (const key of sortKeysForDecryption(group, order)) {
      const { attempt, value } = await tryKey(key, sources, expectedBytes);
      keys.push(attempt);
      if (value !== undefined) {
        part = value;
        break;
      }
    }
    if (part !== undefined) parts.push(part);
    attempts.push({ ok: part !== undefined, keys });
  }

  // A threshold below 2 cannot rebuild anything; sops's Combine refuses it the same way.
  const required = shamir ? Math.max(metadata.shamirThreshold, 2) : 1;
  const report = (): string =>
    formatKeyReport({ groups: attempts, threshold: shamir ? metadata.shamirThreshold : 0, sources });
  if (parts.length < required) {
    // With a single key tried, its reason is the whole story: put it in the one-line error.
    const tried = attempts.flatMap((g) => g.keys);
    const only = tried.length === 1 ? tried[0]?.reasons[0] : undefined;
    const message =
      only === undefined ? 'no key could decrypt the data key' : `no key could decrypt the data key: ${only}`;
    throw new UserError('NO_MATCHING_KEY', message, {
      report: report(),
      hint: HINT,
    });
  }
  if (!shamir) {
    const [dataKey] = parts;
    if (dataKey !== undefined) return dataKey;
  }
  let dataKey: Uint8Array;
  try {
    dataKey = combineShares(parts);
  } catch (error) {
    throw new UserError(
      'DECRYPT_FAILED',
      `could not rebuild the data key from shamir shares: ${errorMessage(error)}`,
      {
        cause: error,
        report: report(),
      },
    );
  }
  if (dataKey.length !== DATA_KEY_BYTES) {
    throw new UserError(
      'DECRYPT_FAILED',
      `the rebuilt data key is ${dataKey.length} bytes, expected ${DATA_KEY_BYTES}`,
    );
  }
  return dataKey;
}
