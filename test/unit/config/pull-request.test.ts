import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pullRequestFromPayload } from '../../../src/config/pull-request.ts';

describe('pullRequestFromPayload', () => {
  const payload = (head: unknown): unknown => ({
    action: 'synchronize',
    number: 7,
    pull_request: { number: 7, head: { repo: head }, base: { repo: { full_name: 'octo/app' } } },
  });
  test('same repository, a fork, and a deleted fork', () => {
    assert.deepEqual(pullRequestFromPayload(payload({ full_name: 'octo/app' }), undefined), {
      owner: 'octo',
      repo: 'app',
      number: 7,
      fork: false,
    });
    assert.equal(pullRequestFromPayload(payload({ full_name: 'evil/app' }), undefined)?.fork, true);
    assert.equal(pullRequestFromPayload(payload(null), undefined)?.fork, true);
  });
  test('not a pull request', () => {
    assert.equal(pullRequestFromPayload({ ref: 'refs/heads/main' }, 'octo/app'), undefined);
  });
});
