import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeApiError } from '../../../src/kube/client.ts';
import type { KubeClient, KubeResponse, RequestOptions, ResourceInfo } from '../../../src/kube/client.ts';
import type { ObjectRef } from '../../../src/kube/normalize.ts';
import { createLiveReader } from '../../../src/kube/ssa.ts';

const CONFIGMAPS: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  resource: 'configmaps',
  namespaced: true,
};

interface Call {
  readonly method: string;
  readonly path: string;
  readonly query: RequestOptions['query'];
}

/** A fake apiserver holding ConfigMaps `cm-0`..`cm-{stored-1}` in namespace `ns`, listed 3 a page. */
function fakeClient(stored: number, listStatus?: number): { client: KubeClient; calls: Call[] } {
  const calls: Call[] = [];
  const names = Array.from({ length: stored }, (_, i) => `cm-${i}`);
  const client: KubeClient = {
    server: 'https://127.0.0.1',
    namespace: 'ns',
    request(method, path, options = {}): Promise<KubeResponse> {
      calls.push({ method, path, query: options.query });
      const collection = '/api/v1/namespaces/ns/configmaps';
      if (path === collection) {
        if (listStatus !== undefined) {
          return Promise.reject(new KubeApiError(listStatus, 'Forbidden', 'list failed', []));
        }
        const start = Number(options.query?.['continue'] ?? '0');
        const page = names.slice(start, start + 3);
        const more = start + 3 < names.length ? String(start + 3) : undefined;
        return Promise.resolve({
          status: 200,
          body: {
            metadata: more === undefined ? {} : { continue: more },
            items: page.map((name) => ({ metadata: { name, namespace: 'ns' }, data: { k: name } })),
          },
        });
      }
      const name = path.slice(collection.length + 1);
      if (!names.includes(name)) {
        return Promise.reject(new KubeApiError(404, 'NotFound', `${name} not found`, []));
      }
      return Promise.resolve({
        status: 200,
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data: { k: name } },
      });
    },
    resourceFor: () => Promise.resolve(CONFIGMAPS),
    resetDiscovery: () => undefined,
    close: () => undefined,
  };
  return { client, calls };
}

const refs = (count: number, namespace = 'ns'): ObjectRef[] =>
  Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: `cm-${i}`,
    namespace,
  }));

async function readAll(client: KubeClient, wanted: readonly ObjectRef[]): Promise<unknown[]> {
  const read = createLiveReader(client, wanted);
  return Promise.all(wanted.map((ref) => read(CONFIGMAPS, { ...ref, namespace: 'ns' })));
}

describe('createLiveReader', () => {
  for (const { name, wanted, stored, listStatus, lists, gets } of [
    { name: 'few objects: a GET each', wanted: refs(3), stored: 2, listStatus: undefined, lists: 0, gets: 3 },
    {
      name: 'many objects: one paged LIST',
      wanted: refs(10),
      stored: 8,
      listStatus: undefined,
      lists: 3,
      gets: 0,
    },
    {
      name: 'objects without a namespace count for the context namespace',
      wanted: refs(10, ''),
      stored: 8,
      listStatus: undefined,
      lists: 3,
      gets: 0,
    },
    {
      name: 'LIST forbidden: falls back to GETs',
      wanted: refs(10),
      stored: 8,
      listStatus: 403,
      lists: 1,
      gets: 10,
    },
  ]) {
    it(name, async () => {
      const { client, calls } = fakeClient(stored, listStatus);
      const live = await readAll(client, wanted);
      assert.equal(calls.filter((c) => c.path.endsWith('/configmaps')).length, lists);
      assert.equal(calls.filter((c) => !c.path.endsWith('/configmaps')).length, gets);
      // Same answers as a GET each: the object with apiVersion and kind, or undefined.
      assert.deepEqual(
        live,
        wanted.map((_, i) =>
          i < stored
            ? {
                apiVersion: 'v1',
                kind: 'ConfigMap',
                metadata: { name: `cm-${i}`, namespace: 'ns' },
                data: { k: `cm-${i}` },
              }
            : undefined,
        ),
      );
    });
  }

  it('passes other LIST errors on', async () => {
    const { client } = fakeClient(8, 500);
    const read = createLiveReader(client, refs(10));
    await assert.rejects(read(CONFIGMAPS, refs(1)[0]!), /list failed/);
  });
});
