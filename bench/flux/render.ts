/**
 * The "ours" side of bench/flux until `build --flux` is wired into the CLI: discover and
 * render a Flux repository in one process and print every object, as `build --flux` will.
 * Usage: node bench/flux/render.ts REPO ENTRY
 */
import path from 'node:path';
import { discoverFlux } from '../../src/flux/discover.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { resolveKustomize } from '../../src/kustomize/build.ts';
import { SecretRegistry } from '../../src/masking.ts';

const [repo = '.', entry = '.'] = process.argv.slice(2);
const host = createMemoryHost();
const tool = await resolveKustomize(undefined, { exec: nodeExec, env: process.env });
const discovery = await discoverFlux(
  { entry: path.join(repo, entry), repoRoot: repo },
  {
    host,
    exec: nodeExec,
    keySources: [],
    registry: new SecretRegistry(() => undefined),
    tool,
    env: process.env,
    signals: null,
  },
);
process.stdout.write(discovery.rendered.map((r) => r.yaml).join('---\n'));
process.stderr.write(
  `${discovery.rendered.length} Kustomizations rendered, ${discovery.findings.length} findings\n`,
);
