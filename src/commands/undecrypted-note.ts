/**
 * What `diff` says when it could not decrypt some SOPS files (placeholder mode): which files,
 * and why no key was there. A pull request from a fork, or from Dependabot, is told apart
 * from a run that simply has no key configured, since the fix differs.
 */
import { pullRequestFromEnv } from '../config/pull-request.ts';
import type { Host } from '../ports.ts';
import { renderUndecryptedNote, type DiffReport, type UndecryptedNote } from '../kube/diff.ts';
import type { UndecryptedFile } from '../kustomize/placeholder.ts';
import type { Env } from '../ports.ts';

/** Why this run had no key for the files. */
export function undecryptedWhy(files: readonly UndecryptedFile[], env: Env): string {
  const pullRequest = pullRequestFromEnv(env);
  if (pullRequest?.fork === true) {
    return 'GitHub gives no secrets and no OIDC token to pull requests from forks';
  }
  if (pullRequest?.dependabot === true) {
    return 'GitHub gives pull requests from Dependabot only Dependabot secrets, no Actions secrets';
  }
  const first = files[0]?.reason;
  return `no key configured for this run opens them${first === undefined ? '' : `: ${first}`}`;
}

/** The report with the note attached, or as it is when every file was decrypted. */
export function noteUndecrypted(
  report: DiffReport,
  files: readonly UndecryptedFile[],
  env: Env,
  host: Host,
): DiffReport {
  if (files.length === 0) return report;
  const note: UndecryptedNote = { files: files.map((f) => f.file), why: undecryptedWhy(files, env) };
  host.warning(renderUndecryptedNote(note));
  return { ...report, undecrypted: note };
}
