/**
 * In a pull request the sops metadata is attacker-controlled. A file that names its own Vault
 * server or an IAM role must not make the bundled CLI send our token anywhere: the run fails
 * with the reason, and a listener standing in for the attacker's server sees no connection.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { after, before, test } from 'node:test';
import { runCli } from '../support/run-dist.ts';
import { newAgeKey, sopsEncrypt } from '../support/tools.ts';

const TOKEN = 'canary-vault-token-19ad';
let server: Server;
let port = 0;
let connections = 0;
let file: string;

before(async () => {
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  const key = await newAgeKey();
  const encrypted = await sopsEncrypt('password: hunter2\n', 'secret.yaml', ['--age', key.recipient]);
  // The attacker adds stanzas of their own; metadata is not covered by the MAC.
  const text = await readFile(encrypted, 'utf8');
  file = `${encrypted}.evil.yaml`;
  await writeFile(
    file,
    text.replace(
      /^sops:\n/m,
      `sops:\n    hc_vault:\n        - vault_address: http://127.0.0.1:${port}\n          engine_path: transit\n          key_name: sops\n          created_at: "2024-01-01T00:00:00Z"\n          enc: vault:v1:AAAA\n    kms:\n        - arn: arn:aws:kms:us-east-1:111122223333:key/abc\n          role: arn:aws:iam::999988887777:role/attacker\n          created_at: "2024-01-01T00:00:00Z"\n          enc: AAAA\n`,
    ),
  );
});

after(() => server.close());

test('a Vault address and a role named by the file are refused before any request', async () => {
  const got = await runCli(['decrypt', file], {
    VAULT_TOKEN: TOKEN,
    VAULT_ADDR: 'http://127.0.0.1:1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'canary-aws-secret-77',
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
  });
  assert.equal(got.code, 2);
  assert.equal(got.stdout.length, 0);
  assert.match(got.stderr, /not in the allowed list/);
  assert.match(got.stderr, /vault-allowed-addresses/);
  assert.match(got.stderr, /aws-allowed-roles|role/);
  assert.equal(connections, 0, 'nothing may reach the address the file named');
  assert.ok(!got.stderr.includes(TOKEN) && !got.stderr.includes('canary-aws-secret-77'));
});
