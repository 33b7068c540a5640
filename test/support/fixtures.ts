/**
 * The upstream fixtures written by real sops (vendored with their licences and MANIFESTs in
 * test/fixtures/vendor), with the key that opens each. Negative fixtures say which error they
 * must give.
 */
import path from 'node:path';
import { repoRoot } from '../env/paths.ts';

/** Fixtures copied from other projects, each folder with its LICENSE and MANIFEST.md. */
export const vendoredFixtures = path.join(repoRoot, 'test', 'fixtures', 'vendor');
/** sops's own test files (MPL-2.0), at their paths in the sops repository. */
export const sopsUpstream = path.join(vendoredFixtures, 'sops-upstream');
/** Flux kustomize-controller's SOPS testdata (Apache-2.0): one kustomization root with keys/. */
export const fluxSops = path.join(vendoredFixtures, 'flux-testdata/internal/controller/testdata/sops');
const flux = fluxSops;
const upstream = sopsUpstream;

export const fluxKeys = {
  age: path.join(flux, 'keys/age.txt'),
  agePq: path.join(flux, 'keys/age-pq.txt'),
  ageGlobal: path.join(flux, 'keys/age-global.txt'),
  pgp: path.join(flux, 'keys/pgp.asc'),
};
export const upstreamPgpKey = path.join(upstream, 'pgp/sops_functional_tests_key.asc');

export interface Fixture {
  readonly file: string;
  readonly ageKeyFile?: string;
  readonly pgpKeyFile?: string;
  /** The error code a negative fixture must give. */
  readonly expectError?: string;
}

const fluxAge = (rel: string, key = fluxKeys.age): Fixture => ({
  file: path.join(flux, rel),
  ageKeyFile: key,
});
const up = (rel: string, expectError?: string): Fixture => ({
  file: path.join(upstream, rel),
  pgpKeyFile: upstreamPgpKey,
  ...(expectError === undefined ? {} : { expectError }),
});

export const fixtures: readonly Fixture[] = [
  fluxAge('algorithms/age.yaml'),
  fluxAge('algorithms/age-pq.yaml', fluxKeys.agePq),
  { file: path.join(flux, 'algorithms/pgp.yaml'), pgpKeyFile: fluxKeys.pgp },
  fluxAge('component/env.env'),
  fluxAge('envs/env.env'),
  fluxAge('files/file.txt'),
  fluxAge('global/secret.yaml', fluxKeys.ageGlobal),
  fluxAge('patches/merge1.yaml'),
  fluxAge('patches/merge2.yaml'),
  fluxAge('remote/env.env'),
  up('example.ini'),
  up('example.json'),
  up('example.txt'),
  up('example.yaml'),
  up('examples/all_in_one/config/secret.enc.json'),
  up('examples/per_file/config.enc/static_github.json'),
  up('functional-tests/res/comments.enc.yaml'),
  up('functional-tests/res/comments_unencrypted_comments.yaml'),
  up('functional-tests/res/format-2.enc.ini'),
  up('functional-tests/res/format.enc.env'),
  up('functional-tests/res/format.enc.ini'),
  up('functional-tests/res/format.enc.json'),
  up('functional-tests/res/format.enc.yaml'),
  up('functional-tests/res/multiple_keys.yaml'),
  // Negative on purpose (MANIFEST): an empty MAC, and files whose private key is not published.
  up('functional-tests/res/no_mac.yaml', 'MAC_MISMATCH'),
  up('config/test_resources/example.yaml', 'NO_MATCHING_KEY'),
  up('stores/ini/test_resources/example.json', 'NO_MATCHING_KEY'),
];
