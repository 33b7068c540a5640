/**
 * `lint --fix`: encrypts each flagged plaintext Secret file in place, through `encrypt`'s own
 * path (commands/encrypt.ts: the creation rule of the `.sops.yaml` lint found for the file, or
 * the `--age`/`--pgp` recipients; the file replaced only after our decrypt of the written file
 * gave back its bytes). lint/fix-plan.ts decides which files may be encrypted; every other
 * finding gets advice. One file's failure never stops the others: it becomes advice too.
 */
import path from 'node:path';
import { findRepositoryRoot, readFileBounded } from '../bounded-read.ts';
import type { EncryptConfig } from '../config/encrypt.ts';
import { errorMessage, UserError } from '../errors.ts';
import { DEFAULT_FIX_SELECTION, planFixes, type FixAdvice } from '../lint/fix-plan.ts';
import { MAX_LINT_BYTES } from '../lint/lint.ts';
import type { Finding } from '../lint/rules.ts';
import { readableText } from '../sops/text-encoding.ts';
import type { CommandDeps } from './command.ts';
import { runEncrypt, type EncryptedWith } from './encrypt-run.ts';

/** What a fix did: the files it encrypted and the findings it left, with advice. */
export interface FixOutcome {
  readonly fixed: readonly { readonly file: string; readonly with: string }[];
  readonly advice: readonly FixAdvice[];
}

/** A file's text for planning, or undefined when it cannot be read (the plan says so). */
async function readForPlan(absolute: string): Promise<string | undefined> {
  try {
    const root = await findRepositoryRoot(absolute);
    return readableText(
      await readFileBounded(absolute, { maxBytes: MAX_LINT_BYTES, root, name: 'the file' }),
    );
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

/** Names the keys, never a value: the rule and its config, or the recipients given as flags. */
function describeKeys(used: EncryptedWith, cwd: string): string {
  if (used.flagKeys.length > 0) {
    return used.flagKeys
      .map((key) => (key.type === 'age' ? key.recipient : key.type === 'pgp' ? `pgp ${key.fp}` : key.type))
      .join(', ');
  }
  // Without key flags a rule matched, or planEncryption would have refused the file.
  const where = used.sopsConfig === undefined ? '.sops.yaml' : path.relative(cwd, used.sopsConfig);
  return `creation rule ${String(used.rule?.number)} of ${where.split(path.sep).join('/')}`;
}

/**
 * Encrypts the files `findings` ask to encrypt, with `settings` (all but the file), and logs
 * `fixed: FILE (encrypted with …)` for each; returns what was fixed and the advice for the rest.
 */
export async function fixFindings(
  findings: readonly Finding[],
  settings: Omit<EncryptConfig, 'file'>,
  deps: CommandDeps,
  cwd: string,
): Promise<FixOutcome> {
  const texts = new Map<string, string | undefined>();
  for (const file of new Set(findings.map((f) => f.file))) {
    texts.set(file, await readForPlan(path.resolve(cwd, file)));
  }
  const plan = planFixes(findings, (file) => texts.get(file));
  const fixed: { file: string; with: string }[] = [];
  const advice: FixAdvice[] = [...plan.advice];
  for (const file of plan.encrypt) {
    const absolute = path.resolve(cwd, file);
    try {
      const used = await runEncrypt({ ...settings, file: absolute }, deps, cwd, {
        defaultSelection: DEFAULT_FIX_SELECTION,
        configSearch: { from: path.dirname(absolute), root: await findRepositoryRoot(absolute) },
      });
      const keys = describeKeys(used, cwd);
      fixed.push({ file, with: keys });
      deps.host.info(`fixed: ${file} (encrypted with ${keys})`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      // The file is unchanged: replaceFile renames only a verified temp file.
      // Paths as lint prints them: relative to the working directory.
      const why = errorMessage(error)
        .replace(`encrypting ${absolute}: `, '')
        .replaceAll(`${cwd}${path.sep}`, '');
      const hint = error.hint === undefined ? '' : `; ${error.hint}`;
      for (const f of findings) {
        if (f.file === file) advice.push({ finding: f, advice: `not encrypted: ${why}${hint}` });
      }
    }
  }
  for (const { finding, advice: text } of advice) {
    deps.host.info(`not fixed: ${finding.file}:${String(finding.line)} (${finding.rule}): ${text}`);
  }
  return { fixed, advice };
}
