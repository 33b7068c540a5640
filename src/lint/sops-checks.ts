/**
 * The checks that need no keys on a file that carries sops metadata: the metadata block is
 * well formed (rule `sops-structure`) and every `ENC[...]` value has the right shape.
 */
import { UserError } from '../errors.ts';
import { parseEncryptedValue } from '../sops/cipher.ts';
import { formatGoTime } from '../sops/go-time.ts';
import { parseMetadata, type Metadata } from '../sops/metadata.ts';
import { isComment, type TreeMap, type TreeValue } from '../sops/tree.ts';

/** A problem found in a sops file, at a metadata field (or the block itself when undefined). */
export interface StructureProblem {
  readonly field: string | undefined;
  readonly message: string;
}

const KNOWN_TYPES = new Set(['str', 'int', 'float', 'bool', 'time', 'bytes', 'comment']);

function fieldText(raw: TreeMap, field: string): string | undefined {
  for (const item of raw.items) {
    if (!isComment(item) && item.key === field) {
      const value: TreeValue = item.value;
      return value.kind === 'str' || value.kind === 'time' ? value.value : undefined;
    }
  }
  return undefined;
}

/**
 * Validates a raw metadata block. Returns the parsed metadata when the selection rules can be
 * known (even if, say, the MAC is malformed), and each problem found.
 */
export function checkMetadata(raw: TreeMap): {
  metadata: Metadata | undefined;
  problems: StructureProblem[];
} {
  const problems: StructureProblem[] = [];
  let metadata: Metadata | undefined;
  try {
    metadata = parseMetadata(raw);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    problems.push({ field: undefined, message: error.message });
    return { metadata, problems };
  }
  if (metadata.mac === '') {
    problems.push({
      field: 'mac',
      message: 'sops metadata: mac is missing or empty, so the file cannot be verified',
    });
  } else {
    const macProblem = encProblem(metadata.mac);
    if (macProblem !== undefined)
      problems.push({ field: 'mac', message: `sops metadata: mac: ${macProblem}` });
  }
  try {
    formatGoTime(fieldText(raw, 'lastmodified') ?? metadata.lastModified, 'seconds');
  } catch {
    problems.push({
      field: 'lastmodified',
      message: 'sops metadata: lastmodified is not an RFC 3339 timestamp, so the MAC cannot be checked',
    });
  }
  return { metadata, problems };
}

/** Why an `ENC[`-prefixed string is malformed, or undefined when it is well formed. */
export function encProblem(value: string): string | undefined {
  try {
    const parsed = parseEncryptedValue(value);
    if (!KNOWN_TYPES.has(parsed.type)) return 'the ENC[...] value has an unknown type';
    return undefined;
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
}
