/**
 * A generated Secret built from placeholders takes the name of the one live Secret it stands
 * for: the kustomize hash suffix is recognised, the name is replaced in every rendered object
 * of the namespace (and nowhere else), and zero or several candidates leave it as it is with
 * a reason.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ADOPTED_HASH_REASON,
  adoptHashedSecretNames,
  NAME_HASH_ALPHABET,
  renameInObjects,
  splitNameHash,
  UNKNOWN_HASH_REASON,
  type NameRename,
} from '../../../src/kube/adopt-hashed-names.ts';
import { KubeApiError } from '../../../src/kube/client.ts';
import type { KubeClient, KubeObject, KubeResponse, RequestOptions } from '../../../src/kube/client.ts';
import { UNDECRYPTED_TEXT } from '../../../src/sops/undecrypted.ts';

const SENTINEL = Buffer.from(UNDECRYPTED_TEXT, 'utf8').toString('base64');
const RENDERED = 'db-creds-7k2m9t5fgh';
const LIVE = 'db-creds-b4c8d2h6tm';
const MANAGER = 'kustomize-sops-deploy';

/** kustomize's api/hasher encode, as written there: the first 10 hex digits, 5 of them replaced. */
function kustomizeEncode(hex: string): string {
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return Array.from(hex.slice(0, 10), (c) => swap[c] ?? c).join('');
}

describe('splitNameHash', () => {
  const cases: { name: string; want: { base: string; hash: string } | undefined }[] = [
    { name: LIVE, want: { base: 'db-creds', hash: 'b4c8d2h6tm' } },
    { name: 'a-b-c-gggggggggg', want: { base: 'a-b-c', hash: 'gggggggggg' } },
    { name: 'x-2456789bcd', want: { base: 'x', hash: '2456789bcd' } },
    { name: 'db-creds', want: undefined },
    { name: 'db-creds-b4c8d2h6t', want: undefined }, // 9 characters
    { name: 'db-creds-b4c8d2h6tmm', want: undefined }, // 11 characters
    { name: 'db-creds-b4c8d2h6ta', want: undefined }, // a is never in a hash
    { name: 'db-creds-0123456789', want: undefined }, // 0, 1 and 3 are never in a hash
    { name: 'db-creds-B4C8D2H6TM', want: undefined },
    { name: '-b4c8d2h6tm', want: undefined }, // no base
    { name: 'db-credsb4c8d2h6tm', want: undefined }, // no dash
  ];
  for (const { name, want } of cases) {
    it(`${name} -> ${want === undefined ? 'no hash' : `${want.base} + ${want.hash}`}`, () => {
      assert.deepEqual(splitNameHash(name), want);
    });
  }

  it('the alphabet is exactly what kustomize encode produces from hex', () => {
    assert.equal(kustomizeEncode('0123456789abcdef'), 'gh2k456789');
    const produced = new Set(Array.from('0123456789abcdef', (c) => kustomizeEncode(c.repeat(10))[0]));
    assert.deepEqual([...produced].sort(), Array.from(NAME_HASH_ALPHABET).sort());
    assert.equal(NAME_HASH_ALPHABET.length, 16);
    for (let i = 0; i < 200; i++) {
      const hash = kustomizeEncode(createHash('sha256').update(String(i)).digest('hex'));
      assert.deepEqual(splitNameHash(`gen-${hash}`), { base: 'gen', hash });
    }
  });
});

function secret(name: string, namespace: string | undefined, data: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    type: 'Opaque',
    data,
  };
}

function deployment(namespace: string | undefined, secretName: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      ...(namespace === undefined ? {} : { namespace }),
      annotations: { note: `reads secret/${secretName} at start`, [secretName]: 'key' },
    },
    spec: {
      template: {
        spec: {
          containers: [{ name: 'c', envFrom: [{ secretRef: { name: secretName } }] }],
          volumes: [{ name: 'v', secret: { secretName } }],
        },
      },
    },
  };
}

function envFromName(object: KubeObject | undefined): unknown {
  const spec = (object?.['spec'] as { template: { spec: { containers: { envFrom: unknown[] }[] } } }).template
    .spec;
  return (spec.containers[0]?.envFrom[0] as { secretRef: { name: string } }).secretRef.name;
}

