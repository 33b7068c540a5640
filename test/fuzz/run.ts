/**
 * `npm run fuzz`: the fuzz targets of test/fuzz/targets.ts for longer than `npm test` runs
 * them. Each target runs in a worker thread; the worker reports every input before it
 * starts on it, so a hang (no report for HANG_MS) is caught, the worker terminated, and the
 * input that hung printed.
 *
 * Environment: FUZZ_SECONDS per target (default 60), FUZZ_SEED (default: random, printed so
 * a failure can be replayed), FUZZ_TARGETS (comma-separated names; default all).
 * Exit code 1 when any target crashed (threw something that is not a UserError) or hung.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';

const HANG_MS = 30_000;

interface Job {
  readonly target: string;
  readonly seed: number;
  readonly seconds: number;
}
type Message =
  | { readonly kind: 'input'; readonly input: string }
  | {
      readonly kind: 'done';
      readonly runs: number;
      readonly failure?: string;
      readonly counterexample?: string;
    };

async function work(job: Job): Promise<void> {
  const { targets, fuzz } = await import('./targets.ts');
  const target = targets.find((t) => t.name === job.target);
  if (target === undefined) throw new Error(`no fuzz target ${job.target}`);
  const port = parentPort;
  const watched = {
    ...target,
    check: async (input: never): Promise<void> => {
      port?.postMessage({ kind: 'input', input: fc.stringify(input).slice(0, 2_000) } satisfies Message);
      await target.check(input);
    },
  };
  const details = await fuzz(watched, {
    seed: job.seed,
    numRuns: Number.MAX_SAFE_INTEGER,
    timeLimitMs: job.seconds * 1000,
  });
  port?.postMessage({
    kind: 'done',
    runs: details.numRuns,
    ...(details.failed
      ? {
          failure: String(details.errorInstance).slice(0, 4_000),
          counterexample: fc.stringify(details.counterexample).slice(0, 4_000),
        }
      : {}),
  } satisfies Message);
}

function runTarget(job: Job): Promise<boolean> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    let last = '(none yet)';
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        process.stdout.write(`${job.target}: HANG, no progress for ${HANG_MS} ms on input:\n${last}\n`);
        void worker.terminate();
        resolve(false);
      }, HANG_MS);
    };
    arm();
    worker.on('message', (message: Message) => {
      if (message.kind === 'input') {
        last = message.input;
        arm();
        return;
      }
      clearTimeout(timer);
      if (message.failure === undefined) {
        process.stdout.write(`${job.target}: ${message.runs} runs, 0 crashes, 0 hangs\n`);
        resolve(true);
      } else {
        process.stdout.write(
          `${job.target}: CRASH after ${message.runs} runs (seed ${job.seed})\n  input: ${message.counterexample ?? ''}\n  ${message.failure}\n`,
        );
        resolve(false);
      }
      void worker.terminate();
    });
    worker.on('error', (error) => {
      clearTimeout(timer);
      process.stdout.write(`${job.target}: the worker died: ${String(error)}\n  last input: ${last}\n`);
      resolve(false);
    });
  });
}

if (isMainThread) {
  const { targets } = await import('./targets.ts');
  const seconds = Number(process.env['FUZZ_SECONDS'] ?? 60);
  const seed = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
  const wanted = process.env['FUZZ_TARGETS']?.split(',').filter((t) => t !== '');
  const names = targets.map((t) => t.name).filter((n) => wanted === undefined || wanted.includes(n));
  process.stdout.write(`fuzz: ${names.length} targets, ${seconds} s each, seed ${seed}\n`);
  let ok = true;
  for (const target of names) ok = (await runTarget({ target, seed, seconds })) && ok;
  process.exitCode = ok ? 0 : 1;
} else {
  await work(workerData as Job);
}
