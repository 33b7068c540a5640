/**
 * Post-build variables given as `K=V` (the `substitute` input, and dotenv `substitute-from`
 * files): apart from substitute.ts so that parsing the inputs at start-up does not load the
 * substitution code (the YAML library, re2js, the decryption).
 */
import { UserError } from '../errors.ts';

/** Flux refuses variable names that are not shell identifiers. */
export const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** Parses `K=V` entries (the `substitute` input) into variables, checking each name. */
export function parseVariables(entries: readonly string[], source: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (eq < 0 || !VARIABLE_NAME.test(name)) {
      throw new UserError('USAGE', `${source}: "${name}" is not NAME=VALUE with a shell-style name`, {
        hint: 'names are letters, digits and _, and do not start with a digit',
      });
    }
    vars.set(name, entry.slice(eq + 1));
  }
  return vars;
}
