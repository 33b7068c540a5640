import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { iniStore } from '../../../../src/sops/stores/ini.ts';
import { SopsFormatError, UserError } from '../../../../src/errors.ts';
import { mapOf, str } from '../../../../src/sops/tree.ts';
import type { Branch, RawMetadata, TreeValue } from '../../../../src/sops/tree.ts';
import { sopsUpstream } from '../../../support/fixtures.ts';

const upstream = sopsUpstream;
const corpus = new URL('../../../fixtures/stores/', import.meta.url);

function load(text: string): Branch {
  const [branch] = iniStore.loadPlain(text);
  assert.ok(branch !== undefined);
  return branch;
}

test('sections become maps, after an implicit DEFAULT section; comments follow their key', () => {
  const branch = load('top = 1\n; about a\n[s]\n; for k\nk = v ; inline\n');
  assert.deepEqual(
    branch,
    mapOf([
      ['DEFAULT', mapOf([['top', str('1')]])],
      [
        's',
        {
          kind: 'map',
          items: [
            { kind: 'comment', text: 'about a' },
            { key: 'k', value: str('v') },
            { kind: 'comment', text: 'for k\n; inline' },
          ],
        },
      ],
    ]),
  );
});

test('an empty file is a lone empty DEFAULT section, written back as nothing', () => {
  const branch = load('');
  assert.deepEqual(branch, mapOf([['DEFAULT', { kind: 'map', items: [] }]]));
  assert.equal(iniStore.emitPlain([branch]), '');
});

test('a repeated key keeps its first place and its last value; repeated sections stay apart', () => {
  const branch = load('[s]\na = 1\nb = 2\na = 3\n[s]\nc = 4\n');
  assert.deepEqual(
    branch.items.map((item) => ('key' in item ? item.key : '#')),
    ['DEFAULT', 's', 's'],
  );
  assert.equal(iniStore.emitPlain([branch]), '[s]\na = 3\nb = 2\n\n[s]\nc = 4\n');
});

test('"-" keys are numbered as go-ini does, and come back out as "#n" keys like sops writes them', () => {
  const branch = load('[k]\n- = first\n- = second\n');
  const section = branch.items[1];
  assert.ok(section !== undefined && 'key' in section && section.value.kind === 'map');
  assert.deepEqual(
    section.value.items.map((item) => ('key' in item ? item.key : '#')),
    ['#1', '#2'],
  );
  assert.equal(iniStore.emitPlain([branch]), '[k]\n#1 = first\n#2 = second\n');
});

test('syntax errors name the line and never the text', () => {
  const cases: [string, RegExp][] = [
    ['[ok]\n[unclosed secret\n', /line 2: unclosed section/],
    ['[]\n', /line 1: empty section name/],
    ['a = 1\njustsecrettext\n', /line 2: key-value delimiter not found/],
    ['= secret\n', /line 1: empty key name/],
    ['"secret = 1\n', /line 1: missing closing key quote/],
    ['a = """secret\nstill open\n', /line 3: missing closing value quote/],
  ];
  for (const [input, pattern] of cases) {
    assert.throws(
      () => load(input),
      (error: unknown) =>
        error instanceof SopsFormatError && pattern.test(error.message) && !error.message.includes('secret'),
      JSON.stringify(input),
    );
  }
});

test('ValToString output for YAML-typed sections (yaml/typed.out.ini)', () => {
  const section = mapOf([
    ['time', { kind: 'time', value: '2024-01-02T03:04:05.123456789+02:00' }],
    ['utc', { kind: 'time', value: '2024-01-02T03:04:05Z' }],
    ['date', { kind: 'time', value: '2024-01-02T00:00:00Z' }],
    ['float', { kind: 'float', value: 1.5 }],
    ['floatint', { kind: 'float', value: 100 }],
    ['big', { kind: 'float', value: 1e21 }],
    ['small', { kind: 'float', value: 1e-7 }],
    ['million', { kind: 'float', value: 1e6 }],
    ['negzero', { kind: 'float', value: -0 }],
    ['int', { kind: 'int', value: 42n }],
    ['bool', { kind: 'bool', value: true }],
    ['nothing', { kind: 'null' }],
    ['str', str('hello')],
    ['inf', { kind: 'float', value: Infinity }],
  ]);
  const expected = readFileSync(new URL('yaml/typed.out.ini', corpus), 'utf8');
  assert.equal(iniStore.emitPlain([mapOf([['section', section]])]), expected);
});

