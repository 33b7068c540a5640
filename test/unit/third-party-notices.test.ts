/**
 * scripts/third-party-notices.ts: which package a bundled module belongs to, and what the notice
 * says for it. Whether the committed THIRD_PARTY_NOTICES matches the bundle is checked in CI
 * (.ci/run regenerates it and fails on a difference, as for dist/).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { packageDirOf, renderNotices, type BundledPackage } from '../../scripts/third-party-notices.ts';
import { repoRoot } from '../env/paths.ts';

test('packageDirOf finds the innermost package of a bundled module', () => {
  const cases: readonly [string, string | undefined][] = [
    ['node_modules/yaml/dist/index.js', 'node_modules/yaml'],
    ['../../main/node_modules/@octokit/core/dist-src/index.js', '../../main/node_modules/@octokit/core'],
    [
      'node_modules/@kubernetes/client-node/node_modules/js-yaml/dist/js-yaml.mjs',
      'node_modules/@kubernetes/client-node/node_modules/js-yaml',
    ],
    ['src/keys/pgp.ts', undefined],
    ['scripts/bundle-shims/undici-proxy-agent.ts', undefined],
  ];
  for (const [input, expected] of cases) assert.equal(packageDirOf(input), expected, input);
});

function fakePackage(name: string, license: string, files: Record<string, string>): BundledPackage {
  const dir = mkdtempSync(path.join(tmpdir(), 'ksd-notice-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return { name, version: '1.2.3', license, dir };
}

test('each package gets its licence files; an LGPL one also the GPL-3.0 text and the note', () => {
  const mit = fakePackage('a-mit', 'MIT', { LICENSE: 'MIT text\r\n', 'README.md': 'not a licence' });
  const lgpl = fakePackage('b-lgpl', 'LGPL-3.0+', { LICENSE: 'LGPL text' });
  const bare = fakePackage('c-bare', 'ISC', {});
  const text = renderNotices([mit, lgpl, bare]);
  assert.match(text, /^ {2}a-mit@1\.2\.3 \(MIT\)$/m);
  assert.match(text, /--- LICENSE ---\nMIT text\n/);
  assert.doesNotMatch(text, /not a licence/);
  assert.match(
    text,
    /--- LICENSE ---\nLGPL text\n\n--- GPL-3\.0 \(the licence the LGPL-3\.0 supplements\) ---\n/,
  );
  assert.match(text, /GNU GENERAL PUBLIC LICENSE\n\s+Version 3, 29 June 2007/);
  assert.match(text, /openpgp is licensed under the GNU Lesser General Public License/);
  assert.match(
    text,
    /c-bare@1\.2\.3 \(ISC\)\n=+\n\n\(the package ships no licence file; its package\.json declares ISC\)/,
  );
  assert.doesNotMatch(renderNotices([mit]), /Lesser General Public/);
});

test('the committed THIRD_PARTY_NOTICES lists openpgp under the LGPL with both licence texts', () => {
  const text = readFileSync(path.join(repoRoot, 'THIRD_PARTY_NOTICES'), 'utf8');
  assert.match(text, /^ {2}openpgp@\d+\.\d+\.\d+ \(LGPL-3\.0\+\)$/m);
  assert.match(text, /GNU LESSER GENERAL PUBLIC LICENSE/);
  assert.match(text, /GNU GENERAL PUBLIC LICENSE/);
  assert.match(text, /^ {2}yaml@/m);
});
