#!/usr/bin/env node
const MINIMUM_MAJOR = 22;
const MINIMUM_MINOR = 17;
function supported(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major > MINIMUM_MAJOR || major === MINIMUM_MAJOR && minor >= MINIMUM_MINOR;
}
if (supported(process.version)) {
  const cli = new URL("./cli.js", import.meta.url).href;
  void import(cli);
} else {
  process.stderr.write(
    `kustomize-sops-deploy needs Node.js ${String(MINIMUM_MAJOR)}.${String(MINIMUM_MINOR)} or later (this is ${process.version})
`
  );
  process.exitCode = 2;
}
