/** Which commands need the repository checked out, from the Action's raw inputs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repositoryPaths } from '../../../src/github/checkout.ts';

test('which commands read repository files', () => {
  const cases: [Record<string, string>, string[]][] = [
    [{ command: 'lint' }, ['.']],
    [{ command: 'lint', path: 'apps\nclusters/*' }, ['apps', 'clusters/*']],
    [{ command: 'build', path: 'apps' }, ['apps']],
    [{ command: 'diff', path: 'apps', against: 'main' }, ['apps']],
    [{ command: 'apply', manifests: 'out.yaml' }, []],
    [{ command: 'decrypt', file: 'secret.enc.yaml' }, ['secret.enc.yaml']],
    [{ command: 'decrypt', file: '-' }, []],
    [{ command: 'decrypt' }, []],
    [{ command: 'nope', path: 'apps' }, []],
  ];
  for (const [inputs, expected] of cases) {
    assert.deepEqual(
      repositoryPaths((name) => inputs[name] ?? ''),
      expected,
      JSON.stringify(inputs),
    );
  }
});
