/**
 * HashiCorp Vault as a dev server on loopback, built from the Go module proxy through the
 * wrapper module in test/env/vault. Setup enables the transit engine with key `sops` (what
 * sops' `hc_vault` key type uses) and the JWT auth method trusting the run's GitHub OIDC
 * issuer, with a role bound to pushes to main of the default repository.
 *
 * The wrapper's main.go is Vault's core, HTTP API handler, token store and policies with only
 * the two plugins the tests mount (transit, jwt), started as `vault server -dev` starts: Vault's
 * full command tree compiles every secrets engine, database plugin and cloud SDK, which made
 * Vault the largest part of a first test run (docs/test-environment.md has the times).
 *
 * The build patches the sdk: vault v1.21.4 compiles against its own sdk/ folder, which the
 * module zip does not carry, and no published sdk version matches the 1.21 branch's: v0.20.0
 * lacks the observation API vault uses; v0.21.0 changed `framework.Backend.ActivationFunc`
 * to take a third argument vault 1.21 does not pass; the branch also has the later
 * `LockManager.RestorePolicy` that returns the restored key's name (sdk v0.24.0), whose
 * go.mod would upgrade grpc and protobuf under all of vault. So the build folder gets sdk
 * v0.21.0 (the version vault's go.mod names) with those two API points changed to the
 * branch's, see SDK_PATCHES.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Component, Started } from '../component.ts';
import { goBuild, goEnv } from '../go-install.ts';
import { cacheRoot, repoRoot, toolPath } from '../paths.ts';
import { componentDir, envLog, freePort, spawnServer, waitUntilReady } from '../spawned-server.ts';
import { DEFAULT_REPOSITORY, sharedOidcIssuer } from './oidc.ts';

const run = promisify(execFile);

/** The pinned Vault release (see test/env/vault/go.mod). */
export const VAULT_VERSION = 'v1.21.4';
const SDK_VERSION = 'v0.21.0';
const wrapperDir = path.join(repoRoot, 'test', 'env', 'vault');
const buildDir = path.join(cacheRoot, 'build', `vault-${VAULT_VERSION}`);

/** Bump when SDK_PATCHES change, so a cached build folder is redone. */
const SDK_PATCH_LEVEL = `${SDK_VERSION}+ksd2`;

interface SdkPatch {
  readonly file: string;
  /** What must be in the file, so a changed sdk fails loudly instead of building something else. */
  readonly anchor: string;
  apply(text: string): string;
}

const RESTORE_POLICY_V021 =
  'func (lm *LockManager) RestorePolicy(ctx context.Context, storage logical.Storage, name, backup string, force bool) error {';

const SDK_PATCHES: readonly SdkPatch[] = [
  {
    file: 'framework/backend.go',
    anchor: 'ActivationFunc func(context.Context, *logical.Request, string) error',
    apply: (text) =>
      text.replace(
        'ActivationFunc func(context.Context, *logical.Request, string) error',
        'ActivationFunc func(context.Context, *logical.Request) error',
      ),
  },
  {
    // sdk v0.24.0's signature: every error return gains an empty name, success returns the name.
    file: 'helper/keysutil/lock_manager.go',
    anchor: RESTORE_POLICY_V021,
    apply: (text) => {
      const start = text.indexOf(RESTORE_POLICY_V021);
      const end = text.indexOf('\n}\n', start) + 3;
      const body = text
        .slice(start, end)
        .replace(') error {', ') (string, error) {')
        .replace(/^(\s*)return (err|fmt\.Errorf\(|errwrap\.Wrapf\()/gm, '$1return "", $2')
        .replace(/^(\s*)return nil$/gm, '$1return name, nil');
      return text.slice(0, start) + body + text.slice(end);
    },
  },
];

/** What tests use: the key, the role, the audience its ID tokens must carry. */
const TRANSIT_PATH = 'transit';
const KEY_NAME = 'sops';
const JWT_PATH = 'jwt';
const JWT_ROLE = 'github-deploy';
const JWT_AUDIENCE = 'https://vault.ksd.test';
const POLICY = 'sops-transit';

function makeWritable(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    chmodSync(full, entry.isDirectory() ? 0o755 : 0o644);
    if (entry.isDirectory()) makeWritable(full);
  }
}

/** Lays out the wrapper module and the patched sdk in the cache, where `go build` runs. */
async function prepareBuildDir(): Promise<void> {
  mkdirSync(buildDir, { recursive: true });
  for (const file of ['go.mod', 'go.sum', 'main.go'])
    copyFileSync(path.join(wrapperDir, file), path.join(buildDir, file));
  const sdkDir = path.join(buildDir, 'sdk');
  const marker = path.join(sdkDir, '.ksd-patched');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === SDK_PATCH_LEVEL) return;
  const { stdout } = await run(
    'go',
    ['mod', 'download', '-json', `github.com/hashicorp/vault/sdk@${SDK_VERSION}`],
    {
      env: goEnv(),
      cwd: buildDir,
    },
  );
  const { Dir: source } = JSON.parse(stdout) as { Dir?: string };
  if (source === undefined || !statSync(source).isDirectory())
    throw new Error(`go mod download gave no folder for vault/sdk@${SDK_VERSION}`);
  rmSync(sdkDir, { recursive: true, force: true });
  cpSync(source, sdkDir, { recursive: true });
  makeWritable(sdkDir);
  for (const patch of SDK_PATCHES) {
    const file = path.join(sdkDir, patch.file);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(patch.anchor))
      throw new Error(`vault sdk ${SDK_VERSION}: ${patch.file} no longer has what the build patches`);
    writeFileSync(file, patch.apply(text));
  }
  writeFileSync(marker, `${SDK_PATCH_LEVEL}\n`);
}

