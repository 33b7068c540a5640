/**
 * Every real component the tests can use. Add one line per component.
 * Not here: lowkey-vault (Azure Key Vault). Maven Central as reached from this machine does not
 * serve com.github.nagyesta.lowkey-vault:lowkey-vault-app (any version), so it cannot be had;
 * see docs/test-environment.md.
 */
import type { Component } from '../component.ts';
import { actionlint } from './actionlint.ts';
import { azureKvDouble } from './azure-kv-double.ts';
import { cliTools } from './cli-tools.ts';
import { flux } from './flux.ts';
import { gcpDouble } from './gcp-double.ts';
import { gitHttp } from './git-http.ts';
import { githubApi } from './github-api.ts';
import { helmCli } from './helm-cli.ts';
import { helmRepo } from './helm-repo.ts';
import { kube } from './kube.ts';
import { moto } from './moto.ts';
import { nodeVersions } from './node-versions.ts';
import { ociRegistry } from './oci-registry.ts';
import { oidc } from './oidc.ts';
import { vault } from './vault.ts';

/**
 * Global setup installs them all at once, and Go builds take their two slots in this order: the
 * tools most tests need first (sops, kustomize), the control plane next (the slow end-to-end
 * tests need it), Vault last (its tests are few and quick).
 */
export const components: readonly Component[] = [
  cliTools,
  kube,
  oidc,
  moto,
  gcpDouble,
  githubApi,
  gitHttp,
  azureKvDouble,
  nodeVersions,
  flux,
  helmCli,
  helmRepo,
  ociRegistry,
  actionlint,
  vault,
];
