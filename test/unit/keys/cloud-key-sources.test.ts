/**
 * How a run builds its cloud key sources: the new inputs, the allowlists of GCP and Azure,
 * lazy loading (an age-only run loads no cloud module), and the data-key cache.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parseKeys } from '../../../src/config/keys.ts';
import { UserError } from '../../../src/errors.ts';
import {
  checkAzureVault,
  checkGcpKey,
  parseAzureAllowedVaults,
  parseGcpAllowedKeys,
} from '../../../src/keys/cloud-allowlists.ts';
import type { KeySource } from '../../../src/keys/key-source.ts';
import { lazyKeySource } from '../../../src/keys/key-sources.ts';
import type { MasterKey } from '../../../src/keys/master-key.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function reader(inputs: Record<string, string>): (name: string) => string {
  return (name) => inputs[name] ?? '';
}

describe('parseKeys: the cloud inputs', () => {
  it('reads every input, with vault-auth-path defaulting to jwt', () => {
    const config = parseKeys(
      reader({
        'aws-role-arn': 'arn:aws:iam::123456789012:role/deploy',
        'aws-region': 'eu-west-1',
        'aws-session-duration': '900',
        'gcp-workload-identity-provider': 'projects/1/locations/global/workloadIdentityPools/p/providers/q',
        'gcp-service-account': 'sa@p.iam.gserviceaccount.com',
        'gcp-allowed-keys': 'projects/p/locations/global/keyRings/r/cryptoKeys/*\n',
        'azure-client-id': 'c',
        'azure-tenant-id': 't',
        'azure-allowed-vaults': 'https://v.vault.azure.net',
        'vault-role': 'deploy',
        'vault-audience': 'https://vault',
        'vault-namespace': 'team',
        'vault-token': 'hvs.x',
      }),
      {},
    );
    assert.equal(config.awsRoleArn, 'arn:aws:iam::123456789012:role/deploy');
    assert.equal(config.awsRegion, 'eu-west-1');
    assert.equal(config.awsSessionDuration, 900);
    assert.deepEqual(config.gcpAllowedKeys, ['projects/p/locations/global/keyRings/r/cryptoKeys/*']);
    assert.equal(config.gcpServiceAccount, 'sa@p.iam.gserviceaccount.com');
    assert.deepEqual(config.azureAllowedVaults, ['https://v.vault.azure.net']);
    assert.equal(config.vaultRole, 'deploy');
    assert.equal(config.vaultAuthPath, 'jwt');
    assert.equal(config.vaultNamespace, 'team');
    assert.equal(config.vaultToken, 'hvs.x');
    assert.equal(parseKeys(reader({ 'vault-auth-path': '/github/' }), {}).vaultAuthPath, 'github');
  });

  const bad: readonly { inputs: Record<string, string>; message: RegExp }[] = [
    {
      inputs: { 'aws-session-duration': '60' },
      message: /^aws-session-duration is "60"; expected whole seconds from 900 to 43200$/,
    },
    { inputs: { 'aws-session-duration': '1h' }, message: /^aws-session-duration is "1h"/ },
    { inputs: { 'aws-region': 'moon-1' }, message: /^aws-region is "moon-1"; expected a region/ },
    { inputs: { 'aws-role-arn': 'deploy' }, message: /^aws-role-arn is "deploy"; expected arn:aws:iam::/ },
  ];
  for (const { inputs, message } of bad) {
    it(`refuses ${JSON.stringify(inputs)}`, () => {
      assert.throws(
        () => parseKeys(reader(inputs), {}),
        (error: unknown) => {
          assert.ok(error instanceof UserError);
          assert.equal(error.code, 'USAGE');
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});

describe('gcp-allowed-keys', () => {
  const key = 'projects/p/locations/global/keyRings/r/cryptoKeys/sops';
  const cases: readonly { allowed: string[]; resource: string; ok: boolean }[] = [
    { allowed: [], resource: key, ok: true },
    { allowed: [key], resource: key, ok: true },
    { allowed: ['projects/p/locations/global/keyRings/r/cryptoKeys/*'], resource: key, ok: true },
    { allowed: ['projects/p/**'], resource: key, ok: true },
    { allowed: ['projects/p/locations/*/keyRings/*/cryptoKeys/other'], resource: key, ok: false },
    {
      allowed: ['projects/*/locations/global/keyRings/r/cryptoKeys/sops'],
      resource: key.replace('/p/', '/evil/'),
      ok: true,
    },
    {
      allowed: ['projects/p/locations/global/keyRings/r/cryptoKeys/*'],
      resource: key.replace('/p/', '/evil/'),
      ok: false,
    },
    // `*` stays within one segment: it cannot swallow a path to another project's key.
    { allowed: ['projects/p*'], resource: key, ok: false },
    { allowed: [], resource: 'projects/p/../../x', ok: false },
  ];
  for (const { allowed, resource, ok } of cases) {
    it(`${allowed.join(',') || '(empty)'} ${ok ? 'allows' : 'refuses'} ${resource}`, () => {
      const check = checkGcpKey(parseGcpAllowedKeys(allowed), resource);
      assert.equal(check.ok, ok);
      if (!check.ok && allowed.length > 0 && resource.includes('cryptoKeys'))
        assert.match(check.reason, /add it to gcp-allowed-keys$/);
    });
  }
  it('refuses entries that are not key patterns', () => {
    assert.throws(
      () => parseGcpAllowedKeys(['my-key']),
      /gcp-allowed-keys entry "my-key" is not a key resource pattern/,
    );
  });
});

