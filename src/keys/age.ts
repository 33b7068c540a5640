/**
 * The age key source: X25519 (`AGE-SECRET-KEY-1…`) and post-quantum hybrid
 * (`AGE-SECRET-KEY-PQ-1…`) identities through `age-encryption`, and SSH identities
 * (`ssh-ed25519`, `ssh-rsa` stanzas) implemented here from age's `agessh` package, since
 * `age-encryption` has no SSH support.
 *
 * Identities are looked for where sops 3.13 looks (`age/keysource.go`), plus the explicit
 * `--age-key-file` option. Unlike sops, a source that fails to load does not stop the others;
 * its error is kept for the key report, as sops does with its `errSet`.
 */
import {
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  constants,
  diffieHellman,
  hkdfSync,
  privateDecrypt,
  type KeyObject,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Identity, Stanza } from 'age-encryption';
import { UserError, errorMessage } from '../errors.ts';
import { maskableParts } from '../masking.ts';
import type { Exec } from '../ports.ts';
import { NativeX25519Identity, decodeBech32, decryptAgeFileX25519 } from './age-x25519.ts';
import type { KeySource } from './key-source.ts';
import type { MasterKey } from './master-key.ts';
import type { Mask } from '../ports.ts';

/** Registers a secret with the host so it is never printed. */

/** What {@link loadAgeKeySource} reads. Every field but `mask` has a harmless default. */
export interface AgeLoadOptions {
  /** `--age-key-file` values, in order. A missing or malformed explicit file is an error. */
  readonly keyFiles?: readonly string[];
  /** The environment to read `SOPS_AGE_*` and `XDG_CONFIG_HOME` from. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The home directory for `~/.config/sops/age/keys.txt` and `~/.ssh/id_*`; none skips them. */
  readonly homeDir?: string;
  /** Runs `SOPS_AGE_KEY_CMD` / `SOPS_AGE_SSH_PRIVATE_KEY_CMD`; required only when they are set. */
  readonly exec?: Exec;
  readonly mask: Mask;
}

/** A loaded identity: an `AGE-SECRET-KEY…` string, or an identity object (SSH). */
type LoadedIdentity = string | Identity;

const AGE_KEY_ENV = 'SOPS_AGE_KEY';
const AGE_KEY_FILE_ENV = 'SOPS_AGE_KEY_FILE';
const AGE_KEY_CMD_ENV = 'SOPS_AGE_KEY_CMD';
const AGE_SSH_FILE_ENV = 'SOPS_AGE_SSH_PRIVATE_KEY_FILE';
const AGE_SSH_CMD_ENV = 'SOPS_AGE_SSH_PRIVATE_KEY_CMD';
/** sops passes the stanza's recipient to both key commands in this variable. */
const AGE_RECIPIENT_ENV = 'SOPS_AGE_RECIPIENT';

// ---------------------------------------------------------------------------------------------
// Masking

/**
 * Masks a multi-line secret (an SSH key) by the one masking policy: as a whole and line by
 * line, since a secret that reaches a log split across lines must still be hidden.
 */
function maskText(mask: Mask, text: string): void {
  for (const part of maskableParts(text)) mask(part);
}

// ---------------------------------------------------------------------------------------------
// Native identities

/**
 * Parses an identities text (sops `parseIdentities`): one identity per line, blank lines and
 * `#` comments ignored; with `multiplePerLine` (only `SOPS_AGE_KEY`) every word is one.
 * Every candidate is masked before it is validated. Errors name the line, never its value.
 */
