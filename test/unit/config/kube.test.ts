import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { configSecrets, parseConfig } from '../../../src/commands/index.ts';
import { isKubeconfigContent, kubeconfigCredentials, parseKubeInputs } from '../../../src/config/kube.ts';

const TEXT =
  'apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: canary-kube-token\n    client-key-data: Y2FuYXJ5\n';

describe('kubeconfig input', () => {
  test('content vs. path', () => {
    assert.equal(isKubeconfigContent('apiVersion: v1\nkind: Config\n'), true);
    assert.equal(isKubeconfigContent('/etc/hostname'), false);
    assert.equal(isKubeconfigContent('kube/config'), false);
    assert.equal(isKubeconfigContent(''), false);
  });

  test('content stays in memory as content, a path as a path', () => {
    const read =
      (kubeconfig: string) =>
      (name: string): string =>
        ({ manifests: 'm.yaml', kubeconfig })[name] ?? '';
    const content = parseKubeInputs(read(TEXT), {}, 'diff');
    assert.equal(content.kubeconfigContent, TEXT);
    assert.equal(content.kubeconfig, undefined);
    const file = parseKubeInputs(read(' kube/config '), {}, 'diff');
    assert.equal(file.kubeconfig, 'kube/config');
    assert.equal(file.kubeconfigContent, undefined);
  });

  test('its credentials are secrets of the Config, masked by the shells before the run', () => {
    assert.deepEqual(kubeconfigCredentials(TEXT), ['canary-kube-token', 'Y2FuYXJ5']);
    const inputs: Record<string, string> = {
      command: 'apply',
      manifests: 'm.yaml',
      kubeconfig: TEXT,
      'github-token': 'ghs_canaryToken',
    };
    const config = parseConfig((name) => inputs[name] ?? '', {});
    assert.deepEqual(configSecrets(config), ['ghs_canaryToken', 'canary-kube-token', 'Y2FuYXJ5']);
  });
});
