import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  Decrypter,
  Encrypter,
  armor_exports
} from "./chunk-G4UPG4IX.js";
import "./chunk-LQH3RA76.js";
export {
  Decrypter,
  Encrypter,
  armor_exports as armor
};
