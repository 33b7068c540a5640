/**
 * The `--flux-source KIND/NAMESPACE/NAME=DIR` value: apart from sources.ts so that parsing the
 * inputs at start-up does not load the source resolution (artifact assembly, private roots).
 */

/** Parses `KIND/NAMESPACE/NAME=DIR` (the `--flux-source` value). */
export function parseFluxSource(entry: string): { readonly key: string; readonly dir: string } | undefined {
  const match = /^([A-Za-z]+)\/([^/=]+)\/([^/=]+)=(.+)$/.exec(entry);
  if (match === null) return undefined;
  return { key: `${match[1] ?? ''}/${match[2] ?? ''}/${match[3] ?? ''}`, dir: match[4] ?? '' };
}
