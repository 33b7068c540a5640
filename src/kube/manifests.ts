/** Rendered manifests (multi-document YAML or JSON, e.g. from `build --output`) as objects. */
import { parseAllDocuments } from 'yaml';
import { UserError } from '../errors.ts';
import type { KubeObject } from './client.ts';
import { refOf } from './normalize.ts';
import { isRecord } from '../is-record.ts';

/**
 * Parses every document; `List` kinds are flattened and empty documents dropped. Errors name
 * the document number, never its content (it may hold decrypted values).
 */
export function parseManifests(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  const all = Array.isArray(documents) ? documents : [documents];
  all.forEach((document, index) => {
    if (document.errors.length > 0) {
      throw new UserError(
        'BAD_FORMAT',
        `${source}: document ${index + 1} is not valid YAML (line ${document.errors[0]?.linePos?.[0].line ?? '?'})`,
      );
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    if (!isRecord(value))
      throw new UserError('BAD_FORMAT', `${source}: document ${index + 1} is not a Kubernetes object`);
    const items =
      typeof value['kind'] === 'string' && value['kind'].endsWith('List') && Array.isArray(value['items'])
        ? (value['items'] as unknown[])
        : [value];
    for (const item of items) {
      if (!isRecord(item))
        throw new UserError(
          'BAD_FORMAT',
          `${source}: document ${index + 1} holds an item that is not an object`,
        );
      refOf(item);
      objects.push(item);
    }
  });
  return objects;
}

/** Every Secret value in the objects (decoded and as sent), for the host's mask. */
export function secretValues(objects: readonly KubeObject[]): string[] {
  const values: string[] = [];
  for (const object of objects) {
    if (object['kind'] !== 'Secret') continue;
    for (const field of ['data', 'stringData'] as const) {
      const map = object[field];
      if (!isRecord(map)) continue;
      for (const value of Object.values(map)) {
        if (typeof value !== 'string' || value === '') continue;
        values.push(value);
        if (field === 'data') values.push(Buffer.from(value, 'base64').toString('utf8'));
        else values.push(Buffer.from(value, 'utf8').toString('base64'));
      }
    }
  }
  return values;
}
