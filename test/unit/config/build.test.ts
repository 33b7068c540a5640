/** The kustomize choice of build, diff and apply: kustomize-path or kustomize-version, and where a release comes from. */
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { parseBuildConfig } from '../../../src/config/build.ts';
import type { ShellOptions } from '../../../src/config/inputs.ts';
import { errorMessage, UserError } from '../../../src/errors.ts';
import { DEFAULT_KUSTOMIZE_DOWNLOAD_URL } from '../../../src/kustomize/install.ts';

const CLI: ShellOptions = { stdoutIsLog: false };
const ACTION: ShellOptions = { stdoutIsLog: true, action: true };

function parse(inputs: Record<string, string>, env: Record<string, string>, shell: ShellOptions) {
  return parseBuildConfig((name) => ({ path: '.', ...inputs })[name] ?? '', env, shell);
}

test('kustomize-version: the release, its download URL and its cache, per shell', () => {
  const cases: {
    name: string;
    inputs: Record<string, string>;
    env: Record<string, string>;
    shell: ShellOptions;
    release: unknown;
    path?: string;
  }[] = [
    { name: 'not set', inputs: {}, env: {}, shell: CLI, release: undefined },
    {
      name: 'kustomize-path alone',
      inputs: { 'kustomize-path': '/opt/kustomize' },
      env: {},
      shell: CLI,
      release: undefined,
      path: '/opt/kustomize',
    },
    {
      name: 'a v prefix is dropped',
      inputs: { 'kustomize-version': ' v5.8.2 ' },
      env: {},
      shell: CLI,
      release: { version: '5.8.2', downloadUrl: DEFAULT_KUSTOMIZE_DOWNLOAD_URL, toolCache: undefined },
    },
    {
      name: 'the CLI takes the test override and keeps its per-user cache',
      inputs: { 'kustomize-version': '5.5.0' },
      env: { KSD_KUSTOMIZE_DOWNLOAD_URL: 'http://127.0.0.1:8080/releases', RUNNER_TOOL_CACHE: '/opt/cache' },
      shell: CLI,
      release: { version: '5.5.0', downloadUrl: 'http://127.0.0.1:8080/releases', toolCache: undefined },
    },
    {
      name: 'the Action ignores the override and uses the runner tool cache',
      inputs: { 'kustomize-version': '5.8.2' },
      env: { KSD_KUSTOMIZE_DOWNLOAD_URL: 'http://127.0.0.1:8080/releases', RUNNER_TOOL_CACHE: '/opt/cache' },
      shell: ACTION,
      release: { version: '5.8.2', downloadUrl: DEFAULT_KUSTOMIZE_DOWNLOAD_URL, toolCache: '/opt/cache' },
    },
    {
      name: 'the Action without an absolute RUNNER_TOOL_CACHE falls back to the per-user cache',
      inputs: { 'kustomize-version': '5.8.2' },
      env: { RUNNER_TOOL_CACHE: 'relative/cache' },
      shell: ACTION,
      release: { version: '5.8.2', downloadUrl: DEFAULT_KUSTOMIZE_DOWNLOAD_URL, toolCache: undefined },
    },
  ];
  for (const c of cases) {
    const config = parse(c.inputs, c.env, c.shell);
    assert.deepEqual(config.kustomizeRelease, c.release, c.name);
    assert.equal(config.kustomizePath, c.path, c.name);
  }
});

test('kustomize-version: usage errors', () => {
  const cases: { inputs: Record<string, string>; env?: Record<string, string>; message: RegExp }[] = [
    {
      inputs: { 'kustomize-path': '/opt/kustomize', 'kustomize-version': '5.8.2' },
      message: /^kustomize-path and kustomize-version cannot both be set$/,
    },
    {
      inputs: { kustomize: '/opt/kustomize', 'kustomize-version': '5.8.2' },
      message: /^kustomize-path and kustomize-version cannot both be set$/,
    },
    { inputs: { 'kustomize-version': 'latest' }, message: /^kustomize-version is "latest"; expected/ },
    { inputs: { 'kustomize-version': '5.8' }, message: /^kustomize-version is "5.8"; expected/ },
    { inputs: { 'kustomize-version': '5.8.2/../../x' }, message: /^kustomize-version is "5.8.2\/..\/..\/x"/ },
    {
      inputs: { 'kustomize-version': '5.8.2' },
      env: { KSD_KUSTOMIZE_DOWNLOAD_URL: 'file:///tmp/releases' },
      message: /^KSD_KUSTOMIZE_DOWNLOAD_URL is "file:\/\/\/tmp\/releases"; expected an http\(s\) URL$/,
    },
  ];
  for (const c of cases) {
    assert.throws(
      () => parse(c.inputs, c.env ?? {}, CLI),
      (error: unknown) =>
        error instanceof UserError && error.code === 'USAGE' && c.message.test(error.message),
      JSON.stringify(c.inputs),
    );
  }
});

function parseFlux(inputs: Record<string, string>) {
  return parseBuildConfig(
    (name) => ({ path: 'clusters/main', ...inputs })[name] ?? '',
    {},
    { stdoutIsLog: false },
  );
}

describe('helm-path and kube-version (Flux mode HelmReleases)', () => {
  it('default to none: helm on PATH, helm default Kubernetes version', () => {
    const config = parseFlux({ flux: 'true' });
    assert.equal(config.helmPath, undefined);
    assert.equal(config.kubeVersion, undefined);
  });

  for (const version of ['1.31', 'v1.31.2', '1.33.0']) {
    it(`kube-version ${version} is kept as written`, () =>
      assert.equal(parseFlux({ 'kube-version': version }).kubeVersion, version));
  }

  for (const version of ['latest', '1', 'v1.31.2-rc.1; rm', '1.31.x']) {
    it(`kube-version ${JSON.stringify(version)} is refused with what was expected`, () =>
      assert.throws(
        () => parseFlux({ 'kube-version': version }),
        (e) => /kube-version is ".*"; expected a Kubernetes version such as 1\.31/.test(errorMessage(e)),
      ));
  }

  it('helm-path is read as given', () =>
    assert.equal(parseFlux({ 'helm-path': '/opt/helm/bin/helm' }).helmPath, '/opt/helm/bin/helm'));
});

describe('api-versions (Flux mode HelmReleases without a cluster)', () => {
  it('defaults to none and keeps each line', () => {
    assert.deepEqual(parseFlux({}).apiVersions, []);
    assert.deepEqual(
      parseFlux({ 'api-versions': 'monitoring.coreos.com/v1\nv1\napps/v1/Deployment' }).apiVersions,
      ['monitoring.coreos.com/v1', 'v1', 'apps/v1/Deployment'],
    );
  });

  for (const value of ['monitoring.coreos.com/v1 --debug', 'a/b/c/d', '../v1']) {
    it(`${JSON.stringify(value)} is refused with what was expected`, () =>
      assert.throws(
        () => parseFlux({ 'api-versions': value }),
        (e) => /api-versions has ".*"; expected group\/version or group\/version\/Kind/.test(errorMessage(e)),
      ));
  }
});
