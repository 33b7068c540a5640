/**
 * Byte-exact comparison with real sops 3.13.3 on the corpus in test/fixtures/stores/ini
 * (layout described in that folder's MANIFEST.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { iniStore } from '../../../../src/sops/stores/ini.ts';
import { dotenvStore } from '../../../../src/sops/stores/dotenv.ts';
import { jsonStore } from '../../../../src/sops/stores/json.ts';
import { UserError } from '../../../../src/errors.ts';
import type { Branch, TreeValue } from '../../../../src/sops/tree.ts';

const dir = new URL('../../../fixtures/stores/ini/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, dir), 'utf8');
const has = (file: string): boolean => existsSync(new URL(file, dir));
const names = readdirSync(dir)
  .filter((file) => /^[^.]+\.ini$/.test(file))
  .map((file) => file.slice(0, -'.ini'.length));

function shape(value: TreeValue | Branch): unknown {
  if (value.kind === 'map')
    return value.items.map((item) => ('key' in item ? [item.key, shape(item.value)] : '#'));
  if (value.kind === 'list') return value.items.map(shape);
  return value.kind === 'comment' ? '#' : '*';
}

test('the INI corpus is there', () => {
  assert.ok(names.length >= 15, `only ${String(names.length)} cases`);
});

for (const name of names) {
  test(`ini ${name}: sops -d`, () => {
    const input = read(`${name}.ini`);
    if (has(`${name}.enc-error`)) {
      assert.throws(() => iniStore.loadPlain(input), UserError);
      return;
    }
    assert.equal(iniStore.emitPlain(iniStore.loadPlain(input)), read(`${name}.dec.ini`));
  });

  for (const [type, store, ext] of [
    ['json', jsonStore, 'json'],
    ['dotenv', dotenvStore, 'env'],
  ] as const) {
    if (!has(`${name}.out.${ext}`) && !has(`${name}.out-${type}-error`)) continue;
    test(`ini ${name}: sops -d --output-type ${type}`, () => {
      const branches = iniStore.loadPlain(read(`${name}.ini`));
      if (has(`${name}.out-${type}-error`)) assert.throws(() => store.emitPlain(branches), UserError);
      else assert.equal(store.emitPlain(branches), read(`${name}.out.${ext}`));
    });
  }

  if (has(`${name}.enc.ini`)) {
    test(`ini ${name}: loadEncrypted unflattens the [sops] section`, () => {
      const loaded = iniStore.loadEncrypted(read(`${name}.enc.ini`));
      const metadata = loaded.metadata;
      assert.ok(metadata !== null);
      assert.deepEqual(
        metadata.items.map((item) => ('key' in item ? item.key : '#')),
        ['age', 'lastmodified', 'mac', 'unencrypted_suffix', 'version'],
      );
      assert.deepEqual(loaded.branches.map(shape), iniStore.loadPlain(read(`${name}.ini`)).map(shape));
    });
  }
}
