/**
 * Byte-exact comparison with real sops 3.13.3 on the corpus in test/fixtures/yaml (see the
 * MANIFEST.md there): what sops -d printed, against our load + emit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { yamlStore } from '../../../../src/sops/stores/yaml.ts';

const dir = new URL('../../../fixtures/yaml/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, dir), 'utf8');
const names = readdirSync(dir)
  .filter((file) => file.endsWith('.sops-d.yaml'))
  .map((file) => file.slice(0, -'.sops-d.yaml'.length));

/**
 * Inputs whose plain load differs from what sops -d prints, because sops's own round trip
 * (plain -> encrypted file -> decrypted) re-types a value. The encrypted-file path is still
 * checked for these.
 */
const PLAIN_ROUND_TRIP_DIFFERS: ReadonlyMap<string, string> = new Map([
  ['numbers', '-0.0 is written as -0, which sops reads back as the int 0'],
]);

test('the YAML corpus is there', () => {
  assert.ok(names.length >= 15, `only ${names.length} cases`);
});

for (const name of names) {
  test(`${name}: emitPlain(loadEncrypted(sops -e output)) is what sops -d prints`, () => {
    const loaded = yamlStore.loadEncrypted(read(`${name}.sops-e.yaml`));
    assert.notEqual(loaded.metadata, null);
    assert.equal(yamlStore.emitPlain(loaded.branches), read(`${name}.sops-d.yaml`));
  });

  const differs = PLAIN_ROUND_TRIP_DIFFERS.get(name);
  test(`${name}: emitPlain(loadPlain(input)) is what sops -d prints`, { skip: differs ?? false }, () => {
    assert.equal(yamlStore.emitPlain(yamlStore.loadPlain(read(`${name}.yaml`))), read(`${name}.sops-d.yaml`));
  });
}
