import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoTime } from '../../../src/sops/go-time.ts';

const cases: [string, 'nano' | 'seconds', string][] = [
  ['2024-01-02T03:04:05Z', 'seconds', '2024-01-02T03:04:05Z'],
  ['2024-01-02T03:04:05.123Z', 'seconds', '2024-01-02T03:04:05Z'],
  ['2024-01-02T03:04:05+00:00', 'seconds', '2024-01-02T03:04:05Z'],
  ['2024-01-02T03:04:05+02:00', 'seconds', '2024-01-02T03:04:05+02:00'],
  ['2024-01-02t03:04:05z', 'seconds', '2024-01-02T03:04:05Z'],
  ['2024-01-02T03:04:05.120000000Z', 'nano', '2024-01-02T03:04:05.12Z'],
  ['2024-01-02T03:04:05.000Z', 'nano', '2024-01-02T03:04:05Z'],
  ['2024-01-02T03:04:05.5-07:00', 'nano', '2024-01-02T03:04:05.5-07:00'],
];

for (const [input, precision, want] of cases) {
  test(`${input} as ${precision}`, () => assert.equal(formatGoTime(input, precision), want));
}

test('a non-RFC 3339 time is an error', () => {
  assert.throws(() => formatGoTime('yesterday', 'seconds'), /RFC 3339/);
});
