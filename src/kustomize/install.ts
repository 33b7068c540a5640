/**
 * `kustomize-version`: the kustomize release a run asks for, downloaded once into a tool cache
 * and reused from there. What a build renders depends on the kustomize that runs it (runner
 * images ship kubectl's kustomize v5.5 beside a standalone one; Flux 2.9 builds with v5.8), so a
 * workflow can pin the one its cluster's Flux uses.
 *
 * The archive comes from the release's own URL layout
 * (`<base>/kustomize%2Fv<version>/kustomize_v<version>_<os>_<arch>.tar.gz`), its sha256 must be
 * the one the release's `checksums.txt` lists, and only then is the binary unpacked: into a
 * temporary folder beside its final place, renamed into place in one step, so a half-written
 * binary is never found (and two runs installing at once both end with a whole one). The cache
 * layout is @actions/tool-cache's, `<cache>/kustomize/<version>/<arch>/` with an `<arch>.complete`
 * marker: the runner's RUNNER_TOOL_CACHE in the Action, a private per-user folder on the CLI
 * (src/user-cache.ts: a binary in it is run, so no one else may write it).
 *
 * Hand-written on node's fetch, node:zlib and tar-reader.ts rather than @actions/tool-cache or a
 * tar package: dist/ is bundled with no runtime dependencies, the CLI installs the same way
 * outside Actions, and where the requests go (the release host, and on a redirect only GitHub's
 * asset hosts) and how much they read must be ours to decide (release-download.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { arch as osArch, platform as osPlatform } from 'node:os';
import path from 'node:path';
import { isExecutable } from '../executable.ts';
import { gunzipSync } from 'node:zlib';
import { errorMessage, UserError } from '../errors.ts';
import type { Env, FetchLike, Logger } from '../ports.ts';
import { privateCacheDir } from '../user-cache.ts';
import { downloadAsset } from './release-download.ts';
import { readTarEntry } from '../tar-reader.ts';
import { DEFAULT_KUSTOMIZE_DOWNLOAD_URL, type KustomizeRelease } from './kustomize-release.ts';

export {
  DEFAULT_KUSTOMIZE_DOWNLOAD_URL,
  parseKustomizeVersion,
  type KustomizeRelease,
} from './kustomize-release.ts';

/**
 * Where a download from the default URL may go: GitHub answers a release asset with a redirect
 * to its object store (objects.githubusercontent.com, lately release-assets.githubusercontent.com).
 */
const GITHUB_ORIGINS = [
  'https://github.com',
  'https://objects.githubusercontent.com',
  'https://release-assets.githubusercontent.com',
];

/** Far above a kustomize archive (about 20 MB) and binary (about 50 MB), far below trouble. */
const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;
const MAX_BINARY_BYTES = 512 * 1024 * 1024;
const MAX_CHECKSUMS_BYTES = 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

export interface InstallDeps {
  readonly log: Logger;
  /** For the per-user cache folder (XDG_CACHE_HOME, HOME). */
  readonly env: Env;
  readonly fetch?: FetchLike;
  /** The machine, for the archive's name and the cache folder; the running one by default. */
  readonly platform?: string;
  readonly arch?: string;
}

const RELEASE_OS: Readonly<Record<string, string>> = { linux: 'linux', darwin: 'darwin' };
const RELEASE_ARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

/** The release archive for this machine, e.g. `kustomize_v5.8.2_linux_amd64.tar.gz`. */
export function releaseAssetName(version: string, platform: string, arch: string): string {
  const os = RELEASE_OS[platform];
  const cpu = RELEASE_ARCH[arch];
  if (os === undefined || cpu === undefined) {
    throw new UserError('UNSUPPORTED', `kustomize-version cannot install kustomize on ${platform}/${arch}`, {
      hint: 'install kustomize yourself and pass its path as kustomize-path',
    });
  }
  return `kustomize_v${version}_${os}_${cpu}.tar.gz`;
}

/** `checksums.txt` (`<sha256>  <file>` per line) as file to lowercase hex digest. */
export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) out.set(match[2], match[1].toLowerCase());
  }
  return out;
}

/** `<cache>/kustomize`: the runner's tool cache, or the private per-user one. */
function cacheRoot(release: KustomizeRelease, env: Env): string {
  if (release.toolCache !== undefined) return path.join(release.toolCache, 'kustomize');
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = uid === undefined ? undefined : privateCacheDir(env, uid, 'kustomize-sops-deploy-tools');
  if (dir === undefined) {
    throw new UserError(
      'UNSUPPORTED',
      'kustomize-version needs a cache folder that only this user can write',
      {
        hint: 'point XDG_CACHE_HOME at a folder of yours that no one else can write',
      },
    );
  }
  return path.join(dir, 'kustomize');
}

