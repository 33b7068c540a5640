import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, MASK_AFTER, MASK_BEFORE, maskSecret, maskSecretPair } from '../../../src/kube/mask.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function secret(data: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    ...extra,
  };
}

describe('maskSecretPair', () => {
  it('uses Flux tokens: same ***, changed (before)/(after), added and removed ***', () => {
    const { before, after } = maskSecretPair(
      secret({ same: 's1', changed: 'old', removed: 'r' }),
      secret({ same: 's1', changed: 'new', added: 'a' }),
    );
    assert.deepEqual(before?.['data'], { same: MASK, changed: MASK_BEFORE, removed: MASK });
    assert.deepEqual(after?.['data'], { same: MASK, changed: MASK_AFTER, added: MASK });
  });

  it('compares decoded values: stringData on one side equals data on the other', () => {
    const { before, after } = maskSecretPair(secret({ k: 'v' }), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      stringData: { k: 'v' },
    });
    assert.deepEqual(before?.['data'], { k: MASK });
    assert.deepEqual(after?.['stringData'], { k: MASK });
  });

  it('masks the last-applied annotation, which holds every value', () => {
    const live = secret(
      { k: 'CANARY' },
      {
        metadata: {
          name: 's',
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"k":"${b64('CANARY')}"}}`,
            other: 'kept',
          },
        },
      },
    );
    const { before } = maskSecretPair(live, undefined);
    assert.deepEqual((before?.['metadata'] as { annotations: unknown }).annotations, {
      'kubectl.kubernetes.io/last-applied-configuration': MASK,
      other: 'kept',
    });
    assert.doesNotMatch(JSON.stringify(before), /CANARY|Q0FOQVJZ/);
  });

  it('leaves other kinds and the inputs untouched', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } };
    assert.equal(maskSecretPair(cm, cm).before, cm);
    const original = secret({ k: 'v' });
    maskSecret(original);
    assert.deepEqual(original['data'], { k: b64('v') });
  });
});
