/**
 * The fuzz harness inside `npm test` (issue 13, item 7): every target of test/fuzz/targets.ts
 * (the five stores, the metadata reader, the whole decrypt, the graph walker) with a fixed
 * seed and a small budget, a few seconds in all. 0 crashes that are not a UserError, and no
 * input slower than SLOW_INPUT_MS. `npm run fuzz` runs the same targets for longer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fuzz, targets } from '../../fuzz/targets.ts';

const SEED = 13;
/** Runs per target, and a time cap per target in case the machine is slow. */
const RUNS: Record<string, number> = { graph: 40, decrypt: 60 };
const TIME_LIMIT_MS = 1_500;

for (const target of targets) {
  test(`fuzz ${target.name}: no crash but UserError, no hang`, { timeout: 120_000 }, async () => {
    const details = await fuzz(target, {
      seed: SEED,
      numRuns: RUNS[target.name] ?? 200,
      timeLimitMs: TIME_LIMIT_MS,
    });
    assert.ok(
      !details.failed,
      `input ${fc.stringify(details.counterexample)}\n(seed ${SEED}, path ${details.counterexamplePath ?? ''}): ${String(details.errorInstance)}`,
    );
    assert.ok(details.numRuns > 0, 'at least one input ran');
  });
}
