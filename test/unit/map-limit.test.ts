import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapLimit } from '../../src/map-limit.ts';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('mapLimit keeps the bound and waits for running work before it throws', async () => {
  let running = 0;
  let peak = 0;
  let finished = 0;
  await assert.rejects(
    mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await tick(n === 1 ? 1 : 10);
      running--;
      finished++;
      if (n === 1) throw new Error('first');
    }),
    /first/,
  );
  assert.equal(peak, 2);
  assert.equal(running, 0);
  assert.ok(finished < 6, 'no new work starts after a failure');
});

const boundCases: { name: string; items: number; limit: number; peak: number }[] = [
  { name: 'a limit above the item count runs them all at once', items: 3, limit: 10, peak: 3 },
  { name: 'a limit of one runs them in turn', items: 4, limit: 1, peak: 1 },
  { name: 'a limit of zero still makes progress, one at a time', items: 3, limit: 0, peak: 1 },
  { name: 'a NaN limit still makes progress, one at a time', items: 3, limit: Number.NaN, peak: 1 },
  { name: 'a fractional limit rounds down', items: 6, limit: 2.7, peak: 2 },
  { name: 'an infinite limit runs them all at once', items: 5, limit: Infinity, peak: 5 },
  { name: 'no items, no work', items: 0, limit: 4, peak: 0 },
];
for (const { name, items, limit, peak } of boundCases) {
  test(`mapLimit: ${name}, results in input order`, async () => {
    let running = 0;
    let seen = 0;
    const input = Array.from({ length: items }, (_, i) => i);
    const out = await mapLimit(input, limit, async (n, index) => {
      assert.equal(index, n);
      running++;
      seen = Math.max(seen, running);
      // Later items finish first, so the order of results is not the order of completion.
      await tick(2 * (items - n));
      running--;
      return n * 10;
    });
    assert.deepEqual(
      out,
      input.map((n) => n * 10),
    );
    assert.equal(seen, peak);
  });
}

const failureCases: {
  name: string;
  limit: number;
  /** item → [delay ms, fails] */
  plan: [number, boolean][];
  error: string;
  started: number[];
}[] = [
  {
    name: 'the earliest failing item in input order wins, not the first to fail',
    limit: 3,
    plan: [
      [20, true],
      [1, true],
      [5, false],
      [1, false],
    ],
    error: 'item 0',
    started: [0, 1, 2],
  },
  {
    name: 'nothing new starts once an item has failed',
    limit: 1,
    plan: [
      [1, false],
      [1, true],
      [1, false],
      [1, false],
    ],
    error: 'item 1',
    started: [0, 1],
  },
  {
    name: 'a failure in the last item still fails the whole',
    limit: 2,
    plan: [
      [1, false],
      [1, false],
      [1, true],
    ],
    error: 'item 2',
    started: [0, 1, 2],
  },
];
for (const { name, limit, plan, error, started } of failureCases) {
  test(`mapLimit: ${name}`, async () => {
    const ran: number[] = [];
    let settled = 0;
    await assert.rejects(
      mapLimit(plan, limit, async ([delay, fails], index) => {
        ran.push(index);
        await tick(delay);
        settled++;
        if (fails) throw new Error(`item ${index}`);
        return index;
      }),
      { message: error },
    );
    assert.deepEqual(ran, started);
    assert.equal(settled, ran.length, 'every started item settled before the error');
  });
}
