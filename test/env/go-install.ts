/**
 * Builds the Go-based peers (sops, kustomize, age, the Kubernetes control plane, Vault...)
 * into the tools cache. Each tool records a stamp file with the version it was built from,
 * so a later run skips it in milliseconds; the module and build caches live next to the
 * tools, so a changed pin rebuilds only what changed.
 *
 * Two Go builds run at a time (`KSD_GO_BUILDS`, default 2), in the order they were queued:
 * one build leaves a core idle while it links and while it waits on packages that depend on
 * each other (a cold install measured 1,690 s of CPU in 1,102 s on two cores, one build at a
 * time), and the tests that need no build yet run beside them.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot, goBuildCache, goModCache, runDir, toolPath, toolsBin } from './paths.ts';
import { envLog } from './spawned-server.ts';

const run = promisify(execFile);
const stampDir = path.join(cacheRoot, 'tools', 'stamps');

/** A tool installed with `go install <package>@<version>`. */
export interface GoInstallSpec {
  /** Names the stamp file and the log lines. */
  readonly name: string;
  /** The module that carries the version, e.g. `github.com/getsops/sops/v3`. */
  readonly module: string;
  /** Package patterns inside the module, e.g. `github.com/getsops/sops/v3/cmd/sops` or `filippo.io/age/cmd/...`. */
  readonly packages: readonly string[];
  /** The pinned module version, e.g. `v3.13.3`. */
  readonly version: string;
  /** The binaries the packages produce; all must exist for the tool to count as installed. */
  readonly binaries: readonly string[];
}

/**
 * A tool whose module cannot be `go install`ed as published (flux: `cmd/flux` embeds
 * manifests its release build generates), so it is built from a writable copy of the module's
 * source, after `prepare` fills in what the release build would have made.
 */
export interface GoSourceBuildSpec {
  readonly name: string;
  readonly module: string;
  readonly version: string;
  /** Package patterns relative to the module root, e.g. `./cmd/flux`. */
  readonly packages: readonly string[];
  readonly binaries: readonly string[];
  readonly ldflags?: string;
  /** Runs in the copied source before the build. */
  readonly prepare: (sourceDir: string) => void;
}

/** Tools built from a wrapper module committed in this repository (see test/env/kube). */
export interface GoBuildSpec {
  readonly name: string;
  /** The wrapper module's folder. */
  readonly moduleDir: string;
  /** Package patterns relative to the module, e.g. `./cmd/...`. */
  readonly packages: readonly string[];
  readonly binaries: readonly string[];
  /** Extra `-ldflags`, e.g. `-X` version stamps. */
  readonly ldflags?: string;
}

const BUILD_SLOTS = Math.max(1, Number(process.env['KSD_GO_BUILDS'] ?? '2') || 2);
let running = 0;
const waiting: (() => void)[] = [];

/** Runs `task` when fewer than BUILD_SLOTS Go builds run, first come first served. */
async function inBuildSlot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= BUILD_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * The environment for every Go command: the caches under the tools cache, static binaries,
 * and the local toolchain only, so a build never downloads a different Go behind our back.
 */
export function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMODCACHE: goModCache,
    GOCACHE: goBuildCache,
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    // Wrapper modules resolve go.sum entries they lack instead of failing.
    GOFLAGS: '-mod=mod',
  };
}

function stampFile(name: string): string {
  return path.join(stampDir, `${name}.txt`);
}

