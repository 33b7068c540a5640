/** The Action's kubeconfig input: content or a path, and the private file content becomes. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  isKubeconfigContent,
  kubeconfigCredentials,
  writeKubeconfigContent,
} from '../../../src/github/kubeconfig-input.ts';

describe('kubeconfig input', () => {
  test('content vs. path', () => {
    assert.equal(isKubeconfigContent('apiVersion: v1\nkind: Config\n'), true);
    assert.equal(isKubeconfigContent('/etc/hostname'), false);
    assert.equal(isKubeconfigContent('kube/config'), false);
    assert.equal(isKubeconfigContent(''), false);
  });

  test('credentials are masked before the 0600 file is written, and cleanup removes it', async () => {
    const text =
      'apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: canary-kube-token\n    client-key-data: Y2FuYXJ5\n';
    assert.deepEqual(kubeconfigCredentials(text), ['canary-kube-token', 'Y2FuYXJ5']);
    const masked: string[] = [];
    const dir = await mkdtemp(path.join(tmpdir(), 'ksd-kc-test-'));
    const file = await writeKubeconfigContent(text, dir, (v) => masked.push(v));
    assert.deepEqual(masked, ['canary-kube-token', 'Y2FuYXJ5']);
    assert.equal((await stat(file.path)).mode & 0o777, 0o600);
    assert.equal(await readFile(file.path, 'utf8'), text);
    assert.ok(path.basename(path.dirname(file.path)).startsWith('ksd-'));
    await file.cleanup();
    assert.equal(existsSync(file.path), false);
  });
});
