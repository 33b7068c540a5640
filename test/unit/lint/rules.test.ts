import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkFlatFile } from '../../../src/lint/check-flat-file.ts';
import { checkKustomization } from '../../../src/lint/check-kustomization.ts';
import { checkText } from '../../../src/lint/check-text.ts';
import { matchCreationRule, parseSopsConfig } from '../../../src/lint/sops-config.ts';
import { parseIgnoreAnnotation } from '../../../src/lint/suppress.ts';
import { repoRoot } from '../../env/paths.ts';
import { sopsUpstream } from '../../support/fixtures.ts';

const at = (f: { rule: string; line: number; column: number }): string => `${f.rule}@${f.line}:${f.column}`;

describe('creation rules (.sops.yaml)', () => {
  const config = parseSopsConfig(
    [
      'creation_rules:',
      '  - path_regex: secrets/.*\\.yaml$',
      '    encrypted_regex: ^(data|stringData)$',
      '    age: age1xyz',
      '  - path_regex: \\.env$',
      '    age: age1xyz',
      '  - age: age1xyz',
    ].join('\n'),
    '/repo/.sops.yaml',
  );
  const cases: readonly [string, number | undefined][] = [
    ['/repo/secrets/db.yaml', 1],
    ['/repo/apps/secrets/db.yaml', 1], // unanchored, as Go's MatchString
    ['/repo/secrets/db.yml', 3], // falls through to the catch-all
    ['/repo/app.env', 2],
    ['/elsewhere/x.env', 2], // outside the config dir: the absolute path is matched
  ];
  for (const [file, expected] of cases) {
    it(`${file} → rule ${String(expected)}`, () => {
      assert.equal(matchCreationRule(config, file)?.number, expected);
    });
  }
  it('first match wins and keeps its selection', () => {
    assert.deepEqual(matchCreationRule(config, '/repo/secrets/a.yaml')?.selection, {
      kind: 'encrypted_regex',
      value: '^(data|stringData)$',
    });
  });
  it('rejects a rule with two selection options', () => {
    assert.throws(
      () =>
        parseSopsConfig(
          'creation_rules:\n  - encrypted_regex: a\n    unencrypted_suffix: b\n',
          '/r/.sops.yaml',
        ),
      /more than one/,
    );
  });
  it('path regexes are anchored only where the pattern says so', () => {
    const anchored = parseSopsConfig('creation_rules:\n  - path_regex: ^secrets/\n', '/repo/.sops.yaml');
    assert.equal(matchCreationRule(anchored, '/repo/secrets/a.yaml')?.number, 1);
    assert.equal(matchCreationRule(anchored, '/repo/apps/secrets/a.yaml'), undefined);
  });
});

describe('dotenv, INI and binary files', () => {
  const rule = {
    number: 1,
    pathRegex: '\\.env$',
    selection: { kind: 'unencrypted_suffix', value: '_unencrypted' },
  } as const;
  const cases: readonly { name: string; file: string; text: string; withRule: boolean; expect: string[] }[] =
    [
      {
        name: 'value added to an encrypted .env (real sops)',
        file: 'value-added-after-encryption.env',
        text: '',
        withRule: false,
        expect: ['unencrypted-value@1:1'],
      },
      {
        name: 'plain .env under a rule',
        file: 'a.env',
        text: '# c\nA=1\n',
        withRule: true,
        expect: ['creation-rule-unencrypted@2:1'],
      },
      { name: 'plain .env, no rule', file: 'a.env', text: 'A=1\n', withRule: false, expect: [] },
      { name: 'plain .env with only templates', file: 'a.env', text: 'A=${X}\n', withRule: true, expect: [] },
      {
        name: 'binary file under an explicit rule',
        file: 'a.key',
        text: 'k\n',
        withRule: true,
        expect: ['creation-rule-unencrypted@1:1'],
      },
    ];
  for (const c of cases) {
    it(c.name, async () => {
      const text =
        c.text !== '' ? c.text : await readFile(path.join(repoRoot, 'test/fixtures/lint', c.file), 'utf8');
      const format = c.file.endsWith('.env') ? 'dotenv' : 'binary';
      const out = checkFlatFile({
        file: c.file,
        text,
        format,
        creationRule: c.withRule
          ? { ...rule, pathRegex: format === 'binary' ? '\\.key$' : rule.pathRegex }
          : undefined,
      });
      assert.deepEqual(
        out.map(({ finding }) => at(finding)),
        c.expect,
      );
      assert.doesNotMatch(out.map(({ finding }) => finding.snippet ?? '').join('\n'), /added-later/);
    });
  }
  it('the real encrypted .env, .ini and binary fixtures are clean', async () => {
    const upstream = sopsUpstream;
    for (const [rel, format] of [
      ['functional-tests/res/format.enc.env', 'dotenv'],
      ['functional-tests/res/format.enc.ini', 'ini'],
      ['functional-tests/res/format-2.enc.ini', 'ini'],
      ['example.ini', 'ini'],
      ['example.txt', 'binary'],
    ] as const) {
      const text = await readFile(path.join(upstream, rel), 'utf8');
      assert.deepEqual(checkFlatFile({ file: rel, text, format, creationRule: undefined }), [], rel);
    }
  });
});

