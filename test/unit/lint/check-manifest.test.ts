import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkManifest } from '../../../src/lint/check-manifest.ts';
import type { CreationRule } from '../../../src/lint/sops-config.ts';
import { repoRoot } from '../../env/paths.ts';

const fixture = (name: string): string =>
  readFileSync(path.join(repoRoot, 'test/fixtures/lint', name), 'utf8');
const encryptedSecret = fixture('secret.enc.yaml');

const catchAll: CreationRule = {
  number: 1,
  pathRegex: undefined,
  selection: { kind: 'unencrypted_suffix', value: '_unencrypted' },
};
const dataOnly: CreationRule = {
  number: 2,
  pathRegex: '.*\\.yaml',
  selection: { kind: 'encrypted_regex', value: '^(data|stringData)$' },
};

interface Case {
  readonly name: string;
  readonly text: string;
  readonly format?: 'yaml' | 'json';
  readonly creationRule?: CreationRule;
  /** `rule@line:column` for each finding, in order. */
  readonly expect: readonly string[];
}

const secret = (body: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n${body}`;

const cases: readonly Case[] = [
  // plaintext-secret: positive and negative side by side
  {
    name: 'Secret with data',
    text: secret('data:\n  password: aHVudGVyMg==\n'),
    expect: ['plaintext-secret@6:3'],
  },
  { name: 'Secret with empty data', text: secret('data: {}\n'), expect: [] },
  {
    name: 'Secret with stringData',
    text: secret('stringData:\n  token: abc\n'),
    expect: ['plaintext-secret@6:3'],
  },
  { name: 'Secret whose values are empty', text: secret('stringData:\n  token: ""\n  other:\n'), expect: [] },
  {
    name: 'dockerconfigjson Secret',
    text: secret('type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: eyJhdXRocyI6e319\n'),
    expect: ['plaintext-secret@7:3'],
  },
  {
    name: 'service-account-token Secret (type metadata only)',
    text: secret(
      '  annotations:\n    kubernetes.io/service-account.name: build\ntype: kubernetes.io/service-account-token\n',
    ),
    expect: [],
  },
  {
    name: 'TLS Secret',
    text: secret('type: kubernetes.io/tls\ndata:\n  tls.crt: Y3J0\n  tls.key: a2V5\n'),
    expect: ['plaintext-secret@7:3'],
  },
  {
    name: 'template values',
    text: secret('stringData:\n  a: "{{ .Values.password }}"\n  b: ${DB_PASSWORD}\n'),
    expect: [],
  },
  {
    name: 'a ConfigMap is not a Secret',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n',
    expect: [],
  },
  {
    name: 'multi-document file whose second document is the bad one',
    text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n---\n${secret('data:\n  password: aHVudGVyMg==\n')}`,
    expect: ['plaintext-secret@13:3'],
  },
  {
    name: 'JSON Secret',
    format: 'json',
    text: '{\n\t"apiVersion": "v1",\n\t"kind": "Secret",\n\t"metadata": {"name": "j"},\n\t"stringData": {\n\t\t"token": "abc"\n\t}\n}\n',
    expect: ['plaintext-secret@6:3'],
  },
  {
    name: 'JSON ConfigMap',
    format: 'json',
    text: '{"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}}',
    expect: [],
  },
  // unencrypted-value
  { name: 'encrypted Secret (real sops)', text: encryptedSecret, expect: [] },
  {
    name: 'key added after encryption (real sops)',
    text: fixture('key-added-after-encryption.yaml'),
    expect: ['unencrypted-value@9:5'],
  },
  {
    name: 'value added after encryption, default selection',
    text: fixture('value-added-after-encryption.yaml'),
    expect: ['unencrypted-value@4:5'],
  },
  {
    name: 'plain key outside encrypted_regex is fine',
    text: encryptedSecret.replace('\ntype: Opaque', '\ntype: Opaque\nimmutable: true'),
    expect: [],
  },
  {
    name: 'multi-document sops file, plaintext key in the second document',
    text: `${encryptedSecret}---\n${encryptedSecret.replace('stringData:\n', 'stringData:\n    late: value\n')}`,
    expect: [`unencrypted-value@${encryptedSecret.split('\n').length + 8}:5`],
  },
  // sops-structure
  {
    name: 'malformed ENC value',
    text: encryptedSecret.replace(
      /password: ENC\[AES256_GCM,data:[^,]*,/,
      'password: ENC[AES256_GCM,data:!!,',
    ),
    expect: ['sops-structure@8:5'],
  },
  { name: 'missing mac', text: encryptedSecret.replace(/\n {4}mac: .*/, ''), expect: ['sops-structure@9:1'] },
  {
    name: 'lastmodified that does not parse',
    text: encryptedSecret.replace(/lastmodified: .*/, 'lastmodified: "yesterday"'),
    expect: [
      `sops-structure@${encryptedSecret.split('\n').findIndex((l) => l.includes('lastmodified')) + 1}:5`,
    ],
  },
  {
    name: 'no master keys',
    text: encryptedSecret.replace(/\n {4}age:\n(?: {8}.*\n| {12}.*\n)+/, '\n'),
    expect: ['sops-structure@9:1'],
  },
  // creation-rule-unencrypted
  {
    name: 'plain values file under a catch-all rule',
    creationRule: catchAll,
    text: 'db:\n  password: x\n',
    expect: ['creation-rule-unencrypted@2:3'],
  },
  { name: 'plain values file, no rule', text: 'db:\n  password: x\nkind: Secret-ish\n', expect: [] },
  {
    name: 'a Deployment under a data-only rule',
    creationRule: dataOnly,
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec: {}\n',
    expect: [],
  },
  {
    name: 'non-Kubernetes file under a data-only rule with no data',
    creationRule: dataOnly,
    text: 'a: b\n',
    expect: [],
  },
  { name: 'encrypted file under a rule', creationRule: catchAll, text: encryptedSecret, expect: [] },
  {
    name: 'plain Secret under a rule reports plaintext-secret only',
    creationRule: dataOnly,
    text: secret('data:\n  k: dg==\n'),
    expect: ['plaintext-secret@6:3'],
  },
  // unparseable-file
  {
    name: 'Helm template',
    text: '{{- if .Values.enabled }}\nkind: Secret\n{{- end }}\n',
    expect: ['unparseable-file@1:3'],
  },
];

