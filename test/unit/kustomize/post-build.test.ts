import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import {
  decryptAfterBuild,
  formatForDataKey,
  mayNeedPostBuildText,
  needsPostBuild,
} from '../../../src/kustomize/post-build.ts';
import { SOPS_MARKERS } from '../../../src/sops/formats.ts';
import { SecretRegistry } from '../../../src/masking.ts';

test('data-key formats follow Flux', () => {
  assert.equal(formatForDataKey('.dockerconfigjson'), 'json');
  assert.equal(formatForDataKey('config.yaml'), 'yaml');
  assert.equal(formatForDataKey('token'), 'binary');
});

test('a v1 Secret that keeps sops metadata because decryption is disabled is an error', async () => {
  const doc = parseDocument(
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    kustomize.toolkit.fluxcd.io/decrypt: disabled\nsops:\n  mac: x\n',
  );
  const host = createMemoryHost();
  await assert.rejects(
    decryptAfterBuild([doc], { keySources: [], registry: new SecretRegistry(() => undefined), log: host }),
    /Secret s still carries sops metadata/,
  );
  const plain = parseDocument('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n');
  assert.equal(
    await decryptAfterBuild([plain], {
      keySources: [],
      registry: new SecretRegistry(() => undefined),
      log: host,
    }),
    false,
  );
});

test('needsPostBuild is false only where decryptAfterBuild would do nothing', async () => {
  const sopsDoc = Buffer.from(
    'a: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:m]\n',
  ).toString('base64');
  const disabled =
    'metadata:\n  name: s\n  annotations:\n    kustomize.toolkit.fluxcd.io/decrypt: disabled\n';
  const cases: { name: string; yaml: string; needs: boolean }[] = [
    {
      name: 'a ConfigMap',
      yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n',
      needs: false,
    },
    {
      name: 'a plain Secret',
      yaml: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: YWJj\n',
      needs: false,
    },
    {
      name: 'a Secret without data',
      yaml: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  a: sops\n',
      needs: false,
    },
    {
      name: 'a Secret whose data value is a SOPS document',
      yaml: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: ${sopsDoc}\n`,
      needs: true,
    },
    {
      name: 'the same with decryption disabled',
      yaml: `apiVersion: v1\nkind: Secret\n${disabled}data:\n  a: ${sopsDoc}\n`,
      needs: false,
    },
    {
      name: 'an object with sops metadata',
      yaml: 'apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\nsops:\n  mac: x\n',
      needs: true,
    },
    {
      name: 'a v1 Secret with sops metadata and decryption disabled',
      yaml: `apiVersion: v1\nkind: Secret\n${disabled}sops:\n  mac: x\n`,
      needs: true,
    },
    { name: 'a scalar document', yaml: 'just text\n', needs: false },
  ];
  for (const { name, yaml, needs } of cases) {
    assert.equal(needsPostBuild(parseDocument(yaml).toJS()), needs, name);
    if (needs) continue;
    // Where the predicate says no, the real post-build pass must agree: nothing changes, nothing throws.
    const changed = await decryptAfterBuild([parseDocument(yaml)], {
      keySources: [],
      registry: new SecretRegistry(() => undefined),
      log: createMemoryHost(),
    });
    assert.equal(changed, false, name);
  }
});

const secretWith = (value: string): string =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  k: ${value}\n`;
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

const textCases: [name: string, text: string, want: boolean][] = [
  ['a plain Secret', secretWith(b64('hunter2')), false],
  ['a ConfigMap', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n', false],
  ['sops metadata', 'apiVersion: v1\nkind: ConfigMap\nsops:\n  mac: x\n', true],
  [
    'a Secret holding a SOPS YAML document',
    secretWith(b64('a: ENC[AES256_GCM,data:x]\nsops:\n  mac: ENC[x]\n')),
    true,
  ],
  ['a Secret holding a SOPS dotenv file', secretWith(b64('A=ENC[x]\nsops_mac=ENC[x]\n')), true],
  ['a Secret holding a SOPS INI file', secretWith(b64('[sops]\nmac = x\n')), true],
  [
    'the URL-safe alphabet, which Node decodes too',
    secretWith(b64('>>?mac: ENC[x]').replace(/\+/g, '-').replace(/\//g, '_')),
    true,
  ],
  ['a value folded over lines', secretWith(b64('xmac: ENC[x]').replace(/(.{5})/, '$1\n    ')), true],
  ['a backslash, which may be an escape', secretWith('"\\x73ops"'), true],
];
for (const [name, text, want] of textCases) {
  test(`mayNeedPostBuildText: ${name}`, () => {
    assert.equal(mayNeedPostBuildText(text), want);
    // Never false where needsPostBuild is true.
    if (needsPostBuild(parseDocument(text).toJS())) assert.equal(mayNeedPostBuildText(text), true);
  });
}

test('mayNeedPostBuildText lets through every Secret whose data value decodes to a SOPS marker', () => {
  let seed = 7;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const markers = Object.values(SOPS_MARKERS);
  let needed = 0;
  for (let round = 0; round < 3000; round++) {
    // A marker at every offset, with noise the decoder skips (or stops at) put in anywhere.
    const text = `${'x'.repeat(random(5))}${markers[random(markers.length)]!}${'y'.repeat(random(5))}`;
    let value = b64(text);
    const noise = [' ', '.', ':', '=', '\n    '];
    for (let n = random(3); n > 0; n--) {
      const at = random(value.length);
      value = `${value.slice(0, at)}${noise[random(noise.length)]!}${value.slice(at)}`;
    }
    const document = secretWith(value);
    if (needsPostBuild(parseDocument(document).toJS())) {
      needed++;
      assert.equal(mayNeedPostBuildText(document), true, document);
    }
  }
  assert.ok(needed > 1000, `only ${needed} documents needed post-build decryption`);
});
