/**
 * The one masking policy: which parts of a secret are registered with the host's mask, and
 * the run's registry of decrypted values. Every producer of secrets (the key sources, the
 * SOPS engine, the build, the hosts) goes through `maskableParts`, so a value is masked the
 * same way whichever output it would reach.
 *
 * The policy: the whole value and each of its lines (a runner matches per line, and a secret
 * that reaches a log split across lines must still be hidden), each trimmed, once it has at
 * least MIN_MASK_LENGTH characters. Blanks around a value do not count: `"  xy  "` is not
 * masked, as it hides only two characters.
 *
 * This was the hosts' policy. It is what the runner's log has always applied, since every
 * value reaches it through `Host.setSecret`; the registry (≥ 4 characters as written) and
 * the age and pgp key sources (lines of ≥ 8, armour lines skipped) now use it too. Where
 * they differed, the registry also masked values with blanks around a core under 4
 * characters (`"abc "`; no longer), and the key sources skipped short and armour lines (now
 * masked: the safer choice).
 */

import { escapedForms } from './secret-forms.ts';

/**
 * Parts shorter than this are not masked: masking `1`, `yes` or `abc` would blank those
 * characters across every log line and hide nothing a guess could not find.
 */
export const MIN_MASK_LENGTH = 4;

/** What a masked value shows as: Flux's token. */
export const MASK_TOKEN = '***';

export interface MaskOptions {
  /**
   * Whether each line is masked on its own too (default true). Off for the whole text of a
   * JSON or YAML file: its lines include keys and punctuation, not only secrets.
   */
  readonly lines?: boolean;
}

/** The parts of `value` worth masking, by the one policy above. */
export function maskableParts(value: string, options: MaskOptions = {}): string[] {
  const parts = new Set<string>();
  const candidates = options.lines === false ? [value] : [value, ...value.split(/\r?\n/)];
  for (const candidate of candidates) {
    const trimmed = candidate.trim();
    if (trimmed.length >= MIN_MASK_LENGTH) parts.add(trimmed);
  }
  return [...parts];
}

/** How many leading characters index a secret in SecretSet (MIN_MASK_LENGTH: most are longer). */
const KEY_LENGTH = MIN_MASK_LENGTH;

/** A number for the KEY_LENGTH characters of `text` at `at` (collisions are checked by startsWith). */
function keyAt(text: string, at: number): number {
  let h = 0;
  for (let k = 0; k < KEY_LENGTH; k++) h = Math.imul(h, 65599) + text.charCodeAt(at + k);
  return h | 0;
}

/**
 * Secrets that share a start, by length, with their lengths longest first: a run's values
 * often share one (every `app-...` value, every base64 of one), so a start is looked up once
 * per distinct length, not once per secret.
 */
class Bucket {
  readonly lengths: number[] = [];
  readonly #byLength = new Map<number, Set<string>>();

  add(value: string): void {
    let set = this.#byLength.get(value.length);
    if (set === undefined) {
      this.#byLength.set(value.length, (set = new Set()));
      const at = this.lengths.findIndex((length) => length < value.length);
      this.lengths.splice(at === -1 ? this.lengths.length : at, 0, value.length);
    }
    set.add(value);
  }

  /** The length of the longest secret here that starts at `at` in `text`, 0 when none does. */
  matchAt(text: string, at: number): number {
    for (const length of this.lengths) {
      if (at + length > text.length) continue;
      if (this.#byLength.get(length)?.has(text.slice(at, at + length)) === true) return length;
    }
    return 0;
  }
}

/**
 * A set of secret strings, matched as one alternation longest first (at each position the
 * longest secret that starts there; the leftmost position first), indexed by their first
 * KEY_LENGTH characters, then by length. Hand-written instead of a RegExp alternation: with
 * thousands of values and forms, V8 tried every alternative at every position and recompiled
 * the whole pattern after each new secret, which made redacting each log line of a large
 * build cost more than the build (bench/build). Here a text is scanned once, each position
 * costs a hash and, where secrets start with the same characters, a lookup per length, and
 * adding a secret costs no recompile.
 */
class SecretSet {
  readonly #values = new Set<string>();
  /** Secrets of at least KEY_LENGTH characters by the key of their start. */
  readonly #byKey = new Map<number, Bucket>();
  /** Secrets shorter than KEY_LENGTH (none under the masking policy). */
  readonly #short = new Bucket();

