/**
 * age-encryption is loaded only for post-quantum and SSH identities, so the armor and the
 * identity checks every run needs are done natively. They must accept and reject exactly what
 * the library does; this table runs both on the same inputs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  armor,
  Decrypter,
  Encrypter,
  generateHybridIdentity,
  generateIdentity,
  identityToRecipient,
} from 'age-encryption';
import { decodeArmor, parseAgeIdentities } from '../../../src/keys/age.ts';

const noMask = (): void => undefined;

function libraryArmor(text: string): Uint8Array | Error {
  try {
    return armor.decode(text);
  } catch (error) {
    return error as Error;
  }
}

function oursArmor(text: string): Uint8Array | Error {
  try {
    return decodeArmor(text);
  } catch (error) {
    return error as Error;
  }
}

test('decodeArmor accepts and rejects what age-encryption does', async () => {
  const identity = await generateIdentity();
  const encrypter = new Encrypter();
  encrypter.addRecipient(await identityToRecipient(identity));
  const good = armor.encode(await encrypter.encrypt(new Uint8Array(200).fill(7)));
  const lines = good.trimEnd().split('\n');
  const body = lines.slice(1, -1);
  const last = body.at(-1) ?? '';
  const cases: Record<string, string> = {
    good,
    crlf: good.replaceAll('\n', '\r\n'),
    'surrounding whitespace': `\n  ${good}  \n\n`,
    'no header': lines.slice(1).join('\n'),
    'no footer': lines.slice(0, -1).join('\n'),
    'short middle line': [lines[0], (body[0] ?? '').slice(0, 60), ...body.slice(1), lines.at(-1)].join('\n'),
    'long last line': [lines[0], ...body.slice(0, -1), `${last}AAAA`.padEnd(68, 'A'), lines.at(-1)].join(
      '\n',
    ),
    'non-canonical padding bits': [
      lines[0],
      ...body.slice(0, -1),
      last.replace(/.(=+)$/, 'B$1'),
      lines.at(-1),
    ].join('\n'),
    'bad character': [lines[0], `${(body[0] ?? '').slice(0, 63)}!`, ...body.slice(1), lines.at(-1)].join(
      '\n',
    ),
    'padding inside': [lines[0], `${(body[0] ?? '').slice(0, 62)}==`, ...body.slice(1), lines.at(-1)].join(
      '\n',
    ),
    'empty body': `${lines[0] ?? ''}\n${lines.at(-1) ?? ''}\n`,
    'not armor': 'age-encryption.org/v1\n-> X25519 abc\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    const theirs = libraryArmor(text);
    const ours = oursArmor(text);
    if (name === 'empty body') {
      // The library decodes nothing and fails later, at decryption; we fail at once. Both fail.
      assert.ok(ours instanceof Error, name);
      continue;
    }
    assert.equal(
      ours instanceof Error,
      theirs instanceof Error,
      `${name}: ours ${String(ours)}, theirs ${String(theirs)}`,
    );
    if (!(ours instanceof Error) && !(theirs instanceof Error))
      assert.deepEqual(Buffer.from(ours), Buffer.from(theirs), name);
  }
});

test('identity validation accepts and rejects what age-encryption does', async () => {
  const classic = await generateIdentity();
  const hybrid = await generateHybridIdentity();
  const flip = (s: string, at: number): string =>
    `${s.slice(0, at)}${s[at] === 'Q' ? 'P' : 'Q'}${s.slice(at + 1)}`;
  const identities = [
    classic,
    hybrid,
    flip(classic, 30),
    flip(hybrid, 30),
    classic.slice(0, -1),
    hybrid.slice(0, -1),
    classic.toLowerCase(),
    `${classic.slice(0, 20)}${classic.slice(20).toLowerCase()}`,
    'AGE-SECRET-KEY-1',
    'AGE-SECRET-KEY-PQ-1QQQQQQ',
  ];
  for (const value of identities) {
    let theirs = true;
    try {
      new Decrypter().addIdentity(value);
    } catch {
      theirs = false;
    }
    let ours = true;
    try {
      parseAgeIdentities(value, noMask);
    } catch {
      ours = false;
    }
    assert.equal(ours, theirs, `${value.slice(0, 24)}…: ours ${String(ours)}, library ${String(theirs)}`);
  }
});
