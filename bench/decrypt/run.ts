/**
 * bench/decrypt: our native decrypt against the real `sops -d` and an AES-GCM floor, in one run.
 *
 *  - 1,000 small Secret files (5 values each) encrypted by the real sops with age;
 *  - 200 files encrypted by the real sops with an RSA-4096 OpenPGP key.
 *
 * Prints per-file times, the ratios, the targets (age ≤ 0.6 ms, RSA-4096 ≤ 5 ms per file) and
 * the peak RSS of a child process that decrypts the 1,000 files (target ≤ 150 MB).
 *
 * For age, two more references in the same run: the bare X25519 unwrap (the age file in each
 * file's metadata opened natively, nothing else: target ours ≤ 1.5× of it) and the npm peer
 * `sops-age` (a devDependency; skipped, and said so, when it is not installed). Per-file
 * figures are medians of BENCH_ROUNDS (default 5) passes, with CPU time beside wall time
 * since the machine may be shared. BENCH_PGP_FILES=0 skips the OpenPGP row.
 * Run: `npm run bench` (after `npm test` or with KSD_CACHE_DIR pointing at built tools).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { nodeExec } from '../../src/host/node-exec.ts';
import { buildLocalKeySources } from '../../src/keys/local-keys.ts';
import { decodeArmor } from '../../src/keys/age.ts';
import { decryptAgeFileX25519, NativeX25519Identity } from '../../src/keys/age-x25519.ts';
import { dataKeyObject, parseEncryptedValue, openValue } from '../../src/sops/cipher.ts';
import { decryptText } from '../../src/sops/decrypt.ts';
import { cacheRoot, toolPath } from '../../test/env/paths.ts';

const execFileAsync = promisify(execFile);
const AGE_FILES = Number(process.env['BENCH_AGE_FILES'] ?? 1000);
const PGP_FILES = Number(process.env['BENCH_PGP_FILES'] ?? 200);
const SOPS_SAMPLE = Number(process.env['BENCH_SOPS_SAMPLE'] ?? 50);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);

/** Median wall and CPU milliseconds per item of `ROUNDS` passes of `pass` over `count` items. */
async function perItem(
  count: number,
  pass: () => Promise<void> | void,
): Promise<{ wall: number; cpu: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await pass();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    walls.push(wall / count);
    cpus.push((c.user + c.system) / 1000 / count);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { wall: median(walls), cpu: median(cpus) };
}
const benchDir = path.join(cacheRoot, 'bench', 'decrypt');
const sops = toolPath('sops');

function secretYaml(i: number): string {
  const values = Array.from(
    { length: 5 },
    (_, j) => `    key${j}: ${Buffer.from(`value-${i}-${j}-${'x'.repeat(20)}`).toString('base64')}`,
  );
  return `apiVersion: v1\nkind: Secret\nmetadata:\n    name: s${i}\n    namespace: bench\ntype: Opaque\ndata:\n${values.join('\n')}\n`;
}

async function runPool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Encrypts `count` files with the real sops unless they are already cached. */
async function ensureFiles(
  kind: string,
  count: number,
  args: readonly string[],
  env: Record<string, string>,
): Promise<string[]> {
  const dir = path.join(benchDir, kind);
  await mkdir(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `secret-${i}.yaml`));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0)
    process.stderr.write(`bench: encrypting ${missing.length} ${kind} files with the real sops...\n`);
  await runPool(missing, 4, async (file) => {
    const plain = `${file}.plain.yaml`;
    await writeFile(plain, secretYaml(files.indexOf(file)));
    const { stdout } = await execFileAsync(
      sops,
      ['--disable-version-check', 'encrypt', '--encrypted-regex', '^(data|stringData)$', ...args, plain],
      {
        env: { ...process.env, ...env },
      },
    );
    await writeFile(file, stdout);
  });
  return files;
}

async function ensureAgeKey(): Promise<{ file: string; recipient: string }> {
  const file = path.join(benchDir, 'age-key.txt');
  if (!existsSync(file)) {
    await mkdir(benchDir, { recursive: true });
    await execFileAsync(toolPath('age-keygen'), ['-o', file]);
  }
  const text = await readFile(file, 'utf8');
  return { file, recipient: /public key: (age1\S+)/.exec(text)![1]! };
}

async function ensurePgpKey(): Promise<{ home: string; fp: string; armored: string }> {
  const home = path.join(benchDir, 'gnupg');
  const armored = path.join(benchDir, 'pgp-rsa4096.asc');
  if (!existsSync(armored)) {
    await mkdir(home, { recursive: true, mode: 0o700 });
    const env = { ...process.env, GNUPGHOME: home };
    process.stderr.write('bench: generating an RSA-4096 OpenPGP key with gpg...\n');
    const params = path.join(benchDir, 'gpg-key-params');
    await writeFile(
      params,
      'Key-Type: RSA\nKey-Length: 4096\nSubkey-Type: RSA\nSubkey-Length: 4096\nName-Real: bench\nName-Email: bench@example.invalid\nExpire-Date: 0\n%no-protection\n%commit\n',
    );
    await execFileAsync('gpg', ['--batch', '--gen-key', params], { env });
    const { stdout } = await execFileAsync('gpg', ['--batch', '--armor', '--export-secret-keys'], { env });
    await writeFile(armored, stdout, { mode: 0o600 });
  }
  return { home, fp: await fingerprint(home), armored };
}