export function parseAgeIdentities(
  text: string,
  mask: Mask,
  options: { readonly multiplePerLine?: boolean } = {},
): string[] {
  const candidates: { value: string; line: number }[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = options.multiplePerLine === true ? line.split(/\s+/) : [line];
    for (const value of words) {
      mask(value);
      candidates.push({ value, line: index + 1 });
    }
  }
  if (/^(age-encryption|-----BEGIN AGE)/.test(text.trimStart())) {
    throw new UserError(
      'UNSUPPORTED',
      'passphrase-protected age identity files are not supported; decrypt it to a private file first',
    );
  }
  return candidates.map(({ value, line }) => {
    if (value.startsWith('AGE-PLUGIN-')) {
      throw new UserError('UNSUPPORTED', `line ${line}: age plugin identities are not supported`);
    }
    if (!value.startsWith('AGE-SECRET-KEY-1') && !value.startsWith('AGE-SECRET-KEY-PQ-1')) {
      throw new UserError('KEY_SOURCE', `line ${line}: unknown identity type`);
    }
    // What age-encryption's X25519Identity and HybridIdentity check, without loading it.
    const decoded = decodeBech32(value);
    const hrp = value.startsWith('AGE-SECRET-KEY-PQ-1') ? 'age-secret-key-pq-' : 'age-secret-key-';
    if (decoded?.hrp !== hrp || decoded.data.length !== 32) {
      throw new UserError('KEY_SOURCE', `line ${line}: malformed age identity`);
    }
    return value;
  });
}

// ---------------------------------------------------------------------------------------------
// SSH identities (age `agessh`)

const ED25519_LABEL = 'age-encryption.org/v1/ssh-ed25519';
const RSA_LABEL = 'age-encryption.org/v1/ssh-rsa';
// DER prefixes that wrap a raw 32-byte X25519 key as PKCS#8 / SPKI for node:crypto.
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/** Reads the SSH wire encoding (RFC 4251 §5): uint32 and length-prefixed strings. */
class WireReader {
  private offset = 0;
  private readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw new Error('truncated ssh key');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4);
    this.offset += 4;
    return view.getUint32(0);
  }
  string(): Uint8Array {
    const length = this.uint32();
    if (this.offset + length > this.bytes.length) throw new Error('truncated ssh key');
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  text(): string {
    return Buffer.from(this.string()).toString('latin1');
  }
}

function wireString(bytes: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An unsigned big-endian integer as an SSH mpint (a leading zero when the top bit is set). */
function wireMpint(unsigned: Uint8Array): Buffer {
  let start = 0;
  while (start < unsigned.length && unsigned[start] === 0) start++;
  const body = unsigned.subarray(start);
  const needsZero = body.length > 0 && ((body[0] ?? 0) & 0x80) !== 0;
  return wireString(needsZero ? Buffer.concat([Buffer.from([0]), body]) : body);
}

function stripLeadingZeros(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function fromBigInt(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

/** age's SSH stanza tag: the first 4 bytes of SHA-256 of the public key blob, unpadded base64. */
function sshFingerprint(publicBlob: Uint8Array): string {
  return createHash('sha256')
    .update(publicBlob)
    .digest()
    .subarray(0, 4)
    .toString('base64')
    .replace(/=+$/, '');
}

/** Decodes age's unpadded standard base64, rejecting padding and stray characters as Go does. */
function decodeRawBase64(value: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*$/.test(value) || value.length % 4 === 1) return null;
  return Buffer.from(value, 'base64');
}

function x25519Private(scalar: Uint8Array): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, scalar]),
    format: 'der',
    type: 'pkcs8',
  });
}

function x25519Public(point: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, point]), format: 'der', type: 'spki' });
}

function x25519(scalar: Uint8Array, point: Uint8Array): Buffer {
  return diffieHellman({ privateKey: x25519Private(scalar), publicKey: x25519Public(point) });
}

function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));
}

