/**
 * Fuzz targets (issue 13, item 7): fast-check properties over every store's parser, the
 * metadata reader, the whole decrypt of a file, and the kustomization graph walker. Each
 * target's property holds when its code returns or throws a UserError: anything else
 * (a TypeError, a RangeError from a blown stack, an assertion in our own code) is a crash.
 * Hangs are caught by the callers: a per-input time limit here, a watchdog in test/fuzz/run.ts.
 *
 * Inputs are built from each format's own tokens, and from real sops files (test/fixtures)
 * with random edits, so that most runs get past the first syntax check.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { UserError } from '../../src/errors.ts';
import { nodeExec } from '../../src/host/node-exec.ts';
import { buildLocalKeySources } from '../../src/keys/local-keys.ts';
import type { KeySource } from '../../src/keys/key-source.ts';
import { walkGraph } from '../../src/kustomize/graph.ts';
import { decryptText } from '../../src/sops/decrypt.ts';
import { storeFor } from '../../src/sops/formats.ts';
import { parseMetadata } from '../../src/sops/metadata.ts';
import type { Format, TreeMap, TreeValue } from '../../src/sops/tree.ts';
import { repoRoot } from '../env/paths.ts';

/** One input must finish within this, or it counts as a hang. */
export const SLOW_INPUT_MS = 2_000;

export interface FuzzTarget<T = unknown> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Runs the code under test on one input; resolves when it returned or threw a UserError. */
  readonly check: (input: T) => Promise<void>;
}

/** Fails unless `error` is a UserError: anything else escaping a parser is a crash. */
export function expectUserError(error: unknown): void {
  if (error instanceof UserError) return;
  throw new Error(
    `not a UserError: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
}

async function guarded(run: () => unknown): Promise<void> {
  const started = performance.now();
  try {
    await run();
  } catch (error) {
    expectUserError(error);
  }
  const ms = performance.now() - started;
  if (ms > SLOW_INPUT_MS)
    throw new Error(`one input took ${ms.toFixed(0)} ms (limit ${SLOW_INPUT_MS} ms): a hang`);
}

const stores = path.join(repoRoot, 'test/fixtures/stores');

/** Every file real sops wrote in the store corpus, by format. */
async function corpus(): Promise<Record<Format, string[]>> {
  const out: Record<Format, string[]> = { yaml: [], json: [], dotenv: [], ini: [], binary: [] };
  const folders: [string, Format][] = [
    ['yaml', 'yaml'],
    ['json', 'json'],
    ['dotenv', 'dotenv'],
    ['ini', 'ini'],
    ['binary', 'binary'],
  ];
  for (const [folder, format] of folders) {
    for (const name of (await readdir(path.join(stores, folder))).sort()) {
      // Inputs and what sops encrypted from them; not its outputs or error logs.
      if (/\.(dec|out)[.-]|error$/.test(name)) continue;
      out[format].push(await readFile(path.join(stores, folder, name), 'latin1'));
    }
  }
  return out;
}

/** Random edits of a seed text: inserts of format tokens, deletions, duplications. */
function mutated(seeds: readonly string[], tokens: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    cut: fc.nat({ max: 8 }),
    insert: fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 4, unit: 'binary' })),
  });
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 6 }))
    .map(([seed, edits]) => {
      let text = seed;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
      }
      return text;
    });
}

/** Text made of a format's tokens, so that most inputs are nearly valid. */
function tokenText(tokens: readonly string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...tokens) }, fc.string({ maxLength: 3 })), {
      maxLength: 60,
    })
    .map((parts) => parts.join(''));
}

const ENC = 'ENC[AES256_GCM,data:AAAA,iv:AAAAAAAAAAAAAAAAAAAAAA==,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]';
const SHARED_TOKENS = [
  '\n',
  '\r\n',
  '\r',
  ' ',
  '  ',
  '\t',
  '\uFEFF',
  '\u0000',
  'é',
  '😀',
  '\uFFFD',
  ENC,
  'sops',
  '"',
  "'",
  '\\',
];

const TOKENS: Record<Format, readonly string[]> = {
  yaml: [
    ...SHARED_TOKENS,
    'key: ',
    'sops:\n  ',
    '- ',
    '? ',
    ': ',
    '{',
    '}',
    '[',
    ']',
    ', ',
    '|',
    '>-',
    '|2+',
    '&a ',
    '*a',
    '<<: *a',
    '!!binary ',
    '!!str ',
    '!!int ',
    '!!timestamp ',
    '!custom ',
    '# c',
    '---\n',
    '...\n',
    '%YAML 1.1\n',
    '0x1F',
    '1e400',
    '.nan',
    '~',
    'null',
    'true',
    '2024-01-01T00:00:00Z',
    'version: 3.13.3',
    'lastmodified: "2024-01-01T00:00:00Z"',
    'age:\n  - recipient: age1x\n    enc: x',
  ],
  json: [
    ...SHARED_TOKENS,
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"k"',
    '"sops"',
    '"data"',
    '"version"',
    '"\\u00e9"',
    '"\\ud800"',
    '"\\uZZZZ"',
    '-0',
    '1e400',
    '9007199254740993',
    '1.5',
    'true',
    'null',
    '"\\n"',
  ],
  dotenv: [
    ...SHARED_TOKENS,
    '=',
    '#',
    'KEY=',
    'sops_',
    'sops_version=3.13.3',
    'sops_lastmodified=2024-01-01T00:00:00Z',
    'sops_age__list_0__map_recipient=age1x',
    'sops_age__list_0__map_enc=x',
    '__map_',
    '__list_',
    '__list_99999999999999999999',
    '\\n',
  ],
  ini: [
    ...SHARED_TOKENS,
    '[sec]\n',
    '[sops]\n',
    '[',
    ']',
    ' = ',
    '=',
    ':',
    ';',
    '#',
    '"""',
    '`',
    'key',
    'version = 3.13.3',
    'age__list_0__map_recipient = age1x',
    '__map_',
    '__list_',
    '\\\n',
  ],
  binary: [...SHARED_TOKENS, '{"data": ', '"sops": {', '}', '"', ',', ':', '"version": "3.13.3"'],
};

