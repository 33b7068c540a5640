/**
 * The age key source: X25519 (`AGE-SECRET-KEY-1…`) and post-quantum hybrid
 * (`AGE-SECRET-KEY-PQ-1…`) identities through `age-encryption`, and SSH identities
 * (`ssh-ed25519`, `ssh-rsa` stanzas, age-ssh.ts).
 *
 * Identities are looked for where sops 3.13 looks (`age/keysource.go`), plus the explicit
 * `--age-key-file` option. Unlike sops, a source that fails to load does not stop the others;
 * its error is kept for the key report, as sops does with its `errSet`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Identity } from 'age-encryption';
import { UserError, errorMessage } from '../errors.ts';
import type { Exec } from '../ports.ts';
import { NativeX25519Identity, decodeBech32, decryptAgeFileX25519 } from './age-x25519.ts';
import type { KeySource } from './key-source.ts';
import type { MasterKey } from './master-key.ts';
import type { Mask } from '../ports.ts';
import { parseSshIdentity } from './age-ssh.ts';
import { maskText } from '../masking.ts';

export { parseSshIdentity } from './age-ssh.ts';

/** What {@link loadAgeKeySource} reads. Every field but `mask` has a harmless default. */
export interface AgeLoadOptions {
  /** `--age-key-file` values, in order. A missing or malformed explicit file is an error. */
  readonly keyFiles?: readonly string[];
  /**
   * Identities given as text (the `age-key` input). They are read as one text with
   * `SOPS_AGE_KEY` (after it), and reported under that name, as sops would read them there.
   */
  readonly keyTexts?: readonly string[];
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

  const keyTexts = options.keyTexts ?? [];
  const ageKey =
    keyTexts.length === 0 ? env[AGE_KEY_ENV] : [env[AGE_KEY_ENV] ?? '', ...keyTexts].join('\n').trim();
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
