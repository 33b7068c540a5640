/**
 * Stands in for `undici` inside @actions/http-client, which imports it only for
 * `ProxyAgent`. Nothing we bundle makes an HTTP request through @actions/http-client (our
 * OIDC, cloud and GitHub calls have their own clients), but as a CommonJS import undici
 * would be loaded on every start: about 770 KB and 20 ms of the Action's cold start. This
 * ESM class lets esbuild drop undici and the unused client code altogether.
 */
// The class shape is what @actions/http-client imports.
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
export class ProxyAgent {
  constructor() {
    throw new Error(
      'kustomize-sops-deploy bundles @actions/http-client without undici; this code path is not used by the action',
    );
  }
}
