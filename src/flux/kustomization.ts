/**
 * Flux Kustomization objects (`kustomize.toolkit.fluxcd.io/v1` and `v1beta2`) read into a
 * typed form: what Flux mode needs to find the source, render the path, substitute, order and
 * apply. The raw `spec` is kept, because the kustomization generator reads it the way Flux's
 * generator does (field by field, unknown fields ignored).
 */
import { UserError } from '../errors.ts';
import { isRecord } from '../is-record.ts';

export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
/** The Kustomization versions Flux 2.9 still serves. */
export const FLUX_KUSTOMIZATION_VERSIONS = ['v1', 'v1beta2'] as const;

/** `KIND/NAMESPACE/NAME` of a source, the key `--flux-source` uses. */
export interface SourceRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export interface DependencyRef {
  readonly namespace: string;
  readonly name: string;
}

export interface SubstituteRef {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly optional: boolean;
}

export interface PostBuild {
  readonly substitute: ReadonlyMap<string, string>;
  readonly substituteFrom: readonly SubstituteRef[];
  /** `Always` substitutes even with no variables (so defaults and `$${}` escapes apply). */
  readonly always: boolean;
}

export interface FluxKustomization {
  readonly name: string;
  readonly namespace: string;
  /** `spec.path`, relative to the source root; empty means the root. */
  readonly path: string;
  readonly sourceRef: SourceRef;
  /** The raw spec, for the generator. */
  readonly spec: Readonly<Record<string, unknown>>;
  readonly dependsOn: readonly DependencyRef[];
  /** Only `sops` makes Flux decrypt anything. */
  readonly decryptionProvider: string | undefined;
  readonly postBuild: PostBuild | undefined;
  readonly commonMetadata: {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly prune: boolean;
  readonly wait: boolean;
  readonly force: boolean;
  readonly timeout: string | undefined;
  readonly suspend: boolean;
  /** Where it was found: a file, or `Kustomization NS/NAME` that rendered it. */
  readonly origin: string;
}

/** `NAMESPACE/NAME`, how Kustomizations are named in messages and maps. */
export function kustomizationId(k: { readonly namespace: string; readonly name: string }): string {
  return `${k.namespace}/${k.name}`;
}

export function sourceKey(ref: SourceRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** Whether a built or parsed object is a Flux Kustomization. */
export function isFluxKustomization(object: unknown): object is Record<string, unknown> {
  if (!isRecord(object) || object['kind'] !== 'Kustomization') return false;
  const apiVersion = object['apiVersion'];
  if (typeof apiVersion !== 'string') return false;
  const [group, version] = apiVersion.split('/');
  return (
    group === FLUX_KUSTOMIZE_GROUP &&
    (FLUX_KUSTOMIZATION_VERSIONS as readonly string[]).includes(version ?? '')
  );
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new UserError('BAD_FORMAT', `${where} is not a map of strings`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new UserError('BAD_FORMAT', `${where}.${key} is not a string`);
    out[key] = v;
  }
  return out;
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new UserError('BAD_FORMAT', `${where} is not a string`);
  return value;
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UserError('BAD_FORMAT', `${where} is not a list`);
  return value;
}

function parsePostBuild(value: unknown, where: string): PostBuild | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new UserError('BAD_FORMAT', `${where}.spec.postBuild is not a map`);
  const substituteFrom = list(value['substituteFrom'], `${where}.spec.postBuild.substituteFrom`).map(
    (entry, index): SubstituteRef => {
      const at = `${where}.spec.postBuild.substituteFrom[${index}]`;
      if (!isRecord(entry)) throw new UserError('BAD_FORMAT', `${at} is not a map`);
      const kind = entry['kind'];
      const name = entry['name'];
      if (kind !== 'ConfigMap' && kind !== 'Secret') {
        throw new UserError('BAD_FORMAT', `${at}.kind must be ConfigMap or Secret`);
      }
      if (typeof name !== 'string' || name === '') {
        throw new UserError('BAD_FORMAT', `${at}.name is missing`);
      }
      return { kind, name, optional: entry['optional'] === true };
    },
  );
  return {
    substitute: new Map(Object.entries(stringMap(value['substitute'], `${where}.spec.postBuild.substitute`))),
    substituteFrom,
    always: value['substituteStrategy'] === 'Always',
  };
}

/**
 * Reads one Kustomization object. `defaultNamespace` stands in for a missing
 * `metadata.namespace` (the namespace of the Kustomization that rendered it).
 */
export function parseFluxKustomization(
  object: Record<string, unknown>,
  origin: string,
  defaultNamespace = 'flux-system',
): FluxKustomization {
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const name = metadata['name'];
  if (typeof name !== 'string' || name === '') {
    throw new UserError('BAD_FORMAT', `${origin}: a Flux Kustomization has no metadata.name`);
  }
  const namespace =
    typeof metadata['namespace'] === 'string' && metadata['namespace'] !== ''
      ? metadata['namespace']
      : defaultNamespace;
  const where = `${origin}: Kustomization ${namespace}/${name}`;
  const spec = isRecord(object['spec']) ? object['spec'] : {};
  const ref = spec['sourceRef'];
  if (!isRecord(ref) || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string') {
    throw new UserError('BAD_FORMAT', `${where} has no spec.sourceRef with a kind and a name`);
  }
  const sourceRef: SourceRef = {
    kind: ref['kind'],
    name: ref['name'],
    // Flux: a sourceRef without a namespace is in the Kustomization's namespace.
    namespace: typeof ref['namespace'] === 'string' && ref['namespace'] !== '' ? ref['namespace'] : namespace,
  };
  const dependsOn = list(spec['dependsOn'], `${where}.spec.dependsOn`).map((entry, index) => {
    if (!isRecord(entry) || typeof entry['name'] !== 'string') {
      throw new UserError('BAD_FORMAT', `${where}.spec.dependsOn[${index}] has no name`);
    }
    const ns = entry['namespace'];
    return { name: entry['name'], namespace: typeof ns === 'string' && ns !== '' ? ns : namespace };
  });
  const decryption = spec['decryption'];
  const commonMetadata = isRecord(spec['commonMetadata']) ? spec['commonMetadata'] : {};
  return {
    name,
    namespace,
    path: optionalString(spec['path'], `${where}.spec.path`) ?? '',
    sourceRef,
    spec,
    dependsOn,
    decryptionProvider: isRecord(decryption)
      ? optionalString(decryption['provider'], `${where}.spec.decryption.provider`)
      : undefined,
    postBuild: parsePostBuild(spec['postBuild'], where),
    commonMetadata: {
      labels: stringMap(commonMetadata['labels'], `${where}.spec.commonMetadata.labels`),
      annotations: stringMap(commonMetadata['annotations'], `${where}.spec.commonMetadata.annotations`),
    },
    prune: spec['prune'] === true,
    wait: spec['wait'] === true,
    force: spec['force'] === true,
    timeout: optionalString(spec['timeout'], `${where}.spec.timeout`),
    suspend: spec['suspend'] === true,
    origin,
  };
}
