/**
 * CommandDeps for tests: the given host and exec, a reporter that keeps what the command
 * reported, and no cluster unless the test passes a client factory (a double or the real one).
 */
import type { CommandDeps, KubeClientFactory } from '../../src/commands/command.ts';
import { createMemoryReporter, type MemoryReporter } from '../../src/host/memory-host.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { SecretRegistry } from '../../src/masking.ts';
import type { Exec, Host } from '../../src/ports.ts';

/** A factory for tests that must not reach a cluster. */
export const noKubeClient: KubeClientFactory = () =>
  Promise.reject(new Error('this test has no cluster: pass a kubeClient factory'));

export function commandDeps(
  host: Host,
  options: { readonly exec?: Exec; readonly kubeClient?: KubeClientFactory } = {},
): CommandDeps & { readonly reporter: MemoryReporter } {
  return {
    host,
    exec: options.exec ?? nodeExec,
    readStdin: () => Promise.resolve(new Uint8Array()),
    reporter: createMemoryReporter(),
    kubeClient: options.kubeClient ?? noKubeClient,
    secrets: new SecretRegistry((value) => host.setSecret(value)),
  };
}