describe('renameInObjects', () => {
  const rename: NameRename = { namespace: 'app', from: RENDERED, to: LIVE };
  const cases: {
    name: string;
    objects: KubeObject[];
    renames: NameRename[];
    want: (out: KubeObject[]) => void;
  }[] = [
    {
      name: 'exact values and whole-name occurrences inside strings, not map keys',
      objects: [deployment('app', RENDERED)],
      renames: [rename],
      want: ([out]) => {
        assert.equal(envFromName(out), LIVE);
        const text = JSON.stringify(out);
        assert.ok(text.includes(`"secretName":"${LIVE}"`));
        assert.ok(text.includes(`reads secret/${LIVE} at start`));
        assert.ok(text.includes(`"${RENDERED}":"key"`), 'a map key is not a reference');
      },
    },
    {
      name: 'the Secret itself, its values untouched',
      objects: [secret(RENDERED, 'app', { self: Buffer.from(RENDERED).toString('base64') })],
      renames: [{ ...rename }],
      want: ([out]) => {
        assert.equal((out?.['metadata'] as { name: string }).name, LIVE);
        assert.deepEqual(out?.['data'], { self: Buffer.from(RENDERED).toString('base64') });
      },
    },
    {
      name: 'Secret stringData is a value, not a reference',
      objects: [{ ...secret(RENDERED, 'app', {}), stringData: { ref: RENDERED } }],
      renames: [rename],
      want: ([out]) => assert.deepEqual(out?.['stringData'], { ref: RENDERED }),
    },
    {
      name: 'part of a longer name is left alone',
      objects: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'c', namespace: 'app' },
          data: {
            a: `${RENDERED}-old`,
            b: `x.${RENDERED}`,
            c: `pre${RENDERED}`,
            d: `${RENDERED}x`,
            e: `"${RENDERED}"`,
          },
        },
      ],
      renames: [rename],
      want: ([out]) =>
        assert.deepEqual(out?.['data'], {
          a: `${RENDERED}-old`,
          b: `x.${RENDERED}`,
          c: `pre${RENDERED}`,
          d: `${RENDERED}x`,
          e: `"${LIVE}"`,
        }),
    },
    {
      name: 'another namespace keeps its name (the same placeholders hash the same there)',
      objects: [deployment('other', RENDERED)],
      renames: [rename],
      want: ([out]) => assert.equal(envFromName(out), RENDERED),
    },
    {
      name: 'an object with no namespace is renamed when every namespace agrees',
      objects: [deployment(undefined, RENDERED)],
      renames: [rename, { namespace: 'more', from: RENDERED, to: LIVE }],
      want: ([out]) => assert.equal(envFromName(out), LIVE),
    },
    {
      name: 'an object with no namespace is left alone when namespaces disagree',
      objects: [deployment(undefined, RENDERED)],
      renames: [rename, { namespace: 'more', from: RENDERED, to: 'db-creds-ggggggggggg' }],
      want: ([out]) => assert.equal(envFromName(out), RENDERED),
    },
    {
      name: 'no renames: the same objects',
      objects: [deployment('app', RENDERED)],
      renames: [],
      want: ([out]) => assert.equal(envFromName(out), RENDERED),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = structuredClone(c.objects);
      c.want(renameInObjects(c.objects, c.renames));
      assert.deepEqual(c.objects, before, 'the input is not modified');
    });
  }
});

interface LiveSecret {
  readonly name: string;
  readonly managers: readonly string[];
}

interface Call {
  readonly path: string;
  readonly accept: string | undefined;
}

