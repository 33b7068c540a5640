/**
 * The objects a Kustomization rendered, looked up by kind, namespace and name: where a
 * HelmRelease finds its sources, values ConfigMaps and Secrets, as helm-controller finds them
 * in the cluster. An object without a namespace counts as in `default`.
 */
import { isRecord } from '../is-record.ts';

export type KubeRecord = Readonly<Record<string, unknown>>;

export class ObjectIndex {
  readonly #byKey = new Map<string, KubeRecord>();

  constructor(objects: readonly unknown[]) {
    for (const object of objects) {
      if (!isRecord(object)) continue;
      const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
      const kind = object['kind'];
      const name = metadata['name'];
      const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : 'default';
      if (typeof kind === 'string' && typeof name === 'string')
        this.#byKey.set(`${kind}/${namespace}/${name}`, object);
    }
  }

  get(kind: string, namespace: string, name: string): KubeRecord | undefined {
    return this.#byKey.get(`${kind}/${namespace}/${name}`);
  }
}
