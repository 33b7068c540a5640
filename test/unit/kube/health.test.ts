import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeHealth } from '../../../src/kube/health.ts';
import type { HealthState } from '../../../src/kube/health.ts';

type Row = readonly [string, Record<string, unknown>, HealthState, RegExp?];

const deploy = (status: Record<string, unknown>, generation = 1): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', generation },
  spec: { replicas: 2 },
  status,
});

const rows: Row[] = [
  ['deployment not observed', deploy({}), 'in-progress', /not observed/],
  [
    'deployment old generation',
    deploy({ observedGeneration: 1 }, 2),
    'in-progress',
    /observedGeneration 1 < generation 2/,
  ],
  [
    'deployment partly ready',
    deploy({
      observedGeneration: 1,
      updatedReplicas: 2,
      readyReplicas: 1,
      availableReplicas: 1,
      replicas: 2,
    }),
    'in-progress',
    /ready replicas 1\/2/,
  ],
  [
    'deployment ready',
    deploy({
      observedGeneration: 1,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      replicas: 2,
    }),
    'ready',
  ],
  [
    'deployment deadline',
    deploy({
      observedGeneration: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    }),
    'failed',
  ],
  [
    'statefulset ready',
    {
      kind: 'StatefulSet',
      metadata: { generation: 1 },
      spec: { replicas: 1 },
      status: { observedGeneration: 1, readyReplicas: 1, currentRevision: 'a', updateRevision: 'a' },
    },
    'ready',
  ],
  [
    'statefulset rolling',
    {
      kind: 'StatefulSet',
      metadata: { generation: 1 },
      spec: { replicas: 1 },
      status: { observedGeneration: 1, readyReplicas: 1, currentRevision: 'a', updateRevision: 'b' },
    },
    'in-progress',
  ],
  [
    'daemonset ready',
    {
      kind: 'DaemonSet',
      metadata: { generation: 1 },
      status: {
        observedGeneration: 1,
        desiredNumberScheduled: 2,
        updatedNumberScheduled: 2,
        numberAvailable: 2,
        numberReady: 2,
      },
    },
    'ready',
  ],
  [
    'daemonset waiting',
    {
      kind: 'DaemonSet',
      metadata: { generation: 1 },
      status: {
        observedGeneration: 1,
        desiredNumberScheduled: 2,
        updatedNumberScheduled: 2,
        numberAvailable: 1,
        numberReady: 2,
      },
    },
    'in-progress',
    /available pods 1\/2/,
  ],
  [
    'replicaset ready',
    {
      kind: 'ReplicaSet',
      metadata: { generation: 3 },
      spec: { replicas: 1 },
      status: { observedGeneration: 3, readyReplicas: 1, availableReplicas: 1 },
    },
    'ready',
  ],
  ['job running', { kind: 'Job', spec: {}, status: {} }, 'in-progress', /succeeded 0\/1/],
  ['job complete', { kind: 'Job', status: { conditions: [{ type: 'Complete', status: 'True' }] } }, 'ready'],
  [
    'job failed',
    {
      kind: 'Job',
      status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] },
    },
    'failed',
    /BackoffLimitExceeded/,
  ],
  [
    'pvc pending',
    { kind: 'PersistentVolumeClaim', status: { phase: 'Pending' } },
    'in-progress',
    /phase Pending/,
  ],
  ['pvc bound', { kind: 'PersistentVolumeClaim', status: { phase: 'Bound' } }, 'ready'],
  ['clusterip service', { kind: 'Service', spec: { type: 'ClusterIP' } }, 'ready'],
  [
    'lb without address',
    { kind: 'Service', spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } },
    'in-progress',
    /load balancer/,
  ],
  [
    'lb with address',
    {
      kind: 'Service',
      spec: { type: 'LoadBalancer' },
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    },
    'ready',
  ],
  [
    'crd established',
    { kind: 'CustomResourceDefinition', status: { conditions: [{ type: 'Established', status: 'True' }] } },
    'ready',
  ],
  ['crd pending', { kind: 'CustomResourceDefinition', status: {} }, 'in-progress'],
  [
    'custom ready false',
    {
      kind: 'Widget',
      metadata: { generation: 1 },
      status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'False', reason: 'Waiting' }] },
    },
    'in-progress',
    /Ready=False: Waiting/,
  ],
  [
    'custom ready true',
    { kind: 'Widget', status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    'ready',
  ],
  [
    'custom stalled',
    { kind: 'Widget', status: { conditions: [{ type: 'Stalled', status: 'True', reason: 'Broken' }] } },
    'failed',
    /Stalled: Broken/,
  ],
  ['configmap', { kind: 'ConfigMap' }, 'ready'],
  ['being deleted', { kind: 'ConfigMap', metadata: { deletionTimestamp: 'x' } }, 'in-progress'],
];

describe('computeHealth', () => {
  for (const [name, object, state, reason] of rows) {
    it(name, () => {
      const result = computeHealth(object);
      assert.equal(result.state, state, result.reason);
      if (reason !== undefined) assert.match(result.reason, reason);
    });
  }
});
