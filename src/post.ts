/**
 * The Action's post step. It runs even when the main step failed or was cancelled, and
 * removes any private build root (decrypted plaintext) a killed run left in RUNNER_TEMP, and
 * in the private root parent (/dev/shm where there is one) the roots of processes that are
 * gone. A run that ends normally removes its own roots; this is the backstop.
 */
import * as core from '@actions/core';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { privateRootParent, sweepStalePrivateRoots } from './private-file.ts';

const temp = process.env['RUNNER_TEMP'];
if (temp !== undefined && temp !== '') {
  try {
    for (const entry of await readdir(temp)) {
      if (!entry.startsWith('ksd-')) continue;
      await rm(path.join(temp, entry), { recursive: true, force: true });
      core.info(`kustomize-sops-deploy: removed leftover ${entry}`);
    }
  } catch (error) {
    core.warning(
      `kustomize-sops-deploy: could not clean RUNNER_TEMP: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
// The main step has ended, so its roots there are stale; a parallel job's live ones are kept.
const parent = privateRootParent(process.env);
if (parent !== temp) {
  for (const entry of await sweepStalePrivateRoots(parent)) {
    core.info(`kustomize-sops-deploy: removed leftover ${path.join(parent, entry)}`);
  }
}
