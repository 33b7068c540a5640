/**
 * A per-run cache of unwrapped data keys in front of the key sources: the build decrypts many
 * files (and `diff --against` builds two trees) that usually share one data key, and each
 * unwrap may be a KMS call or a key command.
 */
import type { KeySource } from '../keys/key-source.ts';
import type { MasterKey } from '../keys/master-key.ts';

function stanzaId(key: MasterKey): string {
  return `${key.type}\u0000${key.enc}`;
}

/**
 * Wraps key sources so that one encrypted data key is unwrapped once per run, however many
 * files (or base and head builds) carry it. Concurrent requests share one promise. The cache
 * holds plaintext data keys only in memory and only as long as the returned sources live.
 */
export function cacheKeySources(sources: readonly KeySource[]): KeySource[] {
  return sources.map((source) => {
    const cache = new Map<string, Promise<Uint8Array | null>>();
    return {
      name: source.name,
      locations: source.locations,
      decrypt(key: MasterKey): Promise<Uint8Array | null> {
        const id = stanzaId(key);
        let result = cache.get(id);
        if (result === undefined) {
          result = source.decrypt(key);
          // A failure is not cached: the next file reports it again with its own name.
          result.catch(() => cache.delete(id));
          cache.set(id, result);
        }
        return result;
      },
    };
  });
}
