/** The `version` field: sops refuses a file whose version it cannot parse (issue 13, item 7). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/errors.ts';
import { isSopsVersion, parseMetadata } from '../../../src/sops/metadata.ts';
import { mapOf, str, type TreeValue } from '../../../src/sops/tree.ts';

// blang/semver v3.5.1's Parse after sops strips one leading "v"; "1.x" passes unparsed.
const versions: [string, boolean][] = [
  ['3.13.3', true],
  ['v3.9.0', true],
  ['3.10.0-rc.1', true],
  ['3.10.0-rc.1+build.5', true],
  ['1.0', true],
  ['1.anything', true],
  ['0.0.0', true],
  ['', false],
  ['3', false],
  ['3.9', false],
  ['3.09.0', false],
  ['3.9.0.1', false],
  ['vv3.9.0', false],
  ['3.9.0-', false],
  ['3.9.0-01', false],
  ['3.9.0+', false],
  ['3.9.0-a_b', false],
  ['18446744073709551615.0.0', true],
  ['18446744073709551616.0.0', false],
  [' 3.9.0', false],
];
for (const [version, ok] of versions) {
  test(`isSopsVersion(${JSON.stringify(version)}) is ${String(ok)}`, () =>
    assert.equal(isSopsVersion(version), ok));
}

const base = (version?: TreeValue): [string, TreeValue][] => [
  [
    'age',
    {
      kind: 'list',
      items: [
        mapOf([
          ['recipient', str('age1a')],
          ['enc', str('x')],
        ]),
      ],
    },
  ],
  ['lastmodified', str('2024-01-01T00:00:00Z')],
  ['mac', str('ENC[...]')],
  ...(version === undefined ? [] : ([['version', version]] as [string, TreeValue][])),
];

const refused: [string, TreeValue | undefined, RegExp][] = [
  ['a missing version', undefined, /version is missing/],
  ['an empty version', str(''), /version is missing/],
  ['a null version', { kind: 'null' }, /version is missing/],
  [
    'a float version (3.9 in YAML)',
    { kind: 'float', value: 3.9, raw: '3.9' },
    /version "3.9" is not a version sops accepts/,
  ],
];
for (const [name, version, message] of refused) {
  test(`parseMetadata refuses ${name}, as sops does`, () => {
    assert.throws(
      () => parseMetadata(mapOf(base(version))),
      (e: unknown) => e instanceof UserError && e.code === 'BAD_METADATA' && message.test(e.message),
    );
  });
}

test('parseMetadata keeps a valid version', () => {
  assert.equal(parseMetadata(mapOf(base(str('3.13.3')))).version, '3.13.3');
});