describe('private-key-material', () => {
  const cases: readonly [string, string, string[]][] = [
    ['PEM key', 'x\n-----BEGIN RSA PRIVATE KEY-----\nMII\n', ['private-key-material@2:1']],
    ['PGP key block', '-----BEGIN PGP PRIVATE KEY BLOCK-----\n', ['private-key-material@1:1']],
    ['public key is fine', '-----BEGIN PUBLIC KEY-----\n', []],
    ['age identity', `# k\n  AGE-SECRET-KEY-1${'Q'.repeat(58)}\n`, ['private-key-material@2:3']],
    ['age recipient is fine', 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n', []],
    ['AWS key id', 'aws_key = AKIAIOSFODNN7EXAMPLE\n', ['private-key-material@1:11']],
    ['GitHub token', `token: ghp_${'a'.repeat(36)}\n`, ['private-key-material@1:8']],
    ['prose', 'a private key is needed\n', []],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const out = checkText('f', text);
      assert.deepEqual(out.map(at), expected);
      for (const f of out) assert.doesNotMatch(f.snippet ?? '', /AKIA|ghp_|AGE-SECRET/);
    });
  }
});

describe('secretGenerator', () => {
  it('flags literals and plaintext sources, not sops sources or templates', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-kust-'));
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'plain.env'), 'A=1\n');
    await writeFile(
      path.join(dir, 'enc.env'),
      await readFile(path.join(sopsUpstream, 'functional-tests/res/format.enc.env')),
    );
    await writeFile(path.join(dir, 'sub/key.pem'), 'not encrypted\n');
    const text = [
      'secretGenerator:', //                       1
      '  - name: app', //                          2
      '    literals:', //                          3
      '      - PASSWORD=hunter2', //               4
      '      - EMPTY=', //                         5
      '      - FROM_ENV=${PASSWORD}', //           6
      '    envs:', //                              7
      '      - plain.env', //                      8
      '      - enc.env', //                        9
      '      - missing.env', //                   10
      '  - name: tls', //                         11
      '    files:', //                            12
      '      - tls.key=sub/key.pem', //           13
      'resources: [a.yaml]', //                   14
    ].join('\n');
    const out = await checkKustomization('kustomization.yaml', path.join(dir, 'kustomization.yaml'), text);
    assert.deepEqual(
      out.map(({ finding }) => at(finding)),
      ['generator-plaintext@4:9', 'generator-plaintext@8:9', 'generator-plaintext@13:9'],
    );
    const first = out[0];
    assert.ok(first !== undefined);
    assert.equal(first.finding.snippet, '      - PASSWORD=***');
    assert.match(first.finding.message, /secretGenerator "app": literal "PASSWORD"/);
    assert.doesNotMatch(out.map(({ finding }) => finding.message).join('\n'), /hunter2/);
  });
});

describe('lint-ignore annotation', () => {
  const cases: readonly [string, unknown][] = [
    ['plaintext-secret: public test data', [{ rules: ['plaintext-secret'], reason: 'public test data' }]],
    [
      'plaintext-secret, generator-plaintext: why',
      [{ rules: ['plaintext-secret', 'generator-plaintext'], reason: 'why' }],
    ],
    ['*: everything here is fake', [{ rules: '*', reason: 'everything here is fake' }]],
    ['plaintext-secret', [{ rules: ['plaintext-secret'], reason: '(no reason given)' }]],
    ['no-such-rule: x', []],
  ];
  for (const [value, expected] of cases) {
    it(value, () => assert.deepEqual(parseIgnoreAnnotation(value), expected));
  }
});