describe('azure-allowed-vaults', () => {
  const cases: readonly { allowed: string[]; vault: string; ok: boolean }[] = [
    { allowed: [], vault: 'https://v.vault.azure.net', ok: false },
    { allowed: ['https://v.vault.azure.net/'], vault: 'https://v.vault.azure.net', ok: true },
    { allowed: ['https://v.vault.azure.net'], vault: 'https://v.vault.azure.net/', ok: true },
    { allowed: ['https://v.vault.azure.net'], vault: 'http://v.vault.azure.net', ok: false },
    { allowed: ['https://v.vault.azure.net'], vault: 'https://v.vault.azure.net.evil.example', ok: false },
    { allowed: ['https://v.vault.azure.net'], vault: 'https://v.vault.azure.net:8443', ok: false },
    { allowed: ['https://v.vault.azure.net'], vault: 'https://user@v.vault.azure.net', ok: false },
  ];
  for (const { allowed, vault, ok } of cases) {
    it(`${allowed.join(',') || '(empty)'} ${ok ? 'allows' : 'refuses'} ${vault}`, () => {
      const check = checkAzureVault(parseAzureAllowedVaults(allowed), vault);
      assert.equal(check.ok, ok);
    });
  }
  it('names the setting and what is allowed now', () => {
    const check = checkAzureVault([], 'https://v.vault.azure.net');
    assert.equal(
      check.ok ? '' : check.reason,
      'azure vault https://v.vault.azure.net is not in the allowed list; add it to azure-allowed-vaults (allowed now: none)',
    );
    assert.throws(
      () => parseAzureAllowedVaults(['v.vault.azure.net']),
      /azure-allowed-vaults entry "v\.vault\.azure\.net" is not a vault URL/,
    );
  });
});

describe('lazyKeySource', () => {
  const stanza = (enc: string, createdAt?: string): MasterKey => ({
    type: 'gcp_kms',
    resourceId: 'projects/p/locations/global/keyRings/r/cryptoKeys/k',
    enc,
    ...(createdAt === undefined ? {} : { createdAt }),
  });

  it('loads on the first own stanza, unwraps each ciphertext once, and does not cache failures', async () => {
    let loads = 0;
    const calls: string[] = [];
    let failNext = false;
    const inner: KeySource = {
      name: 'gcp_kms',
      locations: ['loaded'],
      decrypt: (key) => {
        calls.push(key.enc);
        if (failNext) {
          failNext = false;
          return Promise.reject(new UserError('KEY_SOURCE', 'throttled'));
        }
        return Promise.resolve(new Uint8Array(32).fill(key.enc.length));
      },
    };
    const source = lazyKeySource(
      'gcp_kms',
      ['configured'],
      () => {
        loads += 1;
        return Promise.resolve(inner);
      },
      new Map(),
    );
    assert.deepEqual(source.locations, ['configured']);
    assert.equal(await source.decrypt({ type: 'age', recipient: 'age1x', enc: 'x' }), null);
    assert.equal(loads, 0);
    const [a, b] = await Promise.all([
      source.decrypt(stanza('AAAA', '2024-01-01T00:00:00Z')),
      source.decrypt(stanza('AAAA')),
    ]);
    assert.deepEqual(a, b);
    assert.notEqual(a, b, 'each caller gets its own copy');
    assert.deepEqual(calls, ['AAAA']);
    assert.equal(loads, 1);
    assert.deepEqual(source.locations, ['loaded']);
    failNext = true;
    await assert.rejects(source.decrypt(stanza('BBBB')), /throttled/);
    assert.ok(await source.decrypt(stanza('BBBB')));
    assert.deepEqual(calls, ['AAAA', 'BBBB', 'BBBB']);
  });
});

describe('lazy loading in a run', () => {
  it('an age-only run loads no cloud module; a gcp stanza loads only gcp-kms.ts', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lazy-'));
    try {
      const script = path.join(dir, 'probe.ts');
      const url = (file: string): string => pathToFileURL(path.join(repoRoot, file)).href;
      await writeFile(
        script,
        `import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); loaded.add(r.url); return r; } });
const { parseKeys } = await import(${JSON.stringify(url('src/config/keys.ts'))});
const { createKeySources } = await import(${JSON.stringify(url('src/keys/key-sources.ts'))});
const { createMemoryHost } = await import(${JSON.stringify(url('src/host/memory-host.ts'))});
const exec = { run: () => Promise.reject(new Error('no exec')) };
const config = parseKeys((n) => n === 'gcp-allowed-keys' ? 'projects/ok/locations/global/keyRings/r/cryptoKeys/k' : '', { HOME: ${JSON.stringify(dir)} });
const sources = await createKeySources(config, { host: createMemoryHost(), exec });
const cloud = (s) => [...loaded].filter((u) => /\\/keys\\/(aws-kms|aws-oidc|vault|gcp-kms|azure-kv)\\.ts$/.test(u)).map((u) => u.split('/').pop());
const before = cloud();
await sources.find((s) => s.name === 'age').decrypt({ type: 'age', recipient: 'age1xyz', enc: 'x' }).catch(() => null);
const afterAge = cloud();
await sources.find((s) => s.name === 'gcp_kms').decrypt({ type: 'gcp_kms', resourceId: 'projects/evil/locations/global/keyRings/r/cryptoKeys/k', enc: 'AAAA' }).catch(() => null);
console.log(JSON.stringify({ before, afterAge, afterGcp: cloud() }));
`,
      );
      const { stdout } = await run(process.execPath, [script], { cwd: repoRoot });
      const result = JSON.parse(stdout) as { before: string[]; afterAge: string[]; afterGcp: string[] };
      assert.deepEqual(result.before, []);
      assert.deepEqual(result.afterAge, []);
      assert.deepEqual(result.afterGcp, ['gcp-kms.ts']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
