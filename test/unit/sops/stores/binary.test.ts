import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { binaryStore, emitBinaryBytes, loadBinaryPlainBytes } from '../../../../src/sops/stores/binary.ts';
import { SopsFormatError } from '../../../../src/errors.ts';
import { mapOf, str } from '../../../../src/sops/tree.ts';
import { sopsUpstream } from '../../../support/fixtures.ts';

const dir = new URL('../../../fixtures/stores/binary/', import.meta.url);
const upstream = sopsUpstream;
const textCases = readdirSync(dir).filter((file) => /^[^.]+\.txt$/.test(file));

test('the binary corpus is there', () => {
  assert.ok(textCases.length >= 5);
});

for (const file of textCases) {
  const name = file.slice(0, -'.txt'.length);
  test(`binary ${name}: emitPlain(loadPlain(x)) is sops -d, byte for byte`, () => {
    // Buffer decoding keeps a leading BOM, as sops does; TextDecoder would drop it.
    const input = readFileSync(new URL(file, dir), 'utf8');
    const expected = readFileSync(new URL(`${name}.dec.txt`, dir));
    assert.deepEqual(Buffer.from(binaryStore.emitPlain(binaryStore.loadPlain(input)), 'utf8'), expected);
  });

  test(`binary ${name}: loadEncrypted gives one data value and the metadata`, () => {
    const loaded = binaryStore.loadEncrypted(readFileSync(new URL(`${name}.enc.txt`, dir), 'utf8'));
    assert.ok(loaded.metadata !== null);
    const [branch] = loaded.branches;
    assert.equal(loaded.branches.length, 1);
    const keys = branch?.items.map((item) => ('key' in item ? item.key : '#'));
    assert.deepEqual(keys, ['data']);
    const data = branch?.items[0];
    assert.ok(data !== undefined && 'key' in data && data.value.kind === 'str');
    // sops does not encrypt an empty string.
    if (name === 'empty') assert.equal(data.value.value, '');
    else assert.match(data.value.value, /^ENC\[AES256_GCM,data:/);
  });
}

test('emitBinaryBytes carries bytes that are not UTF-8 (invalid-utf8.bin)', () => {
  const raw = readFileSync(new URL('invalid-utf8.bin', dir));
  assert.deepEqual(
    Buffer.from(emitBinaryBytes(loadBinaryPlainBytes(raw))),
    readFileSync(new URL('invalid-utf8.dec.bin', dir)),
  );
  // The string API cannot: the invalid bytes turn into U+FFFD on the way in.
  assert.notDeepEqual(
    Buffer.from(binaryStore.emitPlain(binaryStore.loadPlain(raw.toString('utf8'))), 'utf8'),
    raw,
  );
});

test('loadBinaryPlainBytes keeps valid UTF-8 as a string value', () => {
  const [branch] = loadBinaryPlainBytes(Buffer.from('héllo', 'utf8'));
  assert.deepEqual(branch, mapOf([['data', str('héllo')]]));
});

test('the upstream binary fixture example.txt loads', () => {
  const loaded = binaryStore.loadEncrypted(readFileSync(path.join(upstream, 'example.txt'), 'utf8'));
  assert.ok(loaded.metadata !== null);
  const keys = loaded.metadata.items.map((item) => ('key' in item ? item.key : '#'));
  assert.ok(keys.includes('pgp') && keys.includes('mac') && keys.includes('lastmodified'));
});

test('emitPlain takes the first data entry and nothing else', () => {
  const branch = mapOf([
    ['other', str('x')],
    ['data', str('payload\n')],
    ['data', str('second')],
  ]);
  assert.equal(binaryStore.emitPlain([branch]), 'payload\n');
});

test('emitPlain errors like sops on bad trees', () => {
  assert.throws(() => binaryStore.emitPlain([]), SopsFormatError);
  assert.throws(
    () => binaryStore.emitPlain([mapOf([['data', str('a')]]), mapOf([['data', str('b')]])]),
    SopsFormatError,
  );
  assert.throws(() => binaryStore.emitPlain([mapOf([['nodata', str('a')]])]), SopsFormatError);
  assert.throws(
    () => binaryStore.emitPlain([mapOf([['data', { kind: 'int', value: 1n }]])]),
    SopsFormatError,
  );
});
