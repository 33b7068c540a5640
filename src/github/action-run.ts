/**
 * The Action's work, between the runner and the shared run(): Action-only inputs (kubeconfig
 * content, decryption-secret, comment settings) become the shared inputs, the sticky-comment
 * poster is set up for pull requests, and the exit code decides whether the step fails. The
 * @actions/core calls it needs are passed in, so only src/index.ts imports the toolkit.
 */
import { existsSync } from 'node:fs';
import { parseConfig } from '../config.ts';
import { lines, optional, parseBoolean, type InputReader } from '../config/inputs.ts';
import { UserError } from '../errors.ts';
import type { ActionsHost, ActionsHostOptions } from '../host/actions-host.ts';
import { nodeExec } from '../host/node-exec.ts';
import { reportError, run } from '../run.ts';
import { checkoutWorkspace } from './checkout.ts';
import { isKubeconfigContent, writeKubeconfigContent, type KubeconfigFile } from './kubeconfig-input.ts';
import { pullRequestFromEnv } from './pull-request.ts';
import { createStickyCommenter } from './sticky-commenter.ts';
import type { Env } from '../ports.ts';

/** What the Action shell hands in from @actions/core. */
export interface ActionToolkit {
  readonly env: Env;
  readonly getInput: InputReader;
  readonly notice: (message: string) => void;
  readonly setFailed: (message: string) => void;
  readonly createHost: (options: ActionsHostOptions) => ActionsHost;
  readonly errorPrefix: string;
}

/**
 * Reads the Action-only kubeconfig input and returns the reader the commands use. (The
 * decryption Secret is read by the config, src/config/keys.ts.)
 */
async function prepareInputs(
  kit: ActionToolkit,
  host: ActionsHost,
  cleanups: (() => Promise<void>)[],
): Promise<InputReader> {
  const { getInput, env } = kit;
  const overrides = new Map<string, string>();
  const kubeconfig = getInput('kubeconfig');
  if (isKubeconfigContent(kubeconfig)) {
    const file: KubeconfigFile = await writeKubeconfigContent(kubeconfig, env['RUNNER_TEMP'], (v) =>
      host.setSecret(v),
    );
    cleanups.push(() => file.cleanup());
    overrides.set('kubeconfig', file.path);
  }
  return (name) => overrides.get(name) ?? getInput(name);
}

/** The sticky-comment poster for a pull request with comments on, else undefined. */
function commenterFor(
  kit: ActionToolkit,
  read: InputReader,
  host: ActionsHost,
): ReturnType<typeof createStickyCommenter> | undefined {
  const pullRequest = pullRequestFromEnv(kit.env);
  const fork = pullRequest?.fork === true;
  const dependabot = pullRequest?.dependabot === true;
  if (fork || dependabot) {
    const who = fork
      ? 'This pull request comes from a fork: GitHub gives it no secrets and no OIDC token.'
      : 'This pull request comes from Dependabot: GitHub gives it only Dependabot secrets, no Actions secrets.';
    // Only diff can run without keys; what it does then depends on require-decryption.
    const diff = parseBoolean(read, 'require-decryption')
      ? 'require-decryption is true, so a diff that needs a missing key fails.'
      : 'diff shows values it cannot decrypt as "(encrypted; not decrypted in this run)" and lists their files (require-decryption: true fails instead).';
    kit.notice(`${who} lint runs fully; ${diff} build and apply still need every key.`);
  }
  const wanted = optional(read('comment'));
  const comment = wanted === undefined ? pullRequest !== undefined : parseBoolean(read, 'comment');
  if (!comment || pullRequest === undefined) return undefined;
  const token = optional(read('github-token'));
  if (token === undefined) {
    host.warning('comment is on but github-token is empty: no pull request comment');
    return undefined;
  }
  host.setSecret(token);
  const tag = lines(read('comment-tag')).join(', ');
  return createStickyCommenter({
    token,
    apiUrl: optional(kit.env['GITHUB_API_URL'] ?? ''),
    pullRequest,
    tag: tag === '' ? undefined : tag,
  });
}

/** Runs the step; returns the process exit code (1 fails the step). */
export async function runAction(kit: ActionToolkit): Promise<number> {
  // Paths in annotations and reports are relative to the workspace, as GitHub resolves them.
  const workspace = kit.env['GITHUB_WORKSPACE'];
  if (workspace !== undefined && workspace !== '' && existsSync(workspace)) process.chdir(workspace);
  const cleanups: (() => Promise<void>)[] = [];
  // The commenter is set once the inputs are read; the host is needed for masking before that.
  const commenter: { post?: ReturnType<typeof createStickyCommenter> } = {};
  const host = kit.createHost({
    commenter: (tag, render) =>
      commenter.post === undefined ? Promise.resolve('skipped') : commenter.post(tag, render),
  });
  try {
    // A one-step workflow: with no checkout before this step, check out the triggering commit.
    if (workspace !== undefined && workspace !== '') {
      const request = { workspace, env: kit.env, read: kit.getInput, host, exec: nodeExec };
      if (await checkoutWorkspace(request)) process.chdir(workspace);
    }
    const { read, config } = await host.group('inputs and keys', async () => {
      const reader = await prepareInputs(kit, host, cleanups);
      // The config masks the decryption Secret's values as it parses them and says what it held.
      const shell = {
        stdoutIsLog: true,
        mask: (value: string) => host.setSecret(value),
        info: (message: string) => host.info(message),
      };
      return { read: reader, config: parseConfig(reader, kit.env, shell) };
    });
    const post = commenterFor(kit, read, host);
    if (post !== undefined) commenter.post = post;
    const failOnChanges = parseBoolean(read, 'fail-on-changes');
    const code = await run(config, {
      host,
      exec: nodeExec,
      readStdin: () => Promise.resolve(new Uint8Array()),
    });
    // diff exits 1 for "changes"; that fails the step only for a drift check.
    const failed = code === 2 || (code === 1 && (config.command !== 'diff' || failOnChanges));
    if (!failed) return 0;
    if (host.errors.length === 0) {
      const what =
        config.command === 'diff'
          ? 'found changes (fail-on-changes)'
          : config.command === 'lint'
            ? 'found errors'
            : 'failed';
      kit.setFailed(`${kit.errorPrefix}${config.command} ${what}`);
    }
    // Otherwise the error is already one annotated line; setFailed would print it twice.
    return 1;
  } catch (error) {
    if (error instanceof UserError) reportError(host, error);
    else
      reportError(
        host,
        new UserError('USAGE', `invalid inputs: ${error instanceof Error ? error.message : String(error)}`),
      );
    return 1;
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}
