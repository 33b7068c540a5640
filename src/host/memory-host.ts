/**
 * A host and a reporter for tests: they record every channel so tests can search them for
 * canary secrets and see what a command reported.
 */
import type { CommandReporter, CommandResults } from '../commands/command.ts';
import type { Host } from '../ports.ts';

export interface MemoryHost extends Host {
  readonly logs: string[];
  readonly secrets: string[];
  readonly outputs: Map<string, string>;
  readonly summary: string[];
  readonly stdout: Uint8Array[];
  /** Errors that named a file, as `file:line:column: message`. */
  readonly annotations: string[];
  /** Everything written anywhere, for leak checks. */
  allText(): string;
}

export function createMemoryHost(): MemoryHost {
  const logs: string[] = [];
  const secrets: string[] = [];
  const outputs = new Map<string, string>();
  const summary: string[] = [];
  const stdout: Uint8Array[] = [];
  const annotations: string[] = [];
  return {
    annotations,
    logs,
    secrets,
    outputs,
    summary,
    stdout,
    debug: (m) => logs.push(`debug: ${m}`),
    info: (m) => logs.push(m),
    warning: (m) => logs.push(`warning: ${m}`),
    error: (m, where) => {
      logs.push(`error: ${m}`);
      if (where !== undefined)
        annotations.push(`${where.file}:${String(where.line ?? '')}:${String(where.column ?? '')}: ${m}`);
    },
    setSecret: (v) => secrets.push(v),
    setOutput: (n, v) => outputs.set(n, v),
    appendSummary: (md) => summary.push(md),
    writeStdout: (d) => stdout.push(typeof d === 'string' ? Buffer.from(d) : d),
    group: async (name, fn) => {
      logs.push(`group: ${name}`);
      try {
        return await fn();
      } finally {
        logs.push(`endgroup: ${name}`);
      }
    },
    allText: () =>
      [...logs, ...outputs.values(), ...summary, Buffer.concat(stdout).toString('utf8')].join('\n'),
  };
}

/** One result a command reported, with the command's name. */
export type ReportedResult = {
  readonly [K in keyof CommandResults]: { readonly command: K; readonly result: CommandResults[K] };
}[keyof CommandResults];

export interface MemoryReporter extends CommandReporter {
  /** Every result reported, in order. */
  readonly reported: ReportedResult[];
}

/** A reporter that keeps what the commands report, for tests to inspect. */
export function createMemoryReporter(): MemoryReporter {
  const reported: ReportedResult[] = [];
  return {
    reported,
    report: (command, result) => {
      reported.push({ command, result } as ReportedResult);
      return Promise.resolve();
    },
  };
}
