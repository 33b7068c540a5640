/**
 * The merge rules of the key inputs and the Action's decryption Secret, through the real
 * entry (parseConfig, which reads every input): the Secret's age and OpenPGP keys join the
 * inputs as one text each, the `vault-token` input wins over `sops.vault-token`, the cloud
 * entries become the static credentials, every value is masked as it is parsed, and the one
 * log line names counts and kinds, never a value.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../../src/commands/index.ts';
import type { KeyConfig, StaticCloudCredentials } from '../../../src/keys/key-config.ts';
import { UserError } from '../../../src/errors.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const AGE_INPUT = 'AGE-SECRET-KEY-1INPUTINPUTINPUTINPUTINPUTINPUTINPUTINPUTINPUTINPUTINPUT00';
const AGE_SECRET = 'AGE-SECRET-KEY-1SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET00';
const PGP_INPUT =
  '-----BEGIN PGP PRIVATE KEY BLOCK-----\ninput-canary\n-----END PGP PRIVATE KEY BLOCK-----\n';
const PGP_SECRET =
  '-----BEGIN PGP PRIVATE KEY BLOCK-----\nsecret-canary\n-----END PGP PRIVATE KEY BLOCK-----\n';
const SA_JSON = JSON.stringify({ type: 'service_account', private_key: 'gcp-key-canary' });

/** A Flux Secret manifest whose `data` holds the given entries, base64-encoded. */
function fluxSecret(entries: Readonly<Record<string, string>>): string {
  const data = Object.entries(entries).map(([name, value]) => `  ${name}: ${b64(value)}`);
  return ['apiVersion: v1', 'kind: Secret', 'metadata: {name: sops-keys}', 'data:', ...data].join('\n');
}

interface Parsed {
  readonly keys: KeyConfig;
  readonly masked: readonly string[];
  readonly logged: readonly string[];
}

/** Parses a `build` run with the given inputs as the Action does (mask and log through the shell). */
function parse(inputs: Readonly<Record<string, string>>): Parsed {
  const masked: string[] = [];
  const logged: string[] = [];
  const config = parseConfig(
    (name) => ({ command: 'build', path: 'apps', ...inputs })[name] ?? '',
    {},
    {
      stdoutIsLog: true,
      mask: (value) => masked.push(value),
      info: (message) => logged.push(message),
    },
  );
  assert.equal(config.command, 'build');
  return { keys: config.keys, masked, logged };
}

const merges: readonly {
  readonly name: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly ageKeys: readonly string[];
  readonly pgpKeys: readonly string[];
  readonly vaultToken: string | undefined;
  readonly cloud: StaticCloudCredentials;
  /** The log line, or undefined when nothing may be logged (no decryption Secret). */
  readonly log: string | undefined;
}[] = [
  {
    name: 'no keys at all',
    inputs: {},
    ageKeys: [],
    pgpKeys: [],
    vaultToken: undefined,
    cloud: {},
    log: undefined,
  },
  {
    name: 'inputs only',
    inputs: { 'age-key': AGE_INPUT, 'pgp-key': PGP_INPUT, 'vault-token': ' hvs.input ' },
    ageKeys: [AGE_INPUT],
    pgpKeys: [PGP_INPUT],
    vaultToken: 'hvs.input',
    cloud: {},
    log: undefined,
  },
  {
    name: 'a blank age-key input is no key',
    inputs: { 'age-key': '  \n ' },
    ageKeys: [],
    pgpKeys: [],
    vaultToken: undefined,
    cloud: {},
    log: undefined,
  },
  {
    name: 'the Secret only',
    inputs: {
      'decryption-secret': fluxSecret({
        'a.agekey': AGE_SECRET,
        'b.asc': PGP_SECRET,
        'sops.vault-token': ' hvs.secret\n',
      }),
    },
    ageKeys: [AGE_SECRET],
    pgpKeys: [PGP_SECRET],
    vaultToken: 'hvs.secret',
    cloud: {},
    log: 'decryption-secret: 1 age, 1 OpenPGP, a Vault token',
  },
  {
    name: 'inputs first, then the Secret, joined into one text; the vault-token input wins',
    inputs: {
      'age-key': AGE_INPUT,
      'pgp-key': PGP_INPUT,
      'vault-token': 'hvs.input',
      'decryption-secret': fluxSecret({
        'a.agekey': AGE_SECRET,
        'z.agekey': `# second\n${AGE_SECRET}`,
        'b.asc': PGP_SECRET,
        'sops.vault-token': 'hvs.secret',
      }),
    },
    ageKeys: [`${AGE_INPUT}\n${AGE_SECRET}\n# second\n${AGE_SECRET}`],
    pgpKeys: [`${PGP_INPUT}\n${PGP_SECRET}`],
    vaultToken: 'hvs.input',
    cloud: {},
    log: 'decryption-secret: 2 age, 1 OpenPGP, a Vault token',
  },
  {
    name: 'a blank vault-token input leaves the Secret token',
    inputs: { 'vault-token': '  ', 'decryption-secret': fluxSecret({ 'sops.vault-token': 'hvs.secret' }) },
    ageKeys: [],
    pgpKeys: [],
    vaultToken: 'hvs.secret',
    cloud: {},
    log: 'decryption-secret: 0 age, 0 OpenPGP, a Vault token',
  },
  {
    name: 'cloud entries become the static credentials, next to an age input',
    inputs: {
      'age-key': AGE_INPUT,
      'decryption-secret': fluxSecret({
        'sops.aws-kms': 'aws_access_key_id: AKIA0000\naws_secret_access_key: aws-canary\n',
        'sops.azure-kv': '{"clientId": "mi-client"}',
        'sops.gcp-kms': SA_JSON,
      }),
    },
    ageKeys: [AGE_INPUT],
    pgpKeys: [],
    vaultToken: undefined,
    cloud: {
      aws: { accessKeyId: 'AKIA0000', secretAccessKey: 'aws-canary' },
      azure: { kind: 'managed-identity', clientId: 'mi-client' },
      gcp: { json: SA_JSON },
    },
    log: 'decryption-secret: 0 age, 0 OpenPGP, AWS keys, Azure managed-identity, GCP credentials',
  },
];

