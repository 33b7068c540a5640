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

/**
 * Parts shorter than this are not masked: masking `1`, `yes` or `abc` would blank those
 * characters across every log line and hide nothing a guess could not find.
 */
export const MIN_MASK_LENGTH = 4;

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

/** `text` with every one of `secrets` (longest first) replaced by `***`. */
function replaceAll(text: string, longestFirst: readonly string[]): string {
  let out = text;
  for (const secret of longestFirst) out = out.split(secret).join('***');
  return out;
}

function longestFirst(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => b.length - a.length);
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
  readonly #secrets = new Set<string>();
  #sorted: string[] | undefined;

  add(value: string): void {
    for (const part of maskableParts(value)) this.#secrets.add(part);
    this.#sorted = undefined;
  }

  redact(text: string): string {
    if (this.#secrets.size === 0) return text;
    this.#sorted ??= longestFirst(this.#secrets);
    return replaceAll(text, this.#sorted);
  }
}

/**
 * The run's registry of decrypted values. Each value's maskable parts, and the base64 of the
 * value and of each of its lines (what a Secret's `data` shows), go to the host's mask the
 * moment they exist. Every encoded form a secret can take in our output is added here, and
 * only here.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();
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
    for (const form of [...parts, ...encoded]) {
      if (this.#values.has(form)) continue;
      this.#values.add(form);
      this.#mask(form);
    }
  }

  /** Every registered value and encoding, longest first. */
  values(): string[] {
    return longestFirst(this.#values);
  }

  /** `text` with every known value replaced by `***`, for kustomize's stderr. */
  redact(text: string): string {
    return replaceAll(text, this.values());
  }

  /** Whether a scalar of the build output holds a decrypted value (substitution skips it). */
  touches(text: string): boolean {
    for (const value of this.#values) if (text.includes(value)) return true;
    return false;
  }
}