/** One Vault HTTP API call with the root token; throws with Vault's errors on a non-2xx. */
async function vaultApi(
  address: string,
  token: string,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${address}/v1/${apiPath}`, {
    method,
    headers: {
      'x-vault-token': token,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`vault ${method} /v1/${apiPath} answered ${res.status}: ${text.slice(0, 400)}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/**
 * The `vault` component. Info: `{address, token, transitPath, keyName, keyUri, jwtAuthPath,
 * jwtRole, jwtAudience, policy, logFile}`; `keyUri` is what sops' `--hc-vault-transit` takes.
 */
export const vault: Component = {
  name: 'vault',

  async install(): Promise<void> {
    const t0 = Date.now();
    await prepareBuildDir();
    // -s -w: without symbol tables the binary is a third smaller (it is ~500 MB with them).
    await goBuild({
      name: 'vault',
      moduleDir: buildDir,
      packages: ['.'],
      binaries: ['vault'],
      ldflags: '-s -w',
    });
    const { stdout } = await run(toolPath('vault'), ['version']);
    if (!stdout.includes(`Vault ${VAULT_VERSION}`))
      throw new Error(`built vault reports "${stdout.trim()}", expected ${VAULT_VERSION}`);
    if (Date.now() - t0 > 5_000)
      envLog(`vault: ${stdout.trim()} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  },

  async start(): Promise<Started> {
    const issuer = await sharedOidcIssuer();
    const port = await freePort();
    const address = `http://127.0.0.1:${port}`;
    const token = `root-${randomBytes(12).toString('hex')}`;
    const dir = componentDir('vault');
    const server = spawnServer({
      name: 'vault',
      command: toolPath('vault'),
      args: [
        'server',
        '-dev',
        `-dev-listen-address=127.0.0.1:${port}`,
        `-dev-root-token-id=${token}`,
        '-dev-no-store-token',
      ],
      // HOME keeps the dev server away from the user's ~/.vault-token.
      env: { HOME: dir, VAULT_ADDR: address, VAULT_LOG_LEVEL: 'info' },
    });
    try {
      await waitUntilReady(
        server,
        'vault',
        async () => (await fetch(`${address}/v1/sys/health`)).status === 200,
      );
      const api = (method: string, apiPath: string, body?: unknown): Promise<unknown> =>
        vaultApi(address, token, method, apiPath, body);

      await api('POST', `sys/mounts/${TRANSIT_PATH}`, { type: 'transit' });
      await api('POST', `${TRANSIT_PATH}/keys/${KEY_NAME}`, {});
      await api('PUT', `sys/policies/acl/${POLICY}`, {
        policy: `path "${TRANSIT_PATH}/encrypt/${KEY_NAME}" { capabilities = ["update"] }\npath "${TRANSIT_PATH}/decrypt/${KEY_NAME}" { capabilities = ["update"] }\n`,
      });

      await api('POST', `sys/auth/${JWT_PATH}`, { type: 'jwt' });
      // Vault fetches the discovery document and JWKS over plain HTTP from loopback, as it would over HTTPS from GitHub.
      await api('POST', `auth/${JWT_PATH}/config`, {
        oidc_discovery_url: issuer.issuer,
        bound_issuer: issuer.issuer,
      });
      await api('POST', `auth/${JWT_PATH}/role/${JWT_ROLE}`, {
        role_type: 'jwt',
        user_claim: 'sub',
        bound_audiences: [JWT_AUDIENCE],
        bound_claims_type: 'string',
        bound_claims: { repository: DEFAULT_REPOSITORY, ref: 'refs/heads/main' },
        claim_mappings: { repository: 'repository', workflow: 'workflow' },
        token_policies: [POLICY],
        token_ttl: '10m',
      });

      return {
        info: {
          address,
          token,
          transitPath: TRANSIT_PATH,
          keyName: KEY_NAME,
          keyUri: `${address}/v1/${TRANSIT_PATH}/keys/${KEY_NAME}`,
          jwtAuthPath: JWT_PATH,
          jwtRole: JWT_ROLE,
          jwtAudience: JWT_AUDIENCE,
          policy: POLICY,
          version: VAULT_VERSION,
          logFile: server.logFile,
        },
        stop: () => server.stop(),
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  },
};