describe('checkManifest', () => {
  for (const c of cases) {
    it(c.name, () => {
      const found = checkManifest({
        file: 'f',
        text: c.text,
        format: c.format ?? 'yaml',
        creationRule: c.creationRule,
      }).map(({ finding }) => `${finding.rule}@${finding.line}:${finding.column}`);
      assert.deepEqual(found, c.expect);
    });
  }

  it('never puts a value in a message or snippet', () => {
    const text = `${secret('data:\n  password: aHVudGVyMg==\n')}---\n${fixture('key-added-after-encryption.yaml')}`;
    const out = checkManifest({ file: 'f', text, format: 'yaml', creationRule: undefined });
    assert.equal(out.length, 2);
    const printed = out.map(({ finding }) => `${finding.message}\n${finding.snippet ?? ''}`).join('\n');
    assert.doesNotMatch(printed, /aHVudGVyMg|plain-added-later/);
    assert.match(printed, /"password"/);
  });

  it('carries the object annotation waiver with its reason', () => {
    const text = secret(
      '  annotations:\n    kustomize-sops-deploy/lint-ignore: "plaintext-secret: public test fixture"\ndata:\n  k: dg==\n',
    );
    const [only] = checkManifest({ file: 'f', text, format: 'yaml', creationRule: undefined });
    assert.deepEqual(only?.waivers, [{ rules: ['plaintext-secret'], reason: 'public test fixture' }]);
  });
});
