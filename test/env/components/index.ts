/** Every real component the tests can use. Add one line per component. */
import type { Component } from '../component.ts';

export const components: readonly Component[] = [];
