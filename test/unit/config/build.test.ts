import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBuildConfig } from '../../../src/config/build.ts';
import { errorMessage } from '../../../src/errors.ts';

function parse(inputs: Record<string, string>) {
  return parseBuildConfig(
    (name) => ({ path: 'clusters/main', ...inputs })[name] ?? '',
    {},
    { stdoutIsLog: false },
  );
}

describe('helm-path and kube-version (Flux mode HelmReleases)', () => {
  it('default to none: helm on PATH, helm default Kubernetes version', () => {
    const config = parse({ flux: 'true' });
    assert.equal(config.helmPath, undefined);
    assert.equal(config.kubeVersion, undefined);
  });

  for (const version of ['1.31', 'v1.31.2', '1.33.0']) {
    it(`kube-version ${version} is kept as written`, () =>
      assert.equal(parse({ 'kube-version': version }).kubeVersion, version));
  }

  for (const version of ['latest', '1', 'v1.31.2-rc.1; rm', '1.31.x']) {
    it(`kube-version ${JSON.stringify(version)} is refused with what was expected`, () =>
      assert.throws(
        () => parse({ 'kube-version': version }),
        (e) => /kube-version is ".*"; expected a Kubernetes version such as 1\.31/.test(errorMessage(e)),
      ));
  }

  it('helm-path is read as given', () =>
    assert.equal(parse({ 'helm-path': '/opt/helm/bin/helm' }).helmPath, '/opt/helm/bin/helm'));
});
