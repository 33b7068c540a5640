import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  maskableParts,
  nodeExec,
  parseConfig,
  reportError,
  run
} from "./chunks/chunk-OURFZAAA.js";
import {
  debug,
  error,
  getInput,
  info,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunks/chunk-GKPTEWB7.js";
import "./chunks/chunk-KU5N5J7X.js";
import "./chunks/chunk-CDJOHBWD.js";
import "./chunks/chunk-MAVRW6PT.js";
import "./chunks/chunk-GFREQRVK.js";
import "./chunks/chunk-LQH3RA76.js";

// src/host/actions-host.ts
function createActionsHost() {
  return {
    debug: (m) => debug(m),
    info: (m) => info(m),
    warning: (m) => warning(m),
    error: (m) => error(m),
    setSecret: (value) => {
      for (const part of maskableParts(value)) setSecret(part);
    },
    setOutput: (n, v) => setOutput(n, v),
    appendSummary: (md) => {
      void summary.addRaw(md, true).write();
    },
    writeStdout: (d) => process.stdout.write(d)
  };
}

// src/index.ts
var host = createActionsHost();
try {
  const config = parseConfig((name) => getInput(name), process.env, { stdoutIsLog: true });
  const code = await run(config, {
    host,
    exec: nodeExec,
    readStdin: () => Promise.resolve(new Uint8Array())
  });
  if (code !== 0) setFailed(`kustomize-sops-deploy ${config.command} failed`);
} catch (error2) {
  reportError(host, error2);
  setFailed("kustomize-sops-deploy: invalid inputs");
}