/** ChaCha20-Poly1305 with the all-zero nonce, as age wraps file keys; null when it fails. */
function openFileKey(key: Uint8Array, body: Uint8Array): Uint8Array | null {
  if (body.length < 16) return null;
  try {
    const decipher = createDecipheriv('chacha20-poly1305', key, Buffer.alloc(12), { authTagLength: 16 });
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}

/** An SSH key as age sees it: its public blob, and a private key unless it is locked. */
type SshKey =
  | { readonly kind: 'ssh-ed25519'; readonly publicBlob: Uint8Array; readonly seed: Uint8Array }
  | { readonly kind: 'ssh-rsa'; readonly publicBlob: Uint8Array; readonly privateKey: KeyObject }
  | { readonly kind: 'locked'; readonly type: string; readonly publicBlob: Uint8Array };

/** The `ssh-ed25519` stanza (agessh `Ed25519Identity.unwrap`). */
class SshEd25519Identity implements Identity {
  private readonly fingerprint: string;
  private readonly secret: Uint8Array;
  private readonly ourPublic: Uint8Array;
  private readonly publicBlob: Uint8Array;
  constructor(publicBlob: Uint8Array, seed: Uint8Array) {
    this.publicBlob = publicBlob;
    this.fingerprint = sshFingerprint(publicBlob);
    // The X25519 scalar of an Ed25519 key is the first half of SHA-512(seed); X25519 clamps it.
    this.secret = createHash('sha512').update(seed).digest().subarray(0, 32);
    const jwk = createPublicKey(x25519Private(this.secret)).export({ format: 'jwk' });
    this.ourPublic = Buffer.from(jwk.x ?? '', 'base64url');
  }
  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== 'ssh-ed25519') continue;
      if (stanza.args.length !== 3) throw new Error('invalid ssh-ed25519 stanza');
      const ephemeral = decodeRawBase64(stanza.args[2] ?? '');
      if (ephemeral?.length !== 32) throw new Error('invalid ssh-ed25519 stanza');
      if (stanza.args[1] !== this.fingerprint) continue;
      let shared = x25519(this.secret, ephemeral);
      // The tweak binds the shared secret to the whole SSH public key, not just its curve point
      // (Go's hkdf.New(sha256, nil, blob, label): empty secret, the blob as salt).
      const tweak = hkdf(new Uint8Array(0), this.publicBlob, ED25519_LABEL);
      shared = x25519(tweak, shared);
      const wrappingKey = hkdf(shared, Buffer.concat([ephemeral, this.ourPublic]), ED25519_LABEL);
      const fileKey = openFileKey(wrappingKey, stanza.body);
      if (fileKey === null) throw new Error('ssh-ed25519: failed to decrypt file key');
      return fileKey;
    }
    return null;
  }
}

/** The `ssh-rsa` stanza (agessh `RSAIdentity.unwrap`): RSA-OAEP-SHA256 with age's label. */
class SshRsaIdentity implements Identity {
  private readonly fingerprint: string;
  private readonly privateKey: KeyObject;
  constructor(publicBlob: Uint8Array, privateKey: KeyObject) {
    this.fingerprint = sshFingerprint(publicBlob);
    this.privateKey = privateKey;
  }
  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== 'ssh-rsa') continue;
      if (stanza.args.length !== 2) throw new Error('invalid ssh-rsa stanza');
      if (stanza.args[1] !== this.fingerprint) continue;
      try {
        return privateDecrypt(
          {
            key: this.privateKey,
            padding: constants.RSA_PKCS1_OAEP_PADDING,
            oaepHash: 'sha256',
            oaepLabel: Buffer.from(RSA_LABEL),
          },
          stanza.body,
        );
      } catch {
        throw new Error('ssh-rsa: failed to decrypt file key');
      }
    }
    return null;
  }
}

/**
 * A passphrase-protected SSH key. Its public half is readable, so it can still tell its
 * own stanzas apart and fail only on those (sops would prompt on a terminal; we have none).
 */
class LockedSshIdentity implements Identity {
  private readonly fingerprint: string;
  private readonly type: string;
  private readonly location: string;
  constructor(type: string, publicBlob: Uint8Array, location: string) {
    this.type = type;
    this.location = location;
    this.fingerprint = sshFingerprint(publicBlob);
  }
  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    const mine = stanzas.some((s) => s.args[0] === this.type && s.args[1] === this.fingerprint);
    if (!mine) return null;
    throw new UserError(
      'UNSUPPORTED',
      `ssh key ${this.location} is passphrase-protected, which is not supported; use an unencrypted copy`,
    );
  }
}

