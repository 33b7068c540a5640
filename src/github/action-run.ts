/**
 * The Action's work, between the runner and the shared run(): the Config is parsed (with the
 * decryption Secret, src/config/decryption-secret.ts), the workspace checked out when no step did,
 * the Reporter (summary, outputs, sticky comment) set up, and the exit code decides whether
 * the step fails. The @actions/core calls it needs are passed in, so only src/index.ts
 * imports the toolkit.
 */
import { existsSync } from 'node:fs';
import { openKubeClient } from '../commands/open-kube-client.ts';
import { configSecrets, parseConfig, repositoryPaths, type Config } from '../commands/index.ts';
import type { InputReader } from '../config/inputs.ts';
import { errorMessage, UserError } from '../errors.ts';
import type { ActionsHost } from '../host/actions-host.ts';
import { checkoutRepository } from '../git/checkout.ts';
import { nodeExec } from '../host/node-exec.ts';
import { createSpawnerExec } from '../host/spawner-exec.ts';
import type { Env } from '../ports.ts';
import { reportError, run } from '../run.ts';
import { createGithubReporter } from './publish.ts';
import { createStickyCommenter, type StickyCommenter } from './sticky-commenter.ts';

/** What the Action shell hands in from @actions/core. */
export interface ActionToolkit {
  readonly env: Env;
  readonly getInput: InputReader;
  readonly notice: (message: string) => void;
  readonly setFailed: (message: string) => void;
  readonly createHost: () => ActionsHost;
  readonly errorPrefix: string;
}

/** The sticky-comment poster for a pull request with comments on, else undefined. */
function commenterFor(kit: ActionToolkit, config: Config, host: ActionsHost): StickyCommenter | undefined {
  const { pullRequest } = config.action;
  const fork = pullRequest?.fork === true;
  const dependabot = pullRequest?.dependabot === true;
  if (fork || dependabot) {
    const who = fork
      ? 'This pull request comes from a fork: GitHub gives it no secrets and no OIDC token.'
      : 'This pull request comes from Dependabot: GitHub gives it only Dependabot secrets, no Actions secrets.';
    // Only diff can run without keys; what it does then depends on require-decryption.
    const diff = config.action.requireDecryption
      ? 'require-decryption is true, so a diff that needs a missing key fails.'
      : 'diff shows values it cannot decrypt as "(encrypted; not decrypted in this run)" and lists their files (require-decryption: true fails instead).';
    kit.notice(`${who} lint runs fully; ${diff} build and apply still need every key.`);
  }
  const comment = config.action.comment ?? pullRequest !== undefined;
  if (!comment || pullRequest === undefined) return undefined;
  const token = config.action.githubToken;
  if (token === undefined) {
    host.warning('comment is on but github-token is empty: no pull request comment');
    return undefined;
  }
  return createStickyCommenter({
    token,
    apiUrl: config.action.apiUrl,
    pullRequest,
    tag: config.action.commentTag,
  });
}

/** Runs the step; returns the process exit code (1 fails the step). */
export async function runAction(kit: ActionToolkit): Promise<number> {
  // Paths in annotations and reports are relative to the workspace, as GitHub resolves them.
  const workspace = kit.env['GITHUB_WORKSPACE'];
  if (workspace !== undefined && workspace !== '' && existsSync(workspace)) process.chdir(workspace);
  const host = kit.createHost();
  try {
    const config = await host.group('inputs and keys', () => {
      // The config masks the decryption Secret's values as it parses them and says what it held.
      const shell = {
        stdoutIsLog: true,
        action: true,
        mask: (value: string) => host.setSecret(value),
        info: (message: string) => host.info(message),
      };
      return Promise.resolve(parseConfig(kit.getInput, kit.env, shell));
    });
    for (const secret of configSecrets(config)) host.setSecret(secret);
    // A one-step workflow: with no checkout before this step, check out the triggering commit.
    if (workspace !== undefined && workspace !== '') {
      const request = {
        workspace,
        env: kit.env,
        paths: repositoryPaths(config),
        token: config.action.githubToken ?? '',
        host,
        exec: nodeExec,
      };
      if (await checkoutRepository(request)) process.chdir(workspace);
    }
    const reporter = createGithubReporter(host, {
      commenter: commenterFor(kit, config, host),
      tempDir: config.action.tempDir,
    });
    const code = await run(config, {
      host,
      exec: nodeExec,
      batchExec: createSpawnerExec,
      readStdin: () => Promise.resolve(new Uint8Array()),
      reporter,
      kubeClient: openKubeClient,
    });
    // diff exits 1 for "changes"; that fails the step only for a drift check.
    const failed = code === 2 || (code === 1 && (config.command !== 'diff' || config.action.failOnChanges));
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
    else reportError(host, new UserError('USAGE', `invalid inputs: ${errorMessage(error)}`));
    return 1;
  }
}
