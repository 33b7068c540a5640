/**
 * Values encrypted as `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`: AES-256-GCM with a 32-byte
 * IV, the key path as additional data, and the Go type written beside the ciphertext.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/**
 * A file's data key: its bytes, or a KeyObject made from them once per file. node:crypto
 * imports a byte key anew for every cipher it creates; a KeyObject skips that, which makes
 * each value's AES-GCM about 3 µs instead of 13 µs (bench/decrypt, 2026-12-04).
 */
export type DataKey = Uint8Array | KeyObject;

/** The KeyObject for a file's data key (a copy: wiping `dataKey` afterwards is still right). */
export function dataKeyObject(dataKey: Uint8Array): KeyObject {
  return createSecretKey(dataKey);
}
import { SopsFormatError, UserError } from '../errors.ts';
import { formatFloatF, parseGoBool, parseGoFloat, parseGoInt } from './go-number.ts';
import { formatGoTime } from './go-time.ts';
import type { TreeValue } from './tree.ts';

// Go RE2 with the same greedy groups and no end anchor, as sops's aes/cipher.go has it.
const ENC_PATTERN = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// ignoreBOM: a value (a binary file) may start with U+FEFF, and sops keeps it.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface EncryptedValue {
  readonly data: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly type: string;
}

/** True when a string has the shape sops writes for an encrypted value. */
export function isEncryptedValue(value: string): boolean {
  return ENC_PATTERN.test(value);
}

function decodeBase64(field: string, text: string): Buffer {
  if (!STD_BASE64.test(text)) {
    throw new UserError('BAD_ENC_VALUE', `the ${field} field is not valid base64`);
  }
  return Buffer.from(text, 'base64');
}

/** Splits an `ENC[...]` string into its parts; throws BAD_ENC_VALUE when it is malformed. */
export function parseEncryptedValue(value: string): EncryptedValue {
  const match = ENC_PATTERN.exec(value);
  if (match === null) {
    throw new UserError('BAD_ENC_VALUE', 'the value is not a sops ENC[AES256_GCM,...] string', {
      hint: 'the file was probably edited by hand; restore it from version control or re-encrypt it with sops',
    });
  }
  const [, data = '', iv = '', tag = '', type = ''] = match;
  const parsed = {
    data: decodeBase64('data', data),
    iv: decodeBase64('iv', iv),
    tag: decodeBase64('tag', tag),
    type,
  };
  if (parsed.iv.length === 0) throw new UserError('BAD_ENC_VALUE', 'the iv field is empty');
  if (parsed.tag.length !== 16) {
    throw new UserError('BAD_ENC_VALUE', `the tag is ${parsed.tag.length} bytes; AES-GCM tags are 16 bytes`);
  }
  return parsed;
}

/** AES-256-GCM open; throws DECRYPT_FAILED when the tag does not verify. */
export function openValue(encrypted: EncryptedValue, dataKey: DataKey, aad: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, encrypted.iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(encrypted.tag);
    return Buffer.concat([decipher.update(encrypted.data), decipher.final()]);
  } catch (cause) {
    throw new UserError(
      'DECRYPT_FAILED',
      'authentication failed: the value, its position in the file, or the data key does not match',
      { cause, hint: 'the file was modified after encryption, or a value was moved to another key' },
    );
  }
}

/**
 * Decrypts one value and gives it back with its Go type, the way sops's `Cipher.Decrypt`
 * does. The empty string is never encrypted, so it decrypts to itself.
 */
export function decryptValue(value: string, dataKey: DataKey, aad: string): TreeValue {
  if (value === '') return { kind: 'str', value: '' };
  const encrypted = parseEncryptedValue(value);
  const plain = openValue(encrypted, dataKey, aad);
  return typedValue(encrypted.type, plain);
}

function typedValue(type: string, plain: Buffer): TreeValue {
  const text = (): string => {
    try {
      return strictUtf8.decode(plain);
    } catch {
      throw new UserError('BAD_ENC_VALUE', `a ${type} value is not valid UTF-8`);
    }
  };
  switch (type) {
    case 'str': {
      // Go strings may hold any bytes (binary files); keep them exact for the MAC and output.
      try {
        return { kind: 'str', value: strictUtf8.decode(plain) };
      } catch {
        return { kind: 'bytes', value: new Uint8Array(plain) };
      }
    }
    case 'int':
      return { kind: 'int', value: parseGoInt(text()) };
    case 'float':
      return { kind: 'float', value: parseGoFloat(text()) };
    case 'bool':
      return { kind: 'bool', value: parseGoBool(text()) };
    case 'time':
      return { kind: 'time', value: formatGoTime(text(), 'nano') };
    case 'comment':
      return { kind: 'comment', text: text() };
    case 'bytes':
      // sops never writes this type (it stores bytes as `str`), and its decrypt panics on it
      // ("hash of unhashable type []uint8"); refuse instead of guessing what was meant.
      throw new UserError(
        'BAD_ENC_VALUE',
        'the value has type bytes, which sops never writes and cannot decrypt',
        {
          hint: 'the type in ENC[...] was edited by hand; restore the file from version control or re-encrypt it with sops',
        },
      );
    default:
      throw new SopsFormatError(`unknown value type "${type.slice(0, 20)}"`);
  }
}

/** The type name and plaintext bytes sops writes for a value (`Cipher.Encrypt`). */
function plaintextOf(value: TreeValue): { type: string; bytes: Buffer } {
  switch (value.kind) {
    case 'str':
      return { type: 'str', bytes: Buffer.from(value.value, 'utf8') };
    case 'bytes':
      return { type: 'str', bytes: Buffer.from(value.value) };
    case 'int':
      return { type: 'int', bytes: Buffer.from(value.value.toString()) };
    case 'float':
      return { type: 'float', bytes: Buffer.from(formatFloatF(value.value)) };
    case 'bool':
      return { type: 'bool', bytes: Buffer.from(value.value ? 'True' : 'False') };
    case 'time':
      return { type: 'time', bytes: Buffer.from(value.value) };
    case 'comment':
      return { type: 'comment', bytes: Buffer.from(value.text, 'utf8') };
    default:
      throw new Error(`cannot encrypt a ${value.kind}`);
  }
}

/**
 * Encrypts one value as sops does, with a fresh 32-byte IV. The engine only decrypts; this
 * exists for tests, benchmarks and the MAC of files we write in tests.
 */
export function encryptValue(
  value: TreeValue,
  dataKey: DataKey,
  aad: string,
  iv: Uint8Array = randomBytes(32),
): string {
  if (value.kind === 'str' && value.value === '') return '';
  const { type, bytes } = plaintextOf(value);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(bytes), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${Buffer.from(iv).toString('base64')},tag:${tag.toString('base64')},type:${type}]`;
}
