/**
 * Replaces registered secrets in text, longest first. The Actions runner masks its own log,
 * but our CLI prints to a terminal and our tests capture output, so the non-Actions hosts
 * redact with this too: a secret that slips into a message still never leaves the process.
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  #sorted: string[] | undefined;

  add(value: string): void {
    // Multi-line secrets are also masked line by line, as the runner does.
    for (const part of [value, ...value.split(/\r?\n/)]) {
      if (part.trim().length >= 1) this.#secrets.add(part);
    }
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