/** A fake apiserver: Secrets per namespace, listed 2 a page; a namespace in `forbidden` refuses. */
function fakeClient(
  live: Record<string, readonly LiveSecret[]>,
  forbidden: readonly string[] = [],
): { client: KubeClient; calls: Call[] } {
  const calls: Call[] = [];
  const client: KubeClient = {
    server: 'https://127.0.0.1',
    namespace: 'default',
    request(method, path, options: RequestOptions = {}): Promise<KubeResponse> {
      calls.push({ path, accept: options.accept });
      const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets$/.exec(path);
      const namespace = match?.[1];
      if (method !== 'GET' || namespace === undefined) throw new Error(`unexpected ${method} ${path}`);
      if (forbidden.includes(namespace)) {
        return Promise.reject(new KubeApiError(403, 'Forbidden', 'secrets is forbidden', []));
      }
      const all = live[namespace] ?? [];
      const start = Number(options.query?.['continue'] ?? '0');
      const more = start + 2 < all.length ? String(start + 2) : undefined;
      return Promise.resolve({
        status: 200,
        body: {
          metadata: more === undefined ? {} : { continue: more },
          items: all.slice(start, start + 2).map((s) => ({
            metadata: {
              name: s.name,
              namespace,
              managedFields: s.managers.map((manager) => ({ manager, operation: 'Apply' })),
            },
          })),
        },
      });
    },
    resourceFor: () =>
      Promise.resolve({ group: '', version: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true }),
    resetDiscovery: () => undefined,
    close: () => undefined,
  };
  return { client, calls };
}

const ours = (name: string): LiveSecret => ({ name, managers: [MANAGER] });

