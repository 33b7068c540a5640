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
    // Secret-manager references, resolved at deploy time (1Password's `op inject`/`op run`,
    // helmfile's vals): a pointer, not a secret, when it is the whole value.
    ['op://kubernetes/cloudflare/CLOUDFLARE_TUNNEL_ID', true],
    ['op://Automation/1password connect/credentials', true],
    ['{{ op://vault/item/section/field }}', true],
    ['ref+vault://secret/data/app#/password', true],
    ['ref+awssecrets://myteam/mykey', true],
    ['op://vault/item', false], // a reference names vault, item and field
    ['op://vault/item/field hunter2', false],
    ['hunter2 op://vault/item/field', false],
    ['op://vault/item/field\nhunter2', false],
    ['ref+vault://', false],
  ];
  for (const [value, expected] of cases) {
    it(JSON.stringify(value), () => {
      assert.equal(isTemplate(value), expected);
    });
  }

  // A backtracking pattern would run past the test timeout on these (tests assert no timings).
  it('stays linear on a hostile value', () => {
    assert.equal(isTemplate(`${'{{'.repeat(50_000)}x`), false);
    assert.equal(isTemplate(`${'${A}'.repeat(50_000)}x`), false);
    assert.equal(isTemplate(`op://${'a/'.repeat(50_000)}\n`), false);
  });
});
