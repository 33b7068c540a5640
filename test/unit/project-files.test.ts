/**
 * The files users look for (issue 15): LICENSE, SECURITY.md, CHANGELOG.md and the README's
 * permissions table exist and stay true. SECURITY.md backs each guarantee with test files, so a
 * renamed or deleted test must not leave it pointing at nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../env/paths.ts';

const read = (file: string): string => readFileSync(path.join(repoRoot, file), 'utf8');
const packageJson = JSON.parse(read('package.json')) as { version: string; license: string; files: string[] };

test('LICENSE is the Apache License 2.0 that package.json declares, in full', () => {
  assert.equal(packageJson.license, 'Apache-2.0');
  const text = read('LICENSE');
  assert.match(text, /^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
  assert.match(text, /TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/);
  assert.match(text, /END OF TERMS AND CONDITIONS/);
  assert.ok(text.split('\n').length > 190, 'the full text, not a summary');
});

test('every file the package lists exists', () => {
  for (const entry of packageJson.files) assert.ok(existsSync(path.join(repoRoot, entry)), entry);
});

test('SECURITY.md: how to report, the scope, and the guarantees, each backed by existing tests', () => {
  const text = read('SECURITY.md');
  for (const heading of [
    '## Reporting a vulnerability',
    '## Scope',
    '## Guarantees, and the tests that back them',
  ]) {
    assert.ok(text.includes(`\n${heading}\n`), heading);
  }
  const rows = text.split('\n').filter((line) => line.startsWith('| **'));
  const guarantees = rows.map((row) => /^\| \*\*(.+?)\*\*/.exec(row)?.[1] ?? '');
  for (const needed of ['The MAC is verified.', 'Endpoint allowlists.', 'Masking.']) {
    assert.ok(guarantees.includes(needed), `a row for ${needed}`);
  }
  for (const row of rows) {
    const tests = [...row.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((m) => m[1] ?? '');
    assert.ok(tests.length > 0, `no test backs: ${row.slice(0, 60)}`);
    for (const file of tests) assert.ok(existsSync(path.join(repoRoot, file)), `SECURITY.md names ${file}`);
  }
});

test('CHANGELOG.md follows Keep a Changelog and has a section for the package version', () => {
  const text = read('CHANGELOG.md');
  assert.match(text, /^# Changelog\n/);
  assert.match(text, /keepachangelog\.com/);
  assert.match(text, /^## \[Unreleased\]$/m);
  const section = new RegExp(
    `^## \\[${packageJson.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`,
    'm',
  );
  assert.match(text, section);
  assert.match(text, new RegExp(`^\\[${packageJson.version.replace(/\./g, '\\.')}\\]: https://`, 'm'));
});

test('the README has a permissions table naming each permission a feature needs', () => {
  const readme = read('README.md');
  const start = readme.indexOf('\n## Permissions\n');
  assert.ok(start >= 0, 'a Permissions section');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  for (const permission of [
    'contents: read',
    'id-token: write',
    'pull-requests: write',
    'security-events: write',
  ]) {
    assert.ok(section.includes(`\`${permission}\``), permission);
  }
  assert.match(section, /\| `lint` with `sarif-file`.*`security-events: write`/);
  assert.match(section, /\| Cloud keys through GitHub OIDC.*`id-token: write`/);
});
