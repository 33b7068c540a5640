/** The real helm for tests, and `helm template` as the oracle runs it. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { toolPath } from '../env/paths.ts';
import { requireComponent } from '../env/state.ts';

const execFileAsync = promisify(execFile);

/** The path of the pinned helm, once global setup built it. */
export async function helmBinary(): Promise<string> {
  await requireComponent('helm-cli');
  return toolPath('helm');
}

/**
 * The oracle: the real `helm template NAME CHART --namespace NS -f values.yaml` with the same
 * flags the renderer passes besides the values, parsed into objects (empty documents dropped).
 */
export async function helmTemplate(
  chart: string,
  name: string,
  namespace: string,
  values: unknown,
  flags: readonly string[] = ['--no-hooks'],
): Promise<Record<string, unknown>[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-helm-oracle-'));
  try {
    const valuesFile = path.join(dir, 'values.yaml');
    await writeFile(valuesFile, JSON.stringify(values));
    const { stdout } = await execFileAsync(
      await helmBinary(),
      ['template', name, chart, '--namespace', namespace, '-f', valuesFile, ...flags],
      { env: { PATH: process.env['PATH'] ?? '', HOME: dir }, maxBuffer: 64 * 1024 * 1024 },
    );
    return parseAllDocuments(stdout)
      .map((d) => d.toJS() as unknown)
      .filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
