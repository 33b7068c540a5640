/** The Action's host, on @actions/core. The only domain-facing file that imports it. */
import * as core from '@actions/core';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import type { SourceLocation } from '../errors.ts';
import type { Host } from '../ports.ts';
import { maskableParts } from '../masking.ts';

/** GitHub drops a step summary larger than this, so we never write more. */
export const SUMMARY_LIMIT = 1024 * 1024;

/** The prefix of every error line, so the failure reads as ours in the job log. */
export const ERROR_PREFIX = 'kustomize-sops-deploy: ';

export interface ActionsHost extends Host {
  /** Errors reported so far; the shell fails the step with the first one. */
  readonly errors: readonly string[];
}

/**
 * GitHub places an annotation on a file given relative to the workspace (the working
 * directory here); a path outside it is left off rather than pointing somewhere wrong.
 */
function annotationOf(where: SourceLocation): core.AnnotationProperties {
  const rel = path.relative(process.cwd(), path.resolve(where.file)).split(path.sep).join('/');
  if (rel === '' || rel.startsWith('../') || path.isAbsolute(rel)) return {};
  return {
    file: rel,
    ...(where.line === undefined ? {} : { startLine: where.line }),
    ...(where.column === undefined ? {} : { startColumn: where.column }),
  };
}

export function createActionsHost(): ActionsHost {
  const errors: string[] = [];
  let summaryBytes = 0;
  let summaryFull = false;
  return {
    errors,
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    error: (m, where) => {
      errors.push(m);
      core.error(`${ERROR_PREFIX}${m}`, where === undefined ? {} : annotationOf(where));
    },
    setSecret: (value) => {
      for (const part of maskableParts(value)) core.setSecret(part);
    },
    setOutput: (n, v) => core.setOutput(n, v),
    appendSummary: (md) => {
      const file = process.env['GITHUB_STEP_SUMMARY'];
      if (file === undefined || file === '' || summaryFull) return;
      // Synchronous appends: core.summary's shared buffer duplicates text when writes overlap.
      const text = `${md}\n`;
      const bytes = Buffer.byteLength(text);
      if (summaryBytes + bytes > SUMMARY_LIMIT) {
        summaryFull = true;
        appendFileSync(file, '\n_The job summary reached its 1 MiB limit; the rest is left out._\n');
        return;
      }
      summaryBytes += bytes;
      appendFileSync(file, text);
    },
    writeStdout: (d) => process.stdout.write(d),
    group: (name, fn) => core.group(name, fn),
  };
}
