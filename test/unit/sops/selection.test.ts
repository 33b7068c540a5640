import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Selection } from '../../../src/sops/metadata.ts';
import { shouldBeEncrypted, type CommentStack } from '../../../src/sops/selection.ts';

const k8s: Selection = { kind: 'encrypted_regex', value: '^(data|stringData)$' };
const homeOps: Selection = {
  kind: 'encrypted_regex',
  value: '((?i)(pass|secret($|[^N])|key|token|^data$|^stringData))',
};
const cases: [string, Selection, string[], CommentStack, boolean, boolean][] = [
  [
    'default suffix: plain key is encrypted',
    { kind: 'unencrypted_suffix', value: '_unencrypted' },
    ['a'],
    [],
    false,
    true,
  ],
  [
    'suffix on the leaf',
    { kind: 'unencrypted_suffix', value: '_unencrypted' },
    ['a_unencrypted'],
    [],
    false,
    false,
  ],
  [
    'suffix on an ancestor covers the subtree',
    { kind: 'unencrypted_suffix', value: '_unencrypted' },
    ['n_unencrypted', 'x', 'y'],
    [],
    false,
    false,
  ],
  ['encrypted_suffix matches', { kind: 'encrypted_suffix', value: '_enc' }, ['pw_enc'], [], false, true],
  ['encrypted_suffix misses', { kind: 'encrypted_suffix', value: '_enc' }, ['pw'], [], false, false],
  ['k8s: data.password', k8s, ['data', 'password'], [], false, true],
  ['k8s: metadata.name', k8s, ['metadata', 'name'], [], false, false],
  ['k8s: regex is per component, not a joined path', k8s, ['metadata', 'database'], [], false, false],
  ['k8s: top-level comment stays clear', k8s, [], [[' hi']], true, false],
  [
    'unencrypted_regex unanchored',
    { kind: 'unencrypted_regex', value: 'pub' },
    ['public_key'],
    [],
    false,
    false,
  ],
  ['unencrypted_regex miss', { kind: 'unencrypted_regex', value: '^pub$' }, ['public_key'], [], false, true],
  [
    'encrypted_comment_regex marks the next item',
    { kind: 'encrypted_comment_regex', value: 'sops:enc' },
    ['a'],
    [[' sops:enc']],
    false,
    true,
  ],
  [
    'encrypted_comment_regex: the marker comment itself stays clear',
    { kind: 'encrypted_comment_regex', value: 'sops:enc' },
    [],
    [[' sops:enc']],
    true,
    false,
  ],
  [
    'encrypted_comment_regex: a later comment is encrypted',
    { kind: 'encrypted_comment_regex', value: 'sops:enc' },
    [],
    [[' sops:enc', ' secret note']],
    true,
    true,
  ],
  [
    'encrypted_comment_regex: outer level counts',
    { kind: 'encrypted_comment_regex', value: 'sops:enc' },
    ['a', 'b'],
    [[' sops:enc'], []],
    false,
    true,
  ],
  [
    'unencrypted_comment_regex',
    { kind: 'unencrypted_comment_regex', value: 'sops:clear' },
    ['a'],
    [[' sops:clear']],
    false,
    false,
  ],
  ['RE2 (?i) flag', { kind: 'encrypted_regex', value: '(?i)^DATA$' }, ['data'], [], false, true],
  // The home-ops template's regex: an inline flag inside a group. Go accepts it; these
  // answers are Go's (each key of the path is matched on its own).
  ...(
    [
      [['stringData', 'password'], true],
      [['stringData', 'name'], true],
      [['data', 'x'], true],
      [['spec', 'DB_PASSWORD'], true],
      [['spec', 'secretN'], false],
      [['spec', 'SECRETn'], false],
      [['spec', 'secretX'], true],
      [['spec', 'apiToken'], true],
      [['metadata', 'name'], false],
      [['spec', 'xdata'], false],
    ] as const
  ).map(([path, want]): [string, Selection, string[], CommentStack, boolean, boolean] => [
    `home-ops regex on ${path.join('.')}`,
    homeOps,
    [...path],
    [],
    false,
    want,
  ]),
  // 2^40 steps for a backtracking engine (hours); linear here. Only the answer is asserted.
  [
    'catastrophic encrypted_regex on a 41-character key',
    { kind: 'encrypted_regex', value: '^(a+)+$' },
    ['data', `${'a'.repeat(40)}!`],
    [],
    false,
    false,
  ],
  [
    'catastrophic unencrypted_regex on a 41-character key',
    { kind: 'unencrypted_regex', value: '^(a+)+$' },
    [`${'a'.repeat(40)}!`],
    [],
    false,
    true,
  ],
];

for (const [name, selection, path, comments, isComment, want] of cases) {
  test(name, () => assert.equal(shouldBeEncrypted(selection, path, comments, isComment), want));
}
