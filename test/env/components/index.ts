/** Every real component the tests can use. Add one line per component. */
import type { Component } from '../component.ts';
import { cliTools } from './cli-tools.ts';
import { gcpDouble } from './gcp-double.ts';
import { githubApi } from './github-api.ts';
import { lowkeyVault } from './lowkey-vault.ts';
import { kube } from './kube.ts';
import { moto } from './moto.ts';
import { oidc } from './oidc.ts';
import { vault } from './vault.ts';

export const components: readonly Component[] = [oidc, moto, gcpDouble, githubApi, lowkeyVault, vault, cliTools, kube];
