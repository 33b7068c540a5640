/**
 * Replaces registered secrets in text, longest first. The Actions runner masks its own log,
 * but our CLI prints to a terminal and our tests capture output, so the non-Actions hosts
 * redact with this too: a secret that slips into a message still never leaves the process.
 */
/**
 * Values shorter than this are not masked. Masking `1`, `yes` or `abc` would blank those
 * characters across every log line and hide nothing a guess could not find.
 */
export const MIN_MASK_LENGTH = 4;

/** The parts of a secret worth masking: the whole value and each line, if long enough. */
export function maskableParts(value: string): string[] {
  // Multi-line secrets are also masked line by line, as the runner matches per line.
  const parts = new Set([value, ...value.split(/\r?\n/)].map((p) => p.trim()));
  return [...parts].filter((p) => p.length >= MIN_MASK_LENGTH);
}

export class Redactor {
  readonly #secrets = new Set<string>();
  #sorted: string[] | undefined;

  add(value: string): void {
    for (const part of maskableParts(value)) this.#secrets.add(part);
    this.#sorted = undefined;
  }

  redact(text: string): string {
    if (this.#secrets.size === 0) return text;
    this.#sorted ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of this.#sorted) out = out.split(secret).join('***');
    return out;
  }
}