function readStamp(name: string): string | undefined {
  try {
    return readFileSync(stampFile(name), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function writeStamp(name: string, key: string): void {
  mkdirSync(stampDir, { recursive: true });
  writeFileSync(stampFile(name), `${key}\n`);
}

function allPresent(binaries: readonly string[]): boolean {
  return binaries.every((b) => existsSync(toolPath(b)));
}

/**
 * The `module@version` a Go binary was built from, read from its embedded build info. This
 * recognises binaries built before stamps existed (or copied in by hand) so they are not
 * rebuilt.
 */
export async function builtFrom(binary: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('go', ['version', '-m', binary], { env: goEnv() });
    const line = stdout.split('\n').find((l) => l.trimStart().startsWith('mod\t'));
    const [, module, version] = line?.trim().split('\t') ?? [];
    return module !== undefined && version !== undefined ? `${module}@${version}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs one Go command with its output in a log file under the run folder, at low priority so
 * tests that already run are not starved. Fails with the end of the log.
 */
async function runGo(
  name: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  mkdirSync(runDir, { recursive: true });
  const logFile = path.join(runDir, `go-${name}.log`);
  const fd = openSync(logFile, 'w');
  let code: number | null;
  try {
    code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('nice', ['-n', '10', 'go', ...args], { cwd, env, stdio: ['ignore', fd, fd] });
      child.once('error', reject);
      child.once('exit', resolve);
    });
  } finally {
    closeSync(fd);
  }
  if (code !== 0) {
    const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-25).join('\n');
    throw new Error(
      `go ${args[0] ?? ''} for ${name} failed (exit ${String(code)}); log ${logFile}:\n${tail}`,
    );
  }
}

/** Moves freshly built binaries into the tools folder; a rename never leaves a half-written tool. */
function publish(buildDir: string, binaries: readonly string[]): void {
  mkdirSync(toolsBin, { recursive: true });
  for (const b of binaries) {
    const built = path.join(buildDir, b);
    if (!existsSync(built))
      throw new Error(`the Go build did not produce ${b} (got ${readdirSync(buildDir).join(', ')})`);
  }
  // Also publish companions the packages produced (age-inspect...), so the folder matches `go install`.
  for (const file of readdirSync(buildDir)) renameSync(path.join(buildDir, file), toolPath(file));
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * Installs `spec` unless its stamp (or, without one, the build info of the binaries already
 * there) says the pinned version is in place.
 */
export async function goInstall(spec: GoInstallSpec): Promise<void> {
  const key = `${spec.module}@${spec.version}`;
  if (readStamp(spec.name) === key && allPresent(spec.binaries)) return;
  if (allPresent(spec.binaries)) {
    const found = await Promise.all(spec.binaries.map((b) => builtFrom(toolPath(b))));
    if (found.every((f) => f === key)) {
      writeStamp(spec.name, key);
      envLog(`${spec.name}: found ${key} already built in ${toolsBin}`);
      return;
    }
  }
  await inBuildSlot(async () => {
    const t0 = Date.now();
    envLog(`${spec.name}: go install ${key} (${spec.binaries.join(', ')})...`);
    mkdirSync(path.join(cacheRoot, 'tools'), { recursive: true });
    const buildDir = mkdtempSync(path.join(cacheRoot, 'tools', `.build-${spec.name}-`));
    try {
      const env = { ...goEnv(), GOBIN: buildDir };
      await runGo(
        spec.name,
        // -s -w: no symbol table or DWARF, which is a third to a half of linking a large
        // binary; the tests never debug these tools. (Not part of the stamp: a binary built
        // with them behaves the same.)
        ['install', '-trimpath', '-ldflags=-s -w', ...spec.packages.map((p) => `${p}@${spec.version}`)],
        cacheRoot,
        env,
      );
      publish(buildDir, spec.binaries);
      writeStamp(spec.name, key);
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
    }
    envLog(`${spec.name}: installed ${key} in ${seconds(t0)}`);
  });
}

/**
 * A digest of everything that decides what a wrapper module builds: go.mod, go.sum, every
 * Go source file, the packages and the linker flags. Editing any of them rebuilds.
 */
export function moduleDigest(spec: GoBuildSpec): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.go$|^go\.(mod|sum)$/.test(entry.name)) files.push(full);
    }
  };
  walk(spec.moduleDir);
  for (const file of files.sort()) {
    hash.update(`${path.relative(spec.moduleDir, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  hash.update(`${spec.packages.join(' ')}\0${spec.ldflags ?? ''}`);
  return `sha256:${hash.digest('hex')}`;
}

/** Builds `spec`'s packages with `go build -trimpath` unless its stamp matches the module's digest. */
export async function goBuild(spec: GoBuildSpec): Promise<void> {
  const key = moduleDigest(spec);
  if (readStamp(spec.name) === key && allPresent(spec.binaries)) return;
  await inBuildSlot(async () => {
    const t0 = Date.now();
    envLog(
      `${spec.name}: go build ${path.relative(cacheRoot, spec.moduleDir) || spec.moduleDir} (${spec.binaries.join(', ')}); the first build takes a while...`,
    );
    mkdirSync(path.join(cacheRoot, 'tools'), { recursive: true });
    const buildDir = mkdtempSync(path.join(cacheRoot, 'tools', `.build-${spec.name}-`));
    try {
      const args = [
        'build',
        '-trimpath',
        `-ldflags=${spec.ldflags ?? ''}`,
        '-o',
        `${buildDir}${path.sep}`,
        ...spec.packages,
      ];
      await runGo(spec.name, args, spec.moduleDir, goEnv());
      publish(buildDir, spec.binaries);
      // -mod=mod may have completed go.sum, so the digest is taken again after the build.
      writeStamp(spec.name, moduleDigest(spec));
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
    }
    envLog(`${spec.name}: built ${spec.binaries.join(', ')} in ${seconds(t0)}`);
  });
}

/**
 * Builds `spec` from a copy of its module source (downloaded into the module cache) unless its
 * stamp says this version and these flags are in place.
 */
export async function goBuildFromSource(spec: GoSourceBuildSpec): Promise<void> {
  const key = `${spec.module}@${spec.version} ${spec.ldflags ?? ''}`.trim();
  if (readStamp(spec.name) === key && allPresent(spec.binaries)) return;
  await inBuildSlot(async () => {
    const t0 = Date.now();
    const id = `${spec.module}@${spec.version}`;
    envLog(
      `${spec.name}: go build ${id} from its module source (${spec.binaries.join(', ')}); the first build takes a while...`,
    );
    mkdirSync(path.join(cacheRoot, 'tools'), { recursive: true });
    const work = mkdtempSync(path.join(cacheRoot, 'tools', `.build-${spec.name}-`));
    try {
      const { stdout } = await run('go', ['mod', 'download', '-json', id], { cwd: work, env: goEnv() });
      const dir = (JSON.parse(stdout) as { Dir?: unknown }).Dir;
      if (typeof dir !== 'string') throw new Error(`go mod download ${id} named no source folder`);
      // The module cache is read-only: build from a writable copy.
      const source = path.join(work, 'src');
      cpSync(dir, source, { recursive: true });
      const makeWritable = (current: string): void => {
        chmodSync(current, 0o755);
        for (const entry of readdirSync(current, { withFileTypes: true })) {
          const full = path.join(current, entry.name);
          if (entry.isDirectory()) makeWritable(full);
          else chmodSync(full, 0o644);
        }
      };
      makeWritable(source);
      spec.prepare(source);
      const out = path.join(work, 'bin');
      mkdirSync(out);
      const args = [
        'build',
        '-trimpath',
        `-ldflags=${spec.ldflags ?? ''}`,
        '-o',
        `${out}${path.sep}`,
        ...spec.packages,
      ];
      await runGo(spec.name, args, source, goEnv());
      publish(out, spec.binaries);
      writeStamp(spec.name, key);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    envLog(`${spec.name}: built ${id} in ${seconds(t0)}`);
  });
}
