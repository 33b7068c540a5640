import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig, repositoryPaths } from '../../../src/commands/index.ts';
import { UserError } from '../../../src/errors.ts';

test('which commands read repository files (Command.paths, for the self-checkout)', () => {
  const cases: [Record<string, string>, string[]][] = [
    [{ command: 'lint' }, ['.']],
    [{ command: 'lint', path: 'apps\nclusters/*' }, ['apps', 'clusters/*']],
    [{ command: 'build', path: 'apps' }, ['apps']],
    [{ command: 'diff', path: 'apps', against: 'main' }, ['apps']],
    [{ command: 'apply', manifests: 'out.yaml' }, []],
    [{ command: 'decrypt', file: 'secret.enc.yaml' }, ['secret.enc.yaml']],
    [{ command: 'decrypt', file: '-', 'input-type': 'yaml' }, []],
  ];
  for (const [inputs, expected] of cases) {
    assert.deepEqual(
      repositoryPaths(parseConfig((name) => inputs[name] ?? '', {})),
      expected,
      JSON.stringify(inputs),
    );
  }
});

test('inputs no command accepts fail before any checkout could start', () => {
  for (const inputs of [{ command: 'decrypt' }, { command: 'nope', path: 'apps' }] as Record<
    string,
    string
  >[]) {
    assert.throws(
      () => parseConfig((name) => inputs[name] ?? '', {}),
      (e: unknown) => e instanceof UserError && e.code === 'USAGE',
      JSON.stringify(inputs),
    );
  }
});

test('the Action-only inputs are part of the Config, with their defaults on the CLI', () => {
  const none = parseConfig((name) => ({ command: 'lint' })[name] ?? '', {});
  assert.deepEqual(none.action, {
    comment: undefined,
    commentTag: undefined,
    githubToken: undefined,
    failOnChanges: false,
    requireDecryption: false,
    pullRequest: undefined,
    apiUrl: undefined,
    tempDir: undefined,
  });
  const inputs: Record<string, string> = {
    command: 'lint',
    comment: 'false',
    'comment-tag': 'prod\nstaging',
    'github-token': ' ghs_x ',
    'fail-on-changes': 'true',
  };
  assert.deepEqual(parseConfig((name) => inputs[name] ?? '', {}).action, {
    comment: false,
    commentTag: 'prod, staging',
    githubToken: 'ghs_x',
    failOnChanges: true,
    requireDecryption: false,
    pullRequest: undefined,
    apiUrl: undefined,
    tempDir: undefined,
  });
  assert.throws(
    () => parseConfig((name) => ({ command: 'lint', comment: 'yes' })[name] ?? '', {}),
    /comment is "yes"; expected true or false/,
  );
});
