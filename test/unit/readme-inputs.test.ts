import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { test } from 'node:test';
import { updateReadme } from '../../scripts/readme-inputs.ts';
import { repoRoot } from '../env/paths.ts';

test('the README input/output tables match action.yml (run node scripts/readme-inputs.ts)', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const action = readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');
  assert.equal(readme, updateReadme(readme, action));
});

test('every input in action.yml is documented with a description', () => {
  const action = readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');
  const inputs = (parse(action) as { inputs: Record<string, { description?: unknown }> }).inputs;
  assert.ok(Object.keys(inputs).length > 10);
  for (const [name, spec] of Object.entries(inputs)) {
    const description = typeof spec.description === 'string' ? spec.description : '';
    assert.ok(description.trim().length > 10, `input ${name} needs a description`);
  }
});
