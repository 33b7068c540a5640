/** The bundled CLI builds the committed demo, as the README's first command does. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot, toolsBin } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';
import { runCli } from '../support/run-dist.ts';

const demo = path.join(repoRoot, 'examples', 'demo');

test('node dist/cli.js build examples/demo/overlays/production', async () => {
  await requireComponent('cli-tools');
  const result = await runCli(
    [
      'build',
      path.join(demo, 'overlays', 'production'),
      '--age-key-file',
      path.join(demo, 'demo-age-key.txt'),
    ],
    { PATH: `${toolsBin}${path.delimiter}${process.env['PATH'] ?? ''}` },
  );
  assert.equal(result.code, 0, result.stderr);
  const out = result.stdout.toString('utf8');
  assert.match(out, /name: prod-db-credentials\n {2}namespace: production/);
  assert.match(out, /DB_PASSWORD: demo-password-not-secret/);
  assert.match(out, /API_TOKEN: ZGVtby10b2tlbi1ub3Qtc2VjcmV0/);
  assert.doesNotMatch(out, /ENC\[/);
  assert.match(result.stderr, /building with kustomize v\d/);
});

test('without the demo key, build exits 2 with one clear line', async () => {
  await requireComponent('cli-tools');
  const result = await runCli(['build', path.join(demo, 'overlays', 'production')], {
    PATH: `${toolsBin}${path.delimiter}${process.env['PATH'] ?? ''}`,
  });
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /base\/kustomization\.yaml: resources: decrypting examples\/demo\/base\/secret\.enc\.yaml|no key could decrypt/,
  );
  assert.equal(result.stdout.length, 0);
});