/** Parses `-----BEGIN OPENSSH PRIVATE KEY-----` (OpenSSH's `PROTOCOL.key` format). */
function parseOpenSshKey(pem: string): SshKey {
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(
    pem,
  )?.[1];
  if (body === undefined) throw new Error('not an OpenSSH private key');
  const bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (!bytes.subarray(0, magic.length).equals(magic)) throw new Error('not an OpenSSH private key');
  const reader = new WireReader(bytes.subarray(magic.length));
  const cipher = reader.text();
  reader.string(); // kdf name
  reader.string(); // kdf options
  if (reader.uint32() !== 1) throw new Error('ssh key files with several keys are not supported');
  const publicBlob = reader.string();
  const type = new WireReader(publicBlob).text();
  if (cipher !== 'none') return { kind: 'locked', type, publicBlob };
  const secret = new WireReader(reader.string());
  if (secret.uint32() !== secret.uint32()) throw new Error('corrupt ssh private key');
  const keyType = secret.text();
  if (keyType !== type) throw new Error('corrupt ssh private key');
  if (type === 'ssh-ed25519') {
    secret.string(); // public point, already in publicBlob
    const priv = secret.string();
    if (priv.length !== 64) throw new Error('corrupt ssh-ed25519 private key');
    return { kind: 'ssh-ed25519', publicBlob, seed: priv.subarray(0, 32) };
  }
  if (type === 'ssh-rsa') {
    const n = stripLeadingZeros(secret.string());
    const e = stripLeadingZeros(secret.string());
    const d = stripLeadingZeros(secret.string());
    const iqmp = stripLeadingZeros(secret.string());
    const p = stripLeadingZeros(secret.string());
    const q = stripLeadingZeros(secret.string());
    const dBig = toBigInt(d);
    const privateKey = createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'RSA',
        n: Buffer.from(n).toString('base64url'),
        e: Buffer.from(e).toString('base64url'),
        d: Buffer.from(d).toString('base64url'),
        p: Buffer.from(p).toString('base64url'),
        q: Buffer.from(q).toString('base64url'),
        dp: fromBigInt(dBig % (toBigInt(p) - 1n)).toString('base64url'),
        dq: fromBigInt(dBig % (toBigInt(q) - 1n)).toString('base64url'),
        qi: Buffer.from(iqmp).toString('base64url'),
      },
    });
    return { kind: 'ssh-rsa', publicBlob, privateKey };
  }
  throw new Error(`unsupported ssh key type ${type}`);
}

/** Parses a PEM private key (PKCS#1 RSA or PKCS#8 RSA/Ed25519) through node:crypto. */
function parsePemKey(pem: string): SshKey {
  if (/Proc-Type:\s*4,ENCRYPTED|BEGIN ENCRYPTED PRIVATE KEY/.test(pem)) {
    throw new UserError('UNSUPPORTED', 'passphrase-protected PEM keys are not supported');
  }
  const key = createPrivateKey(pem);
  const jwk = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType === 'ed25519') {
    const pub = Buffer.from(jwk.x ?? '', 'base64url');
    const publicBlob = Buffer.concat([wireString(Buffer.from('ssh-ed25519')), wireString(pub)]);
    return { kind: 'ssh-ed25519', publicBlob, seed: Buffer.from(jwk.d ?? '', 'base64url') };
  }
  if (key.asymmetricKeyType === 'rsa') {
    const publicBlob = Buffer.concat([
      wireString(Buffer.from('ssh-rsa')),
      wireMpint(Buffer.from(jwk.e ?? '', 'base64url')),
      wireMpint(Buffer.from(jwk.n ?? '', 'base64url')),
    ]);
    return { kind: 'ssh-rsa', publicBlob, privateKey: key };
  }
  throw new Error(`unsupported ssh key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/**
 * Parses an SSH private key into an age identity (agessh `ParseIdentity`): unencrypted
 * OpenSSH or PEM `ssh-ed25519`/`ssh-rsa` keys. The key text is masked first.
 */
export function parseSshIdentity(text: string, location: string, mask: Mask): Identity {
  maskText(mask, text);
  let key: SshKey;
  try {
    key = text.includes('BEGIN OPENSSH PRIVATE KEY') ? parseOpenSshKey(text) : parsePemKey(text);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError('KEY_SOURCE', `malformed ssh identity in ${location}`, { cause: error });
  }
  switch (key.kind) {
    case 'ssh-ed25519':
      return new SshEd25519Identity(key.publicBlob, key.seed);
    case 'ssh-rsa':
      return new SshRsaIdentity(key.publicBlob, key.privateKey);
    case 'locked':
      return new LockedSshIdentity(key.type, key.publicBlob, location);
  }
}

// ---------------------------------------------------------------------------------------------
// Command lines (sops runs its key commands through google/shlex, not a shell)

/** Splits a command line like google/shlex: whitespace, quotes, backslash escapes, `#` comments. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < line.length) word += line[++i] ?? '';
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (ch === '#' && !inWord) {
      break;
    } else {
      inWord = true;
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '\\' && i + 1 < line.length) word += line[++i] ?? '';
      else word += ch;
    }
  }
  if (quote !== null) throw new UserError('KEY_SOURCE', 'unterminated quote in command');
  if (inWord) words.push(word);
  return words;
}

