/**
 * YAML templates under a creation rule that names YAML files (szinn/k8s-homelab: `path_regex:
 * kubernetes/main/.*\.ya?ml` matches `machineconfig.yaml.j2`, `values.yaml.gotmpl`,
 * `kustomization.yaml.bootstrap`). Each such file was an error at 1:1 ("matches this file,
 * but it is not encrypted") whatever it held: 17 errors there, none a secret. Now a template
 * is checked as the YAML it becomes, line by line when its template syntax does not parse.
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { nodeExec } from '../../../src/host/node-exec.ts';
import { isYamlTemplateName } from '../../../src/lint/check-template-file.ts';
import { lintPaths } from '../../../src/lint/lint.ts';

const RULE =
  'creation_rules:\n  - path_regex: k8s/.*\\.ya?ml\n    encrypted_regex: "((?i)(pass|secret($|[^N])|key|token|^data$|^stringData))"\n    age: age1x\n';

async function lintTemplate(name: string, text: string): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-lint-template-'));
  await writeFile(path.join(dir, '.sops.yaml'), RULE);
  await mkdir(path.join(dir, 'k8s'), { recursive: true });
  await writeFile(path.join(dir, 'k8s', name), text);
  const result = await lintPaths({ paths: ['.'], cwd: dir, exec: nodeExec, config: undefined });
  // A finding names the key, never the value it holds.
  for (const f of result.findings) assert.doesNotMatch(JSON.stringify(f), /hunter2|abc123/);
  return result.findings.map((f) => `${f.line}:${f.column} ${f.rule}`);
}

describe('isYamlTemplateName', () => {
  for (const [name, expected] of [
    ['machineconfig.yaml.j2', true],
    ['values.yaml.gotmpl', true],
    ['kustomization.yaml.bootstrap', true],
    ['secret.yml.tmpl', true],
    ['secret.yaml', false],
    ['notes.txt', false],
    ['archive.tar.gz', false],
  ] as const) {
    it(`${name}: ${String(expected)}`, () => assert.equal(isYamlTemplateName(name), expected));
  }
});

describe('a YAML template under a creation rule', () => {
  const cases: readonly (readonly [string, string, string, readonly string[]])[] = [
    [
      'references and booleans only (a Jinja template that does not parse)',
      'machineconfig.yaml.j2',
      [
        'machine:',
        '  ca:',
        '    crt: op://Kubernetes/cluster/MACHINE_CA_CRT',
        '    {% if ENV.IS_CONTROLPLANE %}',
        '    key: op://Kubernetes/cluster/MACHINE_CA_KEY',
        '    {% endif %}',
        '  features:',
        '    apidCheckExtKeyUsage: true',
        '  token: "{{ ENV.TOKEN }}"',
        '',
      ].join('\n'),
      [],
    ],
    [
      'the first literal under a selected key (stringData.name), found by its line in a template that does not parse',
      'secret.yaml.j2',
      ['stringData:', '  {% for x in y %}', '  name: app', '  {% endfor %}', '  password: hunter2', ''].join(
        '\n',
      ),
      ['3:3 creation-rule-unencrypted'],
    ],
    [
      'a template that parses is checked as YAML',
      'values.yaml.gotmpl',
      'auth:\n  adminPassword: hunter2\n',
      ['2:3 creation-rule-unencrypted'],
    ],
    [
      'a kustomization template with nothing selected',
      'kustomization.yaml.bootstrap',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./a\n',
      [],
    ],
    [
      'a tag that names where the value comes from',
      'recyclarr.yaml.j2',
      'sonarr:\n  {% raw %}\n  api_key: !env_var SONARR_APIKEY\n  {% endraw %}\n',
      [],
    ],
  ];
  for (const [name, file, text, expected] of cases) {
    it(name, async () => {
      assert.deepEqual(await lintTemplate(file, text), expected);
    });
  }

  // szinn/k8s-homelab's recyclarr.yaml: a plain YAML file, the same reference.
  it('a YAML file whose selected value is a reference tag is not a finding; a literal beside it is', async () => {
    assert.deepEqual(
      await lintTemplate('recyclarr.yaml', 'sonarr:\n  api_key: !env_var SONARR_APIKEY\n'),
      [],
    );
    assert.deepEqual(
      await lintTemplate('recyclarr.yaml', 'sonarr:\n  api_key: !env_var SONARR_APIKEY\n  token: abc123\n'),
      ['3:3 creation-rule-unencrypted'],
    );
  });
});
