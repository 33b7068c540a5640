/** The `fix` inputs of lint: recipients only with fix, and the encrypt settings fix runs with. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLintConfig } from '../../../src/config/lint.ts';

const A = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
const B = 'age1yhm4gctwfmrpz87tdslm550wrx6m79y9f2hdzt0lndjnehwj0ukqrjpyx5';

function parse(inputs: Record<string, string>): ReturnType<typeof parseLintConfig> {
  return parseLintConfig((name) => inputs[name] ?? '', {}, { stdoutIsLog: false });
}

test('fix is off by default, and recipients without it are a usage error', () => {
  assert.equal(parse({}).fix, undefined);
  assert.throws(() => parse({ age: A }), /age and pgp recipients only with fix/);
  assert.throws(() => parse({ fix: 'yes' }), /fix is "yes"; expected true or false/);
});

test('fix encrypts in place, with the recipients given (comma- or line-separated) and nothing else set', () => {
  const fix = parse({ fix: 'true', age: `${A},${B}`, pgp: 'FBC7 B9E2\nABCD', 'pgp-key-file': 'k.asc' }).fix;
  assert.ok(fix !== undefined);
  assert.equal(fix.inPlace, true);
  assert.deepEqual(fix.age, [A, B]);
  assert.deepEqual(fix.pgp, ['FBC7 B9E2', 'ABCD']);
  assert.deepEqual(fix.keys.pgpKeyFiles, ['k.asc']);
  // The rule's selection and keys decide the rest; the .sops.yaml is the one lint found.
  assert.equal(fix.selection, undefined);
  assert.equal(fix.sopsConfig, undefined);
  assert.equal(fix.output, undefined);
});

test('rendered: off, on, or auto (the Action default: on when a kustomize is found)', () => {
  const cases: readonly (readonly [string, boolean | undefined])[] = [
    ['', undefined],
    ['false', undefined],
    ['true', false],
    ['auto', true],
  ];
  for (const [value, ifAvailable] of cases) {
    assert.equal(parse({ rendered: value }).rendered?.ifAvailable, ifAvailable, value);
  }
  assert.throws(() => parse({ rendered: 'yes' }), /rendered is "yes"; expected true, false or auto/);
});