async function fingerprint(home: string): Promise<string> {
  const { stdout } = await execFileAsync('gpg', ['--batch', '--with-colons', '--list-secret-keys'], {
    env: { ...process.env, GNUPGHOME: home },
  });
  return /^fpr:+([0-9A-F]{40}):/m.exec(stdout)![1]!;
}

/** Per-file milliseconds for our in-process decrypt (key sources built once, as in a real run). */
async function timeOurs(
  files: readonly string[],
  keys: { ageKeyFiles?: string[]; pgpKeyFiles?: string[] },
): Promise<{ wall: number; cpu: number }> {
  const keySources = await buildLocalKeySources({
    ...keys,
    env: { GNUPGHOME: '/nonexistent' },
    exec: nodeExec,
    mask: () => undefined,
  });
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  // One warm-up pass so JIT compilation is not billed to the first files.
  for (const text of texts.slice(0, 20)) await decryptText(text, 'yaml', { keySources });
  return perItem(texts.length, async () => {
    for (const text of texts) await decryptText(text, 'yaml', { keySources });
  });
}

/** The bare X25519 unwrap: each file's age stanza opened natively, nothing else. */
async function timeUnwrap(
  files: readonly string[],
  ageKeyFile: string,
): Promise<{ wall: number; cpu: number }> {
  const secret = /^AGE-SECRET-KEY-1\S+$/m.exec(await readFile(ageKeyFile, 'utf8'))![0];
  const identity = NativeX25519Identity.parse(secret)!;
  const blobs = (await Promise.all(files.map((f) => readFile(f, 'utf8')))).map((t) => {
    const enc = /enc: \|\n((?: {12}.*\n)+)/.exec(t)![1]!;
    return decodeArmor(enc.replace(/^ +/gm, ''));
  });
  for (const blob of blobs.slice(0, 20)) decryptAgeFileX25519(blob, [identity]);
  return perItem(blobs.length, () => {
    for (const blob of blobs)
      if (decryptAgeFileX25519(blob, [identity]) === null) throw new Error('unwrap failed');
  });
}

/** The npm peer sops-age, when installed (it is a devDependency of the bench). */
async function timeSopsAge(
  files: readonly string[],
  ageKeyFile: string,
): Promise<{ wall: number; cpu: number } | string> {
  let decryptSops: (input: string, options: Record<string, unknown>) => Promise<unknown>;
  try {
    const name = 'sops-age';
    ({ decryptSops } = (await import(name)) as { decryptSops: typeof decryptSops });
  } catch {
    return 'not installed (npm devDependency sops-age@4.0.2)';
  }
  const secretKey = /^AGE-SECRET-KEY-1\S+$/m.exec(await readFile(ageKeyFile, 'utf8'))![0];
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  for (const content of texts.slice(0, 20)) await decryptSops(content, { secretKey, fileType: 'yaml' });
  return perItem(texts.length, async () => {
    for (const content of texts) await decryptSops(content, { secretKey, fileType: 'yaml' });
  });
}

/** The floor: AES-GCM over exactly the encrypted values of the same files, nothing else. */
async function timeFloor(files: readonly string[]): Promise<number> {
  const key = Buffer.alloc(32, 7);
  const perFile = (await Promise.all(files.map((f) => readFile(f, 'utf8')))).map((t) =>
    [...t.matchAll(/ENC\[AES256_GCM[^\]]+\]/g)].map((m) => m[0]),
  );
  const start = performance.now();
  for (const values of perFile) {
    // As ours does: the data key imported once per file (sops/cipher.ts dataKeyObject).
    const fileKey = dataKeyObject(key);
    for (const value of values) {
      try {
        openValue(parseEncryptedValue(value), fileKey, 'data:key0:');
      } catch {
        // Wrong key on purpose: GCM does the full work before the tag check fails.
      }
    }
  }
  return (performance.now() - start) / files.length;
}

/** Per-file milliseconds of the real `sops -d` (a process per file, as users run it). */
async function timeSops(files: readonly string[], env: Record<string, string>): Promise<number> {
  const sample = files.slice(0, SOPS_SAMPLE);
  const start = performance.now();
  for (const file of sample)
    await execFileAsync(sops, ['--disable-version-check', 'decrypt', file], {
      env: { ...process.env, ...env },
    });
  return (performance.now() - start) / sample.length;
}

