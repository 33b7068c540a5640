/** A host for tests: records every channel so tests can search them for canary secrets. */
import type { Host, StickyCommentResult } from '../ports.ts';

export interface MemoryHost extends Host {
  readonly logs: string[];
  readonly secrets: string[];
  readonly outputs: Map<string, string>;
  readonly summary: string[];
  readonly stdout: Uint8Array[];
  /** Sticky comments by tag; a deleted one is removed. */
  readonly comments: Map<string, string>;
  /** Errors that named a file, as `file:line:column: message`. */
  readonly annotations: string[];
  /** Everything written anywhere, for leak checks. */
  allText(): string;
}

/** `reportsToGithub` makes commands report as they do on the Actions runner. */
export function createMemoryHost(options: { reportsToGithub?: boolean } = {}): MemoryHost {
  const logs: string[] = [];
  const secrets: string[] = [];
  const outputs = new Map<string, string>();
  const summary: string[] = [];
  const stdout: Uint8Array[] = [];
  const comments = new Map<string, string>();
  const annotations: string[] = [];
  return {
    annotations,
    logs,
    secrets,
    outputs,
    summary,
    stdout,
    comments,
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
    reportsToGithub: options.reportsToGithub ?? false,
    group: async (name, fn) => {
      logs.push(`group: ${name}`);
      try {
        return await fn();
      } finally {
        logs.push(`endgroup: ${name}`);
      }
    },
    stickyComment: (tag, render) => {
      const body = render(tag);
      let result: StickyCommentResult;
      if (body === null) result = comments.delete(tag) ? 'deleted' : 'unchanged';
      else {
        const before = comments.get(tag);
        result = before === undefined ? 'created' : before === body ? 'unchanged' : 'updated';
        comments.set(tag, body);
      }
      return Promise.resolve(result);
    },
    allText: () =>
      [
        ...logs,
        ...outputs.values(),
        ...summary,
        ...comments.values(),
        Buffer.concat(stdout).toString('utf8'),
      ].join('\n'),
  };
}