const seedsByFormat = await corpus();
const inputFor = (format: Format): fc.Arbitrary<string> =>
  fc.oneof(tokenText(TOKENS[format]), mutated(seedsByFormat[format], TOKENS[format]));

/** A store's parsers: loadPlain and loadEncrypted, then emitPlain of what loaded. */
function storeTarget(format: Format): FuzzTarget<string> {
  const store = storeFor(format);
  return {
    name: `store:${format}`,
    arbitrary: inputFor(format),
    check: (text) =>
      guarded(() => {
        try {
          store.emitPlain(store.loadPlain(text));
        } catch (error) {
          expectUserError(error);
        }
        const loaded = store.loadEncrypted(text);
        if (loaded.metadata !== null) parseMetadata(loaded.metadata);
      }),
  };
}

const METADATA_KEYS = [
  'age',
  'pgp',
  'kms',
  'gcp_kms',
  'azure_kv',
  'hc_vault',
  'hckms',
  'key_groups',
  'shamir_threshold',
  'lastmodified',
  'mac',
  'version',
  'mac_only_encrypted',
  'encrypted_regex',
  'unencrypted_regex',
  'encrypted_suffix',
  'unencrypted_suffix',
  'encrypted_comment_regex',
  'unencrypted_comment_regex',
  'recipient',
  'enc',
  'fp',
  'arn',
  'context',
  'role',
  'aws_profile',
  'resource_id',
  'vault_url',
  'name',
  'vault_address',
  'engine_path',
  'key_name',
  'key_id',
  'created_at',
] as const;