  /** Adds `value`; false when it was there already (or is empty, which matches nothing). */
  add(value: string): boolean {
    if (value === '' || this.#values.has(value)) return false;
    this.#values.add(value);
    if (value.length < KEY_LENGTH) {
      this.#short.add(value);
    } else {
      const key = keyAt(value, 0);
      let bucket = this.#byKey.get(key);
      if (bucket === undefined) this.#byKey.set(key, (bucket = new Bucket()));
      bucket.add(value);
    }
    return true;
  }

  get size(): number {
    return this.#values.size;
  }

  longestFirst(): string[] {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }

  /** The length of the longest secret starting at `at` in `text`, 0 when none does. */
  #matchAt(text: string, at: number): number {
    if (at + KEY_LENGTH <= text.length) {
      const length = this.#byKey.get(keyAt(text, at))?.matchAt(text, at) ?? 0;
      if (length > 0) return length;
    }
    return this.#short.matchAt(text, at);
  }

  replace(text: string, token: string): string {
    if (this.#values.size === 0) return text;
    let out = '';
    let copied = 0;
    for (let at = 0; at < text.length;) {
      const length = this.#matchAt(text, at);
      if (length === 0) {
        at++;
        continue;
      }
      out += text.slice(copied, at) + token;
      at += length;
      copied = at;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  foundIn(text: string): boolean {
    if (this.#values.size === 0) return false;
    for (let at = 0; at < text.length; at++) if (this.#matchAt(text, at) > 0) return true;
    return false;
  }
}

/**
 * Masks a (multi-line) secret by the policy above through a host's mask: as a whole and line
 * by line, since a secret that reaches a log split across lines must still be hidden.
 */
export function maskText(mask: (value: string) => void, text: string): void {
  for (const part of maskableParts(text)) mask(part);
}

/**
 * Replaces registered secrets in text, longest first. The Actions runner masks its own log,
 * but our CLI prints to a terminal and our tests capture output, so the non-Actions hosts
 * redact with this too: a secret that slips into a message still never leaves the process.
 */
export class Redactor {
  readonly #secrets = new SecretSet();

  add(value: string): void {
    for (const part of maskableParts(value)) this.#secrets.add(part);
  }

  redact(text: string): string {
    return this.#secrets.replace(text, MASK_TOKEN);
  }
}

/**
 * Where a run's decrypted values are checked and masked. Domain code that renders text for
 * users (the diff, reports, errors) takes this rather than the whole registry.
 */
export interface SecretText {
  /** Whether `text` holds a registered value in any of its forms. */
  touches(text: string): boolean;
  /** `text` with every registered form replaced by `token` (default `***`). */
  redact(text: string, token?: string): string;
}

/**
 * The run's registry of decrypted values. Each value's maskable parts, the base64 of the
 * value and of each of its lines (what a Secret's `data` shows), and the escaped forms of
 * each part (Go-quoted, JSON, YAML double- and single-quoted: secret-forms.ts) go to the
 * host's mask the moment they exist. Every form a secret can take in our output is added
 * here, and only here.
 */
export class SecretRegistry implements SecretText {
  readonly #values = new SecretSet();
  readonly #mask: (value: string) => void;

  constructor(mask: (value: string) => void) {
    this.#mask = mask;
  }

  add(value: string, options: MaskOptions = {}): void {
    const parts = maskableParts(value, options);
    if (parts.length === 0) return;
    // The base64 forms are of the text as written: that is what a Secret's data holds.
    const written = options.lines === false ? [value] : [value, ...value.split(/\r?\n/)];
    const encoded = written
      .filter((text) => maskableParts(text, { lines: false }).length > 0)
      .map((text) => Buffer.from(text, 'utf8').toString('base64'));
    const escaped = parts.flatMap((part) => escapedForms(part));
    for (const form of [...parts, ...encoded, ...escaped]) {
      if (this.#values.add(form)) this.#mask(form);
    }
  }

  /** Every registered value and form, longest first. */
  values(): string[] {
    return this.#values.longestFirst();
  }

  redact(text: string, token: string = MASK_TOKEN): string {
    return this.#values.replace(text, token);
  }

  /** Whether a text (a scalar of the build output, a diff line) holds a decrypted value. */
  touches(text: string): boolean {
    return this.#values.foundIn(text);
  }
}
