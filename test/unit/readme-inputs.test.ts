import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
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
  for (const match of action.matchAll(/^ {2}([a-z-]+):\n {4}description: (.*)$/gm)) {
    assert.ok((match[2] ?? '').trim().length > 10, `input ${match[1] ?? ''} needs a description`);
  }
});
