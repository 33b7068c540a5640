/** kustomizeFailure: how a failed kustomize run reads to users. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KUSTOMIZE_GOGC, kustomizeEnv, kustomizeFailure } from '../../../src/kustomize/build.ts';
import { SecretRegistry } from '../../../src/masking.ts';

const STAGED = '/dev/shm/ksd-abc123/tree';
const ROOT = '/repo';
const OUTSIDE = `Error: accumulating resources: security; file '${STAGED}/common/cm.yaml' is not in or below '${STAGED}/app'`;

const cases: {
  name: string;
  stderr: string;
  message: string;
  report: string | undefined;
  hint: RegExp | undefined;
}[] = [
  {
    name: 'a load restriction: printed once, repository paths, with the LoadRestrictionsNone hint (D5)',
    stderr: `${OUTSIDE.replace(/^Error: /, '')}\n${OUTSIDE}\n`,
    message: `build failed: accumulating resources: security; file '${ROOT}/common/cm.yaml' is not in or below '${ROOT}/app'`,
    report: undefined,
    hint: /--load-restrictor LoadRestrictionsNone/,
  },
  {
    name: 'several different lines: the first is the message, the rest the report',
    stderr: 'Error: first problem\nsecond line\n',
    message: 'build failed: first problem',
    report: 'second line',
    hint: undefined,
  },
  {
    name: 'no stderr at all: the exit code',
    stderr: '',
    message: 'build failed: exit code 1',
    report: undefined,
    hint: undefined,
  },
  {
    name: 'a quoted secret is masked in its Go-escaped form',
    stderr: 'Error: options.index 5 is out of bounds for value pw\\"Kq7Secret\\"end\n',
    message: 'build failed: options.index 5 is out of bounds for value ***',
    report: undefined,
    hint: undefined,
  },
  {
    // truxnell/home-cluster: the one-line summary was kustomize's deprecation note.
    name: "kustomize's deprecation notes are not the error; they go last in the report",
    stderr:
      "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead.\nError: trouble configuring builtin HelmChartInflationGenerator\n",
    message: 'build failed: trouble configuring builtin HelmChartInflationGenerator',
    report: "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead.",
    hint: undefined,
  },
];

for (const { name, stderr, message, report, hint } of cases) {
  test(`kustomizeFailure: ${name}`, () => {
    const registry = new SecretRegistry(() => undefined);
    registry.add('pw"Kq7Secret"end');
    const error = kustomizeFailure(
      'build failed',
      { stderr, exitCode: 1 },
      { registry, staged: STAGED, root: ROOT },
    );
    assert.equal(error.code, 'KUSTOMIZE_FAILED');
    assert.equal(error.message, message);
    assert.equal(error.report, report);
    if (hint === undefined) assert.equal(error.hint, undefined);
    else assert.match(error.hint ?? '', hint);
  });
}

test('kustomizeEnv: no key material, and GOGC 200 unless the environment sets its own', () => {
  const env = kustomizeEnv({
    PATH: '/usr/bin',
    SOPS_AGE_KEY: 'AGE-SECRET-KEY-1X',
    AWS_SECRET_ACCESS_KEY: 'x',
    INPUT_AGE_KEY: 'x',
  });
  assert.deepEqual(env, { PATH: '/usr/bin', GOGC: KUSTOMIZE_GOGC });
  assert.equal(KUSTOMIZE_GOGC, '200');
  assert.equal(kustomizeEnv({ GOGC: 'off' })['GOGC'], 'off');
  assert.equal(kustomizeEnv({ GOGC: '50' })['GOGC'], '50');
});
