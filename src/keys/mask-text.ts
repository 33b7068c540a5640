/**
 * Masking of multi-line secrets (key files, key command output): the whole text and each
 * line. Until the one masking policy (src/masking.ts) exists, the age sources use this.
 */
import type { Mask } from '../ports.ts';

/**
 * Masks a multi-line secret as a whole and line by line: a runner masks whole values, and
 * a secret that reaches a log split across lines must still be hidden.
 */
export function maskText(mask: Mask, text: string): void {
  const trimmed = text.trim();
  if (trimmed !== '') mask(trimmed);
  for (const line of text.split(/\r?\n/)) {
    const value = line.trim();
    if (value.length >= 8 && !value.startsWith('-----')) mask(value);
  }
}
