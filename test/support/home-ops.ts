/**
 * A home-ops-style Flux repository, built for the tests the way such repositories are laid
 * out: `clusters/main` (the entry) with bootstrap's `flux-system` (the root declares SOPS
 * decryption and substituteFrom), `vars/` (a plain `cluster-settings` ConfigMap and a
 * SOPS-encrypted `cluster-secrets` Secret), and a `cluster-apps` Kustomization that patches
 * every child with decryption and substituteFrom; then `apps/<ns>/<app>/ks.yaml` with
 * components, commonMetadata, targetNamespace, dependsOn and HelmReleases using variables.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newAgeKey, sopsEncrypt, type AgeKey } from './tools.ts';

export const SECRET_TOKEN = 'home-ops-secret-token-value';
export const DOMAIN = 'home.example.com';

const files: Record<string, string> = {
  'clusters/main/flux-system/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - gotk-sync.yaml
`,
  'clusters/main/flux-system/gotk-sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1h
  url: ssh://git@github.com/example/home-ops
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1h
  path: ./clusters/main
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  decryption:
    provider: sops
    secretRef:
      name: sops-age
`,
  'clusters/main/vars/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - cluster-settings.yaml
  - cluster-secrets.sops.yaml
`,
  'clusters/main/vars/cluster-settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-settings
  namespace: flux-system
data:
  DOMAIN: ${DOMAIN}
  TIMEZONE: Europe/Paris
`,
  'clusters/main/cluster-apps.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  interval: 30m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  decryption:
    provider: sops
    secretRef:
      name: sops-age
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-settings
      - kind: Secret
        name: cluster-secrets
  patches:
    - patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: not-used
        spec:
          decryption:
            provider: sops
            secretRef:
              name: sops-age
          postBuild:
            substituteFrom:
              - kind: ConfigMap
                name: cluster-settings
              - kind: Secret
                name: cluster-secrets
      target:
        group: kustomize.toolkit.fluxcd.io
        kind: Kustomization
`,
  'apps/web/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./namespace.yaml
  - ./echo/ks.yaml
  - ./db/ks.yaml
`,
  'apps/web/namespace.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: web
`,
  'apps/web/echo/ks.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: echo
  namespace: flux-system
spec:
  targetNamespace: web
  commonMetadata:
    labels:
      app.kubernetes.io/name: echo
  components:
    - ../../../../components/alerts
  dependsOn:
    - name: db
  path: ./apps/web/echo/app
  prune: true
  wait: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  interval: 30m
  postBuild:
    substitute:
      APP: echo
`,
  'apps/web/echo/app/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./helmrelease.yaml
  - ./ocirepository.yaml
`,
  'apps/web/echo/app/helmrelease.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: \${APP}
spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: echo
  values:
    host: "\${APP}.\${DOMAIN}"
    token: "\${SECRET_TOKEN}"
    timezone: "\${TIMEZONE:=UTC}"
    locale: "\${LOCALE:=en_GB}"
    literal: "$\${NOT_A_VARIABLE}"
    replicas: \${REPLICAS:=2}
`,
  'apps/web/echo/app/ocirepository.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: echo
spec:
  interval: 1h
  url: oci://ghcr.io/example/charts/echo
  ref:
    tag: 1.2.3
`,
  'apps/web/db/ks.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: db
  namespace: flux-system
spec:
  targetNamespace: web
  namePrefix: home-
  path: ./apps/web/db/app
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  interval: 30m
  images:
    - name: postgres
      newTag: "17.2"
  postBuild:
    substitute:
      APP: db
`,
  'apps/web/db/app/statefulset.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: \${APP}
spec:
  serviceName: \${APP}
  selector:
    matchLabels:
      app: \${APP}
  template:
    metadata:
      labels:
        app: \${APP}
    spec:
      containers:
        - name: postgres
          image: postgres:16
`,
  'apps/web/db/app/untouched.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: untouched
  annotations:
    kustomize.toolkit.fluxcd.io/substitute: disabled
data:
  raw: "\${APP}"
`,
  'components/alerts/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
  - ./alerts.yaml
`,
  'components/alerts/alerts.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: \${APP}-alerts
data:
  domain: \${DOMAIN}
`,
};

export interface HomeOpsRepo {
  readonly root: string;
  readonly key: AgeKey;
}

/** Writes the repository into a fresh folder (with a `.git` marker) and returns it. */
export async function createHomeOpsRepo(): Promise<HomeOpsRepo> {
  const root = await mkdtemp(path.join(tmpdir(), 'ksd-home-ops-'));
  await mkdir(path.join(root, '.git'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  const key = await newAgeKey();
  const encrypted = await sopsEncrypt(
    `apiVersion: v1
kind: Secret
metadata:
  name: cluster-secrets
  namespace: flux-system
stringData:
  SECRET_TOKEN: ${SECRET_TOKEN}
`,
    'cluster-secrets.sops.yaml',
    ['--age', key.recipient, '--encrypted-regex', '^(data|stringData)$'],
  );
  await writeFile(path.join(root, 'clusters/main/vars/cluster-secrets.sops.yaml'), await readFile(encrypted));
  return { root, key };
}
