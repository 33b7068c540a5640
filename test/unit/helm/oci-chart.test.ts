/**
 * What pullOciChart refuses before helm runs: a URL that is not oci://, a malformed pinned
 * digest, and a registry host the run's address policy refuses. The exec port fails the test
 * if helm is ever started; pulls from the real registry are in
 * test/integration/flux-helm-oci.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ChartDigestError, ChartFetchError } from '../../../src/helm/chart-fetch.ts';
import { pullOciChart } from '../../../src/helm/oci-chart.ts';
import type { RemotePolicy } from '../../../src/helm/remote-policy.ts';
import { SecretRegistry } from '../../../src/masking.ts';
import { UserError } from '../../../src/errors.ts';

const cases: readonly {
  readonly name: string;
  readonly url: string;
  readonly digest?: string;
  readonly policy: RemotePolicy;
  readonly error: typeof UserError;
  readonly message: RegExp;
}[] = [
  {
    name: 'an https URL',
    url: 'https://charts.example.com/demo',
    policy: { allowPrivateAddresses: true },
    error: UserError,
    message: /^OCIRepository ns\/demo: "https:\/\/charts\.example\.com\/demo" is not an oci:\/\/ URL$/,
  },
  {
    name: 'a digest that is not sha256 hex',
    url: 'oci://127.0.0.1:5000/charts/demo',
    digest: 'sha256:ABC',
    policy: { allowPrivateAddresses: true },
    error: UserError,
    message: /spec\.ref\.digest "sha256:ABC" is not sha256:<64 hex>/,
  },
  {
    name: 'loopback under the default policy',
    url: 'oci://127.0.0.1:5000/charts/demo',
    policy: { allowPrivateAddresses: false },
    error: ChartFetchError,
    message: /127\.0\.0\.1:5000 is a loopback, link-local or private address/,
  },
  {
    name: 'localhost under the default policy',
    url: 'oci://localhost:5000/charts/demo',
    policy: { allowPrivateAddresses: false },
    error: ChartFetchError,
    message: /localhost:5000 is a loopback, link-local or private address/,
  },
  {
    name: 'the metadata address under the default policy',
    url: 'oci://169.254.169.254/charts/demo',
    policy: { allowPrivateAddresses: false },
    error: ChartFetchError,
    message: /169\.254\.169\.254 is a loopback, link-local or private address/,
  },
  {
    name: 'allow-remote: none',
    url: 'oci://ghcr.io/example/demo',
    policy: { allowPrivateAddresses: false, hosts: [] },
    error: ChartFetchError,
    message: /chart repositories are not fetched with allow-remote: none/,
  },
  {
    name: 'a host not in allow-remote',
    url: 'oci://ghcr.io/example/demo',
    policy: { allowPrivateAddresses: false, hosts: ['registry.example.com'] },
    error: ChartFetchError,
    message: /ghcr\.io is not in allow-remote \(registry\.example\.com\)/,
  },
];

for (const c of cases) {
  test(`pullOciChart refuses ${c.name} before helm runs`, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-oci-unit-'));
    let started = false;
    try {
      await assert.rejects(
        pullOciChart(
          { url: c.url, version: '1.0.0', digest: c.digest, insecure: true, what: 'OCIRepository ns/demo' },
          path.join(dir, 'out'),
          {
            exec: {
              run: () => {
                started = true;
                return Promise.reject(new Error('helm must not run'));
              },
            },
            env: {},
            helm: { command: 'helm', description: 'helm' },
            policy: c.policy,
            registry: new SecretRegistry(() => undefined),
          },
        ),
        (error: unknown) => {
          assert.ok(error instanceof c.error, String(error));
          assert.match((error as Error).message, c.message);
          return true;
        },
      );
      assert.equal(started, false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test('pullOciChart refuses a pull whose reported digest is not the pinned one (ChartDigestError)', async () => {
  // helm asked for the pinned digest reports another: the second line of defence behind
  // oras's own check (the real registry's case is in flux-helm-oci.test.ts).
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-oci-unit-'));
  const pinned = `sha256:${'2'.repeat(64)}`;
  const served = `sha256:${'1'.repeat(64)}`;
  try {
    await assert.rejects(
      pullOciChart(
        {
          url: 'oci://127.0.0.1:5000/charts/demo',
          version: '',
          digest: pinned,
          insecure: true,
          what: 'OCIRepository ns/demo',
        },
        path.join(dir, 'out'),
        {
          exec: {
            run: (_command, args) => {
              assert.equal(args[1], `oci://127.0.0.1:5000/charts/demo@${pinned}`);
              return Promise.resolve({
                exitCode: 0,
                stdout: new TextEncoder().encode(
                  `Pulled: 127.0.0.1:5000/charts/demo@${pinned}\nDigest: ${served}\n`,
                ),
                stderr: '',
              });
            },
          },
          env: {},
          helm: { command: 'helm', description: 'helm' },
          policy: { allowPrivateAddresses: true },
          registry: new SecretRegistry(() => undefined),
        },
      ),
      (error: unknown) => {
        assert.ok(error instanceof ChartDigestError, String(error));
        assert.equal(
          error.message,
          `OCIRepository ns/demo: the registry served digest ${served}, not the pinned ${pinned}`,
        );
        return true;
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
