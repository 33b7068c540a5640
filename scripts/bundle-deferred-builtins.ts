/**
 * Defers node:crypto and node:dns/promises in the single-file bundles (dist/cli-<command>.cjs)
 * until first use.
 *
 * A CommonJS bundle runs every module's top level at start, so each `import { x } from
 * 'node:crypto'` loads node:crypto then: about 5 ms of a small `lint`, which never calls it
 * (bench/startup), and node:dns/promises is used only to check a remote's address. esbuild writes such an import as `require("node:crypto")` held in a
 * variable and read at each call (`(0, import_node_crypto.randomBytes)(6)`), so a proxy that
 * requires the module when a property is first read keeps every call the same and moves the
 * loading to the first call. Every other operation on the proxy (`in`, listing the keys, a
 * descriptor) loads the module too, so a default or namespace import still sees the real one.
 */
const DEFERRED = ['node:crypto', 'node:dns/promises'];

const HELPER =
  'var __ksdDeferredRequire=(id)=>{let m;const load=()=>(m??=require(id));' +
  'return new Proxy({},{get:(_,k)=>load()[k],has:(_,k)=>k in load(),' +
  'ownKeys:()=>Reflect.ownKeys(load()),' +
  'getOwnPropertyDescriptor:(_,k)=>{const d=Reflect.getOwnPropertyDescriptor(load(),k);' +
  'return d===undefined?undefined:{...d,configurable:true};}});};';

/** The bundle's source with each deferred `require(...)` through the proxy. */
export function deferBuiltins(source: string): string {
  const strict = '"use strict";';
  const at = source.indexOf(strict);
  if (at === -1) throw new Error('the bundle has no "use strict" prologue to put the helper after');
  let body = source.slice(at + strict.length);
  for (const id of DEFERRED) {
    body = body.replaceAll(`require(${JSON.stringify(id)})`, `__ksdDeferredRequire(${JSON.stringify(id)})`);
  }
  return `${source.slice(0, at)}${strict}${HELPER}${body}`;
}
