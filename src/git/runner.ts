/**
 * The one way this project runs git. Every call gets the same non-interactive environment
 * (no terminal prompt, no askpass, no credential-manager dialog, C locale so stderr can be
 * matched): a rejected credential or a missing ref must fail the step, never hang it. The
 * caller picks the timeout (a checkout fetch may take longer than a worktree step) and the
 * error to throw when git cannot be started at all, since that names what needed git.
 */
import { UserError } from '../errors.ts';
import type { Env, Exec } from '../ports.ts';

/** What one git command did. */
export interface GitResult {
  readonly ok: boolean;
  /** stdout, trimmed. */
  readonly out: string;
  /** All of stderr, trimmed; it never holds a token (that is only in the environment). */
  readonly err: string;
  /** The last line of stderr: git's own one-line reason. */
  readonly reason: string;
}

/** Runs git with the given arguments in one directory. */
export type Git = (args: readonly string[]) => Promise<GitResult>;

export interface GitOptions {
  readonly exec: Exec;
  /** The environment git starts with; the non-interactive settings are added on top. */
  readonly env: Env;
  readonly cwd: string;
  readonly timeoutMs: number;
  /** The error when git is not on PATH or cannot start, saying what needed it. */
  readonly unavailable: (cause: unknown) => UserError;
}

/** The settings that keep git from ever waiting for a person. */
export const NON_INTERACTIVE: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: '0',
  GCM_INTERACTIVE: 'Never',
  GIT_ASKPASS: '',
  LC_ALL: 'C',
};

/** A git runner for one directory. */
export function gitIn(options: GitOptions): Git {
  const { exec, env, cwd, timeoutMs, unavailable } = options;
  return async (args) => {
    let result;
    try {
      result = await exec.run('git', args, { cwd, env: { ...env, ...NON_INTERACTIVE }, timeoutMs });
    } catch (cause) {
      throw unavailable(cause);
    }
    const err = result.stderr.trim();
    return {
      ok: result.exitCode === 0,
      out: Buffer.from(result.stdout).toString('utf8').trim(),
      err,
      reason: err.split('\n').at(-1) ?? '',
    };
  };
}