describe('parseConfig: key inputs merged with the decryption Secret', () => {
  for (const row of merges) {
    test(row.name, () => {
      const { keys, masked, logged } = parse(row.inputs);
      assert.deepEqual(keys.ageKeys, row.ageKeys);
      assert.deepEqual(keys.pgpKeys, row.pgpKeys);
      assert.equal(keys.vaultToken, row.vaultToken);
      assert.deepEqual(keys.staticCredentials, row.cloud);
      assert.deepEqual(logged, row.log === undefined ? [] : [row.log]);
      if (row.inputs['decryption-secret'] === undefined) assert.deepEqual(masked, []);
      // The log line names no value the Secret held.
      for (const value of masked) assert.ok(logged.every((line) => !line.includes(value.trim())));
    });
  }

  test("every value of the Secret is masked, encoded and decoded, and each cloud entry's fields", () => {
    const aws = 'aws_access_key_id: AKIA0000\naws_secret_access_key: aws-canary\n';
    const { masked } = parse({
      'decryption-secret': fluxSecret({ 'a.agekey': AGE_SECRET, 'sops.aws-kms': aws }),
    });
    for (const value of [AGE_SECRET, b64(AGE_SECRET), aws, b64(aws), 'aws-canary']) {
      assert.ok(masked.includes(value), `masked: ${value.slice(0, 16)}`);
    }
  });

  test('the OIDC inputs are kept next to the static credentials (the key sources order them)', () => {
    const { keys } = parse({
      'aws-role-arn': 'arn:aws:iam::123456789012:role/deploy',
      'decryption-secret': fluxSecret({ 'sops.aws-kms': 'aws_access_key_id: A\naws_secret_access_key: S\n' }),
    });
    assert.equal(keys.awsRoleArn, 'arn:aws:iam::123456789012:role/deploy');
    assert.deepEqual(keys.staticCredentials.aws, { accessKeyId: 'A', secretAccessKey: 'S' });
  });

  const refused: readonly [string, string, RegExp][] = [
    ['not YAML', 'a: [unclosed canary', /^decryption-secret is not YAML or JSON/],
    ['no key entry', fluxSecret({ other: 'canary' }), /^decryption-secret has no \*\.agekey/],
    [
      'a bad cloud entry',
      fluxSecret({ 'sops.gcp-kms': 'not json canary' }),
      /^decryption-secret: sops\.gcp-kms is not a Google credentials JSON/,
    ],
  ];
  for (const [name, secret, message] of refused) {
    test(`refused: ${name}, a usage error without the value`, () => {
      assert.throws(
        () => parse({ 'decryption-secret': secret }),
        (e: unknown) =>
          e instanceof UserError &&
          e.code === 'USAGE' &&
          message.test(e.message) &&
          !e.message.includes('canary'),
      );
    });
  }

  test('the CLI (no shell mask) reads no decryption Secret it was not given', () => {
    const config = parseConfig((name) => ({ command: 'build', path: 'apps' })[name] ?? '', {});
    assert.equal(config.command, 'build');
    assert.deepEqual(config.keys.staticCredentials, {});
  });
});
