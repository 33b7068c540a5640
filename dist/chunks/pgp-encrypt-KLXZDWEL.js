import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  createMessage,
  encrypt,
  readKeys
} from "./chunk-NDDCWY3B.js";
import {
  UserError
} from "./chunk-ZSIIWODD.js";
import "./chunk-LQH3RA76.js";

// src/keys/pgp-encrypt.ts
import { readFile } from "node:fs/promises";
function normalizeFingerprint(fp) {
  return fp.replaceAll(" ", "");
}
async function readKeys2(bytes, where) {
  const text = Buffer.from(bytes).toString("utf8");
  try {
    if (text.includes("-----BEGIN PGP")) {
      const blocks = text.match(/-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP \1 KEY BLOCK-----/g) ?? [];
      const keys = [];
      for (const block of blocks) keys.push(...await readKeys({ armoredKeys: block }));
      return keys;
    }
    return await readKeys({ binaryKeys: bytes });
  } catch (cause) {
    throw new UserError("KEY_SOURCE", `${where}: no OpenPGP key could be read`, { cause });
  }
}
function findKey(keys, fp) {
  const wanted = fp.toLowerCase();
  return keys.find(
    (k) => k.getFingerprint() === wanted || k.getSubkeys().some((s) => s.getFingerprint() === wanted) || // A long key id (16 hex digits) names a key as well; gpg accepts it.
    wanted.length === 16 && k.getKeyIDs().some((id) => id.toHex() === wanted)
  );
}
function createPgpWrapper(options) {
  let fromFiles;
  const loadFiles = async () => {
    const keys = [];
    for (const file of options.keyFiles) {
      let bytes;
      try {
        bytes = await readFile(file);
      } catch (cause) {
        throw new UserError("FILE_NOT_FOUND", `pgp key file ${file}: cannot be read`, { cause });
      }
      keys.push(...(await readKeys2(bytes, `pgp key file ${file}`)).map((k) => k.toPublic()));
    }
    return keys;
  };
  const program = options.env["SOPS_GPG_EXEC"] || "gpg";
  const fromGpg = async (fp) => {
    let result;
    try {
      result = await options.exec.run(program, ["--batch", "--no-tty", "--export", fp], { env: options.env });
    } catch (cause) {
      throw new UserError("KEY_SOURCE", `cannot run "${program}" to find the public key`, {
        cause,
        hint: "install GnuPG, set SOPS_GPG_EXEC, or pass the key with --pgp-key-file"
      });
    }
    if (result.exitCode !== 0 || result.stdout.length === 0) return void 0;
    return findKey(await readKeys2(result.stdout, `gpg --export ${fp}`), fp);
  };
  return async (rawFp, plaintext) => {
    const fp = normalizeFingerprint(rawFp);
    if (!/^[0-9A-Fa-f]{16}([0-9A-Fa-f]{24})?$/.test(fp)) {
      throw new UserError("USAGE", `pgp ${JSON.stringify(rawFp)} is not a key fingerprint`, {
        hint: "give the 40 hex digits gpg --fingerprint prints"
      });
    }
    fromFiles ??= loadFiles();
    const key = findKey(await fromFiles, fp) ?? await fromGpg(fp);
    if (key === void 0) {
      throw new UserError("KEY_SOURCE", "no public key found", {
        hint: "pass it with --pgp-key-file, or import it into the gpg keyring (gpg --import)"
      });
    }
    let armored;
    try {
      const message = await createMessage({ binary: plaintext });
      const result = await encrypt({
        message,
        encryptionKeys: key.toPublic(),
        format: "armored"
      });
      if (typeof result !== "string") throw new Error("openpgp returned no armored message");
      armored = result;
    } catch (cause) {
      throw new UserError("KEY_SOURCE", "openpgp cannot encrypt to this key", { cause });
    }
    return armored.replace(/\n$/, "");
  };
}
export {
  createPgpWrapper,
  normalizeFingerprint
};
