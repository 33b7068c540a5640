/**
 * The real Kubernetes client factory for `diff` and `apply`, which the shells put into
 * CommandDeps (tests put a double there instead): the kubeconfig from the config, as a file
 * or as content held in memory, and twice as many sockets as requests in flight. The client's
 * code is loaded only when a command opens one, not at every command's start-up.
 */
import type { KubeConfigInputs } from '../config/kube.ts';
import type { KubeClient } from '../kube/client.ts';

export async function openKubeClient(inputs: KubeConfigInputs): Promise<KubeClient> {
  const { createKubeClient } = await import('../kube/client.ts');
  return createKubeClient({
    kubeconfig: inputs.kubeconfig,
    kubeconfigContent: inputs.kubeconfigContent,
    context: inputs.context,
    env: inputs.env,
    maxSockets: inputs.concurrency * 2,
  });
}
