/**
 * bench/kms: recovering the data keys of 500 files with AWS KMS stanzas, against moto behind
 * a proxy that adds 20 ms to every request (a nearby region's round trip). Sequential
 * unwrapping (one file after another, as Flux and `sops -d` per file do) against a run's
 * cloud sources decrypting all files at once (bounded concurrency, key-sources.ts).
 *
 * Each file has its own data key (500 distinct ciphertexts, made with KMS Encrypt), so the
 * per-ciphertext cache does not help: the ratio is concurrency alone. Target: ≥ 8×.
 * Run: `node bench/kms/run.ts` with KSD_CACHE_DIR pointing at the built tools (moto).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseKeys } from '../../src/config/keys.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { createKeySources } from '../../src/keys/key-sources.ts';
import type { MasterKey } from '../../src/keys/master-key.ts';
import { moto } from '../../test/env/components/moto.ts';
import { listenLoopback } from '../../test/env/doubles/http-double.ts';

const FILES = Number(process.env['BENCH_KMS_FILES'] ?? 500);
const LATENCY_MS = Number(process.env['BENCH_KMS_LATENCY_MS'] ?? 20);
const TARGET = 8;

const started = await moto.start?.();
if (started === undefined) throw new Error('moto has no server');
const info = started.info;
const endpoint = info['endpoint'] ?? '';
const proxy = await listenLoopback(async (req, res, body) => {
  await sleep(LATENCY_MS);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name))
      headers[name] = value;
  }
  const answer = await fetch(`${endpoint}${req.url ?? '/'}`, { method: 'POST', headers, body });
  res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
  res.end(await answer.text());
});

try {
  const signedHeaders = {
    authorization: `AWS4-HMAC-SHA256 Credential=test/20250101/${info['region'] ?? ''}/kms/aws4_request, SignedHeaders=host, Signature=0`,
    'x-amz-date': '20250101T000000Z',
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'TrentService.Encrypt',
  };
  const stanzas: MasterKey[] = [];
  for (let i = 0; i < FILES; i += 1) {
    const res = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: signedHeaders,
      body: JSON.stringify({ KeyId: info['kmsKeyArn'], Plaintext: randomBytes(32).toString('base64') }),
    });
    const { CiphertextBlob } = (await res.json()) as { CiphertextBlob: string };
    stanzas.push({ type: 'kms', arn: info['kmsKeyArn'] ?? '', context: {}, enc: CiphertextBlob });
  }
  const env = {
    AWS_ACCESS_KEY_ID: info['accessKeyId'] ?? '',
    AWS_SECRET_ACCESS_KEY: info['secretAccessKey'] ?? '',
    AWS_ENDPOINT_URL: proxy.url,
    HOME: '/nonexistent',
  };
  const sources = async (concurrency: number) => {
    const all = await createKeySources(
      parseKeys(() => '', env),
      {
        host: createMemoryHost(),
        exec: { run: () => Promise.reject(new Error('no exec')) },
        concurrency,
      },
    );
    const kms = all.find((s) => s.name === 'kms');
    if (kms === undefined) throw new Error('no kms source');
    return kms;
  };

  const sequentialSource = await sources(1);
  let t0 = performance.now();
  for (const stanza of stanzas) {
    if ((await sequentialSource.decrypt(stanza))?.length !== 32) throw new Error('bad data key');
  }
  const sequential = performance.now() - t0;

  const concurrentSource = await sources(16);
  t0 = performance.now();
  const keys = await Promise.all(stanzas.map((stanza) => concurrentSource.decrypt(stanza)));
  const concurrent = performance.now() - t0;
  if (!keys.every((k) => k?.length === 32)) throw new Error('bad data key');

  const ratio = sequential / concurrent;
  process.stdout.write(
    [
      `bench/kms: ${FILES} files, ${LATENCY_MS} ms injected latency, moto ${info['region'] ?? ''}`,
      `  sequential:           ${(sequential / 1000).toFixed(2)} s (${(sequential / FILES).toFixed(1)} ms per file)`,
      `  concurrent (16 wide): ${(concurrent / 1000).toFixed(2)} s (${(concurrent / FILES).toFixed(1)} ms per file)`,
      `  ratio: ${ratio.toFixed(1)}x (target >= ${TARGET}x: ${ratio >= TARGET ? 'met' : 'NOT met'})`,
      '',
    ].join('\n'),
  );
} finally {
  await proxy.close();
  await started.stop();
}
