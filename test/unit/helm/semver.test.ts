import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Constraint, parseVersion, selectVersion } from '../../../src/helm/semver.ts';

function matches(constraint: string, version: string): boolean {
  const v = parseVersion(version);
  assert.ok(v, `test version ${version} must parse`);
  return new Constraint(constraint).check(v);
}

describe('Constraint (Masterminds/semver v3 rules)', () => {
  // [constraint, version, expected]
  const table: readonly (readonly [string, string, boolean])[] = [
    ['1.2.3', '1.2.3', true],
    ['=1.2.3', '1.2.4', false],
    ['1.2', '1.2.9', true],
    ['1.2', '1.3.0', false],
    ['1.2.x', '1.2.0', true],
    ['1.x', '1.9.9', true],
    ['1.x', '2.0.0', false],
    ['*', '9.9.9', true],
    ['*', '2.0.0-rc.1', false],
    ['!=1.2.3', '1.2.3', false],
    ['!=1.2.x', '1.3.0', true],
    ['>1.2.3', '1.2.4', true],
    ['>1.2', '1.2.9', false],
    ['>1.2', '1.3.0', true],
    ['>=1.2', '1.2.0', true],
    ['=>1.2.0', '1.1.9', false],
    ['<1.2', '1.1.99', true],
    ['<1.2', '1.2.0', false],
    ['<=1.2', '1.2.9', true],
    ['<=1.2', '1.3.0', false],
    ['=<1.2.3', '1.2.3', true],
    ['~1.2.3', '1.2.9', true],
    ['~1.2.3', '1.3.0', false],
    ['~1', '1.9.0', true],
    ['~1', '2.0.0', false],
    ['~>1.2', '1.2.7', true],
    ['^1.2.3', '1.9.9', true],
    ['^1.2.3', '2.0.0', false],
    ['^0.2.3', '0.2.9', true],
    ['^0.2.3', '0.3.0', false],
    ['^0.0.3', '0.0.4', false],
    ['^0', '0.9.0', true],
    ['^0.0', '0.1.0', false],
    ['>=1.0, <2.0', '1.5.0', true],
    ['>=1.0,<2.0', '2.0.0', false],
    ['>= 1.0 < 2.0', '1.9.9', true],
    ['1.0.x || >=2.0.0', '1.1.0', false],
    ['1.0.x || >=2.0.0', '2.5.0', true],
    ['1.2 - 1.4.5', '1.4.5', true],
    ['1.2 - 1.4.5', '1.4.6', false],
    ['1.2 - 1.4.5', '1.1.9', false],
    // A prerelease matches only a comparator that names one.
    ['>=1.0.0', '2.0.0-rc.1', false],
    ['>=2.0.0-0', '2.0.0-rc.1', true],
    ['>=2.0.0-rc.2', '2.0.0-rc.1', false],
    ['v1.2.3', '1.2.3', true],
  ];
  for (const [constraint, version, expected] of table) {
    it(`${constraint} ${expected ? 'matches' : 'does not match'} ${version}`, () => {
      assert.equal(matches(constraint, version), expected);
    });
  }

  it('refuses a malformed constraint with the bad part named', () => {
    assert.throws(() => new Constraint('>=one'), /improper constraint: one/);
  });
});

describe('parseVersion (strict, with an optional v)', () => {
  for (const [text, ok] of [
    ['1.2.3', true],
    ['v1.2.3', true],
    ['1.2.3-rc.1+build.5', true],
    ['1.2', false],
    ['01.2.3', false],
    ['latest', false],
  ] as const) {
    it(`${text} ${ok ? 'parses' : 'is skipped'}`, () => assert.equal(parseVersion(text) !== undefined, ok));
  }
});

describe('selectVersion (as the source-controller picks from an index)', () => {
  const index = [
    { version: '1.0.0' },
    { version: '1.1.0' },
    { version: '1.2.3' },
    { version: '2.0.0-rc.1' },
    { version: '2.0.0' },
    { version: 'not-semver' },
  ];
  const table: readonly (readonly [string, string | undefined])[] = [
    ['', '2.0.0'],
    ['*', '2.0.0'],
    ['1.x', '1.2.3'],
    ['~1.1', '1.1.0'],
    ['>=2.0.0-0, <2.0.0-z', '2.0.0-rc.1'],
    // Masterminds checks the prerelease rule per comparator: `<2.0.0` refuses every prerelease.
    ['>=2.0.0-0 <2.0.0', undefined],
    ['not-semver', 'not-semver'],
    ['3.x', undefined],
  ];
  for (const [wanted, expected] of table) {
    it(`${JSON.stringify(wanted)} picks ${String(expected)}`, () => {
      assert.equal(selectVersion(index, wanted)?.version, expected);
    });
  }

  it('among versions equal but for build metadata, the later created wins', () => {
    const picked = selectVersion(
      [
        { version: '1.0.0+a', created: '2026-01-01T00:00:00Z' },
        { version: '1.0.0+b', created: '2026-02-01T00:00:00Z' },
      ],
      '1.x',
    );
    assert.equal(picked?.version, '1.0.0+b');
  });
});
