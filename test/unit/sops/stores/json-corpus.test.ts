/**
 * Byte-exact comparison with real sops 3.13.3 on the corpus in test/fixtures/stores/json:
 * `<name>.json` is the input, `<name>.dec.json` what `sops -d` printed for its encrypted form,
 * `<name>.out.<ext>` what `sops -d --output-type <type>` printed, and `*-error` files mark the
 * cases where sops failed (see the MANIFEST.md there).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { jsonStore } from '../../../../src/sops/stores/json.ts';
import { dotenvStore } from '../../../../src/sops/stores/dotenv.ts';
import { iniStore } from '../../../../src/sops/stores/ini.ts';
import { UserError } from '../../../../src/errors.ts';
import type { Branch, TreeValue } from '../../../../src/sops/tree.ts';

const dir = new URL('../../../fixtures/stores/json/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, dir), 'utf8');
const has = (file: string): boolean => existsSync(new URL(file, dir));
const names = readdirSync(dir)
  .filter((file) => /^[^.]+\.json$/.test(file))
  .map((file) => file.slice(0, -'.json'.length));

/** The structure of a tree with every scalar blanked, to compare plain and encrypted loads. */
function shape(value: TreeValue | Branch): unknown {
  if (value.kind === 'map')
    return value.items.map((item) => ('key' in item ? [item.key, shape(item.value)] : '#'));
  if (value.kind === 'list') return value.items.map(shape);
  return value.kind === 'comment' ? '#' : '*';
}

test('the JSON corpus is there', () => {
  assert.ok(names.length >= 20, `only ${String(names.length)} cases`);
});

for (const name of names) {
  test(`json ${name}: sops -d`, () => {
    const input = read(`${name}.json`);
    if (has(`${name}.enc-error`)) {
      assert.throws(() => jsonStore.loadPlain(input), UserError);
      return;
    }
    assert.equal(jsonStore.emitPlain(jsonStore.loadPlain(input)), read(`${name}.dec.json`));
  });

  for (const [type, store, ext] of [
    ['dotenv', dotenvStore, 'env'],
    ['ini', iniStore, 'ini'],
  ] as const) {
    if (!has(`${name}.out.${ext}`) && !has(`${name}.out-${type}-error`)) continue;
    test(`json ${name}: sops -d --output-type ${type}`, () => {
      const branches = jsonStore.loadPlain(read(`${name}.json`));
      if (has(`${name}.out-${type}-error`)) assert.throws(() => store.emitPlain(branches), UserError);
      else assert.equal(store.emitPlain(branches), read(`${name}.out.${ext}`));
    });
  }

  if (has(`${name}.enc.json`)) {
    test(`json ${name}: loadEncrypted separates the metadata`, () => {
      const loaded = jsonStore.loadEncrypted(read(`${name}.enc.json`));
      const metadata = loaded.metadata;
      assert.ok(metadata !== null);
      const keys = metadata.items.map((item) => ('key' in item ? item.key : '#'));
      assert.deepEqual(keys, ['age', 'lastmodified', 'mac', 'unencrypted_suffix', 'version']);
      assert.deepEqual(loaded.branches.map(shape), jsonStore.loadPlain(read(`${name}.json`)).map(shape));
    });
  }
}
