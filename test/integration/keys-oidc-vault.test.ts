/**
 * Vault transit through a JWT login with the GitHub OIDC token: files written by the real
 * sops decrypt through our decrypt with no Vault token anywhere, refusals name the claims
 * Vault saw, and a stanza pointing at another Vault gets nothing (a tripwire counts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UserError } from '../../src/errors.ts';
import { pullRequestClaims } from '../env/components/oidc.ts';
import { requireComponent } from '../env/state.ts';
import { decryptWithInputs, oidcEnv } from '../support/oidc-run.ts';
import { sopsEncrypt } from '../support/tools.ts';
import { startTripwire, type Tripwire } from '../support/tripwire.ts';

const PLAINTEXT = 'password: hunter2\nnested:\n    token: abc\n';

describe('vault transit with a github oidc jwt login', () => {
  let vault: Readonly<Record<string, string>>;
  let oidc: Readonly<Record<string, string>>;
  let file: string;
  let tripwire: Tripwire;
  let inputs: Record<string, string>;

  before(async () => {
    vault = await requireComponent('vault');
    oidc = await requireComponent('oidc');
    file = await sopsEncrypt(PLAINTEXT, 'secret.yaml', ['--hc-vault-transit', vault['keyUri'] ?? ''], {
      VAULT_TOKEN: vault['token'] ?? '',
    });
    tripwire = await startTripwire();
    inputs = { 'vault-role': vault['jwtRole'] ?? '', 'vault-audience': vault['jwtAudience'] ?? '' };
  });
  after(() => tripwire.close());

  it('decrypts a file the real sops wrote, logging in with only the OIDC token variables', async () => {
    const { plaintext, host } = await decryptWithInputs(file, inputs, {
      VAULT_ADDR: vault['address'] ?? '',
      ...(await oidcEnv(oidc)),
    });
    assert.equal(plaintext, PLAINTEXT);
    // The Vault token from the login is masked (besides the ID token and the values).
    assert.ok(host.secrets.some((s) => s.startsWith('hvs.')));
    assert.ok(host.secrets.includes('hunter2'));
  });

  const refusals: readonly { name: string; claims: () => Record<string, unknown>; expect: RegExp }[] = [
    {
      name: 'a pull request run the role does not bind',
      claims: () => pullRequestClaims(),
      expect:
        /vault jwt login \(auth\/jwt, role github-deploy\) refused the oidc token sub=repo:octo-org\/octo-repo:pull_request aud=https:\/\/vault\.ksd\.test: HTTP 400: .*claim "ref" does not match.*; check: trust policy sub\/aud/,
    },
    {
      name: 'an expired token',
      claims: () => ({ exp: Math.floor(Date.now() / 1000) - 3600 }),
      expect:
        /refused the oidc token sub=repo:octo-org\/octo-repo:ref:refs\/heads\/main aud=\S+ \(token expired\): HTTP 400: error validating token.*; check: /,
    },
  ];
  for (const { name, claims, expect } of refusals) {
    it(`names the claims Vault saw for ${name}`, async () => {
      await assert.rejects(
        decryptWithInputs(file, inputs, {
          VAULT_ADDR: vault['address'] ?? '',
          ...(await oidcEnv(oidc, claims())),
        }),
        (error: unknown) => {
          assert.ok(error instanceof UserError);
          assert.equal(error.code, 'NO_MATCHING_KEY');
          assert.match(error.report ?? '', expect);
          return true;
        },
      );
    });
  }

  it('without id-token: write it says so', async () => {
    await assert.rejects(
      decryptWithInputs(file, inputs, { VAULT_ADDR: vault['address'] ?? '' }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.report ?? '', /no github oidc token: .*permissions: id-token: write/);
        return true;
      },
    );
  });

  it('a PR that points the stanza at another Vault gets no token: nothing reaches it', async () => {
    const text = (await import('node:fs/promises')).readFile(file, 'utf8');
    const edited = (await text).replace(vault['address'] ?? '', tripwire.url);
    assert.notEqual(edited, await text);
    const evil = `${file}.evil.yaml`;
    await (await import('node:fs/promises')).writeFile(evil, edited);
    await assert.rejects(
      decryptWithInputs(evil, inputs, { VAULT_ADDR: vault['address'] ?? '', ...(await oidcEnv(oidc)) }),
      (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(
          error.report ?? '',
          /vault address http:\/\/127\.0\.0\.1:\d+ is not in the allowed list; add it to vault-allowed-addresses/,
        );
        return true;
      },
    );
    assert.equal(tripwire.connections(), 0);
  });
});
