/**
 * Where each Kustomization's source is on disk. The Flux conventions:
 * - GitRepository `flux-system/flux-system` is the repository itself, declared or not
 *   (bootstrap installs it);
 * - an ExternalArtifact made by an ArtifactGenerator over sources in this repository is
 *   assembled, by the generator's copy rules, into a private folder;
 * - `--flux-source KIND/NAMESPACE/NAME=DIR` maps any other source to a folder.
 * Anything else is reported as not in this repository, never dropped.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openPrivateRoot, privateRootParent, type PrivateRoot } from '../private-file.ts';
import { assembleArtifact, type ArtifactGenerator } from './artifact-generator.ts';
import { sourceKey, type SourceRef } from './kustomization.ts';

export { parseFluxSource } from './source-entry.ts';

export type SourceResolution =
  | { readonly ok: true; readonly dir: string }
  | {
      readonly ok: false;
      readonly reason: string;
      /** A generator that would make it may still turn up among later renders. */
      readonly pending: boolean;
    };

export class FluxSources {
  readonly #repoRoot: string;
  readonly #explicit: ReadonlyMap<string, string>;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #generators = new Map<string, ArtifactGenerator>();
  readonly #artifacts = new Map<string, Promise<string>>();
  #workspace: Promise<PrivateRoot> | undefined;

  /** `explicit`: `KIND/NAMESPACE/NAME` to an absolute folder. */
  constructor(
    repoRoot: string,
    explicit: ReadonlyMap<string, string>,
    env: Readonly<Record<string, string | undefined>>,
  ) {
    this.#repoRoot = repoRoot;
    this.#explicit = explicit;
    this.#env = env;
  }

  /** Records a generator found among rendered objects; its artifacts become resolvable. */
  addGenerator(generator: ArtifactGenerator): void {
    for (const artifact of generator.artifacts) {
      const key = `ExternalArtifact/${generator.namespace}/${artifact.name}`;
      if (!this.#generators.has(key)) this.#generators.set(key, generator);
    }
  }

  async resolve(ref: SourceRef): Promise<SourceResolution> {
    const key = sourceKey(ref);
    const explicit = this.#explicit.get(key);
    if (explicit !== undefined) return { ok: true, dir: explicit };
    if (key === 'GitRepository/flux-system/flux-system') return { ok: true, dir: this.#repoRoot };
    if (ref.kind === 'ExternalArtifact') {
      const generator = this.#generators.get(key);
      if (generator === undefined) {
        return {
          ok: false,
          pending: true,
          reason: `source ExternalArtifact ${ref.namespace}/${ref.name} is not in this repository (no ArtifactGenerator here makes it)`,
        };
      }
      return this.#artifact(key, ref, generator);
    }
    return {
      ok: false,
      pending: false,
      reason: `source ${ref.kind} ${ref.namespace}/${ref.name} is not in this repository`,
    };
  }

  async #artifact(key: string, ref: SourceRef, generator: ArtifactGenerator): Promise<SourceResolution> {
    const aliases = new Map<string, string>();
    for (const source of generator.sources) {
      if (source.kind === 'ExternalArtifact') {
        return {
          ok: false,
          pending: false,
          reason: `ArtifactGenerator ${generator.namespace}/${generator.name} reads another ExternalArtifact, which Flux mode does not follow`,
        };
      }
      const resolved = await this.resolve(source);
      if (!resolved.ok) {
        return {
          ok: false,
          pending: false,
          reason: `ExternalArtifact ${ref.namespace}/${ref.name} comes from ArtifactGenerator ${generator.namespace}/${generator.name}, whose ${resolved.reason}`,
        };
      }
      aliases.set(source.alias, resolved.dir);
    }
    let dir = this.#artifacts.get(key);
    if (dir === undefined) {
      const artifact = generator.artifacts.find((a) => a.name === ref.name);
      if (artifact === undefined) throw new Error(`artifact ${ref.name} vanished from its generator`);
      dir = (async () => {
        const dest = path.join(await this.#root(), ref.namespace, ref.name);
        await mkdir(dest, { recursive: true, mode: 0o700 });
        await assembleArtifact(generator, artifact, aliases, dest);
        return dest;
      })();
      this.#artifacts.set(key, dir);
    }
    return { ok: true, dir: await dir };
  }

  #root(): Promise<string> {
    this.#workspace ??= openPrivateRoot(privateRootParent(this.#env), 'flux');
    return this.#workspace.then((root) => root.dir);
  }

  /** Removes the assembled artifacts; safe to call twice. */
  async cleanup(): Promise<void> {
    if (this.#workspace === undefined) return;
    const root = await this.#workspace.catch(() => undefined);
    this.#workspace = undefined;
    await root?.cleanup();
  }
}