/** Peak RSS (VmHWM) of a child that decrypts the files, in MB. */
function peakRss(files: readonly string[], ageKeyFile: string): Promise<number> {
  const script = `
    import { readFileSync } from 'node:fs';
    import { buildLocalKeySources } from './src/keys/local-keys.ts';
    import { nodeExec } from './src/host/node-exec.ts';
    import { decryptText } from './src/sops/decrypt.ts';
    const files = JSON.parse(process.env.BENCH_FILES);
    const keySources = await buildLocalKeySources({ ageKeyFiles: [process.env.BENCH_KEY], env: {}, exec: nodeExec, mask: () => {} });
    for (const f of files) await decryptText(readFileSync(f, 'utf8'), 'yaml', { keySources });
    const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    process.stdout.write(String(Number(hwm[1]) / 1024));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: path.resolve(import.meta.dirname, '..', '..'),
      env: { ...process.env, BENCH_FILES: JSON.stringify(files), BENCH_KEY: ageKeyFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(Number(out)) : reject(new Error(`rss child exited ${code}`)),
    );
  });
}

const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;

async function main(): Promise<void> {
  if (!existsSync(sops)) throw new Error(`the real sops is not built yet (${sops}); run npm test once first`);
  const age = await ensureAgeKey();
  const ageFiles = await ensureFiles('age', AGE_FILES, ['--age', age.recipient], {});
  const load = [loadavg()[0]!];
  const ageOurs = await timeOurs(ageFiles, { ageKeyFiles: [age.file] });
  const ageUnwrap = await timeUnwrap(ageFiles, age.file);
  const agePeer = await timeSopsAge(ageFiles, age.file);
  const ageFloor = await timeFloor(ageFiles);
  const ageSops = await timeSops(ageFiles, { SOPS_AGE_KEY_FILE: age.file });
  load.push(loadavg()[0]!);
  console.log(
    `bench/decrypt on Node ${process.version}, 1-min load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}, medians of ${ROUNDS} passes, sops -d over ${SOPS_SAMPLE} files`,
  );
  console.log('| age, per file | wall | CPU | ours ÷ it (wall) | ours ÷ it (CPU) |');
  console.log('|---|---|---|---|---|');
  const row = (name: string, r: { wall: number; cpu: number }): void =>
    console.log(
      `| ${name} | ${fmt(r.wall)} | ${fmt(r.cpu)} | ${(ageOurs.wall / r.wall).toFixed(2)}× | ${(ageOurs.cpu / r.cpu).toFixed(2)}× |`,
    );
  row(`ours (${ageFiles.length} files, in-process)`, ageOurs);
  row('bare X25519 unwrap (floor)', ageUnwrap);
  if (typeof agePeer === 'string') console.log(`| sops-age (npm peer) | ${agePeer} | | | |`);
  else row('sops-age (npm peer, no MAC check)', agePeer);
  console.log(
    `| AES-GCM over the values only | ${fmt(ageFloor)} | | ${(ageOurs.wall / ageFloor).toFixed(2)}× | |`,
  );
  console.log(
    `| sops -d, a process per file | ${fmt(ageSops)} | | ${(ageOurs.wall / ageSops).toFixed(3)}× | |`,
  );
  const unwrapRatio = ageOurs.cpu / ageUnwrap.cpu;
  console.log(
    `age target ≤ 0.6 ms per file: ${ageOurs.wall <= 0.6 ? 'met' : 'NOT met'} (wall ${fmt(ageOurs.wall)}, CPU ${fmt(ageOurs.cpu)}); within 1.5× of the unwrap (CPU): ${unwrapRatio <= 1.5 ? 'met' : 'NOT met'} (${unwrapRatio.toFixed(2)}×)`,
  );
  const rss = await peakRss(ageFiles, age.file);
  console.log(
    `peak RSS decrypting ${ageFiles.length} age files: ${rss.toFixed(1)} MB (target ≤ 150 MB: ${rss <= 150 ? 'met' : 'NOT met'})`,
  );
  if (PGP_FILES === 0) return;
  const pgp = await ensurePgpKey();
  const pgpFiles = await ensureFiles('pgp', PGP_FILES, ['--pgp', pgp.fp], { GNUPGHOME: pgp.home });
  const pgpOurs = await timeOurs(pgpFiles, { pgpKeyFiles: [pgp.armored] });
  const pgpFloor = await timeFloor(pgpFiles);
  const pgpSops = await timeSops(pgpFiles, { GNUPGHOME: pgp.home });
  console.log('| RSA-4096 PGP, per file | ours | AES-GCM floor | sops -d | target |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| ${pgpFiles.length} files | ${fmt(pgpOurs.wall)} | ${fmt(pgpFloor)} | ${fmt(pgpSops)} | ≤ 5 ms: ${pgpOurs.wall <= 5 ? 'met' : 'NOT met'} |`,
  );
}

await main();