/** Random metadata trees from the keys sops knows, with every kind of value at every place. */
const metadataTree: fc.Arbitrary<TreeMap> = fc.letrec<{ map: TreeMap; value: TreeValue }>((tie) => ({
  map: fc
    .array(
      fc.oneof(
        fc.record({
          key: fc.oneof(fc.constantFrom(...METADATA_KEYS), fc.string({ maxLength: 6 })),
          value: tie('value'),
        }),
        fc.record({ kind: fc.constant('comment' as const), text: fc.string({ maxLength: 5 }) }),
      ),
      { maxLength: 8 },
    )
    .map((items) => ({ kind: 'map' as const, items })),
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant<TreeValue>({ kind: 'null' }),
    fc
      .oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom('3.13.3', '2024-01-01T00:00:00Z', 'age1x', '1', 'true', ''),
      )
      .map((value): TreeValue => ({ kind: 'str', value })),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((value): TreeValue => ({ kind: 'int', value })),
    fc.double().map((value): TreeValue => ({ kind: 'float', value })),
    fc.boolean().map((value): TreeValue => ({ kind: 'bool', value })),
    fc.constant<TreeValue>({ kind: 'time', value: '2024-01-01T00:00:00Z' }),
    fc.uint8Array({ maxLength: 4 }).map((value): TreeValue => ({ kind: 'bytes', value })),
    tie('map'),
    fc.array(tie('value'), { maxLength: 3 }).map((items): TreeValue => ({ kind: 'list', items })),
  ),
})).map;

const metadataTarget: FuzzTarget<TreeMap> = {
  name: 'metadata',
  arbitrary: metadataTree,
  check: (tree) => guarded(() => parseMetadata(tree)),
};

let keySources: KeySource[] | undefined;
/** The whole decrypt (metadata, age, data key, values, MAC) of edited real sops files. */
const decryptTarget: FuzzTarget<{ format: Format; text: string }> = {
  name: 'decrypt',
  arbitrary: fc.constantFrom<Format>('yaml', 'json', 'dotenv', 'ini', 'binary').chain((format) =>
    mutated(
      seedsByFormat[format].filter((s) => s.includes('ENC[')),
      TOKENS[format],
    ).map((text) => ({ format, text })),
  ),
  check: async ({ format, text }) => {
    keySources ??= await buildLocalKeySources({
      ageKeyFiles: [path.join(stores, 'age-key.txt')],
      env: { GNUPGHOME: '/nonexistent-gnupg-home' },
      exec: nodeExec,
      mask: () => undefined,
    });
    const sources = keySources;
    await guarded(() => decryptText(Buffer.from(text, 'latin1'), format, { keySources: sources }));
  },
};

/** A path entry as kustomizations write them, good and hostile. */
const pathEntry = fc.oneof(
  fc.constantFrom(
    'a.yaml',
    'sub',
    'sub/',
    './sub',
    '../base',
    '../../etc/passwd',
    '/etc/passwd',
    'base',
    '.',
    '..',
    '',
    'missing.yaml',
    'link',
    'loop',
    'k.json=secret.enc.json',
    'x=',
    '=y',
    'https://example.com/x.yaml',
    'github.com/org/repo//path?ref=v1',
    'git::file:///tmp/x',
    'file:///etc',
    'secret.enc.json',
    'e.env',
    'app',
    '.git/config',
    '%2e%2e/x',
    'a\u0000b',
  ),
  fc.string({ maxLength: 8 }),
);
const FIELDS = [
  'resources',
  'bases',
  'components',
  'crds',
  'patchesStrategicMerge',
  'configurations',
  'openapi',
  'replacements',
  'generators',
  'transformers',
  'validators',
] as const;
const kustomizationValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(pathEntry, { maxLength: 4 }),
  fc.array(fc.record({ path: pathEntry }), { maxLength: 2 }),
  fc.array(
    fc.record({
      name: fc.constant('g'),
      files: fc.array(pathEntry, { maxLength: 3 }),
      envs: fc.array(pathEntry, { maxLength: 2 }),
    }),
    { maxLength: 2 },
  ),
  fc.record({ path: pathEntry, chartHome: pathEntry }),
  pathEntry,
  fc.constantFrom(null, 1, true, {}, [[]], [null]),
);
const kustomization: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .dictionary(
        fc.oneof(
          fc.constantFrom(
            ...FIELDS,
            'patches',
            'patchesJson6902',
            'secretGenerator',
            'configMapGenerator',
            'helmGlobals',
            'helmCharts',
            'openapi',
          ),
          fc.string({ maxLength: 5 }),
        ),
        kustomizationValue,
        { maxKeys: 4 },
      )
      .map((doc) => JSON.stringify(doc)),
  },
  tokenText(TOKENS.yaml),
);