// ---------------------------------------------------------------------------------------------
// Loading and the source

function describeCount(count: number): string {
  return count === 1 ? '1 identity' : `${count} identities`;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** A key command, run once per recipient with `SOPS_AGE_RECIPIENT` set, as sops does. */
interface RecipientCommand {
  readonly envName: string;
  readonly argv: readonly string[];
  readonly parse: (output: string) => LoadedIdentity[];
}

/**
 * Loads every age identity sops would find, and returns the age key source. Locations that
 * were looked at are recorded (with what was found or why it failed) for the key report.
 */
export async function loadAgeKeySource(options: AgeLoadOptions): Promise<KeySource> {
  const env = options.env ?? {};
  const { mask } = options;
  const identities: LoadedIdentity[] = [];
  const locations: string[] = [];
  const commands: RecipientCommand[] = [];

  // Explicit files come first; the user named them, so failing to use one is an error.
  for (const file of options.keyFiles ?? []) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UserError(
        isNotFound(error) ? 'FILE_NOT_FOUND' : 'KEY_SOURCE',
        `age key file ${file}: ${isNotFound(error) ? 'not found' : 'cannot be read'}`,
        { cause: error },
      );
    }
    try {
      const found = parseAgeIdentities(text, mask);
      identities.push(...found);
      locations.push(`--age-key-file ${file}: ${describeCount(found.length)}`);
    } catch (error) {
      throw new UserError(
        error instanceof UserError ? error.code : 'KEY_SOURCE',
        `age key file ${file}: ${errorMessage(error)}`,
        { cause: error },
      );
    }
  }

  /** Environment-driven sources only record their failure, like sops's errSet. */
  const tryLoad = async (label: string, load: () => Promise<LoadedIdentity[]>): Promise<void> => {
    try {
      const found = await load();
      identities.push(...found);
      locations.push(`${label}: ${describeCount(found.length)}`);
    } catch (error) {
      locations.push(`${label}: ${isNotFound(error) ? 'not found' : `error: ${errorMessage(error)}`}`);
    }
  };

  const ageKey = env[AGE_KEY_ENV];
  if (ageKey === undefined) locations.push(`${AGE_KEY_ENV}: not set`);
  else
    await tryLoad(AGE_KEY_ENV, () =>
      Promise.resolve(parseAgeIdentities(ageKey, mask, { multiplePerLine: true })),
    );

  const ageKeyFile = env[AGE_KEY_FILE_ENV];
  if (ageKeyFile === undefined) locations.push(`${AGE_KEY_FILE_ENV}: not set`);
  else
    await tryLoad(`${AGE_KEY_FILE_ENV}=${ageKeyFile}`, async () =>
      parseAgeIdentities(await readFile(ageKeyFile, 'utf8'), mask),
    );

  const ageKeyCmd = env[AGE_KEY_CMD_ENV];
  if (ageKeyCmd === undefined) locations.push(`${AGE_KEY_CMD_ENV}: not set`);
  else {
    try {
      const argv = splitCommandLine(ageKeyCmd);
      if (argv.length === 0) throw new UserError('KEY_SOURCE', 'empty command');
      commands.push({ envName: AGE_KEY_CMD_ENV, argv, parse: (out) => parseAgeIdentities(out, mask) });
      locations.push(`${AGE_KEY_CMD_ENV}: run for each age recipient`);
    } catch (error) {
      locations.push(`${AGE_KEY_CMD_ENV}: error: ${errorMessage(error)}`);
    }
  }

  const sshFile = env[AGE_SSH_FILE_ENV];
  if (sshFile === undefined) locations.push(`${AGE_SSH_FILE_ENV}: not set`);
  else
    await tryLoad(`${AGE_SSH_FILE_ENV}=${sshFile}`, async () => [
      parseSshIdentity(await readFile(sshFile, 'utf8'), sshFile, mask),
    ]);

  const sshCmd = env[AGE_SSH_CMD_ENV];
  if (sshCmd === undefined) locations.push(`${AGE_SSH_CMD_ENV}: not set`);
  else {
    try {
      const argv = splitCommandLine(sshCmd);
      if (argv.length === 0) throw new UserError('KEY_SOURCE', 'empty command');
      commands.push({
        envName: AGE_SSH_CMD_ENV,
        argv,
        parse: (out) => [parseSshIdentity(out, AGE_SSH_CMD_ENV, mask)],
      });
      locations.push(`${AGE_SSH_CMD_ENV}: run for each age recipient`);
    } catch (error) {
      locations.push(`${AGE_SSH_CMD_ENV}: error: ${errorMessage(error)}`);
    }
  }

  // sops uses os.UserConfigDir(): $XDG_CONFIG_HOME when set, else ~/.config (on Linux).
  const xdg = env['XDG_CONFIG_HOME'];
  const configDir =
    xdg !== undefined && xdg !== ''
      ? xdg
      : options.homeDir === undefined
        ? undefined
        : path.join(options.homeDir, '.config');
  if (configDir !== undefined) {
    const defaultFile = path.join(configDir, 'sops', 'age', 'keys.txt');
    await tryLoad(defaultFile, async () => parseAgeIdentities(await readFile(defaultFile, 'utf8'), mask));
  }

  // sops 3.13 also reads the user's default SSH keys when they exist.
  if (options.homeDir !== undefined) {
    for (const name of ['id_ed25519', 'id_rsa']) {
      const file = path.join(options.homeDir, '.ssh', name);
      await tryLoad(file, async () => [parseSshIdentity(await readFile(file, 'utf8'), file, mask)]);
    }
  }

  return createAgeKeySource(identities, locations, commands, { exec: options.exec, env, mask });
}

