/** Every real component the tests can use. Add one line per component. */
import type { Component } from '../component.ts';
import { gcpDouble } from './gcp-double.ts';
import { moto } from './moto.ts';
import { oidc } from './oidc.ts';

export const components: readonly Component[] = [oidc, moto, gcpDouble];