/** An alias bomb: 9^6 nodes from a few lines. */
const ALIAS_BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  ...'bcdefg'.split('').map((c, i) => {
    const p = 'abcdefg'[i] ?? 'a';
    return `${c}: &${c} [${Array.from({ length: 9 }, () => `*${p}`).join(', ')}]`;
  }),
].join('\n');

/** A small repository: kustomizations at fixed places, some files, a loop and an escaping link. */
const repository: fc.Arbitrary<Repository> = fc.record({
  app: fc.option(kustomization, { nil: undefined, freq: 4 }),
  stray: fc.oneof(
    tokenText(TOKENS.yaml),
    fc.constantFrom(
      ALIAS_BOMB,
      `apiVersion: v1\nkind: ConfigMap\n${ALIAS_BOMB}\n`,
      '['.repeat(3000),
      '? [a]\n: b\n',
    ),
  ),
  sub: kustomization,
  base: kustomization,
  withLinks: fc.boolean(),
});

interface Repository {
  /** undefined: no kustomization file, so the walker lists the YAML files as Flux does. */
  readonly app: string | undefined;
  /** A YAML file next to the target's kustomization (or in its place). */
  readonly stray: string;
  readonly sub: string;
  readonly base: string;
  readonly withLinks: boolean;
}

const graphTarget: FuzzTarget<Repository> = {
  name: 'graph',
  arbitrary: repository,
  check: async (repo) => {
    const root = await mkdtemp(path.join(tmpdir(), 'ksd-fuzz-graph-'));
    try {
      const files: Record<string, string> = {
        ...(repo.app === undefined ? {} : { 'app/kustomization.yaml': repo.app }),
        'app/stray.yaml': repo.stray,
        'app/sub/kustomization.yaml': repo.sub,
        'base/kustomization.yaml': repo.base,
        'app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
        'app/secret.enc.json': '{}',
        'app/e.env': 'A=1\n',
        '.git/config': '[core]\n',
      };
      for (const [rel, content] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
        await writeFile(path.join(root, rel), content);
      }
      if (repo.withLinks) {
        await symlink('/etc', path.join(root, 'app', 'link'));
        await symlink('.', path.join(root, 'app', 'loop'));
      }
      await guarded(async () => {
        const graph = await walkGraph(path.join(root, 'app'), { root });
        for (const [rel, file] of graph.files) {
          if (rel.startsWith('..') || path.isAbsolute(rel))
            throw new Error(`graph file outside the root: ${rel}`);
          if (!file.source.startsWith(`${root}/`) && !file.source.startsWith(root)) {
            throw new Error(`graph file read from outside the root: ${file.source}`);
          }
        }
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};

export const targets: readonly FuzzTarget<never>[] = [
  storeTarget('yaml'),
  storeTarget('json'),
  storeTarget('dotenv'),
  storeTarget('ini'),
  storeTarget('binary'),
  metadataTarget,
  decryptTarget,
  graphTarget,
] as unknown as readonly FuzzTarget<never>[];

/** Runs one target under fast-check with a seed, a run count and a time budget. */
export async function fuzz(
  target: FuzzTarget<never>,
  options: { readonly seed: number; readonly numRuns: number; readonly timeLimitMs: number },
): Promise<fc.RunDetails<[never]>> {
  return fc.check(
    fc.asyncProperty(target.arbitrary, (input) => target.check(input)),
    {
      seed: options.seed,
      numRuns: options.numRuns,
      interruptAfterTimeLimit: options.timeLimitMs,
      markInterruptAsFailure: false,
    },
  );
}
