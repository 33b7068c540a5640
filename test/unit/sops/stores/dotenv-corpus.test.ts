/**
 * Byte-exact comparison with real sops 3.13.3 on the corpus in test/fixtures/stores/dotenv
 * (layout described in that folder's MANIFEST.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dotenvStore } from '../../../../src/sops/stores/dotenv.ts';
import { iniStore } from '../../../../src/sops/stores/ini.ts';
import { jsonStore } from '../../../../src/sops/stores/json.ts';
import { UserError } from '../../../../src/errors.ts';
import type { Branch, TreeValue } from '../../../../src/sops/tree.ts';

const dir = new URL('../../../fixtures/stores/dotenv/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, dir), 'utf8');
const has = (file: string): boolean => existsSync(new URL(file, dir));
const names = readdirSync(dir)
  .filter((file) => /^[^.]+\.env$/.test(file))
  .map((file) => file.slice(0, -'.env'.length));

function shape(value: TreeValue | Branch): unknown {
  if (value.kind === 'map')
    return value.items.map((item) => ('key' in item ? [item.key, shape(item.value)] : '#'));
  if (value.kind === 'list') return value.items.map(shape);
  return value.kind === 'comment' ? '#' : '*';
}

test('the dotenv corpus is there', () => {
  assert.ok(names.length >= 12, `only ${String(names.length)} cases`);
});

for (const name of names) {
  test(`dotenv ${name}: sops -d`, () => {
    const input = read(`${name}.env`);
    if (has(`${name}.enc-error`)) {
      assert.throws(() => dotenvStore.loadPlain(input), UserError);
      return;
    }
    assert.equal(dotenvStore.emitPlain(dotenvStore.loadPlain(input)), read(`${name}.dec.env`));
  });

  for (const [type, store] of [
    ['json', jsonStore],
    ['ini', iniStore],
  ] as const) {
    if (!has(`${name}.out.${type}`) && !has(`${name}.out-${type}-error`)) continue;
    test(`dotenv ${name}: sops -d --output-type ${type}`, () => {
      const branches = dotenvStore.loadPlain(read(`${name}.env`));
      if (has(`${name}.out-${type}-error`)) assert.throws(() => store.emitPlain(branches), UserError);
      else assert.equal(store.emitPlain(branches), read(`${name}.out.${type}`));
    });
  }

  if (has(`${name}.enc.env`)) {
    test(`dotenv ${name}: loadEncrypted unflattens the sops_ keys`, () => {
      const loaded = dotenvStore.loadEncrypted(read(`${name}.enc.env`));
      const metadata = loaded.metadata;
      assert.ok(metadata !== null);
      assert.deepEqual(
        metadata.items.map((item) => ('key' in item ? item.key : '#')),
        ['age', 'lastmodified', 'mac', 'unencrypted_suffix', 'version'],
      );
      const [age] = metadata.items;
      assert.ok(age !== undefined && 'key' in age && age.value.kind === 'list');
      const [stanza] = age.value.items;
      assert.ok(stanza?.kind === 'map');
      const enc = stanza.items.find((item) => 'key' in item && item.key === 'enc');
      // The armored age key was written with literal \n and must come back multi-line.
      assert.ok(enc !== undefined && 'key' in enc && enc.value.kind === 'str');
      assert.match(
        enc.value.value,
        /^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]+\n-----END AGE ENCRYPTED FILE-----\n$/,
      );
      assert.deepEqual(loaded.branches.map(shape), dotenvStore.loadPlain(read(`${name}.env`)).map(shape));
    });
  }
}
