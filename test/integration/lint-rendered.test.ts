/**
 * `lint --rendered` on a repository whose plaintext only the rendering shows: a JSON 6902
 * patch file adds a plaintext key to a SOPS-encrypted Secret, and a replacement copies a
 * ConfigMap value into a Secret. No key is given: the SOPS values are placeholders and are
 * never flagged. A root that does not build is a warning, and the others are still checked.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { lintCommand } from '../../src/commands/lint.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import type { Exec } from '../../src/ports.ts';
import { commandDeps } from '../support/command-deps.ts';
import { newAgeKey, sopsEncrypt, tool } from '../support/tools.ts';

const CANARY = 'rendered-canary-5e1f';
let kustomize: string;
let repo: string;

async function write(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-rendered-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

before(async () => {
  kustomize = await tool('kustomize');
  const key = await newAgeKey();
  const secret = await readFile(
    await sopsEncrypt(
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: from-sops-only\n',
      'db.sops.yaml',
      ['--age', key.recipient, '--encrypted-regex', '^(data|stringData)$'],
    ),
  );
  repo = await write({
    // Patched: a plaintext key added by a JSON 6902 patch file no file rule can read as a Secret.
    'apps/patched/kustomization.yaml':
      'resources:\n  - db.sops.yaml\npatches:\n  - path: add-key.yaml\n    target: {kind: Secret, name: db}\n',
    'apps/patched/db.sops.yaml': secret,
    'apps/patched/add-key.yaml': `- op: add\n  path: /stringData/extra\n  value: ${CANARY}\n`,
    // Replaced: a ConfigMap value copied into a Secret.
    'apps/replaced/kustomization.yaml': [
      'resources:',
      '  - settings.yaml',
      '  - token.yaml',
      'replacements:',
      '  - source: {kind: ConfigMap, name: settings, fieldPath: data.token}',
      '    targets:',
      '      - select: {kind: Secret, name: token}',
      '        fieldPaths: [stringData.token]',
      '',
    ].join('\n'),
    'apps/replaced/settings.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  token: ${CANARY}\n`,
    'apps/replaced/token.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  token: "${TOKEN}"\n',
    // Clean: SOPS only, through an overlay.
    'apps/clean/kustomization.yaml': 'resources:\n  - ../patched/db.sops.yaml\n',
    // Outside: files beside the root, as Flux repositories write them (xunholy/k8s-gitops's
    // overlays list ../../base/...). Flux builds with LoadRestrictionsNone; with kustomize's
    // default this root did not build and was not checked.
    'apps/outside/kustomization.yaml': [
      'resources:',
      '  - ../common-files/settings.yaml',
      '  - ../common-files/token2.yaml',
      'replacements:',
      '  - source: {kind: ConfigMap, name: shared-settings, fieldPath: data.token}',
      '    targets:',
      '      - select: {kind: Secret, name: token2}',
      '        fieldPaths: [stringData.token]',
      '',
    ].join('\n'),
    'apps/common-files/settings.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared-settings\ndata:\n  token: ${CANARY}\n`,
    'apps/common-files/token2.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: token2\nstringData:\n  token: "${TOKEN}"\n',
    // Broken: does not build; a warning, and the others are still checked.
    'apps/broken/kustomization.yaml': 'resources:\n  - missing.yaml\n',
  });
});

test('lint --rendered flags values that reach a Secret from outside SOPS, naming their file', async () => {
  const host = createMemoryHost();
  const inputs: Record<string, string> = {
    path: path.join(repo, 'apps'),
    rendered: 'true',
    format: 'json',
    'kustomize-path': kustomize,
  };
  const config = lintCommand.parse(
    (name) => inputs[name] ?? '',
    { PATH: process.env['PATH'] ?? '' },
    {
      stdoutIsLog: false,
    },
  );
  const code = await lintCommand.run(config, commandDeps(host));
  const stdout = Buffer.concat(host.stdout).toString('utf8');
  assert.equal(code, 1, stdout);
  const findings = (JSON.parse(stdout) as { findings: { file: string; rule: string; message: string }[] })
    .findings;
  const rendered = findings.filter((f) => f.rule === 'rendered-plaintext-secret');
  const where = rendered.map((f) => `${f.file}: ${f.message.replace(/ in the rendering of .*$/, '')}`).sort();
  const rel = path.relative(process.cwd(), repo).split(path.sep).join('/');
  assert.deepEqual(where, [
    `${rel}/apps/common-files/token2.yaml: Secret token2 key "token" is plaintext`,
    `${rel}/apps/patched/db.sops.yaml: Secret db key "extra" is plaintext`,
    `${rel}/apps/replaced/token.yaml: Secret token key "token" is plaintext`,
  ]);
  const broken = findings.find(
    (f) => f.rule === 'unchecked-file' && f.file.endsWith('apps/broken/kustomization.yaml'),
  );
  assert.ok(broken !== undefined, stdout);
  assert.match(broken.message, /not checked in its rendering/);
  // No value is printed, and the SOPS value was never decrypted (no key was given).
  assert.ok(!host.allText().includes(CANARY));
  assert.ok(!host.allText().includes('from-sops-only'));
});

test('without --rendered the same repository passes the file rules (what only the rendering shows)', async () => {
  const host = createMemoryHost();
  const inputs: Record<string, string> = { path: path.join(repo, 'apps', 'patched'), format: 'json' };
  const config = lintCommand.parse((name) => inputs[name] ?? '', {}, { stdoutIsLog: false });
  assert.equal(
    await lintCommand.run(config, commandDeps(host)),
    0,
    Buffer.concat(host.stdout).toString('utf8'),
  );
});

test('a rendered finding is waived by the object annotation or a lint config entry, with its reason', async () => {
  const secret = (name: string, annotation: string): string =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n${annotation}stringData:\n  token: "\${TOKEN}"\n`;
  const patched = (name: string, annotation: string): Record<string, string> => ({
    [`apps/${name}/kustomization.yaml`]: `resources:\n  - secret.yaml\npatches:\n  - path: add-key.yaml\n    target: {kind: Secret, name: ${name}}\n`,
    [`apps/${name}/secret.yaml`]: secret(name, annotation),
    [`apps/${name}/add-key.yaml`]: `- op: add\n  path: /stringData/extra\n  value: ${CANARY}\n`,
  });
  const dir = await write({
    ...patched(
      'by-annotation',
      '  annotations:\n    kustomize-sops-deploy/lint-ignore: "rendered-plaintext-secret: a test fixture"\n',
    ),
    ...patched('by-config', ''),
    '.ksd-lint.yaml':
      'ignore:\n  - rule: rendered-plaintext-secret\n    path: apps/by-config/*.yaml\n    reason: a throwaway value\n',
  });
  const run = async (config: string): Promise<{ code: number; stdout: string }> => {
    const host = createMemoryHost();
    const inputs: Record<string, string> = {
      path: path.join(dir, 'apps'),
      rendered: 'true',
      format: 'json',
      config,
      'kustomize-path': kustomize,
    };
    const parsed = lintCommand.parse((name) => inputs[name] ?? '', {}, { stdoutIsLog: false });
    const code = await lintCommand.run(parsed, commandDeps(host));
    return { code, stdout: Buffer.concat(host.stdout).toString('utf8') };
  };
  const withConfig = await run(path.join(dir, '.ksd-lint.yaml'));
  assert.equal(withConfig.code, 0, withConfig.stdout);
  const result = JSON.parse(withConfig.stdout) as {
    findings: unknown[];
    suppressed: { file: string; rule: string; reason: string }[];
  };
  assert.deepEqual(result.findings, []);
  assert.deepEqual(
    result.suppressed.map((s) => [path.basename(path.dirname(s.file)), s.rule, s.reason]).sort(),
    [
      ['by-annotation', 'rendered-plaintext-secret', 'a test fixture'],
      ['by-config', 'rendered-plaintext-secret', 'a throwaway value'],
    ],
  );
  // Without the config entry, only the annotated object stays waived.
  const emptyConfig = path.join(dir, 'empty-lint.yaml');
  await writeFile(emptyConfig, 'ignore: []\n');
  const without = await run(emptyConfig);
  assert.equal(without.code, 1, without.stdout);
  const files = (JSON.parse(without.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file);
  assert.ok(files.length === 1 && files[0]?.endsWith('apps/by-config/secret.yaml'), without.stdout);
});

test('a root that only lists resources the file rules checked is not built; one that patches, or reaches outside the paths, is', async () => {
  const dir = await write({
    'apps/plain/kustomization.yaml': 'namespace: apps\nresources:\n  - cm.yaml\n  - ../common/shared.yaml\n',
    'apps/plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n',
    'apps/common/shared.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  a: b\n',
    'apps/labelled/kustomization.yaml': 'labels:\n  - pairs: {team: a}\nresources:\n  - ../plain\n',
    'apps/patched/kustomization.yaml':
      'resources:\n  - ../plain\npatches:\n  - patch: |-\n      - op: add\n        path: /data/c\n        value: d\n    target: {kind: ConfigMap, name: cm}\n',
  });
  const builds: string[] = [];
  const counting: Exec = {
    run: (command, args, options) => {
      if (args.includes('build')) builds.push(path.basename(options?.cwd ?? ''));
      return nodeExec.run(command, args, options);
    },
  };
  const lint = async (target: string): Promise<number> => {
    builds.length = 0;
    const host = createMemoryHost();
    const inputs: Record<string, string> = {
      path: path.join(dir, target),
      rendered: 'true',
      format: 'json',
      'kustomize-path': kustomize,
    };
    const config = lintCommand.parse((name) => inputs[name] ?? '', {}, { stdoutIsLog: false });
    return lintCommand.run(config, commandDeps(host, { exec: counting }));
  };
  // Every root of apps/ only lists resources (labels change no value), except the patched one.
  assert.equal(await lint('apps'), 0);
  assert.equal(builds.length, 1, `built: ${builds.join(', ')}`);
  // Linting apps/plain alone: its graph reaches apps/common/shared.yaml, which the file rules
  // did not read there, so it is built.
  assert.equal(await lint('apps/plain'), 0);
  assert.equal(builds.length, 1, `built: ${builds.join(', ')}`);
});
