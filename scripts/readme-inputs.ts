/**
 * Regenerates the README's input and output tables from action.yml, so they cannot drift
 * (`node scripts/readme-inputs.ts`; a unit test fails when the README is stale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const START = '<!-- action-inputs:start (generated from action.yml by scripts/readme-inputs.ts) -->';
const END = '<!-- action-inputs:end -->';

interface ActionYaml {
  readonly inputs?: Record<
    string,
    { description?: string; required?: boolean; default?: string | number | boolean }
  >;
  readonly outputs?: Record<string, { description?: string }>;
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ').trim();

/** The generated block, markers included. */
export function renderActionTables(actionYaml: string): string {
  const action = parse(actionYaml) as ActionYaml;
  const inputs = Object.entries(action.inputs ?? {}).map(
    ([name, spec]) =>
      `| \`${name}\` | ${cell(spec.description ?? '')} | ${spec.default === undefined ? '' : `\`${cell(String(spec.default))}\``} |`,
  );
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description ?? '')} |`,
  );
  return [
    START,
    '| input | description | default |',
    '|---|---|---|',
    ...inputs,
    '',
    '| output | description |',
    '|---|---|',
    ...outputs,
    END,
  ].join('\n');
}

/** The README with its generated block replaced. */
export function updateReadme(readme: string, actionYaml: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error('README.md has no action-inputs markers');
  return readme.slice(0, start) + renderActionTables(actionYaml) + readme.slice(end + END.length);
}

if (import.meta.filename === process.argv[1]) {
  const root = path.resolve(import.meta.dirname, '..');
  const readmePath = path.join(root, 'README.md');
  writeFileSync(
    readmePath,
    updateReadme(readFileSync(readmePath, 'utf8'), readFileSync(path.join(root, 'action.yml'), 'utf8')),
  );
}
