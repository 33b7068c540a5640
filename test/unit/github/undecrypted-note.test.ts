/**
 * Why a diff could not decrypt some files (a fork's pull request, Dependabot, or no key), the
 * warning that names them, and the require-decryption input that turns placeholders off.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { noteUndecrypted, undecryptedWhy } from '../../../src/commands/undecrypted-note.ts';
import { diffFlags, parseDiffConfig } from '../../../src/config/diff.ts';
import { UserError } from '../../../src/errors.ts';
import { createMemoryHost } from '../../../src/host/memory-host.ts';
import { summarizeDiff } from '../../../src/kube/diff.ts';

async function prEvent(headRepo: string | null): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-note-'));
  const file = path.join(dir, 'event.json');
  await writeFile(
    file,
    JSON.stringify({
      number: 7,
      pull_request: {
        number: 7,
        head: { repo: headRepo === null ? null : { full_name: headRepo } },
        base: { repo: { full_name: 'octo/app' } },
      },
    }),
  );
  return file;
}

const files = [
  { file: 'apps/db.enc.yaml', reason: 'no key could decrypt the data key: no key source for age' },
];

describe('undecryptedWhy', () => {
  test('a fork, a deleted fork, Dependabot, and a run with no key', async () => {
    const fork = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: await prEvent('someone/app') };
    assert.equal(
      undecryptedWhy(files, fork),
      'GitHub gives no secrets and no OIDC token to pull requests from forks',
    );
    const deleted = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: await prEvent(null) };
    assert.match(undecryptedWhy(files, deleted), /pull requests from forks/);
    const same = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: await prEvent('octo/app') };
    assert.match(undecryptedWhy(files, { ...same, GITHUB_ACTOR: 'dependabot[bot]' }), /Dependabot/);
    assert.equal(
      undecryptedWhy(files, same),
      'no key configured for this run opens them: no key could decrypt the data key: no key source for age',
    );
    assert.match(undecryptedWhy(files, {}), /^no key configured/);
  });

  test('the report gets the note and the host a warning naming the files; nothing when all decrypted', () => {
    const host = createMemoryHost();
    const report = summarizeDiff([]);
    assert.equal(noteUndecrypted(report, [], {}, host), report);
    const noted = noteUndecrypted(report, files, {}, host);
    assert.deepEqual(noted.undecrypted?.files, ['apps/db.enc.yaml']);
    assert.ok(
      host.logs.some(
        (w) =>
          w.startsWith('warning: ') && /apps\/db\.enc\.yaml/.test(w) && /require-decryption: true/.test(w),
      ),
    );
  });
});

describe('require-decryption', () => {
  const read =
    (inputs: Record<string, string>) =>
    (name: string): string =>
      inputs[name] ?? '';
  test('is a diff flag, false by default, true when asked, and refuses other values', () => {
    assert.deepEqual(diffFlags['require-decryption'], { type: 'boolean' });
    assert.equal(parseDiffConfig(read({ path: '.' }), {}).requireDecryption, false);
    assert.equal(
      parseDiffConfig(read({ path: '.', 'require-decryption': 'true' }), {}).requireDecryption,
      true,
    );
    assert.throws(
      () => parseDiffConfig(read({ path: '.', 'require-decryption': 'yes' }), {}),
      (e: unknown) =>
        e instanceof UserError && /require-decryption is "yes"; expected true or false/.test(e.message),
    );
  });
});