test('writes sections from every branch, comments with their markers, and quotes values that need it', () => {
  const sections: [string, TreeValue][] = [
    [
      'a',
      {
        kind: 'map',
        items: [
          { kind: 'comment', text: 'section\n#second' },
          { key: 'k', value: str('  spaced') },
          { kind: 'comment', text: 'lost: overwritten' },
          { kind: 'comment', text: ' about k ' },
          { key: 'long_key', value: str('x;y') },
        ],
      },
    ],
  ];
  const out = iniStore.emitPlain([mapOf(sections), mapOf([['b', mapOf([['ml', str('1\n2')]])]])]);
  assert.equal(
    out,
    '; section\n# second\n[a]\n; about k\nk        = "  spaced"\nlong_key = `x;y`\n\n[b]\nml = """1\n2"""\n',
  );
});

test('refuses trees that go-ini cannot write', () => {
  const refuse = (branch: Branch): void => {
    assert.throws(() => iniStore.emitPlain([branch]), UserError);
  };
  refuse(mapOf([['notsection', str('x')]]));
  refuse(mapOf([['', mapOf([])]]));
  refuse(mapOf([['s', mapOf([['', str('x')]])]]));
  refuse(mapOf([['s', { kind: 'map', items: [{ kind: 'comment', text: 'a\n\nb' }] }]]));
});

function metadataKeys(metadata: RawMetadata | null): string[] {
  assert.ok(metadata !== null);
  return metadata.items.map((item) => ('key' in item ? item.key : '#'));
}

function pgpEnc(metadata: RawMetadata | null): string {
  const pgp = metadata?.items.find((item) => 'key' in item && item.key === 'pgp');
  assert.ok(pgp !== undefined && 'key' in pgp && pgp.value.kind === 'list');
  const [stanza] = pgp.value.items;
  assert.ok(stanza?.kind === 'map');
  const enc = stanza.items.find((item) => 'key' in item && item.key === 'enc');
  assert.ok(enc !== undefined && 'key' in enc && enc.value.kind === 'str');
  return enc.value.value;
}

test('upstream format.enc.ini (literal \\n) and format-2.enc.ini (""" quoted) both load', () => {
  for (const file of ['format.enc.ini', 'format-2.enc.ini']) {
    const loaded = iniStore.loadEncrypted(
      readFileSync(path.join(upstream, 'functional-tests/res', file), 'utf8'),
    );
    assert.deepEqual(
      metadataKeys(loaded.metadata),
      ['lastmodified', 'mac', 'pgp', 'unencrypted_suffix', 'version'],
      file,
    );
    assert.match(
      pgpEnc(loaded.metadata),
      /^-----BEGIN PGP MESSAGE-----\n\n[A-Za-z0-9+/=\n]+\n-----END PGP MESSAGE-----$/,
      file,
    );
    assert.deepEqual(
      loaded.branches[0]?.items.map((item) => ('key' in item ? item.key : '#')),
      ['DEFAULT', 'foo'],
      file,
    );
  }
});

test('upstream example.ini loads with its encrypted comments and two pgp keys', () => {
  const loaded = iniStore.loadEncrypted(readFileSync(path.join(upstream, 'example.ini'), 'utf8'));
  const keys = metadataKeys(loaded.metadata);
  assert.ok(keys.includes('pgp') && keys.includes('mac'));
  const sections = loaded.branches[0]?.items.filter((item) => 'key' in item) ?? [];
  assert.ok(sections.length >= 2);
  assert.ok(JSON.stringify(loaded.branches).includes('type:comment'));
});

test('the [sops] section follows sops ExtractMetadata rules', () => {
  assert.equal(iniStore.loadEncrypted('[a]\nb = c\n').metadata, null);
  assert.equal(iniStore.loadEncrypted('[a]\nb = c\n[sops]\n').metadata, null);
  assert.throws(() => iniStore.loadEncrypted('[sops]\nversion = 1\n[sops]\nversion = 2\n'), /second "sops"/);
  const loaded = iniStore.loadEncrypted(
    '[a]\nb = c\n[sops]\n; note\nversion = 3.13.3\nage__list_0__map_enc = x\\ny\n',
  );
  assert.deepEqual(
    loaded.metadata,
    mapOf([
      ['age', { kind: 'list', items: [mapOf([['enc', str('x\ny')]])] }],
      ['version', str('3.13.3')],
    ]),
  );
  assert.deepEqual(
    loaded.branches[0]?.items.map((item) => ('key' in item ? item.key : '#')),
    ['DEFAULT', 'a'],
  );
});
