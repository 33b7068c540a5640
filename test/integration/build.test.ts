/**
 * `build` against the real kustomize: the Flux testdata (including the cases Flux fails on),
 * overlays over encrypted Secrets, MAC failures, the canary leak check and a kill mid-build.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseBuildConfig } from '../../src/config/build.ts';
import { parseKeys } from '../../src/config/keys.ts';
import { renderManifests } from '../../src/commands/build-run.ts';
import { errorMessage } from '../../src/errors.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { createKeySources } from '../../src/keys/key-sources.ts';
import { buildTarget, resolveKustomize, type KustomizeTool } from '../../src/kustomize/build.ts';
import { cacheKeySources } from '../../src/kustomize/key-cache.ts';
import { SecretRegistry } from '../../src/masking.ts';
import { repoRoot } from '../env/paths.ts';
import { commandDeps } from '../support/command-deps.ts';
import { fluxSops } from '../support/fixtures.ts';
import { newAgeKey, sopsEncrypt, tool } from '../support/tools.ts';

const FLUX = fluxSops;
const KEYS = path.join(FLUX, 'keys');

let kustomize: KustomizeTool;
before(async () => {
  kustomize = await resolveKustomize(await tool('kustomize'), { exec: nodeExec, env: process.env });
});

async function build(target: string, keyFiles: { age?: string[]; pgp?: string[] }, parent?: string) {
  const host = createMemoryHost();
  const env = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' };
  const keys = parseKeys(
    (name) =>
      name === 'age-key-file'
        ? (keyFiles.age ?? []).join('\n')
        : name === 'pgp-key-file'
          ? (keyFiles.pgp ?? []).join('\n')
          : '',
    env,
  );
  const keySources = cacheKeySources(await createKeySources(keys, { host, exec: nodeExec }));
  const registry = new SecretRegistry((v) => host.setSecret(v));
  const result = await buildTarget(
    { target },
    {
      host,
      exec: nodeExec,
      keySources,
      registry,
      tool: kustomize,
      env,
      ...(parent === undefined ? {} : { stagingParent: parent }),
      signals: null,
    },
  );
  return { result, host };
}

type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};
function secretValue(objects: readonly unknown[], name: string, key: string): string | undefined {
  const o = (objects as Obj[]).find((x) => x.kind === 'Secret' && x.metadata.name === name);
  if (o === undefined) return undefined;
  if (o.stringData?.[key] !== undefined) return o.stringData[key];
  const data = o.data?.[key];
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
}

describe('the Flux testdata', () => {
  const allKeys = {
    age: [path.join(KEYS, 'age.txt'), path.join(KEYS, 'age-pq.txt'), path.join(KEYS, 'age-global.txt')],
    pgp: [path.join(KEYS, 'pgp.asc')],
  };

  test('the whole tree (minus the remote base) builds with every value decrypted', async () => {
    // Flux's root kustomization: namePrefix over everything, an encrypted patch over an
    // encrypted base, and a component with an encrypted secretGenerator.
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-flux-'));
    await cp(FLUX, dir, { recursive: true });
    const k = await readFile(path.join(dir, 'kustomization.yaml'), 'utf8');
    await writeFile(path.join(dir, 'kustomization.yaml'), k.replace('  - remote\n', ''));
    const { result, host } = await build(dir, allKeys);
    const cases: [string, string, string][] = [
      ['sops-algo-age', 'key', 'value'],
      ['sops-algo-age-pq', 'key', 'value'],
      ['sops-algo-pgp', 'key', 'value'],
      ['sops-envs-secret', 'key', 'value'],
      ['sops-files-secret', 'key', 'value'],
      ['sops-patches-secret', 'key', 'merge1'],
      ['sops-patches-secret', 'merge2', 'merge2'],
      ['sops-inside-secret', 'key', 'value'],
      ['sops-component', 'key', 'value'],
    ];
    for (const [name, key, value] of cases)
      assert.equal(secretValue(result.objects, name, key), value, `${name} ${key}`);
    assert.doesNotMatch(result.yaml, /ENC\[AES256_GCM/);
    assert.ok(
      host.secrets.includes('merge1') && host.secrets.includes(Buffer.from('merge1').toString('base64')),
    );
    assert.ok(result.decrypted.includes('patches/merge1.yaml'));
  });

  test('the global key decrypts global/', async () => {
    const { result } = await build(path.join(FLUX, 'global'), allKeys);
    assert.equal(secretValue(result.objects, 'global-age-secret', 'key'), 'global-value');
  });

  test('without the key, the error names the kustomization entry and the file', async () => {
    await assert.rejects(
      build(path.join(FLUX, 'envs'), { age: [path.join(KEYS, 'age-global.txt')] }),
      (error) => {
        assert.match(
          errorMessage(error),
          // Paths are relative to the repository root (the fixtures are vendored inside this repo).
          /^(?:[\w./-]+\/)?envs\/kustomization\.yaml: secretGenerator envs: decrypting (?:[\w./-]+\/)?envs\/env\.env: no key could decrypt/,
        );
        return true;
      },
    );
  });
});

describe('overlays, the canary, and failures', () => {
  const CANARY = 'canary-7f3a9c-do-not-leak';
  let repo: string;
  let keyFile: string;
  before(async () => {
    const key = await newAgeKey();
    keyFile = key.file;
    repo = await mkdtemp(path.join(tmpdir(), 'ksd-canary-'));
    await mkdir(path.join(repo, '.git'));
    await mkdir(path.join(repo, 'base'));
    await mkdir(path.join(repo, 'overlay'));
    const secret = await sopsEncrypt(
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${CANARY}\n`,
      'secret.yaml',
      ['--age', key.recipient, '--encrypted-regex', '^(data|stringData)$'],
    );
    await cp(secret, path.join(repo, 'base', 'secret.yaml'));
    const env = await sopsEncrypt(`TOKEN=${CANARY}-env\n`, 'app.env', ['--age', key.recipient]);
    await cp(env, path.join(repo, 'base', 'app.env'));
    await writeFile(
      path.join(repo, 'base', 'kustomization.yaml'),
      'resources: [secret.yaml]\nsecretGenerator: [{name: app, envs: [app.env]}]\n',
    );
    await writeFile(
      path.join(repo, 'overlay', 'kustomization.yaml'),
      'namespace: prod\nnamePrefix: p-\nlabels: [{pairs: {env: prod}}]\nresources: [../base]\npatches: [{path: patch.yaml}]\n',
    );
    await writeFile(
      path.join(repo, 'overlay', 'patch.yaml'),
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n    patched: "yes"\n',
    );
  });

  function assertNoLeak(text: string): void {
    for (const form of [
      CANARY,
      Buffer.from(CANARY).toString('base64'),
      `${CANARY}-env`,
      Buffer.from(`${CANARY}-env`).toString('base64'),
    ]) {
      assert.equal(text.includes(form), false, 'a planted secret leaked');
    }
  }

  test('namePrefix, namespace, labels and a patch over encrypted Secrets, with no leak', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'ksd-parent-'));
    const { result, host } = await build(path.join(repo, 'overlay'), { age: [keyFile] }, parent);
    const db = (result.objects as Obj[]).find((o) => o.metadata.name === 'p-db');
    assert.ok(db !== undefined);
    assert.equal(db.metadata.namespace, 'prod');
    assert.deepEqual(db.metadata.labels, { env: 'prod' });
    assert.match(result.yaml, /patched: "yes"/);
    assert.equal(secretValue(result.objects, 'p-db', 'password'), CANARY);
    assert.ok((result.objects as Obj[]).some((o) => o.metadata.name.startsWith('p-app-')));
    assertNoLeak(host.logs.join('\n'));
    assert.ok(host.secrets.includes(CANARY) && host.secrets.includes(Buffer.from(CANARY).toString('base64')));
    assert.deepEqual(await readdir(parent), []);
  });

  test('with nothing left to post-process, the output is the bytes kustomize prints for the plaintext tree', async () => {
    const { result } = await build(path.join(repo, 'overlay'), { age: [keyFile] });
    const plain = await mkdtemp(path.join(tmpdir(), 'ksd-plain-'));
    await cp(repo, plain, { recursive: true });
    await writeFile(
      path.join(plain, 'base', 'secret.yaml'),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${CANARY}\n`,
    );
    await writeFile(path.join(plain, 'base', 'app.env'), `TOKEN=${CANARY}-env\n`);
    const direct = await nodeExec.run(kustomize.command, [...kustomize.prefix, path.join(plain, 'overlay')]);
    assert.equal(direct.exitCode, 0, direct.stderr);
    assert.equal(result.yaml, Buffer.from(direct.stdout).toString('utf8'));
    assert.equal(result.objectCount, result.objects.length);
    assert.equal(result.objectCount, 2);
  });

  test('a glob target (the multi-line path input) builds every matching directory', async () => {
    const host = createMemoryHost();
    const env = { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' };
    const inputs: Record<string, string> = {
      path: `${path.join(repo, '*')}\n${path.join(repo, 'overlay')}`,
      'age-key-file': keyFile,
      'kustomize-path': kustomize.command,
    };
    const config = parseBuildConfig((name) => inputs[name] ?? '', env, { stdoutIsLog: false });
    const yaml = await renderManifests(config, commandDeps(host));
    // base then overlay, each once, although overlay is also named on its own line.
    const names = [...yaml.matchAll(/^ {2}name: (\S+)$/gm)].map((m) => m[1]);
    assert.equal(names.filter((n) => n === 'db').length, 1);
    assert.equal(names.filter((n) => n === 'p-db').length, 1);
    assert.ok(yaml.indexOf('name: db\n') < yaml.indexOf('name: p-db\n'));
    assert.match(host.logs.join('\n'), /overlay: \d+ objects/);
    assertNoLeak(host.logs.join('\n'));

    const missing = path.join(repo, 'nothing-*');
    const bad = parseBuildConfig((name) => (name === 'path' ? missing : (inputs[name] ?? '')), env, {
      stdoutIsLog: false,
    });
    await assert.rejects(renderManifests(bad, commandDeps(host)), (error: unknown) => {
      assert.equal((error as { code?: string }).code, 'FILE_NOT_FOUND');
      assert.ok(errorMessage(error).includes(`"${missing}"`), errorMessage(error));
      return true;
    });
  });

  test('a MAC mismatch fails with no leak and no leftover file', async () => {
    const tampered = await mkdtemp(path.join(tmpdir(), 'ksd-tamper-'));
    await cp(repo, tampered, { recursive: true });
    const file = path.join(tampered, 'base', 'secret.yaml');
    // The name is not encrypted but the MAC covers it: a renamed Secret must not verify.
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('name: db', 'name: evil'));
    const parent = await mkdtemp(path.join(tmpdir(), 'ksd-parent-'));
    let message = '';
    try {
      await build(path.join(tampered, 'overlay'), { age: [keyFile] }, parent);
    } catch (error) {
      message = errorMessage(error);
    }
    assert.match(message, /base\/kustomization\.yaml: resources: decrypting base\/secret\.yaml: .*MAC/i);
    assertNoLeak(message);
    assert.deepEqual(await readdir(parent), []);
  });

  test('a kustomize failure shows its stderr with secrets masked and leaves nothing', async () => {
    const broken = await mkdtemp(path.join(tmpdir(), 'ksd-broken-'));
    await cp(repo, broken, { recursive: true });
    // Two resources with the same id: kustomize fails after reading the decrypted files.
    await writeFile(
      path.join(broken, 'overlay', 'kustomization.yaml'),
      'resources: [../base, ../base/secret.yaml]\n',
    );
    const parent = await mkdtemp(path.join(tmpdir(), 'ksd-parent-'));
    let message = '';
    let code = '';
    try {
      await build(path.join(broken, 'overlay'), { age: [keyFile] }, parent);
    } catch (error) {
      message = `${errorMessage(error)}\n${String((error as { report?: string }).report)}`;
      code = String((error as { code?: string }).code);
    }
    assert.match(message, /kustomize build .* failed/);
    assert.equal(code, 'KUSTOMIZE_FAILED');
    assert.doesNotMatch(message, /ksd-build-/);
    assertNoLeak(message);
    assert.deepEqual(await readdir(parent), []);
  });

  // Every signal that ends a run removes the private root (SIGHUP and SIGQUIT used to leave
  // it); the process ends as the signal asked, except SIGQUIT, which exits 131 instead of
  // dumping core (a core file would hold the decrypted values).
  const signalCases: [NodeJS.Signals, { code: number | null; signal: NodeJS.Signals | null }][] = [
    ['SIGINT', { code: null, signal: 'SIGINT' }],
    ['SIGTERM', { code: null, signal: 'SIGTERM' }],
    ['SIGHUP', { code: null, signal: 'SIGHUP' }],
    ['SIGQUIT', { code: 131, signal: null }],
  ];
  for (const [signal, ending] of signalCases) {
    test(`${signal} mid-build removes the private root`, async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'ksd-kill-'));
      const marker = path.join(dir, 'target.txt');
      const fake = path.join(dir, 'kustomize');
      // A kustomize that records where it was asked to build, then hangs.
      await writeFile(
        fake,
        `#!/bin/sh\nif [ "$1" = version ]; then echo v5.0.0; exit 0; fi\necho "$2" > ${marker}\nsleep 30\n`,
      );
      await chmod(fake, 0o755);
      const child = spawn(
        process.execPath,
        [
          path.join(repoRoot, 'src', 'cli.ts'),
          'build',
          path.join(repo, 'overlay'),
          '--age-key-file',
          keyFile,
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
      assert.ok((await readdir(privateRoot)).length > 0, 'the private root existed mid-build');
      child.kill(signal);
      assert.deepEqual(await exited, ending);
      await assert.rejects(readdir(privateRoot), { code: 'ENOENT' });
    });
  }
});

describe('nothing outside the repository, no requests to the runner network (issue 13 §3)', () => {
  async function repoWith(kustomization: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-build-remote-'));
    await mkdir(path.join(dir, '.git'));
    // What actions/checkout leaves behind: the token as an extra header.
    await writeFile(
      path.join(dir, '.git', 'config'),
      '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW4tQ0FOQVJZ\n',
    );
    await writeFile(path.join(dir, 'kustomization.yaml'), kustomization);
    return dir;
  }

  test('configMapGenerator files: [.git/config] is refused, and the header never reaches the output', async () => {
    const dir = await repoWith('configMapGenerator:\n  - name: leak\n    files: [.git/config]\n');
    await assert.rejects(build(dir, {}), (error) => {
      assert.match(
        errorMessage(error),
        /configMapGenerator files "\.git\/config" is inside \.git\/, which is never read/,
      );
      assert.doesNotMatch(errorMessage(error), /AUTHORIZATION|eC1hY2Nlc3M/);
      return true;
    });
  });

  test('file:// and git::file:// resources are refused before kustomize runs', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'ksd-elsewhere-'));
    await writeFile(
      path.join(elsewhere, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: elsewhere}\n',
    );
    for (const entry of [`file://${elsewhere}/cm.yaml`, `git::file://${elsewhere}`]) {
      const dir = await repoWith(`resources:\n  - ${JSON.stringify(entry)}\n`);
      await assert.rejects(build(dir, {}), (error) => {
        assert.match(errorMessage(error), /is refused: file:\/\/ reads outside the repository/, entry);
        return true;
      });
    }
  });

  test('http://127.0.0.1 is refused and never requested', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fetched}\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const entry of [`http://127.0.0.1:${port}/x.yaml`, `https://127.0.0.1:${port}/x.yaml`]) {
        const dir = await repoWith(`resources:\n  - ${entry}\n`);
        await assert.rejects(build(dir, {}), (error) => {
          assert.match(
            errorMessage(error),
            /is refused: (plain http is not allowed|127\.0\.0\.1 is a loopback address)/,
          );
          return true;
        });
      }
      assert.equal(requests, 0);
    } finally {
      server.close();
    }
  });
});