describe('adoptHashedSecretNames', () => {
  const placeholder = { TOKEN: SENTINEL };
  const cases: {
    name: string;
    objects: KubeObject[];
    live: Record<string, readonly LiveSecret[]>;
    forbidden?: string[];
    /** The name the Deployment in `app` (or the Secret) ends up with. */
    wantName: string;
    wantReasons: Record<string, RegExp>;
    wantLists: number;
  }[] = [
    {
      name: 'one live candidate of ours: adopted, in the Secret and its referrer',
      objects: [secret(RENDERED, 'app', placeholder), deployment('app', RENDERED)],
      live: {
        app: [ours(LIVE), ours('other-b4c8d2h6tm'), ours('db-creds'), { name: 'unrelated', managers: [] }],
      },
      wantName: LIVE,
      wantReasons: { [`|Secret|app|${LIVE}`]: new RegExp(`^${ADOPTED_HASH_REASON}$`) },
      wantLists: 2,
    },
    {
      name: 'the Secret names no namespace: the client namespace is listed and keyed',
      objects: [secret(RENDERED, undefined, placeholder), deployment(undefined, RENDERED)],
      live: { default: [ours(LIVE)] },
      wantName: LIVE,
      wantReasons: { [`|Secret|default|${LIVE}`]: new RegExp(`^${ADOPTED_HASH_REASON}$`) },
      wantLists: 1,
    },
    {
      name: 'two candidates: left as it is, the reason names them',
      objects: [secret(RENDERED, 'app', placeholder), deployment('app', RENDERED)],
      live: { app: [ours(LIVE), ours('db-creds-gggggggggg')] },
      wantName: RENDERED,
      wantReasons: {
        [`|Secret|app|${RENDERED}`]: new RegExp(
          `^${UNKNOWN_HASH_REASON}, and 2 live Secrets could be it \\(${LIVE}, db-creds-gggggggggg\\)$`,
        ),
      },
      wantLists: 1,
    },
    {
      name: 'a candidate another manager applied is not ours',
      objects: [secret(RENDERED, 'app', placeholder), deployment('app', RENDERED)],
      live: { app: [{ name: LIVE, managers: ['kubectl-client-side-apply', 'kube-controller-manager'] }] },
      wantName: RENDERED,
      wantReasons: {
        [`|Secret|app|${RENDERED}`]: new RegExp(
          `^${UNKNOWN_HASH_REASON}, and no live Secret db-creds-<hash> in app was applied by ${MANAGER}$`,
        ),
      },
      wantLists: 1,
    },
    {
      name: 'a live name this build renders too is not a candidate',
      objects: [secret(RENDERED, 'app', placeholder), secret(LIVE, 'app', { k: 'eA==' })],
      live: { app: [ours(LIVE)] },
      wantName: RENDERED,
      wantReasons: { [`|Secret|app|${RENDERED}`]: /no live Secret db-creds-<hash>/ },
      wantLists: 1,
    },
    {
      name: 'the rendered name exists live: nothing to do',
      objects: [secret(RENDERED, 'app', placeholder), deployment('app', RENDERED)],
      live: { app: [ours(RENDERED), ours(LIVE)] },
      wantName: RENDERED,
      wantReasons: {},
      wantLists: 1,
    },
    {
      name: 'Secrets may not be listed: left as it is, the reason says so',
      objects: [secret(RENDERED, 'app', placeholder), deployment('app', RENDERED)],
      live: { app: [ours(LIVE)] },
      forbidden: ['app'],
      wantName: RENDERED,
      wantReasons: {
        [`|Secret|app|${RENDERED}`]: new RegExp(
          `^${UNKNOWN_HASH_REASON}, and the live Secrets of app cannot be listed$`,
        ),
      },
      wantLists: 1,
    },
    {
      name: 'every value decrypted: no LIST, no rename',
      objects: [secret(RENDERED, 'app', { TOKEN: 'eA==' }), deployment('app', RENDERED)],
      live: { app: [ours(LIVE)] },
      wantName: RENDERED,
      wantReasons: {},
      wantLists: 0,
    },
    {
      name: 'no hash suffix (disableNameSuffixHash): no LIST, no rename',
      objects: [secret('db-creds', 'app', placeholder), deployment('app', 'db-creds')],
      live: { app: [ours(LIVE)] },
      wantName: 'db-creds',
      wantReasons: {},
      wantLists: 0,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { client, calls } = fakeClient(c.live, c.forbidden);
      const before = structuredClone(c.objects);
      const result = await adoptHashedSecretNames(client, c.objects, MANAGER);
      assert.deepEqual(c.objects, before, 'the input is not modified');
      assert.equal(calls.length, c.wantLists);
      for (const call of calls)
        assert.match(call.accept ?? '', /^application\/json;as=PartialObjectMetadataList;/);
      const referrer = result.objects.find((o) => o['kind'] === 'Deployment');
      if (referrer !== undefined) assert.equal(envFromName(referrer), c.wantName);
      const [first] = result.objects;
      assert.equal((first?.['metadata'] as { name: string }).name, c.wantName);
      assert.deepEqual([...result.reasons.keys()].sort(), Object.keys(c.wantReasons).sort());
      for (const [key, pattern] of Object.entries(c.wantReasons)) {
        assert.match(result.reasons.get(key) ?? '', pattern);
      }
    });
  }

  it('one LIST per namespace, and each namespace adopts its own live name', async () => {
    const { client, calls } = fakeClient({
      app: [ours(LIVE), ours('api-key-ddddddddd2')],
      more: [ours('db-creds-tttttttttt')],
    });
    const result = await adoptHashedSecretNames(
      client,
      [
        secret(RENDERED, 'app', { TOKEN: SENTINEL }),
        secret('api-key-4444444444', 'app', { KEY: SENTINEL }),
        deployment('app', RENDERED),
        secret(RENDERED, 'more', { TOKEN: SENTINEL }),
        deployment('more', RENDERED),
      ],
      MANAGER,
    );
    assert.deepEqual(
      calls.map((c) => c.path),
      ['/api/v1/namespaces/app/secrets', '/api/v1/namespaces/more/secrets'],
    );
    assert.deepEqual(
      result.objects.map((o) =>
        o['kind'] === 'Deployment' ? envFromName(o) : (o['metadata'] as { name: string }).name,
      ),
      [LIVE, 'api-key-ddddddddd2', LIVE, 'db-creds-tttttttttt', 'db-creds-tttttttttt'],
    );
  });

  it('paged LISTs are followed to the end', async () => {
    const { client, calls } = fakeClient({
      app: [
        ours('a-gggggggggg'),
        ours('b-gggggggggg'),
        ours('c-gggggggggg'),
        ours('d-gggggggggg'),
        ours(LIVE),
      ],
    });
    const result = await adoptHashedSecretNames(
      client,
      [secret(RENDERED, 'app', { TOKEN: SENTINEL })],
      MANAGER,
    );
    assert.equal(calls.length, 3);
    assert.equal((result.objects[0]?.['metadata'] as { name: string }).name, LIVE);
  });
});
