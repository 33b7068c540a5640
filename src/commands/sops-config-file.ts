/**
 * The `.sops.yaml` a command reads, as sops finds it: `--config` / `SOPS_CONFIG`, else the
 * nearest one from the working directory up. `encrypt` takes its creation rules from it, and
 * `encrypt` and `decrypt` alike their output indentation (`stores:`), over which `--indent`
 * wins, as sops's global flag does.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { findSopsConfig, parseSopsConfigFile, type SopsConfigFile } from '../sops/creation-rule.ts';
import type { StoreIndents } from '../sops/emit-encrypted.ts';

/** Where to look instead of the working directory: from `from` up, never above `root`. */
export interface ConfigSearch {
  readonly from: string;
  readonly root: string;
}

function locateSopsConfig(
  given: string | undefined,
  cwd: string,
  search: ConfigSearch | undefined,
): string | undefined {
  if (given !== undefined) return path.resolve(cwd, given);
  if (search === undefined) return findSopsConfig(cwd);
  const found = findSopsConfig(search.from);
  // The nearest one is outside the repository: so is every other one above `from`.
  return found === undefined || path.relative(search.root, found).startsWith('..') ? undefined : found;
}

/** The parsed config, or undefined when there is none to read. */
export async function loadSopsConfig(
  given: string | undefined,
  cwd: string,
  search?: ConfigSearch,
): Promise<SopsConfigFile | undefined> {
  const file = locateSopsConfig(given, cwd, search);
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new UserError('FILE_NOT_FOUND', `cannot read the sops config ${file}`, { cause });
  }
  return parseSopsConfigFile(text, file);
}

/** The output indents: `--indent` for YAML and JSON alike (sops's global flag), else the config's. */
export function indentsFor(
  indent: number | undefined,
  sopsConfig: SopsConfigFile | undefined,
): StoreIndents | undefined {
  if (indent === undefined) return sopsConfig?.indents;
  return { yaml: indent, json: indent, jsonBinary: indent };
}
