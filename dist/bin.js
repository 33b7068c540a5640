#!/usr/bin/env node
const MINIMUM_MAJOR = 22;
const MINIMUM_MINOR = 17;
function supported(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major > MINIMUM_MAJOR || major === MINIMUM_MAJOR && minor >= MINIMUM_MINOR;
}
if (supported(process.version)) {
  const { createRequire } = process.getBuiltinModule("node:module");
  const { launch } = createRequire(import.meta.url)("./launch.cjs");
  launch(import.meta.dirname);
} else {
  process.stderr.write(
    `kustomize-sops-deploy needs Node.js ${String(MINIMUM_MAJOR)}.${String(MINIMUM_MINOR)} or later (this is ${process.version})
`
  );
  process.exitCode = 2;
}
