/**
 * A clone must pass its own tests anywhere: no test, bench or script may read the workspace's
 * fixture folder beside the repository. Upstream fixtures live in test/fixtures/vendor, each
 * folder with its LICENSE and MANIFEST.md, and this test keeps it that way.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../env/paths.ts';
import { fixtures, fluxKeys, upstreamPgpKey, vendoredFixtures } from '../support/fixtures.ts';

// The folder's name is built from pieces so that this file does not match itself.
const name = ['sha', 'red'].join('');
const outsideReferences = [
  new RegExp(`\\.\\./${name}\\b`), // a relative path to the sibling folder
  new RegExp(`/${name}/`), // an absolute workspace path
  new RegExp(`'\\.\\.',\\s*'${name}'`), // path.join(root, '..', name)
];

/** Every file under dir, skipping dependencies and binary data. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    out.push(file);
  }
  return out;
}

test('no test, bench or script refers to the fixture folder outside the repository', () => {
  const offenders: string[] = [];
  let scanned = 0;
  for (const top of ['test', 'bench', 'scripts', '.ci']) {
    for (const file of filesUnder(path.join(repoRoot, top))) {
      const bytes = readFileSync(file);
      if (bytes.includes(0)) continue; // binary (gpg keyrings and the like)
      scanned++;
      const text = bytes.toString('utf8');
      text.split('\n').forEach((line, i) => {
        if (outsideReferences.some((re) => re.test(line))) {
          offenders.push(`${path.relative(repoRoot, file)}:${String(i + 1)}: ${line.trim()}`);
        }
      });
    }
  }
  assert.ok(scanned > 100, `only ${String(scanned)} files scanned`);
  assert.deepEqual(offenders, []);
});

test('the patterns do catch each way a path outside the repository was written', () => {
  const samples = [
    `path.join(repoRoot, '..', '${name}', 'fixtures')`,
    `const FLUX = '/work/${name}/fixtures/flux-testdata';`,
    `see ../${name}/fixtures`,
  ];
  for (const sample of samples) {
    assert.ok(
      outsideReferences.some((re) => re.test(sample)),
      sample,
    );
  }
  assert.ok(!outsideReferences.some((re) => re.test('sharedOidcIssuer()')));
});

test('every vendored folder has its licence and a MANIFEST naming each fixture the tests open', () => {
  const folders = readdirSync(vendoredFixtures, { withFileTypes: true }).filter((e) => e.isDirectory());
  assert.ok(folders.length >= 2);
  for (const folder of folders) {
    const dir = path.join(vendoredFixtures, folder.name);
    assert.ok(existsSync(path.join(dir, 'LICENSE')), `${folder.name}: no LICENSE`);
    assert.ok(existsSync(path.join(dir, 'MANIFEST.md')), `${folder.name}: no MANIFEST.md`);
  }
  const manifests = new Map(
    folders.map((f) => [f.name, readFileSync(path.join(vendoredFixtures, f.name, 'MANIFEST.md'), 'utf8')]),
  );
  const used = [...fixtures.map((f) => f.file), ...Object.values(fluxKeys), upstreamPgpKey];
  for (const file of used) {
    assert.ok(existsSync(file), `${file} is missing`);
    const [folder, ...rest] = path.relative(vendoredFixtures, file).split(path.sep);
    const manifest = manifests.get(folder ?? '');
    assert.ok(manifest !== undefined, `${file} is not in a vendored folder`);
    const rel = rest.join('/');
    const named = manifest.includes(`| ${rel} |`) || manifest.includes(`\`${rel}\``);
    assert.ok(named, `${folder ?? ''}/MANIFEST.md does not name ${rel}`);
  }
});
