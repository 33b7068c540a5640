/** The bundled CLI builds the committed demo, as the README's first command does. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
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

test('a glob target builds every kustomization it matches, and a dead glob is one clear line', async () => {
  await requireComponent('cli-tools');
  const env = { PATH: `${toolsBin}${path.delimiter}${process.env['PATH'] ?? ''}` };
  const key = path.join(demo, 'demo-age-key.txt');
  const result = await runCli(['build', path.join(demo, '*'), '--age-key-file', key], env);
  assert.equal(result.code, 0, result.stderr);
  const out = result.stdout.toString('utf8');
  // examples/demo/* holds base (built) and overlays (no kustomization, no manifests: skipped).
  assert.match(out, /name: db-credentials\n/);
  assert.doesNotMatch(out, /name: prod-db-credentials/);
  assert.match(result.stderr, /examples\/demo\/base: \d+ objects/);

  const missing = path.join(demo, 'no-such-*');
  const failed = await runCli(['build', missing, '--age-key-file', key], env);
  assert.equal(failed.code, 2);
  assert.match(failed.stderr, /matches no directory with a kustomization file or manifests/);
  assert.ok(failed.stderr.includes(`"${missing}"`), failed.stderr);
});

// Every signal that ends a run removes the private root (SIGHUP and SIGQUIT used to leave it);
// the process ends as the signal asked, except SIGQUIT, which exits 131 instead of dumping
// core (a core file would hold the decrypted values).
const signalCases: [NodeJS.Signals, { code: number | null; signal: NodeJS.Signals | null }][] = [
  ['SIGINT', { code: null, signal: 'SIGINT' }],
  ['SIGTERM', { code: null, signal: 'SIGTERM' }],
  ['SIGHUP', { code: null, signal: 'SIGHUP' }],
  ['SIGQUIT', { code: 131, signal: null }],
];
for (const [signal, ending] of signalCases) {
  test(`${signal} to node dist/cli.js mid-build removes the private root`, async () => {
    await requireComponent('cli-tools');
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-e2e-kill-'));
    const marker = path.join(dir, 'target.txt');
    const fake = path.join(dir, 'kustomize');
    // A kustomize that records the private directory it was asked to build, then hangs.
    await writeFile(
      fake,
      `#!/bin/sh\nif [ "$1" = version ]; then echo v5.0.0; exit 0; fi\necho "$2" > ${marker}\nsleep 30\n`,
    );
    await chmod(fake, 0o755);
    const child = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'dist', 'cli.js'),
        'build',
        path.join(demo, 'overlays', 'production'),
        '--age-key-file',
        path.join(demo, 'demo-age-key.txt'),
        '--kustomize',
        fake,
      ],
      { env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' }, stdio: 'ignore' },
    );
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    let target = '';
    for (let i = 0; i < 200 && target === ''; i++) {
      await sleep(50);
      target = await readFile(marker, 'utf8').then(
        (t) => t.trim(),
        () => '',
      );
    }
    assert.match(target, /ksd-build-/);
    const privateRoot = target.slice(0, target.indexOf('/', target.indexOf('ksd-build-')));
    // The decrypted demo Secret was there mid-build...
    const staged = await readFile(
      path.join(privateRoot, 'examples', 'demo', 'base', 'secret.enc.yaml'),
      'utf8',
    );
    assert.match(staged, /demo-password-not-secret/);
    child.kill(signal);
    assert.deepEqual(await exited, ending);
    // ...and nothing of it is left after the kill.
    await assert.rejects(readdir(privateRoot), { code: 'ENOENT' });
  });
}

test('a build of many targets (kustomize started from the helper process) prints what each target built alone prints', async () => {
  await requireComponent('cli-tools');
  const env = { PATH: `${toolsBin}${path.delimiter}${process.env['PATH'] ?? ''}` };
  const key = path.join(demo, 'demo-age-key.txt');
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-e2e-many-'));
  await mkdir(path.join(dir, '.git'));
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  for (const name of names) await cp(path.join(demo, 'base'), path.join(dir, name), { recursive: true });
  // Six targets: from four on, build starts kustomize from its helper process.
  const many = await runCli(['build', path.join(dir, '*'), '--age-key-file', key], env);
  assert.equal(many.code, 0, many.stderr);
  const alone: string[] = [];
  for (const name of names) {
    // One target: kustomize is started directly.
    const one = await runCli(['build', path.join(dir, name), '--age-key-file', key], env);
    assert.equal(one.code, 0, one.stderr);
    alone.push(one.stdout.toString('utf8'));
  }
  assert.equal(many.stdout.toString('utf8'), alone.join('---\n'));
  assert.match(many.stdout.toString('utf8'), /DB_PASSWORD: demo-password-not-secret/);
});
