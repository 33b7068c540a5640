import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectSopsFormat } from '../../../src/sops/formats.ts';
import type { Format } from '../../../src/sops/tree.ts';

const cases: [string, string, Format | undefined][] = [
  ['dotenv', 'sops_mac=ENC[x', 'dotenv'],
  ['yaml, indented', '  mac: ENC[x', 'yaml'],
  ['json', '"mac": "ENC[x', 'json'],
  ['ini', 'a=b\n[sops]\nmac=ENC[x', 'ini'],
  ['plain text', 'plain', undefined],
  ['a mac that is not encrypted', 'mac: 1234', undefined],
  // Both markers present: json is checked first, as Flux does.
  ['json holding a yaml marker in a value', '{"mac": "ENC[x", "note": "mac: ENC["}', 'json'],
];
for (const [name, text, want] of cases) {
  test(`detectSopsFormat: ${name}`, () => assert.equal(detectSopsFormat(text), want));
}