const nativeIdentities = new Map<string, Identity>();

/** X25519 identities go through node:crypto (age-x25519.ts); the rest through age-encryption. */
function nativeIdentity(identity: LoadedIdentity): LoadedIdentity {
  if (typeof identity !== 'string') return identity;
  let native = nativeIdentities.get(identity);
  if (native === undefined) {
    const parsed = NativeX25519Identity.parse(identity);
    if (parsed === null) return identity;
    native = parsed;
    nativeIdentities.set(identity, native);
  }
  return native;
}

const ARMOR_HEADER = '-----BEGIN AGE ENCRYPTED FILE-----';
const ARMOR_FOOTER = '-----END AGE ENCRYPTED FILE-----';

/**
 * age's ASCII armor, parsed as strictly as age-encryption's `armor.decode`: surrounding
 * whitespace and CRLF are accepted, every line but the last is 64 characters, and the base64
 * must be canonical (it re-encodes to the same text).
 */
export function decodeArmor(text: string): Uint8Array {
  const lines = text.trim().replaceAll('\r\n', '\n').split('\n');
  if (lines.shift() !== ARMOR_HEADER) throw new Error('invalid header');
  if (lines.pop() !== ARMOR_FOOTER) throw new Error('invalid footer');
  const lastIndex = lines.length - 1;
  const lengthOk = (line: string, i: number): boolean =>
    i === lastIndex ? line.length > 0 && line.length <= 64 && line.length % 4 === 0 : line.length === 64;
  if (lines.length === 0 || !lines.every(lengthOk)) throw new Error('invalid line length');
  const body = lines.join('');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error('invalid base64');
  const bytes = Buffer.from(body, 'base64');
  if (bytes.toString('base64') !== body) throw new Error('invalid base64');
  return bytes;
}

