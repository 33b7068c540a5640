/**
 * The sops formats by name, as the sops CLI picks them: apart from formats.ts (the store for
 * each format) so that parsing the inputs at start-up does not load every store.
 */
import { UserError } from '../errors.ts';
import type { Format } from './tree.ts';

const FORMATS: readonly Format[] = ['yaml', 'json', 'dotenv', 'ini', 'binary'];

/** sops's rule: a case-sensitive suffix decides; anything else is a binary file. */
export function formatFromPath(path: string): Format {
  if (path.endsWith('.yaml') || path.endsWith('.yml')) return 'yaml';
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.env')) return 'dotenv';
  if (path.endsWith('.ini')) return 'ini';
  return 'binary';
}

/** Validates a `--input-type`/`--output-type` value. */
export function parseFormat(value: string, flag: string): Format {
  const normalized = value === 'yml' ? 'yaml' : value;
  if ((FORMATS as readonly string[]).includes(normalized)) return normalized as Format;
  throw new UserError('USAGE', `${flag} "${value}" is not a sops format`, {
    hint: `use one of ${FORMATS.join(', ')}`,
  });
}
