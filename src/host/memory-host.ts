/** A host for tests: records every channel so tests can search them for canary secrets. */
import type { Host } from './host.ts';

export interface MemoryHost extends Host {
  readonly logs: string[];
  readonly secrets: string[];
  readonly outputs: Map<string, string>;
  readonly summary: string[];
  readonly stdout: Uint8Array[];
  /** Everything written anywhere, for leak checks. */
  allText(): string;
}

export function createMemoryHost(): MemoryHost {
  const logs: string[] = [];
  const secrets: string[] = [];
  const outputs = new Map<string, string>();
  const summary: string[] = [];
  const stdout: Uint8Array[] = [];
  return {
    logs,
    secrets,
    outputs,
    summary,
    stdout,
    debug: (m) => logs.push(`debug: ${m}`),
    info: (m) => logs.push(m),
    warning: (m) => logs.push(`warning: ${m}`),
    error: (m) => logs.push(`error: ${m}`),
    setSecret: (v) => secrets.push(v),
    setOutput: (n, v) => outputs.set(n, v),
    appendSummary: (md) => summary.push(md),
    writeStdout: (d) => stdout.push(typeof d === 'string' ? Buffer.from(d) : d),
    allText: () =>
      [...logs, ...outputs.values(), ...summary, Buffer.concat(stdout).toString('utf8')].join('\n'),
  };
}
