/**
 * Reads the regular files of an (already gunzipped) tar archive in memory: one entry of a
 * kustomize release archive (the binary), or every file of a Helm chart archive. The one tar
 * reader of the project.
 *
 * Hand-written instead of a tar package: dist/ is bundled with no runtime dependencies, and
 * nothing here writes an entry's name to disk (the caller names the file it writes), so none of
 * the path-traversal, link and permission handling of a general extractor is needed. It reads
 * POSIX ustar headers (with their `prefix` field), pax extended headers (`path`, `size`) and GNU
 * long names, which covers what Go's archive/tar (goreleaser) and GNU/BSD tar write. Every header
 * checksum is verified and every size is checked against the archive's length.
 */

const BLOCK = 512;

interface Overrides {
  path?: string;
  size?: number;
}

function text(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString('utf8');
}

/** A numeric field: octal text, or base-256 when the top bit of the first byte is set. */
function numeric(block: Uint8Array, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = (field[0] ?? 0) & 0x7f;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    return value;
  }
  const digits = text(block, start, length).trim();
  if (!/^[0-7]*$/.test(digits)) throw new Error(`a header field is not octal: "${digits}"`);
  return digits === '' ? 0 : parseInt(digits, 8);
}

function checksumMatches(block: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return numeric(block, 148, 8) === sum;
}

/** The records of a pax extended header: `LEN key=value\n`, LEN counting the whole record. */
function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number(Buffer.from(data.subarray(at, space)).toString('ascii'));
    if (!Number.isSafeInteger(length) || length <= space - at || at + length > data.length) {
      throw new Error('a pax header record is malformed');
    }
    const record = Buffer.from(data.subarray(space + 1, at + length - 1)).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return out;
}

/** `./kustomize` and `kustomize` are the same entry. */
function normalize(name: string): string {
  return name.replace(/^(\.\/)+/, '');
}

/**
 * Calls `visit` with each regular file of `tar` (its path, `./` prefixes removed, and its
 * bytes) until `visit` returns true. Links, devices and folders are skipped. Throws an Error
 * (the caller words it for the user) when the archive is malformed.
 */
export function visitTarFiles(tar: Uint8Array, visit: (name: string, data: Uint8Array) => boolean): void {
  let at = 0;
  let next: Overrides = {};
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) return; // the end-of-archive blocks
    if (!checksumMatches(header)) throw new Error(`the tar header at byte ${at} has a wrong checksum`);
    const type = String.fromCharCode(header[156] ?? 0);
    const metadata = type === 'x' || type === 'L' || type === 'g';
    // A pax `size` overrides the header's for the entry it precedes, never for another header.
    const size = metadata ? numeric(header, 124, 12) : (next.size ?? numeric(header, 124, 12));
    const dataStart = at + BLOCK;
    if (dataStart + size > tar.length) throw new Error(`the tar entry at byte ${at} is cut short`);
    const data = tar.subarray(dataStart, dataStart + size);
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'x') {
      const records = paxRecords(data);
      const paxPath = records.get('path');
      const paxSize = records.get('size');
      if (paxPath !== undefined) next.path = paxPath;
      if (paxSize !== undefined) {
        next.size = Number(paxSize);
        if (!/^\d+$/.test(paxSize) || !Number.isSafeInteger(next.size))
          throw new Error('a pax size is not a number');
      }
      continue;
    }
    if (type === 'L') {
      next.path = text(data, 0, data.length);
      continue;
    }
    if (type === 'g') continue;

    const magic = text(header, 257, 6);
    const prefix = magic.startsWith('ustar') ? text(header, 345, 155) : '';
    const entryName =
      next.path ?? (prefix === '' ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`);
    next = {};
    if ((type === '0' || type === '\0' || type === '7') && visit(normalize(entryName), data)) return;
  }
  throw new Error('the tar archive ends without its end-of-archive blocks');
}

/** The content of the regular file `name` in `tar`, or undefined when there is none. */
export function readTarEntry(tar: Uint8Array, name: string): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  visitTarFiles(tar, (entry, data) => {
    if (entry !== name) return false;
    found = data;
    return true;
  });
  return found;
}
