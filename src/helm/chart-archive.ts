/**
 * The files of a chart archive (`.tgz`, as `helm package` writes it: a gzip of a tar of one
 * chart folder), read into memory by path. Hand-written: node has gzip but no tar, and a
 * chart needs only what Go's archive/tar writes (ustar headers with a prefix, and PAX or GNU
 * records for long names). Only regular files are kept: links and devices are skipped, as
 * helm's loader skips them. The archive is already capped at 10 MiB when downloaded; the
 * unpacked size is capped too, so a gzip bomb cannot exhaust memory.
 */
import { gunzipSync } from 'node:zlib';
import { UserError } from '../errors.ts';

/** The largest unpacked chart accepted (helm's own loader caps files at 5 MiB each). */
export const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

const BLOCK = 512;

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** PAX records (`LEN key=value\n`...): only `path` matters here. */
function paxPath(data: Buffer): string | undefined {
  let found: string | undefined;
  let rest = data.toString('utf8');
  while (rest.length > 0) {
    const space = rest.indexOf(' ');
    const length = Number(rest.slice(0, space));
    if (space <= 0 || !Number.isSafeInteger(length) || length <= space) break;
    const record = rest.slice(space + 1, length - 1);
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') found = record.slice(eq + 1);
    rest = rest.slice(length);
  }
  return found;
}

/** The regular files of the archive by their path in it; throws a UserError naming `what`. */
export function readChartArchive(archive: Buffer, what: string): Map<string, Buffer> {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (cause) {
    throw new UserError(
      'BAD_FORMAT',
      `${what}: the chart archive is not a gzip of at most ${MAX_UNPACKED_BYTES} bytes`,
      {
        cause,
      },
    );
  }
  const files = new Map<string, Buffer>();
  let next: string | undefined;
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(text(header, 124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0 || offset + BLOCK + size > tar.length) {
      throw new UserError('BAD_FORMAT', `${what}: the chart archive is truncated or not a tar file`);
    }
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCharCode(header[156] ?? 0);
    if (type === 'x') {
      next = paxPath(data) ?? next;
      continue;
    }
    if (type === 'L') {
      next = text(data, 0, data.length);
      continue;
    }
    const prefix = text(header, 257, 6).startsWith('ustar') ? text(header, 345, 155) : '';
    const name = next ?? (prefix === '' ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`);
    next = undefined;
    if (type === '0' || type === '\0') files.set(name, Buffer.from(data));
  }
  return files;
}
