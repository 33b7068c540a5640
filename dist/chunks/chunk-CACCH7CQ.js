import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);

// src/git/runner.ts
var NON_INTERACTIVE = {
  GIT_TERMINAL_PROMPT: "0",
  GCM_INTERACTIVE: "Never",
  GIT_ASKPASS: "",
  LC_ALL: "C"
};
function gitIn(options) {
  const { exec, env, cwd, timeoutMs, unavailable } = options;
  return async (args) => {
    let result;
    try {
      result = await exec.run("git", args, { cwd, env: { ...env, ...NON_INTERACTIVE }, timeoutMs });
    } catch (cause) {
      throw unavailable(cause);
    }
    const err = result.stderr.trim();
    return {
      ok: result.exitCode === 0,
      out: Buffer.from(result.stdout).toString("utf8").trim(),
      err,
      reason: err.split("\n").at(-1) ?? ""
    };
  };
}

export {
  gitIn
};