/** Downloads the archive and its checksum list; the archive only when its sha256 is the listed one. */
async function downloadVerified(
  release: KustomizeRelease,
  asset: string,
  fetch: FetchLike,
): Promise<Uint8Array> {
  const base = `${release.downloadUrl.replace(/\/+$/, '')}/kustomize%2Fv${release.version}`;
  const origins =
    release.downloadUrl === DEFAULT_KUSTOMIZE_DOWNLOAD_URL ? GITHUB_ORIGINS : [new URL(base).origin];
  const get = async (file: string, maxBytes: number): Promise<Uint8Array> => {
    const url = `${base}/${file}`;
    let body: Uint8Array | undefined;
    try {
      body = await downloadAsset(url, { origins, maxBytes, fetch, timeoutMs: DOWNLOAD_TIMEOUT_MS });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      throw new UserError(error.code, `downloading kustomize v${release.version}: ${error.message}`, {
        cause: error,
        hint:
          error.hint ??
          'kustomize-version needs to reach the release; or install kustomize and pass kustomize-path',
      });
    }
    if (body === undefined) {
      throw new UserError(
        'DOWNLOAD_FAILED',
        `kustomize v${release.version} has no ${file} (HTTP 404 from ${url})`,
        {
          hint: 'check kustomize-version against https://github.com/kubernetes-sigs/kustomize/releases',
        },
      );
    }
    return body;
  };
  const checksums = parseChecksums(
    Buffer.from(await get('checksums.txt', MAX_CHECKSUMS_BYTES)).toString('utf8'),
  );
  const expected = checksums.get(asset);
  if (expected === undefined) {
    throw new UserError(
      'CHECKSUM_MISMATCH',
      `kustomize v${release.version}: checksums.txt lists no ${asset}`,
    );
  }
  const archive = await get(asset, MAX_ARCHIVE_BYTES);
  const actual = createHash('sha256').update(archive).digest('hex');
  if (actual !== expected) {
    throw new UserError(
      'CHECKSUM_MISMATCH',
      `kustomize v${release.version}: ${asset} has sha256 ${actual}, but the release's checksums.txt says ${expected}; not using it`,
      { hint: 'the download was altered or cut short; try again, and report it if it persists' },
    );
  }
  return archive;
}

/** The kustomize binary inside a verified release archive. */
function unpackBinary(archive: Uint8Array, what: string): Uint8Array {
  let binary: Uint8Array | undefined;
  try {
    binary = readTarEntry(gunzipSync(archive, { maxOutputLength: MAX_BINARY_BYTES }), 'kustomize');
  } catch (cause) {
    throw new UserError('BAD_FORMAT', `${what} is not a readable .tar.gz: ${errorMessage(cause)}`, { cause });
  }
  if (binary === undefined) throw new UserError('BAD_FORMAT', `${what} holds no kustomize file`);
  return binary;
}

/**
 * The path of the requested kustomize: from the cache when it is there, else downloaded,
 * verified and unpacked into it first.
 */
export async function installKustomize(release: KustomizeRelease, deps: InstallDeps): Promise<string> {
  const platform = deps.platform ?? osPlatform();
  const arch = deps.arch ?? osArch();
  const asset = releaseAssetName(release.version, platform, arch);
  const versionDir = path.join(cacheRoot(release, deps.env), release.version);
  const dir = path.join(versionDir, arch);
  const binary = path.join(dir, 'kustomize');
  if (await isExecutable(binary, { regularFile: true })) {
    deps.log.debug(`kustomize v${release.version} is in the tool cache: ${binary}`);
    return binary;
  }

  deps.log.info(
    `kustomize v${release.version}: downloading ${asset} from ${new URL(release.downloadUrl).origin}`,
  );
  const archive = await downloadVerified(release, asset, deps.fetch ?? fetch);
  const content = unpackBinary(archive, asset);

  await mkdir(versionDir, { recursive: true });
  const staging = await mkdtemp(path.join(versionDir, `.${arch}-`));
  try {
    await writeFile(path.join(staging, 'kustomize'), content, { mode: 0o755 });
    try {
      await rename(staging, dir);
    } catch (error) {
      // Another run installed the same release first: its copy is as good as ours.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
      if (!(await isExecutable(binary, { regularFile: true }))) {
        throw new UserError('FILE_NOT_FOUND', `the tool cache folder ${dir} holds no executable kustomize`, {
          hint: `remove ${dir} and run again`,
        });
      }
    }
    await writeFile(`${dir}.complete`, '');
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return binary;
}
