/** The shared cloud HTTP client: bounded concurrency and throttling retries. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPacedFetch, isThrottled } from '../../../src/keys/paced-fetch.ts';

describe('isThrottled', () => {
  const cases: readonly { status: number; body: string; throttled: boolean }[] = [
    { status: 429, body: '', throttled: true },
    { status: 503, body: '', throttled: true },
    {
      status: 400,
      body: '{"__type":"com.amazonaws.kms#ThrottlingException","message":"Rate exceeded"}',
      throttled: true,
    },
    {
      status: 400,
      body: '<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>',
      throttled: true,
    },
    { status: 400, body: '{"__type":"InvalidCiphertextException"}', throttled: false },
    { status: 403, body: 'Throttling', throttled: false },
    { status: 200, body: '{}', throttled: false },
  ];
  for (const { status, body, throttled } of cases) {
    it(`${status} ${body.slice(0, 40)} -> ${throttled}`, async () => {
      assert.equal(await isThrottled(new Response(body, { status })), throttled);
    });
  }
});

describe('createPacedFetch', () => {
  it('never has more than `concurrency` requests in flight', async () => {
    let active = 0;
    let peak = 0;
    const paced = createPacedFetch(
      async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active -= 1;
        return new Response('ok');
      },
      { concurrency: 3 },
    );
    const answers = await Promise.all(Array.from({ length: 20 }, () => paced('http://x/', {})));
    assert.equal(answers.length, 20);
    assert.equal(peak, 3);
  });

  it('retries throttled answers with growing backoff, then returns the answer', async () => {
    const statuses = [429, 503, 200];
    const delays: number[] = [];
    let calls = 0;
    const paced = createPacedFetch(
      () => Promise.resolve(new Response('', { status: statuses[calls++] ?? 200 })),
      {
        sleep: (ms) => {
          delays.push(ms);
          return Promise.resolve();
        },
        random: () => 0.999,
        baseDelayMs: 100,
      },
    );
    assert.equal((await paced('http://x/', {})).status, 200);
    assert.equal(calls, 3);
    assert.deepEqual(delays, [99, 199]);
  });

  it('gives up after `retries` and returns the last throttled answer; other errors are not retried', async () => {
    let calls = 0;
    const throttled = createPacedFetch(
      () => {
        calls += 1;
        return Promise.resolve(new Response('', { status: 429 }));
      },
      { retries: 2, sleep: () => Promise.resolve() },
    );
    assert.equal((await throttled('http://x/', {})).status, 429);
    assert.equal(calls, 3);
    calls = 0;
    const denied = createPacedFetch(
      () => {
        calls += 1;
        return Promise.resolve(new Response('{"__type":"AccessDeniedException"}', { status: 400 }));
      },
      { sleep: () => Promise.resolve() },
    );
    assert.equal((await denied('http://x/', {})).status, 400);
    assert.equal(calls, 1);
  });
});