/** Returns null after the other identities all declined, so "no match" is told from failure. */
class NoMatchSentinel implements Identity {
  reached = false;
  unwrapFileKey(): null {
    this.reached = true;
    return null;
  }
}

function createAgeKeySource(
  identities: readonly LoadedIdentity[],
  locations: string[],
  commands: readonly RecipientCommand[],
  context: { exec: Exec | undefined; env: Readonly<Record<string, string | undefined>>; mask: Mask },
): KeySource {
  const { exec, env, mask } = context;
  const perRecipient = new Map<string, Promise<LoadedIdentity[]>>();

  const runCommand = async (command: RecipientCommand, recipient: string): Promise<LoadedIdentity[]> => {
    if (exec === undefined)
      throw new UserError('KEY_SOURCE', `${command.envName}: no process runner available`);
    const [program = '', ...args] = command.argv;
    let result;
    try {
      result = await exec.run(program, args, { env: { ...env, [AGE_RECIPIENT_ENV]: recipient } });
    } catch (error) {
      throw new UserError('KEY_SOURCE', `${command.envName}: cannot run ${program}`, { cause: error });
    }
    const output = Buffer.from(result.stdout).toString('utf8');
    // Masked before the exit code is looked at: a failing command may still have printed keys.
    maskText(mask, output);
    if (result.exitCode !== 0) {
      throw new UserError('KEY_SOURCE', `${command.envName}: ${program} exited with code ${result.exitCode}`);
    }
    return command.parse(output);
  };

  const commandIdentities = (recipient: string): Promise<LoadedIdentity[]> => {
    let pending = perRecipient.get(recipient);
    if (pending === undefined) {
      pending = (async () => {
        const out: LoadedIdentity[] = [];
        for (const command of commands) {
          try {
            out.push(...(await runCommand(command, recipient)));
          } catch (error) {
            locations.push(`${command.envName} (recipient ${recipient}): error: ${errorMessage(error)}`);
          }
        }
        return out;
      })();
      perRecipient.set(recipient, pending);
    }
    return pending;
  };

  return {
    name: 'age',
    locations,
    async decrypt(key: MasterKey): Promise<Uint8Array | null> {
      if (key.type !== 'age') return null;
      const all = [...identities, ...(commands.length === 0 ? [] : await commandIdentities(key.recipient))];
      if (all.length === 0) return null;
      let file: Uint8Array;
      try {
        file = decodeArmor(key.enc);
      } catch (error) {
        throw new UserError('DECRYPT_FAILED', 'age: enc is not an ASCII-armored age file', { cause: error });
      }
      const natives = all.map(nativeIdentity).filter((i) => i instanceof NativeX25519Identity);
      if (natives.length > 0) {
        try {
          const fast = decryptAgeFileX25519(file, natives);
          if (fast !== null) return fast;
        } catch (error) {
          throw new UserError('DECRYPT_FAILED', `age: ${errorMessage(error)}`, { cause: error });
        }
      }
      // Post-quantum and SSH identities: age-encryption is loaded only for them, since its
      // module set-up alone costs about 18 ms of every start (bench/startup).
      const { Decrypter } = await import('./age-library.ts');
      const decrypter = new Decrypter();
      for (const identity of all) decrypter.addIdentity(nativeIdentity(identity));
      const sentinel = new NoMatchSentinel();
      decrypter.addIdentity(sentinel);
      try {
        return await decrypter.decrypt(file);
      } catch (error) {
        if (sentinel.reached) return null;
        if (error instanceof UserError) throw error;
        throw new UserError('DECRYPT_FAILED', `age: ${errorMessage(error)}`, { cause: error });
      }
    },
  };
}
