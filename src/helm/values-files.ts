/**
 * `spec.chart.spec.valuesFiles`, as the source-controller builds the HelmChart artifact
 * (internal/helm/chart: mergeChartValues and OverwriteChartDefaultValues): the listed files
 * of the chart are merged in order (`values.yaml` stands for the chart's own defaults, any
 * other path is a file of the chart outside `templates/` and `charts/`; a missing one is an
 * error unless `ignoreMissingValuesFiles`), maps merging deeply and anything else replacing,
 * and the result replaces the chart's `values.yaml`. The chart's version then carries the
 * HelmChart's generation as build metadata (`1.2.3+1`), as the source-controller sets it so
 * that consumers notice the change; the generation lives only in the cluster, so 1 (a new
 * HelmChart) is assumed.
 *
 * The modified chart is a folder in the run's chart cache (removed with it): an archive is
 * unpacked there first, with every path confined to that folder.
 */
import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { UserError, errorMessage } from '../errors.ts';
import { isRecord } from '../is-record.ts';
import { readChartArchive } from './chart-archive.ts';
import type { ChartTemplate } from './helm-release.ts';
import { mergeMaps } from './values.ts';

/** The build metadata assumed for the HelmChart's generation. */
export const ASSUMED_GENERATION = '1';

interface ChartLocation {
  readonly location: string;
  readonly version: string;
}

/** Unpacks an archive into `dir`; returns the chart folder (its single top-level folder). */
async function unpack(archive: string, dir: string, label: string): Promise<string> {
  const files = readChartArchive(await readFile(archive), label);
  const tops = new Set([...files.keys()].map((name) => name.split('/')[0] ?? ''));
  const top = [...tops][0];
  if (tops.size !== 1 || top === undefined || top === '' || top === '.' || top === '..') {
    throw new UserError('BAD_FORMAT', `${label}: the chart archive does not hold exactly one chart folder`);
  }
  const root = path.join(dir, top);
  for (const [name, data] of files) {
    const target = path.resolve(dir, name);
    if (!target.startsWith(`${root}${path.sep}`)) {
      throw new UserError(
        'PATH_ESCAPE',
        `${label}: the chart archive holds ${JSON.stringify(name)}, outside its folder`,
      );
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, data);
  }
  return root;
}

function readYamlMap(text: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parse(text, { maxAliasCount: 1000 });
  } catch (error) {
    throw new UserError('BAD_FORMAT', `${what} failed: ${errorMessage(error)}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed)) throw new UserError('BAD_FORMAT', `${what} failed: not a map`);
  return parsed;
}

/** A regular file of the chart that helm loads as one of its `Files`, or undefined. */
async function chartFile(chartDir: string, name: string): Promise<string | undefined> {
  if (name.startsWith('templates/') || name.startsWith('charts/') || name === 'Chart.yaml') return undefined;
  const file = path.resolve(chartDir, name);
  if (!file.startsWith(`${chartDir}${path.sep}`)) return undefined;
  try {
    return (await stat(file)).isFile() ? await readFile(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The chart at `chart.location` (an archive or a folder) with `template.valuesFiles` merged
 * into its default values, as a folder under `workDir`.
 */
export async function applyValuesFiles(
  chart: ChartLocation,
  template: ChartTemplate,
  workDir: string,
  label: string,
): Promise<ChartLocation> {
  const isFolder = (await stat(chart.location)).isDirectory();
  let chartDir: string;
  if (isFolder) {
    chartDir = path.join(workDir, path.basename(chart.location));
    await cp(chart.location, chartDir, { recursive: true });
  } else {
    chartDir = await unpack(chart.location, workDir, label);
  }
  const valuesPath = path.join(chartDir, 'values.yaml');
  const defaults = readYamlMap(
    await readFile(valuesPath, 'utf8').catch(() => ''),
    `${label}: reading the chart's values.yaml`,
  );
  let merged: Record<string, unknown> = {};
  for (const name of template.valuesFiles) {
    // Go's filepath.Clean, for slash-separated paths.
    const clean = path.posix.normalize(name).replace(/^\.\//, '').replace(/\/$/, '');
    if (clean === 'values.yaml') {
      merged = mergeMaps(merged, defaults);
      continue;
    }
    const text = await chartFile(chartDir, clean);
    if (text === undefined) {
      if (template.ignoreMissingValuesFiles) continue;
      throw new UserError('FILE_NOT_FOUND', `${label}: no values file found at path '${name}'`, {
        hint: 'list files of the chart in spec.chart.spec.valuesFiles, or set ignoreMissingValuesFiles: true',
      });
    }
    merged = mergeMaps(merged, readYamlMap(text, `${label}: unmarshaling values from '${name}'`));
  }
  await writeFile(valuesPath, stringify(merged, { lineWidth: 0 }));
  const chartYaml = path.join(chartDir, 'Chart.yaml');
  const metadata = readYamlMap(await readFile(chartYaml, 'utf8'), `${label}: reading Chart.yaml`);
  const declared = metadata['version'];
  const base = (
    typeof declared === 'string' || typeof declared === 'number' ? String(declared) : chart.version
  ).replace(/\+.*$/, '');
  const version = `${base}+${ASSUMED_GENERATION}`;
  await writeFile(chartYaml, stringify({ ...metadata, version }, { lineWidth: 0 }));
  return { location: chartDir, version };
}
