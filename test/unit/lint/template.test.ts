import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTemplate } from '../../../src/lint/template.ts';

describe('isTemplate is anchored to the whole value', () => {
  const cases: readonly (readonly [string, boolean])[] = [
    ['${VAR}', true],
    ['${VAR:=default}', true],
    ['${NOPE:=}', true],
    ['{{ .Values.password }}', true],
    ['{{- include "x" . | b64enc -}}', true],
    [' ${A} ${B} ', true],
    ['{{ .a }}{{ .b }}', true],
    ['$API_KEY', true],
    ['Sup3rS3cretValue${NOPE:=}', false],
    ['${NOPE:=}Sup3rS3cret', false],
    ['$ecretPassw0rd', false],
    ['$PASSWORDhunter2', false], // only an all-upper-case name counts as a variable reference
    ['$PASSWORD-hunter2', false],
    ['CANARY-hash #{{}}', false],
    ['{{', false],
    ['{{ unclosed', false],
    ['', false],
    ['hunter2', false],
  ];
  for (const [value, expected] of cases) {
    it(JSON.stringify(value), () => {
      assert.equal(isTemplate(value), expected);
    });
  }

  it('stays linear on a hostile value', () => {
    const started = performance.now();
    isTemplate(`${'{{'.repeat(50_000)}x`);
    isTemplate(`${'${A}'.repeat(50_000)}x`);
    assert.ok(performance.now() - started < 1000);
  });
});
