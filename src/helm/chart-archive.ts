/**
 * The files of a chart archive (`.tgz`, as `helm package` writes it: a gzip of a tar of one
 * chart folder), read into memory by path, through the project's tar reader (src/tar-reader.ts).
 * Only regular files are kept: links and devices are skipped, as helm's loader skips them. The archive is already capped at 10 MiB when downloaded; the
 * unpacked size is capped too, so a gzip bomb cannot exhaust memory.
 */
import { gunzipSync } from 'node:zlib';
import { UserError } from '../errors.ts';
import { visitTarFiles } from '../tar-reader.ts';

/** The largest unpacked chart accepted (helm's own loader caps files at 5 MiB each). */
export const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

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
  try {
    visitTarFiles(tar, (name, data) => {
      files.set(name, Buffer.from(data));
      return false;
    });
  } catch (cause) {
    throw new UserError('BAD_FORMAT', `${what}: the chart archive is truncated or not a tar file`, { cause });
  }
  return files;
}
