/**
 * The whole pipeline through the bundled CLI against the real apiserver: `apply PATH` builds
 * the demo overlay (decrypting in a private root, MACs verified) and server-side applies it;
 * `diff PATH` then reports no changes. Secret values never appear in any output.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot, toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { runCli } from '../support/run-dist.ts';
import { runSops } from '../support/tools.ts';

const demo = path.join(repoRoot, 'examples', 'demo');
const overlay = path.join(demo, 'overlays', 'production');
const key = path.join(demo, 'demo-age-key.txt');

test('apply PATH, then diff PATH shows nothing to change, with no secret in any output', async () => {
  const kube = await requireComponent('kube');
  await requireComponent('cli-tools');
  const env = {
    KUBECONFIG: kube['kubeconfig']!,
    PATH: `${path.dirname(toolPath('kustomize'))}:${process.env['PATH'] ?? ''}`,
  };
  // The demo's secret values, from the real sops, to search every output for.
  const plain = (
    await runSops(['decrypt', path.join(demo, 'base', 'secret.enc.yaml')], { SOPS_AGE_KEY_FILE: key })
  ).toString();
  const stringData = plain.slice(plain.indexOf('stringData:'));
  const values = [...stringData.matchAll(/^\s+\S+:\s+(\S{4,})$/gm)].map((m) => m[1]!);
  assert.ok(values.length > 0);

  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-deploy-'));
  const ns = path.join(dir, 'ns.yaml');
  await writeFile(ns, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: production\n');
  assert.equal((await runCli(['apply', '--manifests', ns], env)).code, 0);

  const applied = await runCli(['apply', overlay, '--age-key-file', key], env);
  assert.equal(applied.code, 0, applied.stderr);
  const diffed = await runCli(['diff', overlay, '--age-key-file', key], env);
  assert.equal(diffed.code, 0, `${diffed.stdout.toString()}\n${diffed.stderr}`);
  for (const out of [applied.stdout.toString(), applied.stderr, diffed.stdout.toString(), diffed.stderr]) {
    for (const value of values) assert.ok(!out.includes(value), 'a demo secret value leaked');
  }
  const wrongKey = await runCli(['diff', overlay, '--require-decryption'], { ...env, HOME: dir });
  assert.equal(wrongKey.code, 2);
  assert.match(wrongKey.stderr, /no key could decrypt/);
  // Without require-decryption the diff runs, with the values it cannot decrypt as placeholders.
  // The generated Secret's name hash cannot be computed without its values; it takes the name
  // of the live Secret this action applied, so nothing shows as changed.
  const noKey = await runCli(['diff', overlay], { ...env, HOME: dir });
  assert.equal(noKey.code, 0, `${noKey.stdout.toString()}\n${noKey.stderr}`);
  assert.match(noKey.stdout.toString(), /not decrypted in this run/);
  assert.match(noKey.stdout.toString(), /name hash taken from the live Secret/);
  for (const out of [noKey.stdout.toString(), noKey.stderr]) {
    for (const value of values) assert.ok(!out.includes(value), 'a demo secret value leaked');
  }
});
