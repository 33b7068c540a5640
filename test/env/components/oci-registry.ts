/**
 * The `oci-registry` component: a real OCI registry (CNCF distribution, `registry serve`, built
 * from the Go module proxy) over plain HTTP on loopback, holding the fixture `demo` chart at
 * the helm-repo component's versions, each packaged and pushed with the pinned helm
 * (`helm package`, `helm push oci://…/charts --plain-http`).
 *
 * Info: `url` (`oci://127.0.0.1:<port>/charts`, the HelmRepository URL; the demo chart is
 * `<url>/demo`), `host` (`127.0.0.1:<port>`) and `digest-<version>`: the manifest digest helm
 * push reported for each version, for the tests that pin one.
 *
 * Plain HTTP is enough for a test registry (sources say `insecure: true`); loopback is refused
 * by the chart-source policy by default, so tests opt in as for the helm-repo component.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Component, Started } from '../component.ts';
import { goInstall } from '../go-install.ts';
import { repoRoot, toolPath } from '../paths.ts';
import { componentDir, freePort, spawnServer, waitUntilReady } from '../spawned-server.ts';
import { helmCli } from './helm-cli.ts';
import { DEMO_VERSIONS } from './helm-repo.ts';

const run = promisify(execFile);

/** The newest distribution v3 release the module proxy serves; its go.mod builds with Go 1.26. */
export const REGISTRY_VERSION = 'v3.1.2';

const demoChart = path.join(repoRoot, 'test', 'fixtures', 'helm', 'charts', 'demo');

/** Packages the demo chart at `version` and pushes it; returns the manifest digest helm reports. */
async function pushDemo(version: string, host: string, work: string): Promise<string> {
  const env = { ...process.env, HOME: work, HELM_CONFIG_HOME: path.join(work, 'helm') };
  const copy = path.join(work, `demo-${version}`, 'demo');
  cpSync(demoChart, copy, { recursive: true });
  const out = path.join(work, 'packages');
  await run(toolPath('helm'), ['package', copy, '--version', version, '--app-version', version, '-d', out], {
    env,
  });
  const pushed = await run(
    toolPath('helm'),
    ['push', path.join(out, `demo-${version}.tgz`), `oci://${host}/charts`, '--plain-http'],
    { env },
  );
  const digest = /Digest: (sha256:[0-9a-f]{64})/.exec(`${pushed.stdout}\n${pushed.stderr}`)?.[1];
  if (digest === undefined) throw new Error(`helm push of demo ${version} reported no digest`);
  return digest;
}

export const ociRegistry: Component = {
  name: 'oci-registry',
  async install(): Promise<void> {
    await helmCli.install();
    await goInstall({
      name: 'registry',
      module: 'github.com/distribution/distribution/v3',
      packages: ['github.com/distribution/distribution/v3/cmd/registry'],
      version: REGISTRY_VERSION,
      binaries: ['registry'],
    });
  },
  async start(): Promise<Started> {
    const dir = componentDir('oci-registry');
    const port = await freePort();
    const host = `127.0.0.1:${String(port)}`;
    const config = path.join(dir, 'config.yml');
    writeFileSync(
      config,
      [
        'version: 0.1',
        'log:',
        '  level: warn',
        'storage:',
        '  filesystem:',
        `    rootdirectory: ${path.join(dir, 'data')}`,
        'http:',
        `  addr: ${host}`,
        '',
      ].join('\n'),
    );
    const server = spawnServer({
      name: 'oci-registry',
      command: toolPath('registry'),
      args: ['serve', config],
      // No OpenTelemetry exporter: the registry would otherwise try to reach a collector.
      env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
    });
    try {
      await waitUntilReady(server, 'oci-registry', async () => (await fetch(`http://${host}/v2/`)).ok);
      const work = path.join(dir, 'push');
      mkdirSync(work, { recursive: true });
      const info: Record<string, string> = { url: `oci://${host}/charts`, host };
      for (const version of DEMO_VERSIONS) info[`digest-${version}`] = await pushDemo(version, host, work);
      return { info, stop: () => server.stop() };
    } catch (error) {
      await server.stop();
      throw error;
    }
  },
};
