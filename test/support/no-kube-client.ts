/**
 * A test double for CommandDeps.kubeClient where a run must not reach a cluster (build,
 * lint, decrypt, `diff --against`): opening a client fails the test.
 */
import type { KubeClientFactory } from '../../src/kube/client.ts';

export const noKubeClient: KubeClientFactory = () =>
  Promise.reject(new Error('this run must not open a Kubernetes client'));
