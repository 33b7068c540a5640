/**
 * The `helm-repo` component: a real chart repository over HTTPS on loopback
 * (test/env/helm-repo-server.ts), holding the fixture charts of test/fixtures/helm/charts
 * packaged by the pinned helm at several versions. Info: `{url, caFile, username, password,
 * root}`; the repositories are `<url>/public` and `<url>/private` (basic auth).
 *
 * The address is loopback, which the chart-source policy refuses by default: tests opt in.
 */
import path from 'node:path';
import type { Component, Started } from '../component.ts';
import { HelmRepoServer } from '../helm-repo-server.ts';
import { repoRoot, toolPath } from '../paths.ts';
import { createCa, issueCert } from '../pki.ts';
import { componentDir } from '../spawned-server.ts';
import { helmCli } from './helm-cli.ts';

export const HELM_REPO_USERNAME = 'chart-reader';
export const HELM_REPO_PASSWORD = 'ksd-chart-repo-password-0001';

const charts = path.join(repoRoot, 'test', 'fixtures', 'helm', 'charts');

/** The versions each fixture chart is published at (ranges in the tests pick among them). */
export const DEMO_VERSIONS = ['1.0.0', '1.1.0', '1.2.3', '2.0.0-rc.1', '2.0.0'] as const;
export const WIDGETS_VERSIONS = ['0.3.0'] as const;

export const helmRepo: Component = {
  name: 'helm-repo',
  install: () => helmCli.install(),
  async start(): Promise<Started> {
    const dir = componentDir('helm-repo');
    const ca = await createCa(dir, 'ca', 'ksd helm-repo test CA');
    const cert = await issueCert(
      dir,
      'server',
      ca,
      { commonName: 'helm-repo' },
      {
        kind: 'server',
        dnsNames: ['localhost'],
        ips: ['127.0.0.1'],
      },
    );
    const server = await HelmRepoServer.start({
      helm: toolPath('helm'),
      root: path.join(dir, 'repos'),
      certFile: cert.certFile,
      keyFile: cert.keyFile,
      username: HELM_REPO_USERNAME,
      password: HELM_REPO_PASSWORD,
      charts: [
        ...DEMO_VERSIONS.map((version) => ({ source: path.join(charts, 'demo'), version })),
        ...WIDGETS_VERSIONS.map((version) => ({ source: path.join(charts, 'widgets'), version })),
      ],
    });
    return {
      info: {
        url: server.url,
        caFile: ca.certFile,
        username: HELM_REPO_USERNAME,
        password: HELM_REPO_PASSWORD,
        root: path.join(dir, 'repos'),
      },
      stop: () => server.close(),
    };
  },
};
