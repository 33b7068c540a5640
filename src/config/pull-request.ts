/**
 * The pull request a run belongs to, read from the runner's event payload
 * (`GITHUB_EVENT_NAME`, `GITHUB_EVENT_PATH`, `GITHUB_REPOSITORY`). It is an input of the run
 * like the others, so it is read here, where the Action's comment and `diff`'s note on
 * undecrypted files both find it.
 */
import { readFileSync } from 'node:fs';
import { isRecord } from '../is-record.ts';
import type { Env } from '../ports.ts';

export interface PullRequestContext {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  /** The head branch lives in another repository: the run has no secrets and no OIDC token. */
  readonly fork: boolean;
  /** Opened by Dependabot, whose runs get only Dependabot secrets and no Actions secrets. */
  readonly dependabot: boolean;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

function record(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

function fullName(repo: unknown): string | undefined {
  const name = record(repo)?.['full_name'];
  return typeof name === 'string' ? name : undefined;
}

/** Parses a `pull_request` payload; undefined when it is not one. */
export function pullRequestFromPayload(
  payload: unknown,
  repository: string | undefined,
): Omit<PullRequestContext, 'dependabot'> | undefined {
  const pr = record(record(payload)?.['pull_request']);
  const number = pr?.['number'] ?? record(payload)?.['number'];
  if (pr === undefined || typeof number !== 'number' || !Number.isSafeInteger(number)) return undefined;
  const base = fullName(record(pr['base'])?.['repo']) ?? repository;
  if (base === undefined) return undefined;
  const [owner, repo, ...rest] = base.split('/');
  if (owner === undefined || repo === undefined || rest.length > 0) return undefined;
  const head = fullName(record(pr['head'])?.['repo']);
  // A deleted fork has no head repo at all; it still ran without secrets.
  const fork = head === undefined ? record(pr['head'])?.['repo'] === null : head !== base;
  return { owner, repo, number, fork };
}

/** The run's pull request, or undefined for push, schedule and other events. */
export function pullRequestFromEnv(env: Env): PullRequestContext | undefined {
  const event = env['GITHUB_EVENT_NAME'];
  const file = env['GITHUB_EVENT_PATH'];
  if (event === undefined || !PR_EVENTS.has(event) || file === undefined || file === '') return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const pullRequest = pullRequestFromPayload(payload, env['GITHUB_REPOSITORY']);
  return pullRequest === undefined
    ? undefined
    : { ...pullRequest, dependabot: env['GITHUB_ACTOR'] === 'dependabot[bot]' };
}
