import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  KUSTOMIZATION_FILE_NAMES,
  buildTarget,
  decryptAfterBuild,
  findOnPath,
  formatForRole,
  kustomizeEnv,
  kustomizeFailure,
  loadVariables,
  prepareKustomize,
  readSubstituteFrom,
  resolveExplicitTool,
  stageGraph,
  substituteDocument,
  visitTarFiles,
  walkGraph,
  withEgress
} from "./chunk-RAQSO5SE.js";
import {
  hasUndecryptedValues
} from "./chunk-CPLJPDMS.js";
import {
  UNDECRYPTED_TEXT,
  isUndecryptedString
} from "./chunk-6NT2VJT7.js";
import {
  mapLimit
} from "./chunk-5WQA4ROS.js";
import {
  refuseOutputOverInputs
} from "./chunk-D427EU6J.js";
import {
  createKeySources
} from "./chunk-UO57C7GF.js";
import {
  detectSopsFormat
} from "./chunk-NHKNCDYL.js";
import {
  refOf
} from "./chunk-3WBQCS5Z.js";
import {
  findRepositoryRoot,
  readFileBounded
} from "./chunk-E6UVNDUT.js";
import {
  PUBLIC_REMOTES,
  nonPublicKind
} from "./chunk-XT4FYU66.js";
import {
  require_dist
} from "./chunk-3MPY26GB.js";
import {
  isRecord
} from "./chunk-6PYYST35.js";
import {
  openPrivateRoot,
  privateRootParent,
  writePrivateFile
} from "./chunk-BPZOFAO5.js";
import {
  UserError,
  errorMessage,
  withContext
} from "./chunk-ZSIIWODD.js";
import {
  __commonJS,
  __toESM
} from "./chunk-LQH3RA76.js";

// node_modules/ignore/index.js
var require_ignore = __commonJS({
  "node_modules/ignore/index.js"(exports, module) {
    function makeArray(subject) {
      return Array.isArray(subject) ? subject : [subject];
    }
    var EMPTY = "";
    var SPACE = " ";
    var ESCAPE = "\\";
    var REGEX_TEST_BLANK_LINE = /^\s+$/;
    var REGEX_INVALID_TRAILING_BACKSLASH = /(?:[^\\]|^)\\$/;
    var REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION = /^\\!/;
    var REGEX_REPLACE_LEADING_EXCAPED_HASH = /^\\#/;
    var REGEX_SPLITALL_CRLF = /\r?\n/g;
    var REGEX_TEST_INVALID_PATH = /^\.*\/|^\.+$/;
    var SLASH = "/";
    var TMP_KEY_IGNORE = "node-ignore";
    if (typeof Symbol !== "undefined") {
      TMP_KEY_IGNORE = /* @__PURE__ */ Symbol.for("node-ignore");
    }
    var KEY_IGNORE = TMP_KEY_IGNORE;
    var define = (object, key2, value) => Object.defineProperty(object, key2, { value });
    var REGEX_REGEXP_RANGE = /([0-z])-([0-z])/g;
    var RETURN_FALSE = () => false;
    var sanitizeRange = (range) => range.replace(
      REGEX_REGEXP_RANGE,
      (match, from, to) => from.charCodeAt(0) <= to.charCodeAt(0) ? match : EMPTY
    );
    var cleanRangeBackSlash = (slashes) => {
      const { length } = slashes;
      return slashes.slice(0, length - length % 2);
    };
    var REPLACERS = [
      [
        // remove BOM
        // TODO:
        // Other similar zero-width characters?
        /^\uFEFF/,
        () => EMPTY
      ],
      // > Trailing spaces are ignored unless they are quoted with backslash ("\")
      [
        // (a\ ) -> (a )
        // (a  ) -> (a)
        // (a ) -> (a)
        // (a \ ) -> (a  )
        /((?:\\\\)*?)(\\?\s+)$/,
        (_, m1, m2) => m1 + (m2.indexOf("\\") === 0 ? SPACE : EMPTY)
      ],
      // replace (\ ) with ' '
      // (\ ) -> ' '
      // (\\ ) -> '\\ '
      // (\\\ ) -> '\\ '
      [
        /(\\+?)\s/g,
        (_, m1) => {
          const { length } = m1;
          return m1.slice(0, length - length % 2) + SPACE;
        }
      ],
      // Escape metacharacters
      // which is written down by users but means special for regular expressions.
      // > There are 12 characters with special meanings:
      // > - the backslash \,
      // > - the caret ^,
      // > - the dollar sign $,
      // > - the period or dot .,
      // > - the vertical bar or pipe symbol |,
      // > - the question mark ?,
      // > - the asterisk or star *,
      // > - the plus sign +,
      // > - the opening parenthesis (,
      // > - the closing parenthesis ),
      // > - and the opening square bracket [,
      // > - the opening curly brace {,
      // > These special characters are often called "metacharacters".
      [
        /[\\$.|*+(){^]/g,
        (match) => `\\${match}`
      ],
      [
        // > a question mark (?) matches a single character
        /(?!\\)\?/g,
        () => "[^/]"
      ],
      // leading slash
      [
        // > A leading slash matches the beginning of the pathname.
        // > For example, "/*.c" matches "cat-file.c" but not "mozilla-sha1/sha1.c".
        // A leading slash matches the beginning of the pathname
        /^\//,
        () => "^"
      ],
      // replace special metacharacter slash after the leading slash
      [
        /\//g,
        () => "\\/"
      ],
      [
        // > A leading "**" followed by a slash means match in all directories.
        // > For example, "**/foo" matches file or directory "foo" anywhere,
        // > the same as pattern "foo".
        // > "**/foo/bar" matches file or directory "bar" anywhere that is directly
        // >   under directory "foo".
        // Notice that the '*'s have been replaced as '\\*'
        /^\^*\\\*\\\*\\\//,
        // '**/foo' <-> 'foo'
        () => "^(?:.*\\/)?"
      ],
      // starting
      [
        // there will be no leading '/'
        //   (which has been replaced by section "leading slash")
        // If starts with '**', adding a '^' to the regular expression also works
        /^(?=[^^])/,
        function startingReplacer() {
          return !/\/(?!$)/.test(this) ? "(?:^|\\/)" : "^";
        }
      ],
      // two globstars
      [
        // Use lookahead assertions so that we could match more than one `'/**'`
        /\\\/\\\*\\\*(?=\\\/|$)/g,
        // Zero, one or several directories
        // should not use '*', or it will be replaced by the next replacer
        // Check if it is not the last `'/**'`
        (_, index, str2) => index + 6 < str2.length ? "(?:\\/[^\\/]+)*" : "\\/.+"
      ],
      // normal intermediate wildcards
      [
        // Never replace escaped '*'
        // ignore rule '\*' will match the path '*'
        // 'abc.*/' -> go
        // 'abc.*'  -> skip this rule,
        //    coz trailing single wildcard will be handed by [trailing wildcard]
        /(^|[^\\]+)(\\\*)+(?=.+)/g,
        // '*.js' matches '.js'
        // '*.js' doesn't match 'abc'
        (_, p1, p2) => {
          const unescaped = p2.replace(/\\\*/g, "[^\\/]*");
          return p1 + unescaped;
        }
      ],
      [
        // unescape, revert step 3 except for back slash
        // For example, if a user escape a '\\*',
        // after step 3, the result will be '\\\\\\*'
        /\\\\\\(?=[$.|*+(){^])/g,
        () => ESCAPE
      ],
      [
        // '\\\\' -> '\\'
        /\\\\/g,
        () => ESCAPE
      ],
      [
        // > The range notation, e.g. [a-zA-Z],
        // > can be used to match one of the characters in a range.
        // `\` is escaped by step 3
        /(\\)?\[([^\]/]*?)(\\*)($|\])/g,
        (match, leadEscape, range, endEscape, close) => leadEscape === ESCAPE ? `\\[${range}${cleanRangeBackSlash(endEscape)}${close}` : close === "]" ? endEscape.length % 2 === 0 ? `[${sanitizeRange(range)}${endEscape}]` : "[]" : "[]"
      ],
      // ending
      [
        // 'js' will not match 'js.'
        // 'ab' will not match 'abc'
        /(?:[^*])$/,
        // WTF!
        // https://git-scm.com/docs/gitignore
        // changes in [2.22.1](https://git-scm.com/docs/gitignore/2.22.1)
        // which re-fixes #24, #38
        // > If there is a separator at the end of the pattern then the pattern
        // > will only match directories, otherwise the pattern can match both
        // > files and directories.
        // 'js*' will not match 'a.js'
        // 'js/' will not match 'a.js'
        // 'js' will match 'a.js' and 'a.js/'
        (match) => /\/$/.test(match) ? `${match}$` : `${match}(?=$|\\/$)`
      ],
      // trailing wildcard
      [
        /(\^|\\\/)?\\\*$/,
        (_, p1) => {
          const prefix = p1 ? `${p1}[^/]+` : "[^/]*";
          return `${prefix}(?=$|\\/$)`;
        }
      ]
    ];
    var regexCache = /* @__PURE__ */ Object.create(null);
    var makeRegex = (pattern, ignoreCase) => {
      let source = regexCache[pattern];
      if (!source) {
        source = REPLACERS.reduce(
          (prev, [matcher, replacer]) => prev.replace(matcher, replacer.bind(pattern)),
          pattern
        );
        regexCache[pattern] = source;
      }
      return ignoreCase ? new RegExp(source, "i") : new RegExp(source);
    };
    var isString = (subject) => typeof subject === "string";
    var checkPattern = (pattern) => pattern && isString(pattern) && !REGEX_TEST_BLANK_LINE.test(pattern) && !REGEX_INVALID_TRAILING_BACKSLASH.test(pattern) && pattern.indexOf("#") !== 0;
    var splitPattern = (pattern) => pattern.split(REGEX_SPLITALL_CRLF);
    var IgnoreRule = class {
      constructor(origin, pattern, negative, regex) {
        this.origin = origin;
        this.pattern = pattern;
        this.negative = negative;
        this.regex = regex;
      }
    };
    var createRule = (pattern, ignoreCase) => {
      const origin = pattern;
      let negative = false;
      if (pattern.indexOf("!") === 0) {
        negative = true;
        pattern = pattern.substr(1);
      }
      pattern = pattern.replace(REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION, "!").replace(REGEX_REPLACE_LEADING_EXCAPED_HASH, "#");
      const regex = makeRegex(pattern, ignoreCase);
      return new IgnoreRule(
        origin,
        pattern,
        negative,
        regex
      );
    };
    var throwError = (message, Ctor) => {
      throw new Ctor(message);
    };
    var checkPath = (path17, originalPath, doThrow) => {
      if (!isString(path17)) {
        return doThrow(
          `path must be a string, but got \`${originalPath}\``,
          TypeError
        );
      }
      if (!path17) {
        return doThrow(`path must not be empty`, TypeError);
      }
      if (checkPath.isNotRelative(path17)) {
        const r = "`path.relative()`d";
        return doThrow(
          `path should be a ${r} string, but got "${originalPath}"`,
          RangeError
        );
      }
      return true;
    };
    var isNotRelative = (path17) => REGEX_TEST_INVALID_PATH.test(path17);
    checkPath.isNotRelative = isNotRelative;
    checkPath.convert = (p) => p;
    var Ignore = class {
      constructor({
        ignorecase = true,
        ignoreCase = ignorecase,
        allowRelativePaths = false
      } = {}) {
        define(this, KEY_IGNORE, true);
        this._rules = [];
        this._ignoreCase = ignoreCase;
        this._allowRelativePaths = allowRelativePaths;
        this._initCache();
      }
      _initCache() {
        this._ignoreCache = /* @__PURE__ */ Object.create(null);
        this._testCache = /* @__PURE__ */ Object.create(null);
      }
      _addPattern(pattern) {
        if (pattern && pattern[KEY_IGNORE]) {
          this._rules = this._rules.concat(pattern._rules);
          this._added = true;
          return;
        }
        if (checkPattern(pattern)) {
          const rule = createRule(pattern, this._ignoreCase);
          this._added = true;
          this._rules.push(rule);
        }
      }
      // @param {Array<string> | string | Ignore} pattern
      add(pattern) {
        this._added = false;
        makeArray(
          isString(pattern) ? splitPattern(pattern) : pattern
        ).forEach(this._addPattern, this);
        if (this._added) {
          this._initCache();
        }
        return this;
      }
      // legacy
      addPattern(pattern) {
        return this.add(pattern);
      }
      //          |           ignored : unignored
      // negative |   0:0   |   0:1   |   1:0   |   1:1
      // -------- | ------- | ------- | ------- | --------
      //     0    |  TEST   |  TEST   |  SKIP   |    X
      //     1    |  TESTIF |  SKIP   |  TEST   |    X
      // - SKIP: always skip
      // - TEST: always test
      // - TESTIF: only test if checkUnignored
      // - X: that never happen
      // @param {boolean} whether should check if the path is unignored,
      //   setting `checkUnignored` to `false` could reduce additional
      //   path matching.
      // @returns {TestResult} true if a file is ignored
      _testOne(path17, checkUnignored) {
        let ignored = false;
        let unignored = false;
        this._rules.forEach((rule) => {
          const { negative } = rule;
          if (unignored === negative && ignored !== unignored || negative && !ignored && !unignored && !checkUnignored) {
            return;
          }
          const matched = rule.regex.test(path17);
          if (matched) {
            ignored = !negative;
            unignored = negative;
          }
        });
        return {
          ignored,
          unignored
        };
      }
      // @returns {TestResult}
      _test(originalPath, cache, checkUnignored, slices) {
        const path17 = originalPath && checkPath.convert(originalPath);
        checkPath(
          path17,
          originalPath,
          this._allowRelativePaths ? RETURN_FALSE : throwError
        );
        return this._t(path17, cache, checkUnignored, slices);
      }
      _t(path17, cache, checkUnignored, slices) {
        if (path17 in cache) {
          return cache[path17];
        }
        if (!slices) {
          slices = path17.split(SLASH);
        }
        slices.pop();
        if (!slices.length) {
          return cache[path17] = this._testOne(path17, checkUnignored);
        }
        const parent = this._t(
          slices.join(SLASH) + SLASH,
          cache,
          checkUnignored,
          slices
        );
        return cache[path17] = parent.ignored ? parent : this._testOne(path17, checkUnignored);
      }
      ignores(path17) {
        return this._test(path17, this._ignoreCache, false).ignored;
      }
      createFilter() {
        return (path17) => !this.ignores(path17);
      }
      filter(paths) {
        return makeArray(paths).filter(this.createFilter());
      }
      // @returns {TestResult}
      test(path17) {
        return this._test(path17, this._testCache, true);
      }
    };
    var factory = (options) => new Ignore(options);
    var isPathValid = (path17) => checkPath(path17 && checkPath.convert(path17), path17, RETURN_FALSE);
    factory.isPathValid = isPathValid;
    factory.default = factory;
    module.exports = factory;
    if (
      // Detect `process` so that it can run in browsers.
      typeof process !== "undefined" && (process.env && process.env.IGNORE_TEST_WIN32 || process.platform === "win32")
    ) {
      const makePosix = (str2) => /^\\\\\?\\/.test(str2) || /["<>|\u0000-\u001F]+/u.test(str2) ? str2 : str2.replace(/\\/g, "/");
      checkPath.convert = makePosix;
      const REGIX_IS_WINDOWS_PATH_ABSOLUTE = /^[a-z]:\//i;
      checkPath.isNotRelative = (path17) => REGIX_IS_WINDOWS_PATH_ABSOLUTE.test(path17) || isNotRelative(path17);
    }
  }
});

// src/commands/build-run.ts
import { randomBytes } from "node:crypto";
import { availableParallelism as availableParallelism2, tmpdir as tmpdir3 } from "node:os";
import path16 from "node:path";

// src/kustomize/key-cache.ts
function stanzaId(key2) {
  return `${key2.type}\0${key2.enc}`;
}
function cacheKeySources(sources) {
  return sources.map((source) => {
    const cache = /* @__PURE__ */ new Map();
    return {
      name: source.name,
      locations: source.locations,
      decrypt(key2) {
        const id = stanzaId(key2);
        let result = cache.get(id);
        if (result === void 0) {
          result = source.decrypt(key2);
          result.catch(() => cache.delete(id));
          cache.set(id, result);
        }
        return result;
      }
    };
  });
}

// src/kustomize/targets.ts
import { glob, readdir, stat } from "node:fs/promises";
import path from "node:path";
function isGlob(text2) {
  return /[*?[{]/.test(text2);
}
async function isBuildableDirectory(dir) {
  let entries;
  try {
    if (!(await stat(dir)).isDirectory()) return false;
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some(
    (entry) => KUSTOMIZATION_FILE_NAMES.includes(entry.name) || !entry.name.startsWith(".") && /\.(ya?ml|json)$/.test(entry.name) && !entry.isDirectory()
  );
}
async function expandTargets(patterns) {
  const seen = /* @__PURE__ */ new Set();
  const targets = [];
  for (const pattern of patterns) {
    if (!isGlob(pattern)) {
      if (!seen.has(path.resolve(pattern))) targets.push(pattern);
      seen.add(path.resolve(pattern));
      continue;
    }
    const matches = [];
    for await (const match of glob(pattern)) matches.push(match);
    const kept = [];
    for (const match of matches.sort()) {
      if (seen.has(path.resolve(match)) || !await isBuildableDirectory(match)) continue;
      seen.add(path.resolve(match));
      kept.push(match);
    }
    if (kept.length === 0 && !matches.some((m) => seen.has(path.resolve(m)))) {
      throw new UserError(
        "FILE_NOT_FOUND",
        `build target pattern "${pattern}" matches no directory with a kustomization file or manifests`,
        { hint: "check the pattern; it is expanded relative to the working directory" }
      );
    }
    targets.push(...kept);
  }
  return targets;
}

// src/commands/flux-render.ts
var import_yaml11 = __toESM(require_dist(), 1);
import { stat as stat7 } from "node:fs/promises";
import path15 from "node:path";

// src/flux/discover.ts
var import_yaml4 = __toESM(require_dist(), 1);
import { readFile as readFile3, stat as stat5 } from "node:fs/promises";
import path7 from "node:path";

// src/flux/artifact-generator.ts
import { copyFile, mkdir, readdir as readdir4, stat as stat3 } from "node:fs/promises";
import path4 from "node:path";

// src/flux/generator.ts
var import_yaml = __toESM(require_dist(), 1);
import { lstat, readFile, readdir as readdir3, stat as stat2 } from "node:fs/promises";
import path3 from "node:path";

// src/flux/source-ignore.ts
var import_ignore = __toESM(require_ignore(), 1);
import { readdir as readdir2 } from "node:fs/promises";
import path2 from "node:path";
var ignore = import_ignore.default.default;
var DEFAULT_SOURCE_IGNORE = [
  ".git/",
  ".gitignore",
  ".gitmodules",
  ".gitattributes",
  "*.jpg",
  "*.jpeg",
  "*.gif",
  "*.png",
  "*.wmv",
  "*.flv",
  "*.tar.gz",
  "*.zip",
  ".github/",
  ".circleci/",
  ".travis.yml",
  ".gitlab-ci.yml",
  "appveyor.yml",
  ".drone.yml",
  "cloudbuild.yaml",
  "codeship-services.yml",
  "codeship-steps.yml",
  "**/.goreleaser.yml",
  "**/.sops.yaml",
  "**/.flux.yaml"
];
var FILE_NAME = ".sourceignore";
var MAX_FILE_BYTES = 1024 * 1024;
var MAX_FILES = 1e3;
function inDomain(pattern, dir) {
  const line = pattern.replace(/(?<!\\)\s+$/, "");
  if (line === "" || line.startsWith("#")) return void 0;
  if (dir === "" || dir === ".") return line;
  const negated = line.startsWith("!");
  const body = negated ? line.slice(1) : line;
  const anchored = body.replace(/\/$/, "").includes("/");
  const scoped = anchored ? `${dir}/${body.replace(/^\//, "")}` : `${dir}/**/${body}`;
  return negated ? `!${scoped}` : scoped;
}
async function findIgnoreFiles(root) {
  const found = [];
  const walk = async (rel) => {
    const entries = await readdir2(path2.join(root, rel), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== ".git") await walk(child);
      else if (entry.isFile() && entry.name === FILE_NAME) found.push(child);
      if (found.length > MAX_FILES) {
        throw new UserError("TOO_LARGE", `more than ${MAX_FILES} ${FILE_NAME} files under ${root}`, {
          hint: "Flux reads every .sourceignore of a repository; keep them to a few"
        });
      }
    }
  };
  await walk("");
  return found;
}
function sourceIgnoreOf(matcher) {
  return {
    ignores: (rel, isDir2) => {
      const clean = rel.replace(/^\.\//, "");
      if (clean === "" || clean === ".") return false;
      return matcher.ignores(isDir2 ? `${clean}/` : clean);
    }
  };
}
function defaultSourceIgnore() {
  return sourceIgnoreOf(ignore().add([...DEFAULT_SOURCE_IGNORE]));
}
async function loadSourceIgnore(root, specIgnore) {
  const matcher = ignore().add([...DEFAULT_SOURCE_IGNORE]);
  for (const file of await findIgnoreFiles(root)) {
    const text2 = (await readFileBounded(path2.join(root, file), { maxBytes: MAX_FILE_BYTES, root, name: file })).toString("utf8").replace(/^\uFEFF/, "");
    const dir = path2.posix.dirname(file);
    for (const pattern of text2.split(/\r?\n/)) {
      const scoped = inDomain(pattern, dir);
      if (scoped !== void 0) matcher.add(scoped);
    }
  }
  if (specIgnore !== void 0) matcher.add(specIgnore);
  return sourceIgnoreOf(matcher);
}

// src/flux/generator.ts
var DEFAULT_EXCLUSIONS = defaultSourceIgnore();
function isIgnoredBySource(name, isDir2) {
  return DEFAULT_EXCLUSIONS.ignores(name, isDir2);
}
async function isFile(file) {
  try {
    return (await stat2(file)).isFile();
  } catch {
    return false;
  }
}
async function exists(file) {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
async function findKustomizationFileName(dir) {
  for (const name of KUSTOMIZATION_FILE_NAMES) if (await isFile(path3.join(dir, name))) return name;
  return void 0;
}
function byName(a, b) {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
function resourceProblem(object) {
  if (object === null || object === void 0) return void 0;
  if (!isRecord(object)) return "not a Kubernetes object (a map)";
  if (typeof object["kind"] === "string" && object["kind"].endsWith("List") && Array.isArray(object["items"])) {
    return void 0;
  }
  if (!isRecord(object["metadata"])) return "missing Resource metadata";
  if (typeof object["kind"] !== "string" || object["kind"] === "") return "missing kind";
  const name = object["metadata"]["name"];
  if (typeof name !== "string" || name === "") return "missing metadata.name";
  return void 0;
}
async function scanManifests(dir, ignored) {
  const found = [];
  const walk = async (current) => {
    const entries = (await readdir3(current, { withFileTypes: true })).sort(byName);
    for (const entry of entries) {
      const abs = path3.join(current, entry.name);
      const rel = `./${path3.relative(dir, abs).split(path3.sep).join("/")}`;
      const isDir2 = entry.isDirectory() || entry.isSymbolicLink() && (await stat2(abs)).isDirectory();
      if (ignored === void 0 ? isIgnoredBySource(entry.name, isDir2) : ignored(abs, isDir2)) continue;
      if (isDir2) {
        if (await findKustomizationFileName(abs) !== void 0) found.push(rel);
        else await walk(abs);
        continue;
      }
      const ext = path3.extname(entry.name);
      if (ext !== ".yaml" && ext !== ".yml") continue;
      const docs = (0, import_yaml.parseAllDocuments)(await readFile(abs, "utf8"));
      const list3 = Array.isArray(docs) ? docs : [docs];
      const bad = list3.find((doc) => doc.errors.length > 0);
      if (bad !== void 0) {
        throw new UserError(
          "BAD_FORMAT",
          `failed to decode Kubernetes YAML from ${abs}: ${bad.errors[0]?.message.split("\n")[0] ?? ""}`,
          { hint: "Flux lists every .yaml/.yml file of a folder without a kustomization.yaml" }
        );
      }
      for (const doc of list3) {
        const problem = resourceProblem(doc.toJS());
        if (problem !== void 0) {
          throw new UserError("BAD_FORMAT", `failed to decode Kubernetes YAML from ${abs}: ${problem}`, {
            hint: "Flux lists every .yaml/.yml file of a folder without a kustomization.yaml; add a kustomization.yaml that lists the manifests, or move this file out"
          });
        }
      }
      found.push(rel);
    }
  };
  await walk(dir);
  return found;
}
function adaptSelector(target) {
  if (!isRecord(target)) return void 0;
  const out = {};
  for (const key2 of [
    "group",
    "version",
    "kind",
    "name",
    "namespace",
    "labelSelector",
    "annotationSelector"
  ]) {
    const value = target[key2];
    if (typeof value === "string" && value !== "") out[key2] = value;
  }
  return out;
}
function isLocalRelativePath(entry) {
  if (path3.isAbsolute(entry)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith("git@")) return false;
  return true;
}
function strings(value) {
  return Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
}
async function generateKustomization(dir, spec, where, ignored) {
  const existing = await findKustomizationFileName(dir);
  let kus;
  let resources = [];
  if (existing !== void 0) {
    let parsed;
    try {
      parsed = (0, import_yaml.parse)(await readFile(path3.join(dir, existing), "utf8"));
    } catch (cause) {
      throw new UserError("BAD_FORMAT", `${where}: ${existing} is not valid YAML`, { cause });
    }
    kus = isRecord(parsed) ? { ...parsed } : {};
    kus["apiVersion"] ??= "kustomize.config.k8s.io/v1beta1";
    kus["kind"] ??= "Kustomization";
    if (strings(kus["resources"]).length === 0) kus["buildMetadata"] = ["originAnnotations"];
  } else {
    resources = await scanManifests(dir, ignored);
    kus = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization" };
    if (resources.length === 0) kus["namespace"] = "_placeholder";
    else kus["resources"] = resources;
  }
  const setString = (field, target) => {
    const value = spec[field];
    if (typeof value === "string") kus[target] = value;
  };
  setString("targetNamespace", "namespace");
  setString("namePrefix", "namePrefix");
  setString("nameSuffix", "nameSuffix");
  const patches = Array.isArray(kus["patches"]) ? [...kus["patches"]] : [];
  for (const patch of Array.isArray(spec["patches"]) ? spec["patches"] : []) {
    if (!isRecord(patch)) continue;
    const target = adaptSelector(patch["target"]);
    patches.push({ patch: patch["patch"], ...target === void 0 ? {} : { target } });
  }
  if (patches.length > 0) kus["patches"] = patches;
  const components = strings(kus["components"]);
  const added = [];
  for (const component of strings(spec["components"])) {
    if (!isLocalRelativePath(component)) {
      throw new UserError("BAD_FORMAT", `${where}: component path '${component}' must be local and relative`);
    }
    if (spec["ignoreMissingComponents"] === true && !await exists(path3.join(dir, component))) continue;
    components.push(component);
    added.push(component);
  }
  if (components.length > 0) kus["components"] = components;
  const psm = strings(kus["patchesStrategicMerge"]);
  for (const patch of Array.isArray(spec["patchesStrategicMerge"]) ? spec["patchesStrategicMerge"] : []) {
    psm.push(JSON.stringify(patch));
  }
  if (psm.length > 0) kus["patchesStrategicMerge"] = psm;
  const pj = Array.isArray(kus["patchesJson6902"]) ? [...kus["patchesJson6902"]] : [];
  for (const patch of Array.isArray(spec["patchesJson6902"]) ? spec["patchesJson6902"] : []) {
    if (!isRecord(patch)) continue;
    const target = adaptSelector(patch["target"]);
    pj.push({ patch: JSON.stringify(patch["patch"] ?? null), ...target === void 0 ? {} : { target } });
  }
  if (pj.length > 0) kus["patchesJson6902"] = pj;
  const images = Array.isArray(kus["images"]) ? kus["images"].map((i) => isRecord(i) ? { ...i } : {}) : [];
  for (const image of Array.isArray(spec["images"]) ? spec["images"] : []) {
    if (!isRecord(image)) continue;
    const name = typeof image["name"] === "string" ? image["name"] : "";
    const field = (key2) => typeof image[key2] === "string" ? image[key2] : "";
    const index = images.findIndex((i) => i["name"] === name);
    const current = images[index];
    if (current !== void 0) {
      if (field("newName") !== "") current["newName"] = field("newName");
      if (field("newTag") !== "" || field("digest") !== "") {
        current["newTag"] = field("newTag");
        current["digest"] = field("digest");
        if (current["newTag"] === "") delete current["newTag"];
        if (current["digest"] === "") delete current["digest"];
      }
    } else {
      const entry = { name };
      for (const key2 of ["newName", "newTag", "digest"]) if (field(key2) !== "") entry[key2] = field(key2);
      images.push(entry);
    }
  }
  if (images.length > 0) kus["images"] = images;
  const buildMetadata = strings(spec["buildMetadata"]);
  if (buildMetadata.length > 0) kus["buildMetadata"] = buildMetadata;
  return {
    fileName: existing ?? "kustomization.yaml",
    content: (0, import_yaml.stringify)(kus, { lineWidth: 0 }),
    created: existing === void 0,
    resources,
    components: added
  };
}

// src/flux/artifact-generator.ts
var ARTIFACT_GENERATOR_API = "source.extensions.fluxcd.io/v1beta1";
function isArtifactGenerator(object) {
  return isRecord(object) && object["apiVersion"] === ARTIFACT_GENERATOR_API && object["kind"] === "ArtifactGenerator";
}
function records(value) {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
function text(value) {
  return typeof value === "string" ? value : "";
}
function parseArtifactGenerator(object, origin, defaultNamespace) {
  const meta = isRecord(object["metadata"]) ? object["metadata"] : {};
  const namespace = text(meta["namespace"]) || defaultNamespace;
  const spec = isRecord(object["spec"]) ? object["spec"] : {};
  return {
    name: text(meta["name"]),
    namespace,
    sources: records(spec["sources"]).map((s) => ({
      alias: text(s["alias"]),
      kind: text(s["kind"]),
      name: text(s["name"]),
      namespace: text(s["namespace"]) || namespace
    })),
    artifacts: records(spec["artifacts"]).map((a) => ({
      name: text(a["name"]),
      copy: records(a["copy"]).map((c) => ({
        from: text(c["from"]),
        to: text(c["to"]),
        exclude: Array.isArray(c["exclude"]) ? c["exclude"].filter((e) => typeof e === "string") : [],
        strategy: text(c["strategy"]) || "Overwrite"
      }))
    })),
    origin
  };
}
function segmentRegExp(segment) {
  let source = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] ?? "";
    if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (c === "[") {
      const close = segment.indexOf("]", i + 1);
      if (close < 0) throw new UserError("BAD_FORMAT", `glob "${segment}" has an unclosed [`);
      let body = segment.slice(i + 1, close);
      if (body.startsWith("^")) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\(?!.)/g, "\\\\")}]`;
      i = close;
    } else if (c === "\\" && i + 1 < segment.length) source += `\\${segment[++i] ?? ""}`;
    else source += c.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}
function doublestarMatch(pattern, file) {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "*" && pattern[i + 1] === "*") {
      const slash = pattern[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s").test(file);
}
function hasGlob(pattern) {
  return /[*?[\]]/.test(pattern);
}
async function isDir(file) {
  try {
    return (await stat3(file)).isDirectory();
  } catch {
    return false;
  }
}
async function glob2(root, pattern) {
  let current = [""];
  for (const segment of pattern.split("/").filter((s) => s !== "")) {
    const next = [];
    for (const base of current) {
      const dir = path4.join(root, base);
      if (!hasGlob(segment)) {
        const candidate = base === "" ? segment : `${base}/${segment}`;
        try {
          await stat3(path4.join(root, candidate));
          next.push(candidate);
        } catch {
        }
        continue;
      }
      if (!await isDir(dir)) continue;
      const re = segmentRegExp(segment);
      const entries = (await readdir4(dir, { withFileTypes: true })).map((e) => e.name).sort();
      for (const name of entries) {
        const child = path4.join(dir, name);
        if (isIgnoredBySource(name, await isDir(child))) continue;
        if (re.test(name)) next.push(base === "" ? name : `${base}/${name}`);
      }
    }
    current = next;
  }
  return current.filter((m) => m !== "");
}
function excluded(rel, patterns) {
  return patterns.some((p) => doublestarMatch(p, rel));
}
async function copyOne(ctx, srcRel, destRel) {
  const src = path4.join(ctx.srcRoot, srcRel);
  const dest = path4.join(ctx.destRoot, destRel);
  const rel = path4.relative(ctx.destRoot, dest);
  if (rel.startsWith("..") || path4.isAbsolute(rel)) {
    throw new UserError("PATH_ESCAPE", `copy destination ${destRel} leaves the artifact`);
  }
  if (await isDir(src)) {
    for (const entry of (await readdir4(src, { withFileTypes: true })).sort(
      (a, b) => a.name < b.name ? -1 : 1
    )) {
      const childIsDir = entry.isDirectory() || await isDir(path4.join(src, entry.name));
      if (isIgnoredBySource(entry.name, childIsDir)) continue;
      await copyOne(ctx, `${srcRel}/${entry.name}`, path4.join(destRel, entry.name));
    }
    return;
  }
  if (excluded(srcRel, ctx.exclude)) return;
  await mkdir(path4.dirname(dest), { recursive: true, mode: 448 });
  await copyFile(src, dest);
}
async function assembleArtifact(generator, artifact, aliases, dest) {
  const where = `ArtifactGenerator ${generator.namespace}/${generator.name} artifact ${artifact.name}`;
  for (const rule of artifact.copy) {
    const at = `${where}: copy from "${rule.from}" to "${rule.to}"`;
    if (rule.strategy !== "Overwrite") {
      throw new UserError(
        "UNSUPPORTED",
        `${at}: strategy ${rule.strategy} is not supported in Flux mode yet`
      );
    }
    const from = /^@([^/]+)\/(.*)$/s.exec(rule.from);
    if (from === null) throw new UserError("BAD_FORMAT", `${at}: the source must be @alias/pattern`);
    if (!rule.to.startsWith("@artifact/"))
      throw new UserError("BAD_FORMAT", `${at}: the destination must start with @artifact/`);
    const srcRoot = aliases.get(from[1] ?? "");
    if (srcRoot === void 0)
      throw new UserError("BAD_FORMAT", `${at}: source alias '${from[1] ?? ""}' not found`);
    const pattern = from[2] ?? "";
    const destRel = rule.to.slice("@artifact/".length);
    const ctx = { srcRoot, destRoot: dest, exclude: rule.exclude };
    if (!hasGlob(pattern)) {
      const clean = path4.posix.normalize(pattern).replace(/\/$/, "");
      const src = path4.join(srcRoot, clean);
      try {
        await stat3(src);
      } catch {
        throw new UserError("FILE_NOT_FOUND", `${at}: source '${clean}' does not exist`);
      }
      const base = path4.posix.basename(clean);
      if (await isDir(src)) await copyOne(ctx, clean, path4.join(destRel, base));
      else if (rule.to.endsWith("/") || await isDir(path4.join(dest, destRel)))
        await copyOne(ctx, clean, path4.join(destRel, base));
      else await copyOne(ctx, clean, destRel);
      continue;
    }
    const matches = (await glob2(srcRoot, pattern)).filter((m) => !excluded(m, rule.exclude));
    if (matches.length === 0)
      throw new UserError("FILE_NOT_FOUND", `${at}: no files match pattern '${pattern}' in ${srcRoot}`, {
        hint: `@${from[1] ?? ""} is ${srcRoot}; run from the repository that holds the Flux files (its git root is the source)`
      });
    const prefix = pattern.endsWith("/**") ? pattern.slice(0, -3) : void 0;
    for (const match of matches) {
      const relative = prefix !== void 0 && match.startsWith(`${prefix}/`) ? match.slice(prefix.length + 1) : match;
      await copyOne(ctx, match, path4.join(destRel, relative));
    }
  }
}

// src/flux/kustomization.ts
var FLUX_KUSTOMIZE_GROUP = "kustomize.toolkit.fluxcd.io";
var FLUX_KUSTOMIZATION_VERSIONS = ["v1", "v1beta2"];
function kustomizationId(k) {
  return `${k.namespace}/${k.name}`;
}
function sourceKey(ref) {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}
function isFluxKustomization(object) {
  if (!isRecord(object) || object["kind"] !== "Kustomization") return false;
  const apiVersion = object["apiVersion"];
  if (typeof apiVersion !== "string") return false;
  const [group, version2] = apiVersion.split("/");
  return group === FLUX_KUSTOMIZE_GROUP && FLUX_KUSTOMIZATION_VERSIONS.includes(version2 ?? "");
}
function stringMap(value, where) {
  if (value === void 0 || value === null) return {};
  if (!isRecord(value)) throw new UserError("BAD_FORMAT", `${where} is not a map of strings`);
  const out = {};
  for (const [key2, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new UserError("BAD_FORMAT", `${where}.${key2} is not a string`);
    out[key2] = v;
  }
  return out;
}
function optionalString(value, where) {
  if (value === void 0 || value === null) return void 0;
  if (typeof value !== "string") throw new UserError("BAD_FORMAT", `${where} is not a string`);
  return value;
}
function list(value, where) {
  if (value === void 0 || value === null) return [];
  if (!Array.isArray(value)) throw new UserError("BAD_FORMAT", `${where} is not a list`);
  return value;
}
function parsePostBuild(value, where) {
  if (value === void 0 || value === null) return void 0;
  if (!isRecord(value)) throw new UserError("BAD_FORMAT", `${where}.spec.postBuild is not a map`);
  const substituteFrom = list(value["substituteFrom"], `${where}.spec.postBuild.substituteFrom`).map(
    (entry, index) => {
      const at = `${where}.spec.postBuild.substituteFrom[${index}]`;
      if (!isRecord(entry)) throw new UserError("BAD_FORMAT", `${at} is not a map`);
      const kind = entry["kind"];
      const name = entry["name"];
      if (kind !== "ConfigMap" && kind !== "Secret") {
        throw new UserError("BAD_FORMAT", `${at}.kind must be ConfigMap or Secret`);
      }
      if (typeof name !== "string" || name === "") {
        throw new UserError("BAD_FORMAT", `${at}.name is missing`);
      }
      return { kind, name, optional: entry["optional"] === true };
    }
  );
  return {
    substitute: new Map(Object.entries(stringMap(value["substitute"], `${where}.spec.postBuild.substitute`))),
    substituteFrom,
    always: value["substituteStrategy"] === "Always"
  };
}
function parseFluxKustomization(object, origin, defaultNamespace = "flux-system") {
  const metadata = isRecord(object["metadata"]) ? object["metadata"] : {};
  const name = metadata["name"];
  if (typeof name !== "string" || name === "") {
    throw new UserError("BAD_FORMAT", `${origin}: a Flux Kustomization has no metadata.name`);
  }
  const namespace = typeof metadata["namespace"] === "string" && metadata["namespace"] !== "" ? metadata["namespace"] : defaultNamespace;
  const where = `${origin}: Kustomization ${namespace}/${name}`;
  const spec = isRecord(object["spec"]) ? object["spec"] : {};
  const ref = spec["sourceRef"];
  if (!isRecord(ref) || typeof ref["kind"] !== "string" || typeof ref["name"] !== "string") {
    throw new UserError("BAD_FORMAT", `${where} has no spec.sourceRef with a kind and a name`);
  }
  const sourceRef2 = {
    kind: ref["kind"],
    name: ref["name"],
    // Flux: a sourceRef without a namespace is in the Kustomization's namespace.
    namespace: typeof ref["namespace"] === "string" && ref["namespace"] !== "" ? ref["namespace"] : namespace
  };
  const dependsOn = list(spec["dependsOn"], `${where}.spec.dependsOn`).map((entry, index) => {
    if (!isRecord(entry) || typeof entry["name"] !== "string") {
      throw new UserError("BAD_FORMAT", `${where}.spec.dependsOn[${index}] has no name`);
    }
    const ns = entry["namespace"];
    return { name: entry["name"], namespace: typeof ns === "string" && ns !== "" ? ns : namespace };
  });
  const decryption = spec["decryption"];
  const commonMetadata = isRecord(spec["commonMetadata"]) ? spec["commonMetadata"] : {};
  return {
    name,
    namespace,
    path: optionalString(spec["path"], `${where}.spec.path`) ?? "",
    sourceRef: sourceRef2,
    spec,
    dependsOn,
    decryptionProvider: isRecord(decryption) ? optionalString(decryption["provider"], `${where}.spec.decryption.provider`) : void 0,
    postBuild: parsePostBuild(spec["postBuild"], where),
    commonMetadata: {
      labels: stringMap(commonMetadata["labels"], `${where}.spec.commonMetadata.labels`),
      annotations: stringMap(commonMetadata["annotations"], `${where}.spec.commonMetadata.annotations`)
    },
    prune: spec["prune"] === true,
    wait: spec["wait"] === true,
    force: spec["force"] === true,
    timeout: optionalString(spec["timeout"], `${where}.spec.timeout`),
    suspend: spec["suspend"] === true,
    origin
  };
}

// src/flux/order.ts
function missingDependencies(k, known) {
  return k.dependsOn.map(kustomizationId).filter((id) => !known.has(id));
}
function orderByDependencies(items) {
  const byId = new Map(items.map((item) => [kustomizationId(item.kustomization), item]));
  const state = /* @__PURE__ */ new Map();
  const out = [];
  const visit2 = (item, chain) => {
    const id = kustomizationId(item.kustomization);
    const seen = state.get(id);
    if (seen === "done") return;
    if (seen === "visiting") {
      const cycle = [...chain.slice(chain.indexOf(id)), id];
      throw new UserError("USAGE", `Kustomizations depend on each other in a cycle: ${cycle.join(" -> ")}`, {
        hint: "Flux would never reconcile any of them; remove one dependsOn entry of the cycle"
      });
    }
    state.set(id, "visiting");
    for (const dep of item.kustomization.dependsOn) {
      const target = byId.get(kustomizationId(dep));
      if (target !== void 0) visit2(target, [...chain, id]);
    }
    state.set(id, "done");
    out.push(item);
  };
  for (const item of items) visit2(item, []);
  return out;
}

// src/flux/render.ts
var import_yaml3 = __toESM(require_dist(), 1);
import { readFile as readFile2, realpath, stat as stat4 } from "node:fs/promises";
import path5 from "node:path";

// src/flux/substitute-from.ts
var import_yaml2 = __toESM(require_dist(), 1);
function key(kind, namespace, name) {
  return `${kind}/${namespace}/${name}`;
}
function variablesOf(object) {
  const out = /* @__PURE__ */ new Map();
  const data = isRecord(object["data"]) ? object["data"] : {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== "string") continue;
    out.set(k, object["kind"] === "Secret" ? Buffer.from(v, "base64").toString("utf8") : v);
  }
  if (object["kind"] === "Secret" && isRecord(object["stringData"])) {
    for (const [k, v] of Object.entries(object["stringData"])) if (typeof v === "string") out.set(k, v);
  }
  return out;
}
var SubstitutionPool = class {
  #objects = /* @__PURE__ */ new Map();
  /** Adds the ConfigMaps and Secrets among `objects`; `from` names who rendered them. */
  add(objects, from, defaultNamespace = "default") {
    for (const object of objects) {
      const kind = object["kind"];
      if (kind !== "ConfigMap" && kind !== "Secret" || object["apiVersion"] !== "v1") continue;
      const meta = isRecord(object["metadata"]) ? object["metadata"] : {};
      if (typeof meta["name"] !== "string") continue;
      const ns = typeof meta["namespace"] === "string" ? meta["namespace"] : defaultNamespace;
      this.#objects.set(key(kind, ns, meta["name"]), { vars: variablesOf(object), from });
    }
  }
  get(kind, namespace, name) {
    return this.#objects.get(key(kind, namespace, name))?.vars;
  }
};
function gatherVariables(k, pool) {
  const vars = /* @__PURE__ */ new Map();
  const postBuild = k.postBuild;
  if (postBuild === void 0) return { ok: true, vars };
  const missing = [];
  for (const ref of postBuild.substituteFrom) {
    const found = pool.get(ref.kind, k.namespace, ref.name);
    if (found === void 0) {
      if (!ref.optional) missing.push(ref);
      continue;
    }
    for (const [name, value] of found) vars.set(name, value.replaceAll("\n", ""));
  }
  if (missing.length > 0) return { ok: false, missing };
  for (const [name, value] of postBuild.substitute) vars.set(name, value.replaceAll("\n", ""));
  return { ok: true, vars };
}
function markUndecryptedUses(doc, vars) {
  const unknown = [...vars].filter(([, value]) => isUndecryptedString(value)).map(([name]) => name);
  if (unknown.length === 0) return false;
  const uses = new RegExp(`(^|[^$])\\$\\{#?(${unknown.join("|")})(?![_a-zA-Z0-9])`);
  let marked = false;
  (0, import_yaml2.visit)(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && uses.test(node.value)) {
        node.value = UNDECRYPTED_TEXT;
        marked = true;
      }
    }
  });
  return marked;
}

// src/flux/render.ts
var FLUX_NAME_LABEL = "kustomize.toolkit.fluxcd.io/name";
var FLUX_NAMESPACE_LABEL = "kustomize.toolkit.fluxcd.io/namespace";
function toRel(root, abs) {
  return path5.relative(root, abs).split(path5.sep).join("/") || ".";
}
function mergeGraph(into, graph) {
  for (const [rel, file] of graph.files) if (!into.files.has(rel)) into.files.set(rel, file);
  for (const [rel, content] of graph.generated)
    if (!into.generated.has(rel)) into.generated.set(rel, content);
  for (const dir of graph.dirs) into.dirs.add(dir);
  into.remote.push(...graph.remote);
}
async function buildFluxGraph(dir, root, generated, remote = {}) {
  const walkOptions = {
    root,
    ...remote.remotePolicy === void 0 ? {} : { remotePolicy: remote.remotePolicy },
    ...remote.resolveHost === void 0 ? {} : { resolveHost: remote.resolveHost }
  };
  const base = await walkGraph(dir, walkOptions);
  const acc = {
    files: new Map(base.files),
    generated: new Map(base.generated),
    dirs: new Set(base.dirs),
    remote: [...base.remote]
  };
  for (const component of generated.components) {
    mergeGraph(acc, await walkGraph(path5.resolve(dir, component), walkOptions));
  }
  if (generated.created) {
    for (const resource of generated.resources) {
      const abs = path5.resolve(dir, resource);
      const rel = toRel(root, abs);
      if (acc.files.has(rel)) continue;
      if ((await stat4(abs)).isDirectory()) {
        mergeGraph(acc, await walkGraph(abs, walkOptions));
      } else {
        acc.files.set(rel, {
          rel,
          source: await realpath(abs),
          role: { kind: "manifest" },
          via: `${toRel(root, dir)} (Flux's generated kustomization)`
        });
      }
    }
  }
  acc.generated.set(toRel(root, path5.join(dir, generated.fileName)), generated.content);
  return { ...base, ...acc };
}
var sourceIgnores = /* @__PURE__ */ new WeakMap();
function sourceIgnoreFor(sourceDir, deps) {
  let byDir = sourceIgnores.get(deps);
  if (byDir === void 0) {
    byDir = /* @__PURE__ */ new Map();
    sourceIgnores.set(deps, byDir);
  }
  let found = byDir.get(sourceDir);
  if (found === void 0) {
    found = loadSourceIgnore(sourceDir);
    byDir.set(sourceDir, found);
  }
  return found;
}
function withoutIgnored(graph, ignored) {
  const left = [...graph.files.keys()].filter(
    (rel) => ignored(path5.join(graph.root, ...rel.split("/")), false)
  );
  if (left.length === 0) return { graph, left };
  const files = new Map([...graph.files].filter(([rel]) => !left.includes(rel)));
  return { graph: { ...graph, files }, left };
}
async function refuseEncrypted(graph, k) {
  for (const file of graph.files.values()) {
    if (formatForRole(file) === void 0) continue;
    const text2 = await readFile2(file.source, "utf8");
    if (detectSopsFormat(text2) !== void 0) {
      throw new UserError(
        "BAD_FORMAT",
        `Kustomization ${kustomizationId(k)} renders ${file.rel}, which is SOPS-encrypted, but has no spec.decryption.provider: sops`,
        {
          hint: "add spec.decryption (provider: sops, secretRef: ...) to the Kustomization, as Flux needs it to decrypt this file",
          location: { file: file.source }
        }
      );
    }
  }
}
async function runKustomize(graph, k, deps) {
  const staged = await stageGraph(graph, {
    keySources: deps.keySources,
    registry: deps.registry,
    ...deps.stagingParent === void 0 ? {} : { parent: deps.stagingParent },
    ...deps.signals === void 0 ? {} : { signals: deps.signals },
    ...deps.undecrypted === void 0 ? {} : { undecrypted: deps.undecrypted }
  });
  try {
    const args = [...deps.tool.prefix, staged.target, "--load-restrictor", "LoadRestrictionsNone"];
    const result = await withEgress(
      graph.remote,
      deps.remotePolicy ?? PUBLIC_REMOTES,
      kustomizeEnv(deps.env),
      deps,
      (env) => deps.exec.run(deps.tool.command, args, { cwd: staged.target, env })
    );
    if (result.exitCode !== 0) {
      throw kustomizeFailure(`Kustomization ${kustomizationId(k)}: kustomize build failed`, result, {
        registry: deps.registry,
        staged: staged.dir,
        root: graph.root
      });
    }
    return { output: Buffer.from(result.stdout).toString("utf8"), decrypted: staged.decrypted };
  } finally {
    await staged.cleanup();
  }
}
function setMeta(doc, field, key2, value) {
  if (!isRecord(doc.getIn(["metadata", field]))) {
    if (!isRecord(doc.get("metadata"))) doc.set("metadata", doc.createNode({}));
    doc.setIn(["metadata", field], doc.createNode({}));
  }
  doc.setIn(["metadata", field, key2], value);
}
function isDocRecord(doc) {
  return isRecord(doc.toJS());
}
async function renderKustomization(k, sourceDir, root, vars, deps, strict = false) {
  const id = kustomizationId(k);
  const dir = path5.resolve(sourceDir, k.path);
  const rel = path5.relative(root, dir);
  if (rel.startsWith("..") || path5.isAbsolute(rel)) {
    throw new UserError("PATH_ESCAPE", `Kustomization ${id}: spec.path ${k.path} leaves its source`);
  }
  try {
    if (!(await stat4(dir)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new UserError(
      "FILE_NOT_FOUND",
      `Kustomization ${id}: spec.path "${k.path}" is not a directory of its source`,
      {
        hint: "spec.path is relative to the root of the source (the repository root for GitRepository flux-system)"
      }
    );
  }
  const exclusions = await sourceIgnoreFor(sourceDir, deps);
  const ignored = (abs, isDir2) => exclusions.ignores(path5.relative(sourceDir, abs).split(path5.sep).join("/"), isDir2);
  const generated = await generateKustomization(dir, k.spec, `Kustomization ${id}`, ignored);
  let graph;
  try {
    graph = await buildFluxGraph(dir, root, generated, deps);
  } catch (error) {
    throw withContext(`Kustomization ${id}`, error);
  }
  const artifact = withoutIgnored(graph, ignored);
  graph = artifact.graph;
  const decrypt = k.decryptionProvider === "sops";
  if (!decrypt) await refuseEncrypted(graph, k);
  for (const remote of graph.remote)
    deps.host.info(`Kustomization ${id}: remote resource ${remote} is fetched by kustomize`);
  let built;
  try {
    built = await runKustomize(graph, k, deps);
  } catch (error) {
    if (!(error instanceof UserError) || error.code !== "KUSTOMIZE_FAILED" || artifact.left.length === 0)
      throw error;
    throw new UserError(error.code, error.message, {
      ...error.report === void 0 ? {} : { report: error.report },
      hint: `the source artifact leaves out ${artifact.left.join(", ")} (.sourceignore or Flux's default exclusions), as Flux's would: un-ignore what the kustomization needs, or stop referring to it`
    });
  }
  const { output, decrypted } = built;
  const docs = (0, import_yaml3.parseAllDocuments)(output).filter((doc) => doc.contents !== null);
  if (docs.some((doc) => doc.errors.length > 0)) {
    throw new UserError(
      "KUSTOMIZE_FAILED",
      `Kustomization ${id}: kustomize printed YAML that does not parse`
    );
  }
  if (decrypt) {
    await decryptAfterBuild(docs, {
      keySources: deps.keySources,
      registry: deps.registry,
      log: deps.host,
      ...deps.undecrypted === void 0 ? {} : { undecrypted: deps.undecrypted }
    });
  } else {
    for (const doc of docs) {
      const object = doc.toJS();
      if (isRecord(object) && object["sops"] !== void 0) {
        const meta = isRecord(object["metadata"]) ? object["metadata"] : {};
        throw new UserError(
          "BAD_FORMAT",
          `Kustomization ${id}: ${String(object["kind"])} ${String(meta["name"])} is still SOPS-encrypted and the Kustomization has no spec.decryption.provider: sops`
        );
      }
    }
  }
  if (k.postBuild !== void 0 && (vars.size > 0 || k.postBuild.always)) {
    for (const doc of docs) {
      markUndecryptedUses(doc, vars);
      substituteDocument(doc, { vars, strict, isSecret: (text2) => deps.registry.touches(text2) });
    }
  }
  for (const doc of docs) {
    if (!isDocRecord(doc)) continue;
    for (const [key2, value] of Object.entries(k.commonMetadata.labels)) setMeta(doc, "labels", key2, value);
    for (const [key2, value] of Object.entries(k.commonMetadata.annotations))
      setMeta(doc, "annotations", key2, value);
    setMeta(doc, "labels", FLUX_NAME_LABEL, k.name);
    setMeta(doc, "labels", FLUX_NAMESPACE_LABEL, k.namespace);
  }
  const objects = docs.map((doc) => doc.toJS()).filter(isRecord);
  return {
    kustomization: k,
    dir,
    objects,
    // A document after the first remembers its `---` marker; the join puts one back.
    yaml: docs.map((doc) => doc.toString({ lineWidth: 0 }).replace(/^---\n/, "")).join("---\n"),
    decrypted
  };
}

// src/flux/sources.ts
import { mkdir as mkdir2 } from "node:fs/promises";
import path6 from "node:path";
var FluxSources = class {
  #repoRoot;
  #explicit;
  #env;
  #generators = /* @__PURE__ */ new Map();
  #artifacts = /* @__PURE__ */ new Map();
  #workspace;
  /** `explicit`: `KIND/NAMESPACE/NAME` to an absolute folder. */
  constructor(repoRoot, explicit, env) {
    this.#repoRoot = repoRoot;
    this.#explicit = explicit;
    this.#env = env;
  }
  /** Records a generator found among rendered objects; its artifacts become resolvable. */
  addGenerator(generator) {
    for (const artifact of generator.artifacts) {
      const key2 = `ExternalArtifact/${generator.namespace}/${artifact.name}`;
      if (!this.#generators.has(key2)) this.#generators.set(key2, generator);
    }
  }
  async resolve(ref) {
    const key2 = sourceKey(ref);
    const explicit = this.#explicit.get(key2);
    if (explicit !== void 0) return { ok: true, dir: explicit };
    if (key2 === "GitRepository/flux-system/flux-system") return { ok: true, dir: this.#repoRoot };
    if (ref.kind === "ExternalArtifact") {
      const generator = this.#generators.get(key2);
      if (generator === void 0) {
        return {
          ok: false,
          pending: true,
          reason: `source ExternalArtifact ${ref.namespace}/${ref.name} is not in this repository (no ArtifactGenerator here makes it)`
        };
      }
      return this.#artifact(key2, ref, generator);
    }
    return {
      ok: false,
      pending: false,
      reason: `source ${ref.kind} ${ref.namespace}/${ref.name} is not in this repository`
    };
  }
  async #artifact(key2, ref, generator) {
    const aliases = /* @__PURE__ */ new Map();
    for (const source of generator.sources) {
      if (source.kind === "ExternalArtifact") {
        return {
          ok: false,
          pending: false,
          reason: `ArtifactGenerator ${generator.namespace}/${generator.name} reads another ExternalArtifact, which Flux mode does not follow`
        };
      }
      const resolved = await this.resolve(source);
      if (!resolved.ok) {
        return {
          ok: false,
          pending: false,
          reason: `ExternalArtifact ${ref.namespace}/${ref.name} comes from ArtifactGenerator ${generator.namespace}/${generator.name}, whose ${resolved.reason}`
        };
      }
      aliases.set(source.alias, resolved.dir);
    }
    let dir = this.#artifacts.get(key2);
    if (dir === void 0) {
      const artifact = generator.artifacts.find((a) => a.name === ref.name);
      if (artifact === void 0) throw new Error(`artifact ${ref.name} vanished from its generator`);
      dir = (async () => {
        const dest = path6.join(await this.#root(), ref.namespace, ref.name);
        await mkdir2(dest, { recursive: true, mode: 448 });
        await assembleArtifact(generator, artifact, aliases, dest);
        return dest;
      })();
      this.#artifacts.set(key2, dir);
    }
    return { ok: true, dir: await dir };
  }
  #root() {
    this.#workspace ??= openPrivateRoot(privateRootParent(this.#env), "flux");
    return this.#workspace.then((root) => root.dir);
  }
  /** Removes the assembled artifacts; safe to call twice. */
  async cleanup() {
    if (this.#workspace === void 0) return;
    const root = await this.#workspace.catch(() => void 0);
    this.#workspace = void 0;
    await root?.cleanup();
  }
};

// src/flux/discover.ts
var ROOT_ID = "flux-system/flux-system";
function syntheticRoot(entryRel) {
  return parseFluxKustomization(
    {
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      metadata: { name: "flux-system", namespace: "flux-system" },
      spec: {
        path: `./${entryRel}`,
        prune: true,
        sourceRef: { kind: "GitRepository", name: "flux-system" },
        // A repository that keeps SOPS files in the entry folder declares decryption in its
        // gotk-sync patch; the declared root replaces this one when it is found.
        decryption: { provider: "sops" }
      }
    },
    "the entry folder (as bootstrap's root Kustomization)"
  );
}
async function isDirectory(dir) {
  try {
    return (await stat5(dir)).isDirectory();
  } catch {
    return false;
  }
}
var Discovery = class {
  findings = [];
  notRendered = [];
  rendered = [];
  #seen = /* @__PURE__ */ new Map();
  #pool = new SubstitutionPool();
  #sources;
  #options;
  #deps;
  #queue = [];
  constructor(options, deps) {
    this.#options = options;
    this.#deps = deps;
    this.#sources = new FluxSources(path7.resolve(options.repoRoot), options.sources ?? /* @__PURE__ */ new Map(), deps.env);
    this.#pool.add(options.substituteObjects ?? [], "--substitute-from");
  }
  enqueue(k, chain) {
    const id = kustomizationId(k);
    if (chain.includes(id)) {
      this.findings.push({
        kind: "cycle",
        kustomization: id,
        message: `Kustomization ${id} is rendered by its own descendant (${[...chain, id].join(" -> ")}); not followed again`
      });
      return;
    }
    const earlier = this.#seen.get(id);
    if (earlier !== void 0) {
      this.findings.push({
        kind: "duplicate",
        kustomization: id,
        message: `Kustomization ${id} is defined twice: in ${earlier.origin} and in ${k.origin}; the first is used`
      });
      return;
    }
    this.#seen.set(id, k);
    this.#queue.push({ k, chain });
  }
  get size() {
    return this.#seen.size;
  }
  addGenerator(object, origin, namespace) {
    this.#sources.addGenerator(parseArtifactGenerator(object, origin, namespace));
  }
  async run() {
    const concurrency = this.#options.concurrency ?? 4;
    try {
      for (; ; ) {
        const waiting = [];
        let progressed = false;
        while (this.#queue.length > 0) {
          const wave = this.#queue;
          this.#queue = [];
          const outcomes = await mapLimit(wave, concurrency, (item) => this.#render(item));
          for (const [index, outcome] of outcomes.entries()) {
            const item = wave[index];
            if (outcome.kind === "wait") waiting.push({ item, reason: outcome.reason });
            else {
              progressed = true;
              await this.#apply(item, outcome);
            }
          }
        }
        if (waiting.length === 0) break;
        if (!progressed) {
          for (const { item, reason } of waiting) {
            const id = kustomizationId(item.k);
            this.notRendered.push({ kustomization: item.k, reason });
            this.findings.push({
              kind: "not-rendered",
              kustomization: id,
              message: `not rendered: ${reason}`
            });
          }
          break;
        }
        this.#queue = waiting.map((w) => w.item);
      }
    } finally {
      await this.#sources.cleanup();
    }
  }
  async #apply(item, outcome) {
    const id = kustomizationId(item.k);
    if (outcome.kind === "skip") {
      this.notRendered.push({ kustomization: item.k, reason: outcome.reason });
      this.findings.push(outcome.finding);
      return;
    }
    const current = outcome.rendered;
    this.rendered.push(current);
    await this.#options.onRendered?.(current, outcome.sourceDir);
    this.#pool.add(current.objects, `Kustomization ${id}`, current.kustomization.namespace);
    for (const object of current.objects) {
      if (isArtifactGenerator(object)) this.addGenerator(object, `Kustomization ${id}`, item.k.namespace);
    }
    for (const object of current.objects) {
      if (!isFluxKustomization(object)) continue;
      const child = parseFluxKustomization(object, `Kustomization ${id}`, item.k.namespace);
      if (kustomizationId(child) === id) continue;
      this.enqueue(child, [...item.chain, id]);
    }
  }
  /** Renders one item, or says why it must wait for objects not rendered yet. */
  async #render(item) {
    const { k } = item;
    const id = kustomizationId(k);
    const source = await this.#sources.resolve(k.sourceRef);
    if (!source.ok) {
      if (source.pending) return { kind: "wait", reason: source.reason };
      return {
        kind: "skip",
        reason: source.reason,
        finding: { kind: "not-rendered", kustomization: id, message: `not rendered: ${source.reason}` }
      };
    }
    const gathered = gatherVariables(k, this.#pool);
    if (!gathered.ok) {
      const names = gathered.missing.map((ref) => `${ref.kind} ${k.namespace}/${ref.name}`).join(", ");
      return {
        kind: "wait",
        reason: `postBuild.substituteFrom names ${names}, which no Kustomization or --substitute-from file in this repository holds`
      };
    }
    if (!await isDirectory(path7.resolve(source.dir, k.path))) {
      const reason = `spec.path "${k.path}" does not exist in its source`;
      return {
        kind: "skip",
        reason,
        finding: {
          kind: "missing-path",
          kustomization: id,
          message: `Kustomization ${id} (${k.origin}): ${reason}`
        }
      };
    }
    const result = await renderKustomization(
      k,
      source.dir,
      source.dir,
      gathered.vars,
      this.#deps,
      this.#options.strictSubstitution === true
    );
    const rendered = id === ROOT_ID && item.chain.length === 0 ? await this.#declaredRoot(result, source.dir) : result;
    return { kind: "rendered", rendered, sourceDir: source.dir };
  }
  /**
   * When the entry declares the root itself (bootstrap's gotk-sync.yaml) pointing at the same
   * folder, its spec (decryption, patches, postBuild) is the one Flux uses: render again with it.
   */
  async #declaredRoot(result, sourceDir) {
    const k = result.kustomization;
    const object = result.objects.find(
      (o) => isFluxKustomization(o) && kustomizationId(parseFluxKustomization(o, "entry", k.namespace)) === ROOT_ID
    );
    if (object === void 0) return result;
    const declared = { ...parseFluxKustomization(object, k.origin, k.namespace), origin: k.origin };
    const declaredSource = await this.#sources.resolve(declared.sourceRef);
    if (!declaredSource.ok || path7.resolve(declaredSource.dir, declared.path) !== result.dir) return result;
    this.#pool.add(result.objects, `Kustomization ${ROOT_ID}`, k.namespace);
    this.#seen.set(ROOT_ID, declared);
    const vars = gatherVariables(declared, this.#pool);
    return renderKustomization(
      declared,
      sourceDir,
      sourceDir,
      vars.ok ? vars.vars : /* @__PURE__ */ new Map(),
      this.#deps,
      this.#options.strictSubstitution === true
    );
  }
};
async function discoverFlux(options, deps) {
  const repoRoot = path7.resolve(options.repoRoot);
  const entry = path7.resolve(options.entry);
  const discovery = new Discovery(options, deps);
  if (await isDirectory(entry)) {
    const rel = path7.relative(repoRoot, entry).split(path7.sep).join("/");
    if (rel.startsWith("..") || path7.isAbsolute(rel)) {
      throw new UserError("PATH_ESCAPE", `Flux entry ${options.entry} is outside the repository ${repoRoot}`);
    }
    discovery.enqueue(syntheticRoot(rel === "" ? "." : rel), []);
  } else {
    let text2;
    try {
      text2 = await readFile3(entry, "utf8");
    } catch (cause) {
      throw new UserError("FILE_NOT_FOUND", `Flux entry ${options.entry} does not exist`, { cause });
    }
    const origin = path7.relative(repoRoot, entry) || entry;
    for (const doc of (0, import_yaml4.parseAllDocuments)(text2)) {
      const object = doc.toJS();
      if (isFluxKustomization(object)) discovery.enqueue(parseFluxKustomization(object, origin), []);
      else if (isArtifactGenerator(object)) discovery.addGenerator(object, origin, "flux-system");
    }
    if (discovery.size === 0) {
      throw new UserError(
        "USAGE",
        `Flux entry ${options.entry} holds no kustomize.toolkit.fluxcd.io Kustomization`,
        {
          hint: "pass the cluster folder (clusters/<name>) or a file of Flux Kustomizations"
        }
      );
    }
  }
  await discovery.run();
  const { rendered, notRendered, findings } = discovery;
  const known = /* @__PURE__ */ new Set([
    ...rendered.map((r) => kustomizationId(r.kustomization)),
    ...notRendered.map((n) => kustomizationId(n.kustomization))
  ]);
  for (const r of rendered) {
    const id = kustomizationId(r.kustomization);
    for (const dep of missingDependencies(r.kustomization, known)) {
      findings.push({
        kind: "missing-dependency",
        kustomization: id,
        message: `Kustomization ${id} depends on ${dep}, which is not in this repository`
      });
    }
  }
  let ordered = rendered;
  try {
    ordered = orderByDependencies(rendered);
  } catch (error) {
    findings.push({ kind: "dependency-cycle", kustomization: ROOT_ID, message: errorMessage(error) });
  }
  return { rendered: ordered, notRendered, findings };
}

// src/helm/chart-source.ts
var import_yaml8 = __toESM(require_dist(), 1);
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile as writeFile2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import path12 from "node:path";

// src/helm/chart-fetch.ts
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

// src/helm/remote-policy.ts
import { lookup as dnsLookup } from "node:dns";
import { isIP } from "node:net";
function isPrivateAddress(address) {
  return isIP(address) !== 0 && nonPublicKind(address) !== void 0;
}
function guardedLookup(policy) {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null) {
        callback(error, []);
        return;
      }
      const refused = policy.allowPrivateAddresses || policy.hosts !== void 0 ? void 0 : addresses.find((a) => isPrivateAddress(a.address));
      if (refused !== void 0) {
        const denial = new Error(
          `${hostname} resolves to ${refused.address}, a loopback, link-local or private address, which chart repositories may not use`
        );
        denial.code = "EADDRNOTALLOWED";
        callback(denial, []);
        return;
      }
      if (options.all === true) callback(null, addresses);
      else callback(null, addresses[0]?.address ?? "", addresses[0]?.family);
    });
  };
}
function checkRemoteUrl(raw, policy) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `${JSON.stringify(raw)} is not a URL` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: `${url.protocol} URLs are not supported for chart repositories` };
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (policy.hosts !== void 0) {
    if (policy.hosts.includes(host.toLowerCase())) return { ok: true, url };
    return {
      ok: false,
      reason: policy.hosts.length === 0 ? "chart repositories are not fetched with allow-remote: none" : `${url.hostname} is not in allow-remote (${policy.hosts.join(", ")})`
    };
  }
  if (!policy.allowPrivateAddresses && (isPrivateAddress(host) || host === "localhost")) {
    return {
      ok: false,
      reason: `${url.host} is a loopback, link-local or private address, which chart repositories may not use`
    };
  }
  return { ok: true, url };
}

// src/helm/chart-fetch.ts
var ChartFetchError = class extends UserError {
  constructor(message) {
    super("UNSUPPORTED", message);
  }
};
var ChartDigestError = class extends ChartFetchError {
};
var MAX_INDEX_BYTES = 50 * 1024 * 1024;
var MAX_CHART_BYTES = 10 * 1024 * 1024;
var TIMEOUT_MS = 6e4;
function shown(url) {
  return `${url.origin}${url.pathname}`;
}
async function fetchFromRepository(raw, access, policy, limit, what) {
  const checked = checkRemoteUrl(raw, policy);
  if (!checked.ok) throw new ChartFetchError(`${what}: ${checked.reason}`);
  const url = checked.url;
  const sameOrigin = new URL(access.origin).origin === url.origin;
  const headers = { "user-agent": "kustomize-sops-deploy" };
  if (sameOrigin && access.username !== void 0) {
    headers["authorization"] = `Basic ${Buffer.from(`${access.username}:${access.password ?? ""}`).toString("base64")}`;
  }
  const tls = sameOrigin ? { ca: access.ca, cert: access.cert, key: access.key } : {};
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const fail = (reason) => {
      reject(new ChartFetchError(`${what}: GET ${shown(url)} failed: ${reason}`));
    };
    const req = request(
      url,
      { method: "GET", headers, lookup: guardedLookup(policy), timeout: TIMEOUT_MS, ...tls },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          res.resume();
          fail(
            `HTTP ${String(status)}${status === 401 || status === 403 ? " (check the repository secretRef)" : ""}`
          );
          return;
        }
        const chunks = [];
        let size = 0;
        res.on("data", (chunk) => {
          size += chunk.length;
          if (size > limit) {
            req.destroy();
            fail(`larger than ${String(limit)} bytes`);
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => resolve(Buffer.concat(chunks)));
        res.on("error", (error) => fail(errorMessage(error)));
      }
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${String(TIMEOUT_MS / 1e3)} s`)));
    req.on("error", (error) => fail(errorMessage(error)));
    req.end();
  });
}

// src/helm/oci-chart.ts
var import_yaml5 = __toESM(require_dist(), 1);
import { lookup } from "node:dns/promises";
import { mkdir as mkdir3, readFile as readFile4, readdir as readdir5 } from "node:fs/promises";
import path10 from "node:path";

// src/helm/chart-archive.ts
import { gunzipSync } from "node:zlib";
var MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
function readChartArchive(archive, what) {
  let tar;
  try {
    tar = gunzipSync(archive, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (cause) {
    throw new UserError(
      "BAD_FORMAT",
      `${what}: the chart archive is not a gzip of at most ${MAX_UNPACKED_BYTES} bytes`,
      {
        cause
      }
    );
  }
  const files = /* @__PURE__ */ new Map();
  try {
    visitTarFiles(tar, (name, data) => {
      files.set(name, Buffer.from(data));
      return false;
    });
  } catch (cause) {
    throw new UserError("BAD_FORMAT", `${what}: the chart archive is truncated or not a tar file`, { cause });
  }
  return files;
}

// src/helm/helm-tool.ts
import path8 from "node:path";
async function versionOf(exec, command) {
  try {
    const result = await exec.run(command, ["version", "--short"], { timeoutMs: 3e4 });
    const text2 = Buffer.from(result.stdout).toString("utf8");
    return /v?\d+\.\d+(?:\.\d+)?[^\s"+]*/.exec(text2)?.[0] ?? "unknown version";
  } catch {
    return "unknown version";
  }
}
async function resolveHelm(explicit, deps) {
  let command;
  if (explicit !== void 0) {
    command = await resolveExplicitTool(explicit, deps.env);
    if (command === void 0) {
      throw new UserError("FILE_NOT_FOUND", `helm-path ${explicit} is not an executable file`);
    }
  } else {
    command = await findOnPath("helm", deps.env);
  }
  if (command === void 0) {
    throw new UserError("FILE_NOT_FOUND", "helm was not found on PATH, and HelmReleases need it to render", {
      hint: "install helm v3 or v4, or pass its path as helm-path"
    });
  }
  return { command, description: `helm ${await versionOf(deps.exec, command)} (${command})` };
}
function helmEnv(env, home) {
  const out = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^(SOPS_|VAULT_TOKEN$|AWS_SECRET_ACCESS_KEY$|AWS_SESSION_TOKEN$|INPUT_|HELM_)/.test(name)) continue;
    out[name] = value;
  }
  out["HELM_CONFIG_HOME"] = path8.join(home, "config");
  out["HELM_CACHE_HOME"] = path8.join(home, "cache");
  out["HELM_DATA_HOME"] = path8.join(home, "data");
  return out;
}

// src/helm/registry-auth.ts
import path9 from "node:path";
function hostOfKey(key2) {
  const bare = key2.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  return bare.split("/")[0]?.toLowerCase() ?? "";
}
function dockerConfigCredentials(json, host) {
  let config;
  try {
    config = JSON.parse(json);
  } catch {
    throw new Error("its .dockerconfigjson is not valid JSON");
  }
  const auths = isRecord(config) && isRecord(config["auths"]) ? config["auths"] : {};
  const wanted = host.toLowerCase();
  for (const [key2, entry] of Object.entries(auths)) {
    if (hostOfKey(key2) !== wanted || !isRecord(entry)) continue;
    if (typeof entry["auth"] === "string" && entry["auth"] !== "") {
      const decoded = Buffer.from(entry["auth"], "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) throw new Error(`its .dockerconfigjson entry for ${host} has an auth without a colon`);
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof entry["username"] === "string" && typeof entry["password"] === "string")
      return { username: entry["username"], password: entry["password"] };
  }
  return void 0;
}
async function writeRegistryAccess(dir, host, access, insecure) {
  if (access === void 0) return [];
  const args = [];
  if (access.username !== void 0) {
    const auth = Buffer.from(`${access.username}:${access.password ?? ""}`).toString("base64");
    const file = path9.join(dir, "registry-config.json");
    await writePrivateFile(file, JSON.stringify({ auths: { [host]: { auth } } }));
    args.push("--registry-config", file);
  }
  if (insecure) return args;
  const files = [
    ["--ca-file", "ca.crt", access.ca],
    ["--cert-file", "tls.crt", access.cert],
    ["--key-file", "tls.key", access.key]
  ];
  for (const [flag, name, value] of files) {
    if (value === void 0) continue;
    const file = path9.join(dir, name);
    await writePrivateFile(file, value);
    args.push(flag, file);
  }
  return args;
}

// src/helm/oci-chart.ts
function registryHost(url) {
  return url.slice("oci://".length).split("/")[0] ?? "";
}
var DIGEST = /^sha256:[0-9a-f]{64}$/;
async function checkRegistryHost(url, policy, what) {
  if (!url.startsWith("oci://"))
    throw new UserError("BAD_FORMAT", `${what}: ${JSON.stringify(url)} is not an oci:// URL`);
  const checked = checkRemoteUrl(`https://${url.slice("oci://".length)}`, policy);
  if (!checked.ok) throw new ChartFetchError(`${what}: ${checked.reason}`);
  if (policy.allowPrivateAddresses || policy.hosts !== void 0) return;
  const host = checked.url.hostname.replace(/^\[|\]$/g, "");
  let addresses;
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw new ChartFetchError(`${what}: the registry host ${host} does not resolve`);
  }
  const refused = addresses.find((a) => isPrivateAddress(a.address));
  if (refused !== void 0) {
    throw new ChartFetchError(
      `${what}: ${host} resolves to ${refused.address}, a loopback, link-local or private address, which chart repositories may not use`
    );
  }
}
async function chartVersion(archive, what) {
  const files = readChartArchive(await readFile4(archive), what);
  for (const [name, data] of files) {
    if (/^[^/]+\/Chart\.yaml$/.test(name)) {
      const chart = (0, import_yaml5.parse)(data.toString("utf8"));
      if (isRecord(chart) && typeof chart["version"] === "string") return chart["version"];
    }
  }
  throw new UserError("BAD_FORMAT", `${what}: the pulled chart has no Chart.yaml with a version`);
}
function pullArgs(request) {
  if (request.digest !== void 0) return [`${request.url}@${request.digest}`];
  return [request.url, "--version", request.version];
}
async function pullOciChart(request, destination, deps) {
  if (request.digest !== void 0 && !DIGEST.test(request.digest)) {
    throw new UserError(
      "BAD_FORMAT",
      `${request.what}: spec.ref.digest ${JSON.stringify(request.digest)} is not sha256:<64 hex>`
    );
  }
  await checkRegistryHost(request.url, deps.policy, request.what);
  const home = await openPrivateRoot(privateRootParent(deps.env), "helm-pull");
  try {
    await mkdir3(destination, { recursive: true });
    const args = ["pull", ...pullArgs(request), "--destination", destination];
    if (request.insecure) args.push("--plain-http");
    args.push(
      ...await writeRegistryAccess(home.dir, registryHost(request.url), request.access, request.insecure)
    );
    const result = await deps.exec.run(deps.helm.command, args, {
      env: helmEnv(deps.env, home.dir),
      timeoutMs: 3e5
    });
    const output = `${Buffer.from(result.stdout).toString("utf8")}
${result.stderr}`;
    if (result.exitCode !== 0) {
      const reason = deps.registry.redact(result.stderr.trim().split("\n").slice(-3).join(" ")).replaceAll(home.dir, "<helm-home>");
      if (/mismatched digest/.test(result.stderr)) {
        throw new ChartDigestError(
          `${request.what}: the registry served content that does not match ${request.digest === void 0 ? "its digest" : `the pinned ${request.digest}`} (helm pull: ${reason})`
        );
      }
      throw new ChartFetchError(`${request.what}: helm pull ${request.url} failed: ${reason}`);
    }
    const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(output)?.[1];
    if (digest === void 0)
      throw new ChartFetchError(`${request.what}: helm pull ${request.url} reported no digest`);
    if (request.digest !== void 0 && digest !== request.digest) {
      throw new ChartDigestError(
        `${request.what}: the registry served digest ${digest}, not the pinned ${request.digest}`
      );
    }
    const archives = (await readdir5(destination)).filter((f) => f.endsWith(".tgz"));
    const archive = archives[0];
    if (archive === void 0 || archives.length !== 1)
      throw new ChartFetchError(`${request.what}: helm pull ${request.url} left no single chart archive`);
    const location = path10.join(destination, archive);
    return { location, version: await chartVersion(location, request.what), digest };
  } finally {
    await home.cleanup();
  }
}

// src/helm/semver.ts
var STRICT = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
function parseVersion(text2) {
  const m = STRICT.exec(text2);
  if (m === null) return void 0;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4] === void 0 ? [] : m[4].split("."),
    original: text2
  };
}
function comparePrerelease(a, b) {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === void 0) return -1;
    if (y === void 0) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      const d = Number(x) - Number(y);
      if (d !== 0) return Math.sign(d);
    } else if (xn !== yn) {
      return xn ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
function compareVersions(a, b) {
  return Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch) || comparePrerelease(a.prerelease, b.prerelease);
}
var LOOSE = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
function isWild(part) {
  return part === void 0 || part === "x" || part === "X" || part === "*";
}
function parseBound(text2) {
  const m = LOOSE.exec(text2);
  if (m === null) throw new Error(`improper constraint: ${text2}`);
  const parts = [m[1], m[2], m[3]];
  let given = 3;
  for (let i = 0; i < 3; i++) {
    if (isWild(parts[i])) {
      given = i;
      break;
    }
  }
  const num = (i) => i < given ? Number(parts[i]) : 0;
  return {
    version: {
      major: num(0),
      minor: num(1),
      patch: num(2),
      prerelease: m[4] === void 0 ? [] : m[4].split("."),
      original: text2
    },
    given
  };
}
function version(major, minor, patch, prerelease = []) {
  return { major, minor, patch, prerelease, original: `${String(major)}.${String(minor)}.${String(patch)}` };
}
function nextAfter(b) {
  const v = b.version;
  if (b.given === 0) return version(Number.MAX_SAFE_INTEGER, 0, 0);
  if (b.given === 1) return version(v.major + 1, 0, 0);
  if (b.given === 2) return version(v.major, v.minor + 1, 0);
  return version(v.major, v.minor, v.patch + 1);
}
var ge = (v, w) => compareVersions(v, w) >= 0;
var lt = (v, w) => compareVersions(v, w) < 0;
function inRange(b) {
  const low = b.version;
  const high = nextAfter(b);
  return (v) => ge(v, low) && (b.given === 0 || lt(v, high));
}
function tilde(b) {
  const v = b.version;
  const high = b.given <= 1 ? version(v.major + 1, 0, 0) : version(v.major, v.minor + 1, 0);
  return (x) => ge(x, v) && (b.given === 0 || lt(x, high));
}
function caret(b) {
  const v = b.version;
  let high;
  if (b.given === 0) return (x) => ge(x, v);
  if (v.major > 0 || b.given === 1) high = version(v.major + 1, 0, 0);
  else if (v.minor > 0 || b.given === 2) high = version(0, v.minor + 1, 0);
  else high = version(0, 0, v.patch + 1);
  return (x) => ge(x, v) && lt(x, high);
}
function comparator(op, b) {
  switch (op) {
    case "":
    case "=":
      return b.given === 3 ? (v) => compareVersions(v, b.version) === 0 : inRange(b);
    case "!=": {
      const t = comparator("=", b);
      return (v) => !t(v);
    }
    case ">":
      return b.given === 3 ? (v) => compareVersions(v, b.version) > 0 : (v) => ge(v, nextAfter(b));
    case ">=":
    case "=>":
      return (v) => ge(v, b.version);
    case "<":
      return (v) => lt(v, b.version);
    case "<=":
    case "=<":
      return b.given === 3 ? (v) => compareVersions(v, b.version) <= 0 : (v) => lt(v, nextAfter(b));
    case "~":
    case "~>":
      return tilde(b);
    case "^":
      return caret(b);
    default:
      throw new Error(`improper constraint operator: ${op}`);
  }
}
function guarded(op, text2) {
  const b = parseBound(text2);
  const test = comparator(op, b);
  const allowsPrerelease = b.version.prerelease.length > 0;
  return (v) => v.prerelease.length > 0 && !allowsPrerelease ? false : test(v);
}
var COMPARATOR = /^(!=|>=|=>|<=|=<|~>|[=<>~^])?\s*(\S+)$/;
function parseGroup(group) {
  const tests = [];
  const text2 = group.replace(/(\S+)\s+-\s+(\S+)/g, ">=$1 <=$2");
  const tokens = text2.replace(/(!=|>=|=>|<=|=<|~>|[=<>~^])\s+/g, "$1").split(/[\s,]+/).filter((t) => t !== "");
  if (tokens.length === 0) throw new Error(`improper constraint: ${group}`);
  for (const token of tokens) {
    const m = COMPARATOR.exec(token);
    if (m?.[2] === void 0) throw new Error(`improper constraint: ${token}`);
    tests.push(guarded(m[1] ?? "", m[2]));
  }
  return tests;
}
var Constraint = class {
  #groups;
  text;
  constructor(text2) {
    this.text = text2;
    this.#groups = text2.split("||").map((g) => parseGroup(g.trim()));
  }
  check(v) {
    return this.#groups.some((group) => group.every((test) => test(v)));
  }
};
function selectVersion(candidates, wanted) {
  if (wanted !== "") {
    const exact = candidates.find((c) => c.version === wanted);
    if (exact !== void 0) return exact;
  }
  const constraint = new Constraint(wanted === "" ? "*" : wanted);
  const matched = [];
  for (const c of candidates) {
    const v = parseVersion(c.version);
    if (v !== void 0 && constraint.check(v)) matched.push({ v, c });
  }
  matched.sort(
    (a, b) => compareVersions(b.v, a.v) || Date.parse(b.c.created ?? "") - Date.parse(a.c.created ?? "") || 0
  );
  return matched[0]?.c;
}

// src/helm/values-files.ts
var import_yaml7 = __toESM(require_dist(), 1);
import { cp, mkdir as mkdir4, readFile as readFile5, stat as stat6, writeFile } from "node:fs/promises";
import path11 from "node:path";

// src/helm/values.ts
var import_yaml6 = __toESM(require_dist(), 1);

// src/helm/strvals.ts
function isValues(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function typed(text2, asString) {
  if (asString) return text2;
  if (text2.toLowerCase() === "true") return true;
  if (text2.toLowerCase() === "false") return false;
  if (text2.toLowerCase() === "null") return null;
  if (text2 === "0") return 0;
  if (/^[-+]?[1-9]\d*$/.test(text2)) {
    const n = Number(text2);
    if (Number.isSafeInteger(n)) return n;
  }
  return text2;
}
function splitUnescaped(text2, sep) {
  const parts = [];
  let current = "";
  for (let i = 0; i < text2.length; i++) {
    const c = text2[i] ?? "";
    if (c === "\\" && i + 1 < text2.length) {
      current += text2[i + 1] ?? "";
      i++;
    } else if (c === sep) {
      parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}
function splitAssignments(text2) {
  const parts = [];
  let current = "";
  let depth = 0;
  for (let i = 0; i < text2.length; i++) {
    const c = text2[i] ?? "";
    if (c === "\\" && i + 1 < text2.length) {
      current += c + (text2[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === "{") depth++;
    if (c === "}") depth = Math.max(0, depth - 1);
    if (c === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}
function setPath(values, path17, value) {
  const keys = splitUnescaped(path17, ".");
  let node = values;
  keys.forEach((rawKey, i) => {
    const last = i === keys.length - 1;
    const m = /^(.*)\[(\d+)\]$/.exec(rawKey);
    if (rawKey.includes("[") && m === null) throw new Error(`unsupported key ${JSON.stringify(rawKey)}`);
    const key2 = m?.[1] ?? rawKey;
    if (key2 === "") throw new Error(`key ${JSON.stringify(path17)} has an empty part`);
    if (m !== null) {
      const index = Number(m[2]);
      const existing = node[key2];
      const array = Array.isArray(existing) ? existing : [];
      while (array.length <= index) array.push(null);
      node[key2] = array;
      if (last) {
        array[index] = value;
      } else {
        const child2 = array[index];
        const next2 = isValues(child2) ? child2 : {};
        array[index] = next2;
        node = next2;
      }
      return;
    }
    if (last) {
      node[key2] = value;
      return;
    }
    const child = node[key2];
    const next = isValues(child) ? child : {};
    node[key2] = next;
    node = next;
  });
}
function parseInto(text2, values, asString) {
  for (const assignment of splitAssignments(text2)) {
    const eq = assignment.search(/(?<!\\)=/);
    if (eq < 0) throw new Error(`key ${JSON.stringify(assignment)} has no value`);
    const key2 = assignment.slice(0, eq);
    const raw = assignment.slice(eq + 1);
    const value = raw.startsWith("{") && raw.endsWith("}") ? splitUnescaped(raw.slice(1, -1), ",").map((item) => typed(item, asString)) : typed(splitUnescaped(raw, "\0").join(""), asString);
    setPath(values, key2, value);
  }
}

// src/helm/values.ts
function mergeMaps(a, b) {
  const out = { ...a };
  for (const [key2, value] of Object.entries(b)) {
    const existing = out[key2];
    out[key2] = isRecord(value) && isRecord(existing) ? mergeMaps(existing, value) : value;
  }
  return out;
}
function entryOf(object, key2) {
  const stringData = isRecord(object["stringData"]) ? object["stringData"] : {};
  const data = isRecord(object["data"]) ? object["data"] : {};
  if (object["kind"] === "Secret") {
    const plain = stringData[key2];
    if (typeof plain === "string") return plain;
    const encoded = data[key2];
    return typeof encoded === "string" ? Buffer.from(encoded, "base64").toString("utf8") : void 0;
  }
  const value = data[key2];
  return typeof value === "string" ? value : void 0;
}
function undecrypted(object, text2) {
  return "sops" in object || isUndecryptedString(text2) || text2.includes(UNDECRYPTED_TEXT);
}
function leaves(value, out) {
  if (typeof value === "string") out.push(value);
  else if (typeof value === "number" || typeof value === "boolean") out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) leaves(item, out);
  else if (isRecord(value)) for (const item of Object.values(value)) leaves(item, out);
  return out;
}
function referenceError(release, ref, reason) {
  return new UserError(
    "BAD_FORMAT",
    `HelmRelease ${release.id}: could not resolve ${ref.kind} chart values reference '${release.namespace}/${ref.name}' with key '${ref.valuesKey}': ${reason}`,
    {
      hint: "the ConfigMap or Secret must be rendered by a Kustomization of this repository, or the entry marked optional"
    }
  );
}
function readValues(text2) {
  const parsed = (0, import_yaml6.parse)(text2, { maxAliasCount: 100 });
  if (parsed === null || parsed === void 0) return {};
  if (!isRecord(parsed)) throw new Error("the values are not a map");
  return parsed;
}
function composeValues(release, objects, registry) {
  let result = {};
  for (const ref of release.valuesFrom) {
    const object = objects.get(ref.kind, release.namespace, ref.name);
    if (object === void 0) {
      if (ref.optional) continue;
      throw referenceError(release, ref, "resource not found");
    }
    const text2 = entryOf(object, ref.valuesKey);
    if (text2 === void 0) {
      if (ref.optional) continue;
      throw referenceError(release, ref, "key not found");
    }
    if (ref.kind === "Secret") {
      if (undecrypted(object, text2)) {
        return {
          kind: "unknown",
          reason: `Secret ${release.namespace}/${ref.name} could not be decrypted in this run`
        };
      }
      registry.add(text2, { lines: false });
    }
    try {
      if (ref.targetPath !== "") {
        const quoted = /^(['"]).*\1$/s.test(text2) || text2.startsWith("'") && text2.endsWith("'");
        const value = quoted ? text2.replace(/^['"]+|['"]+$/g, "") : text2;
        if (ref.kind === "Secret") registry.add(value);
        parseInto(`${ref.targetPath}=${value}`, result, quoted);
        continue;
      }
      const values = readValues(text2);
      if (ref.kind === "Secret") for (const leaf of leaves(values, [])) registry.add(leaf);
      result = mergeMaps(result, values);
    } catch (error) {
      throw referenceError(
        release,
        ref,
        ref.kind === "Secret" ? "the values could not be read" : errorMessage(error)
      );
    }
  }
  return { kind: "known", values: mergeMaps(result, release.values) };
}

// src/helm/values-files.ts
var ASSUMED_GENERATION = "1";
async function unpack(archive, dir, label) {
  const files = readChartArchive(await readFile5(archive), label);
  const tops = new Set([...files.keys()].map((name) => name.split("/")[0] ?? ""));
  const top = [...tops][0];
  if (tops.size !== 1 || top === void 0 || top === "" || top === "." || top === "..") {
    throw new UserError("BAD_FORMAT", `${label}: the chart archive does not hold exactly one chart folder`);
  }
  const root = path11.join(dir, top);
  for (const [name, data] of files) {
    const target = path11.resolve(dir, name);
    if (!target.startsWith(`${root}${path11.sep}`)) {
      throw new UserError(
        "PATH_ESCAPE",
        `${label}: the chart archive holds ${JSON.stringify(name)}, outside its folder`
      );
    }
    await mkdir4(path11.dirname(target), { recursive: true });
    await writeFile(target, data);
  }
  return root;
}
function readYamlMap(text2, what) {
  let parsed;
  try {
    parsed = (0, import_yaml7.parse)(text2, { maxAliasCount: 1e3 });
  } catch (error) {
    throw new UserError("BAD_FORMAT", `${what} failed: ${errorMessage(error)}`);
  }
  if (parsed === null || parsed === void 0) return {};
  if (!isRecord(parsed)) throw new UserError("BAD_FORMAT", `${what} failed: not a map`);
  return parsed;
}
async function chartFile(chartDir, name) {
  if (name.startsWith("templates/") || name.startsWith("charts/") || name === "Chart.yaml") return void 0;
  const file = path11.resolve(chartDir, name);
  if (!file.startsWith(`${chartDir}${path11.sep}`)) return void 0;
  try {
    return (await stat6(file)).isFile() ? await readFile5(file, "utf8") : void 0;
  } catch {
    return void 0;
  }
}
async function applyValuesFiles(chart, template, workDir, label) {
  const isFolder = (await stat6(chart.location)).isDirectory();
  let chartDir;
  if (isFolder) {
    chartDir = path11.join(workDir, path11.basename(chart.location));
    await cp(chart.location, chartDir, { recursive: true });
  } else {
    chartDir = await unpack(chart.location, workDir, label);
  }
  const valuesPath = path11.join(chartDir, "values.yaml");
  const defaults = readYamlMap(
    await readFile5(valuesPath, "utf8").catch(() => ""),
    `${label}: reading the chart's values.yaml`
  );
  let merged = {};
  for (const name of template.valuesFiles) {
    const clean = path11.posix.normalize(name).replace(/^\.\//, "").replace(/\/$/, "");
    if (clean === "values.yaml") {
      merged = mergeMaps(merged, defaults);
      continue;
    }
    const text2 = await chartFile(chartDir, clean);
    if (text2 === void 0) {
      if (template.ignoreMissingValuesFiles) continue;
      throw new UserError("FILE_NOT_FOUND", `${label}: no values file found at path '${name}'`, {
        hint: "list files of the chart in spec.chart.spec.valuesFiles, or set ignoreMissingValuesFiles: true"
      });
    }
    merged = mergeMaps(merged, readYamlMap(text2, `${label}: unmarshaling values from '${name}'`));
  }
  await writeFile(valuesPath, (0, import_yaml7.stringify)(merged, { lineWidth: 0 }));
  const chartYaml = path11.join(chartDir, "Chart.yaml");
  const metadata = readYamlMap(await readFile5(chartYaml, "utf8"), `${label}: reading Chart.yaml`);
  const declared = metadata["version"];
  const base = (typeof declared === "string" || typeof declared === "number" ? String(declared) : chart.version).replace(/\+.*$/, "");
  const version2 = `${base}+${ASSUMED_GENERATION}`;
  await writeFile(chartYaml, (0, import_yaml7.stringify)({ ...metadata, version: version2 }, { lineWidth: 0 }));
  return { location: chartDir, version: version2 };
}

// src/helm/chart-source.ts
function accessKey(url, access, policy) {
  const terms = JSON.stringify([
    access.origin,
    access.username,
    access.password,
    access.ca,
    access.cert,
    access.key,
    policy
  ]);
  return `${url}\0${createHash("sha256").update(terms).digest("hex")}`;
}
var ChartCache = class {
  #indexes = /* @__PURE__ */ new Map();
  #archives = /* @__PURE__ */ new Map();
  #pulls = /* @__PURE__ */ new Map();
  #dir;
  index(url, access, policy, what) {
    const key2 = accessKey(url, access, policy);
    let cached = this.#indexes.get(key2);
    if (cached === void 0) {
      cached = fetchFromRepository(url, access, policy, MAX_INDEX_BYTES, what);
      this.#indexes.set(key2, cached);
    }
    return cached;
  }
  /** Downloads an archive into the run's chart folder once; checks `digest` (sha256 hex) when given. */
  archive(url, digest, access, policy, what) {
    const key2 = accessKey(url, access, policy);
    let cached = this.#archives.get(key2);
    if (cached === void 0) {
      cached = (async () => {
        const body = await fetchFromRepository(url, access, policy, MAX_CHART_BYTES, what);
        const sum = createHash("sha256").update(body).digest("hex");
        if (digest !== void 0 && digest !== "" && digest.replace(/^sha256:/, "") !== sum) {
          throw new ChartDigestError(
            `${what}: the archive's sha256 ${sum} is not the digest ${digest} its repository index records`
          );
        }
        const file = path12.join(await this.#root(), `${sum}.tgz`);
        await writeFile2(file, body);
        return file;
      })();
      this.#archives.set(key2, cached);
    }
    return cached;
  }
  /**
   * Pulls an OCI chart once per source, reference, version choice and policy (per source, so
   * an error names the source whose release it stops).
   */
  oci(request, deps) {
    const terms = [request.what, request.url, request.version, request.digest, request.insecure];
    const key2 = accessKey(JSON.stringify(terms), request.access ?? { origin: "" }, deps.policy);
    let cached = this.#pulls.get(key2);
    if (cached === void 0) {
      cached = (async () => pullOciChart(request, await this.workDir(), deps))();
      this.#pulls.set(key2, cached);
    }
    return cached;
  }
  #root() {
    this.#dir ??= mkdtemp(path12.join(tmpdir(), "ksd-charts-"));
    return this.#dir;
  }
  /** A new folder in the run's chart folder, for a chart built from another (valuesFiles). */
  async workDir() {
    return mkdtemp(path12.join(await this.#root(), "chart-"));
  }
  /** Removes the downloaded archives and built charts. */
  async dispose() {
    const dir = this.#dir;
    this.#dir = void 0;
    if (dir !== void 0) await rm(await dir, { recursive: true, force: true });
  }
};
function specOf(object) {
  return isRecord(object["spec"]) ? object["spec"] : {};
}
function secretEntry(secret, key2) {
  const stringData = isRecord(secret["stringData"]) ? secret["stringData"] : {};
  const data = isRecord(secret["data"]) ? secret["data"] : {};
  const plain = stringData[key2];
  if (typeof plain === "string") return plain;
  const encoded = data[key2];
  return typeof encoded === "string" ? Buffer.from(encoded, "base64").toString("utf8") : void 0;
}
function dockerCredentials(json, origin) {
  if (json === void 0 || json.includes(UNDECRYPTED_TEXT)) return void 0;
  try {
    return dockerConfigCredentials(json, new URL(origin).host);
  } catch (error) {
    return errorMessage(error);
  }
}
function repositoryAccess(repo, origin, namespace, deps, registry = false) {
  const spec = specOf(repo);
  let access = { origin };
  for (const field of ["secretRef", "certSecretRef"]) {
    const ref = spec[field];
    if (!isRecord(ref) || typeof ref["name"] !== "string") continue;
    const secret = deps.objects.get("Secret", namespace, ref["name"]);
    if (secret === void 0) {
      return {
        ok: false,
        reason: `its ${field} Secret ${namespace}/${ref["name"]} is not rendered by this repository`
      };
    }
    const read = (...keys) => {
      for (const key2 of keys) {
        const value = secretEntry(secret, key2);
        if (value !== void 0) return value;
      }
      return void 0;
    };
    const docker = registry && field === "secretRef" ? dockerCredentials(read(".dockerconfigjson"), origin) : void 0;
    if (typeof docker === "string")
      return { ok: false, reason: `Secret ${namespace}/${ref["name"]}: ${docker}` };
    const entries = {
      username: docker?.username ?? read("username"),
      password: docker?.password ?? read("password"),
      cert: read("tls.crt", "certFile"),
      key: read("tls.key", "keyFile"),
      ca: read("ca.crt", "caFile")
    };
    const values = [...Object.values(entries), read(".dockerconfigjson")].filter(
      (v) => v !== void 0
    );
    if ("sops" in secret || values.some((v) => v.includes(UNDECRYPTED_TEXT))) {
      return {
        ok: false,
        reason: `credentials unknown: Secret ${namespace}/${ref["name"]} could not be decrypted in this run`
      };
    }
    for (const value of [entries.password, entries.key]) if (value !== void 0) deps.registry.add(value);
    if (entries.username !== void 0 && entries.password !== void 0)
      deps.registry.add(Buffer.from(`${entries.username}:${entries.password}`).toString("base64"));
    access = {
      ...access,
      ...Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== void 0))
    };
  }
  return { ok: true, access };
}
async function fromOci(source, namespace, label, request, deps) {
  const access = repositoryAccess(source, `https://${registryHost(request.url)}`, namespace, deps, true);
  if (!access.ok) return { kind: "not-rendered", reason: `${label}: ${access.reason}` };
  if (deps.exec === void 0 || deps.env === void 0 || deps.helm === void 0)
    return { kind: "not-rendered", reason: `${request.what}: OCI charts need helm` };
  const pulled = await deps.cache.oci(
    { ...request, access: access.access },
    {
      exec: deps.exec,
      env: deps.env,
      helm: deps.helm,
      policy: deps.policy,
      registry: deps.registry
    }
  );
  const name = request.url.slice(request.url.lastIndexOf("/") + 1);
  return {
    kind: "chart",
    location: pulled.location,
    name,
    version: pulled.version,
    source: `${label} (${request.url}@${pulled.digest})`
  };
}
function ociRepositoryRequest(repo, label) {
  const spec = specOf(repo);
  const ref = isRecord(spec["ref"]) ? spec["ref"] : {};
  const text2 = (value) => typeof value === "string" && value !== "" ? value : void 0;
  const url = text2(spec["url"])?.replace(/\/+$/, "");
  if (url === void 0) throw new UserError("BAD_FORMAT", `${label}: spec.url is required`);
  return {
    url,
    version: text2(ref["semver"]) ?? text2(ref["tag"]) ?? "latest",
    digest: text2(ref["digest"]),
    insecure: spec["insecure"] === true,
    what: label
  };
}
function resolveArchiveUrl(repoUrl, ref) {
  const base = repoUrl.endsWith("/") ? repoUrl : `${repoUrl}/`;
  return new URL(ref, base).toString();
}
async function fromHelmRepository(template, repo, deps) {
  const ref = template.sourceRef;
  const label = `HelmRepository ${ref.namespace}/${ref.name}`;
  const spec = specOf(repo);
  const url = typeof spec["url"] === "string" ? spec["url"].replace(/\/+$/, "") : "";
  if (spec["type"] === "oci" || url.startsWith("oci://")) {
    return fromOci(
      repo,
      ref.namespace,
      label,
      {
        url: `${url}/${template.chart}`,
        version: template.version || "*",
        insecure: spec["insecure"] === true,
        what: `${label} chart ${template.chart}`
      },
      deps
    );
  }
  if (url === "") return { kind: "not-rendered", reason: `${label} has no spec.url` };
  const access = repositoryAccess(repo, url, ref.namespace, deps);
  if (!access.ok) return { kind: "not-rendered", reason: `${label}: ${access.reason}` };
  const body = await deps.cache.index(`${url}/index.yaml`, access.access, deps.policy, `${label} index`);
  const index = (0, import_yaml8.parse)(body.toString("utf8"), { maxAliasCount: 1e3 });
  const entries = isRecord(index) && isRecord(index["entries"]) ? index["entries"] : {};
  const versions = Array.isArray(entries[template.chart]) ? entries[template.chart] : [];
  const candidates = versions.filter(isRecord).map((v) => ({
    version: String(v["version"]),
    created: typeof v["created"] === "string" ? v["created"] : void 0,
    urls: Array.isArray(v["urls"]) ? v["urls"].filter((u) => typeof u === "string") : [],
    digest: typeof v["digest"] === "string" ? v["digest"] : void 0
  }));
  if (candidates.length === 0)
    throw new UserError("BAD_FORMAT", `${label}: no chart named '${template.chart}' in its index`);
  let picked;
  try {
    picked = selectVersion(candidates, template.version);
  } catch (error) {
    throw new UserError(
      "BAD_FORMAT",
      `${label}: version ${JSON.stringify(template.version)}: ${errorMessage(error)}`
    );
  }
  if (picked === void 0) {
    throw new UserError(
      "BAD_FORMAT",
      `${label}: no '${template.chart}' chart with version matching '${template.version}' found`
    );
  }
  const first = picked.urls[0];
  if (first === void 0)
    throw new UserError(
      "BAD_FORMAT",
      `${label}: chart '${template.chart}' ${picked.version} has no download URL`
    );
  const what = `${label} chart ${template.chart} ${picked.version}`;
  const file = await deps.cache.archive(
    resolveArchiveUrl(url, first),
    picked.digest,
    access.access,
    deps.policy,
    what
  );
  return {
    kind: "chart",
    location: file,
    name: template.chart,
    version: picked.version,
    source: `${label} (${url})`
  };
}
function fromFolder(template, root, label) {
  const dir = path12.resolve(root, template.chart);
  if (dir !== root && !dir.startsWith(`${root}${path12.sep}`)) {
    throw new UserError("PATH_ESCAPE", `${label}: chart path ${template.chart} leaves the source`);
  }
  if (!existsSync(path12.join(dir, "Chart.yaml")) || !statSync(dir).isDirectory()) {
    throw new UserError("FILE_NOT_FOUND", `${label}: no chart at ${template.chart} (no Chart.yaml there)`);
  }
  return { kind: "chart", location: dir, name: path12.basename(dir), version: "", source: `${label} (${dir})` };
}
async function resolveTemplate(template, deps) {
  const chart = await resolveSource(template, deps);
  if (chart.kind !== "chart" || template.valuesFiles.length === 0) return chart;
  const ref = template.sourceRef;
  const label = `${ref.kind} ${ref.namespace}/${ref.name} chart ${template.chart}`;
  const built = await applyValuesFiles(chart, template, await deps.cache.workDir(), label);
  return { ...chart, ...built };
}
async function resolveSource(template, deps) {
  const ref = template.sourceRef;
  const key2 = `${ref.kind}/${ref.namespace}/${ref.name}`;
  const label = `${ref.kind} ${ref.namespace}/${ref.name}`;
  const mapped = deps.sourceDirs?.get(key2);
  if (mapped !== void 0) return fromFolder(template, path12.resolve(mapped), label);
  switch (ref.kind) {
    case "HelmRepository": {
      const repo = deps.objects.get("HelmRepository", ref.namespace, ref.name);
      if (repo === void 0)
        return { kind: "not-rendered", reason: `source ${label} is not in this repository` };
      return fromHelmRepository(template, repo, deps);
    }
    case "GitRepository":
      if (ref.namespace === "flux-system" && ref.name === "flux-system")
        return fromFolder(template, path12.resolve(deps.repoRoot), label);
      return { kind: "not-rendered", reason: `source ${label} is not in this repository` };
    case "Bucket":
      return { kind: "not-rendered", reason: `source ${label} is a Bucket, which is not rendered` };
    default:
      return { kind: "not-rendered", reason: `source kind ${ref.kind} is not supported for charts` };
  }
}
function helmChartTemplate(chart, namespace) {
  const spec = specOf(chart);
  const source = isRecord(spec["sourceRef"]) ? spec["sourceRef"] : {};
  if (typeof spec["chart"] !== "string" || typeof source["kind"] !== "string" || typeof source["name"] !== "string")
    return void 0;
  return {
    chart: spec["chart"],
    version: typeof spec["version"] === "string" ? spec["version"] : "",
    sourceRef: { kind: source["kind"], name: source["name"], namespace },
    valuesFiles: Array.isArray(spec["valuesFiles"]) ? spec["valuesFiles"].filter((f) => typeof f === "string") : [],
    ignoreMissingValuesFiles: spec["ignoreMissingValuesFiles"] === true
  };
}
async function fromChartRef(ref, deps) {
  const label = `${ref.kind} ${ref.namespace}/${ref.name}`;
  if (ref.kind === "OCIRepository") {
    const repo = deps.objects.get("OCIRepository", ref.namespace, ref.name);
    if (repo === void 0)
      return { kind: "not-rendered", reason: `chartRef ${label} is not in this repository` };
    return fromOci(repo, ref.namespace, label, ociRepositoryRequest(repo, label), deps);
  }
  if (ref.kind !== "HelmChart")
    return { kind: "not-rendered", reason: `chartRef kind ${ref.kind} is not supported` };
  const chart = deps.objects.get("HelmChart", ref.namespace, ref.name);
  if (chart === void 0)
    return { kind: "not-rendered", reason: `chartRef ${label} is not in this repository` };
  const template = helmChartTemplate(chart, ref.namespace);
  if (template === void 0)
    throw new UserError("BAD_FORMAT", `${label}: spec.chart and spec.sourceRef are required`);
  return resolveTemplate(template, deps);
}
async function resolveChart(release, deps) {
  if (release.chartRef !== void 0) return fromChartRef(release.chartRef, deps);
  if (release.chart === void 0) throw new UserError("BAD_FORMAT", `HelmRelease ${release.id}: no chart`);
  return resolveTemplate(release.chart, deps);
}

// src/flux/helm-releases.ts
import { availableParallelism } from "node:os";

// src/helm/helm-release.ts
import { createHash as createHash2 } from "node:crypto";
var HELM_RELEASE_GROUP = "helm.toolkit.fluxcd.io";
function isHelmRelease(object) {
  return object["kind"] === "HelmRelease" && object["apiVersion"] === `${HELM_RELEASE_GROUP}/v2`;
}
function shortenReleaseName(name) {
  if (name.length <= 53) return name;
  const sum = createHash2("sha256").update(name, "utf8").digest("hex");
  return `${name.slice(0, 53 - 13)}-${sum.slice(0, 12)}`;
}
function str(value) {
  return typeof value === "string" ? value : "";
}
function rec(value) {
  return isRecord(value) ? value : {};
}
function list2(value) {
  return Array.isArray(value) ? value : [];
}
function stringMap2(value) {
  const out = {};
  for (const [k, v] of Object.entries(rec(value))) if (typeof v === "string") out[k] = v;
  return out;
}
function crdPolicy(value, fallback, id, field) {
  if (value === void 0 || value === "") return fallback;
  if (value === "Skip" || value === "Create" || value === "CreateReplace") return value;
  throw new UserError(
    "BAD_FORMAT",
    `HelmRelease ${id}: ${field} ${JSON.stringify(value)} is not a CRD policy`,
    {
      hint: "use Skip, Create or CreateReplace"
    }
  );
}
function sourceRef(value, namespace, id, field) {
  const ref = rec(value);
  const kind = str(ref["kind"]);
  const name = str(ref["name"]);
  if (kind === "" || name === "") {
    throw new UserError("BAD_FORMAT", `HelmRelease ${id}: ${field} needs a kind and a name`);
  }
  return { kind, name, namespace: str(ref["namespace"]) || namespace };
}
function valuesReference(value, id) {
  const ref = rec(value);
  const kind = ref["kind"];
  const name = str(ref["name"]);
  if (kind !== "ConfigMap" && kind !== "Secret" || name === "") {
    throw new UserError(
      "BAD_FORMAT",
      `HelmRelease ${id}: a valuesFrom entry needs kind ConfigMap or Secret and a name`
    );
  }
  return {
    kind,
    name,
    valuesKey: str(ref["valuesKey"]) || "values.yaml",
    targetPath: str(ref["targetPath"]),
    optional: ref["optional"] === true
  };
}
function postRenderer(value) {
  const kustomize = rec(rec(value)["kustomize"]);
  if (Object.keys(kustomize).length === 0) return void 0;
  return {
    patches: list2(kustomize["patches"]).map((p) => {
      const patch = rec(p);
      const target = patch["target"];
      return { patch: str(patch["patch"]), ...isRecord(target) ? { target } : {} };
    }),
    images: list2(kustomize["images"]).filter(isRecord)
  };
}
function parseHelmRelease(object) {
  const metadata = rec(object["metadata"]);
  const name = str(metadata["name"]);
  const namespace = str(metadata["namespace"]) || "default";
  const id = `${namespace}/${name}`;
  const spec = rec(object["spec"]);
  const chartSpec = rec(rec(spec["chart"])["spec"]);
  const chart = Object.keys(chartSpec).length === 0 ? void 0 : {
    chart: str(chartSpec["chart"]),
    version: str(chartSpec["version"]),
    sourceRef: sourceRef(chartSpec["sourceRef"], namespace, id, "spec.chart.spec.sourceRef"),
    valuesFiles: [
      ...list2(chartSpec["valuesFiles"]).filter((f) => typeof f === "string"),
      ...typeof chartSpec["valuesFile"] === "string" ? [chartSpec["valuesFile"]] : []
    ],
    ignoreMissingValuesFiles: chartSpec["ignoreMissingValuesFiles"] === true
  };
  const chartRef = spec["chartRef"] === void 0 ? void 0 : sourceRef(spec["chartRef"], namespace, id, "spec.chartRef");
  if (chart === void 0 && chartRef === void 0) {
    throw new UserError("BAD_FORMAT", `HelmRelease ${id}: neither spec.chart nor spec.chartRef is set`);
  }
  const targetNamespace = str(spec["targetNamespace"]);
  const commonMetadata = rec(spec["commonMetadata"]);
  return {
    name,
    namespace,
    id,
    chart,
    chartRef,
    releaseName: shortenReleaseName(
      str(spec["releaseName"]) || (targetNamespace === "" ? name : `${targetNamespace}-${name}`)
    ),
    releaseNamespace: targetNamespace || namespace,
    storageNamespace: str(spec["storageNamespace"]) || namespace,
    valuesFrom: list2(spec["valuesFrom"]).map((v) => valuesReference(v, id)),
    values: rec(spec["values"]),
    postRenderers: list2(spec["postRenderers"]).map(postRenderer).filter((p) => p !== void 0),
    commonMetadata: {
      labels: stringMap2(commonMetadata["labels"]),
      annotations: stringMap2(commonMetadata["annotations"])
    },
    installCrds: crdPolicy(rec(spec["install"])["crds"], "Create", id, "spec.install.crds"),
    upgradeCrds: crdPolicy(rec(spec["upgrade"])["crds"], "Skip", id, "spec.upgrade.crds"),
    // helm-controller passes it to helm only with a targetNamespace (internal/action/install.go).
    createNamespace: targetNamespace !== "" && rec(spec["install"])["createNamespace"] === true,
    suspend: spec["suspend"] === true
  };
}

// src/helm/object-index.ts
var ObjectIndex = class {
  #byKey = /* @__PURE__ */ new Map();
  constructor(objects) {
    for (const object of objects) {
      if (!isRecord(object)) continue;
      const metadata = isRecord(object["metadata"]) ? object["metadata"] : {};
      const kind = object["kind"];
      const name = metadata["name"];
      const namespace = typeof metadata["namespace"] === "string" ? metadata["namespace"] : "default";
      if (typeof kind === "string" && typeof name === "string")
        this.#byKey.set(`${kind}/${namespace}/${name}`, object);
    }
  }
  get(kind, namespace, name) {
    return this.#byKey.get(`${kind}/${namespace}/${name}`);
  }
};

// src/helm/render.ts
import { mkdtemp as mkdtemp2, rm as rm2 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import path14 from "node:path";

// src/kube/manifests.ts
var import_yaml9 = __toESM(require_dist(), 1);
function parseManifests(text2, source) {
  const objects = [];
  const documents = (0, import_yaml9.parseAllDocuments)(text2, { uniqueKeys: true });
  const all = Array.isArray(documents) ? documents : [documents];
  all.forEach((document, index) => {
    if (document.errors.length > 0) {
      throw new UserError(
        "BAD_FORMAT",
        `${source}: document ${index + 1} is not valid YAML (line ${document.errors[0]?.linePos?.[0].line ?? "?"})`
      );
    }
    const value = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === void 0) return;
    if (!isRecord(value))
      throw new UserError("BAD_FORMAT", `${source}: document ${index + 1} is not a Kubernetes object`);
    const items = typeof value["kind"] === "string" && value["kind"].endsWith("List") && Array.isArray(value["items"]) ? value["items"] : [value];
    for (const item of items) {
      if (!isRecord(item))
        throw new UserError(
          "BAD_FORMAT",
          `${source}: document ${index + 1} holds an item that is not an object`
        );
      refOf(item);
      objects.push(item);
    }
  });
  return objects;
}
function secretValues(objects) {
  const values = [];
  for (const object of objects) {
    if (object["kind"] !== "Secret") continue;
    for (const field of ["data", "stringData"]) {
      const map = object[field];
      if (!isRecord(map)) continue;
      for (const value of Object.values(map)) {
        if (typeof value !== "string" || value === "") continue;
        values.push(value);
        if (field === "data") values.push(Buffer.from(value, "base64").toString("utf8"));
        else values.push(Buffer.from(value, "utf8").toString("base64"));
      }
    }
  }
  return values;
}

// src/helm/post-render.ts
var import_yaml10 = __toESM(require_dist(), 1);
import path13 from "node:path";
var HELM_NAME_LABEL = `${HELM_RELEASE_GROUP}/name`;
var HELM_NAMESPACE_LABEL = `${HELM_RELEASE_GROUP}/namespace`;
var HELM_MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
var HELM_RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name";
var HELM_RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";
function chartCrdKey(object) {
  if (object["kind"] !== "CustomResourceDefinition") return void 0;
  const metadata = isRecord(object["metadata"]) ? object["metadata"] : {};
  return typeof metadata["name"] === "string" ? metadata["name"] : void 0;
}
function toYaml(objects) {
  return objects.map((o) => (0, import_yaml10.stringify)(o, { lineWidth: 0 })).join("---\n");
}
async function kustomizeOnce(release, renderer, objects, deps) {
  const tool = deps.kustomize;
  if (tool === void 0) {
    throw new UserError(
      "HELM_FAILED",
      `HelmRelease ${release.id}: postRenderers need kustomize, which was not found`,
      {
        hint: "install kustomize, or pass its path as kustomize-path"
      }
    );
  }
  const root = await openPrivateRoot(privateRootParent(deps.env), "helm-post");
  const dir = root.dir;
  try {
    await writePrivateFile(path13.join(dir, "helm-output.yaml"), toYaml(objects));
    const kustomization = {
      apiVersion: "kustomize.config.k8s.io/v1beta1",
      kind: "Kustomization",
      resources: ["helm-output.yaml"],
      ...renderer.patches.length > 0 ? { patches: renderer.patches } : {},
      ...renderer.images.length > 0 ? { images: renderer.images } : {}
    };
    await writePrivateFile(path13.join(dir, "kustomization.yaml"), (0, import_yaml10.stringify)(kustomization));
    const result = await deps.exec.run(
      tool.command,
      [...tool.prefix, dir, "--load-restrictor", "LoadRestrictionsNone"],
      { timeoutMs: 3e5 }
    );
    if (result.exitCode !== 0) {
      const reason = deps.registry.redact(result.stderr.trim().split("\n").slice(-3).join(" ")).replaceAll(dir, "<post-render>");
      throw new UserError(
        "HELM_FAILED",
        `HelmRelease ${release.id}: a kustomize post-renderer failed: ${reason}`
      );
    }
    return parseManifests(
      Buffer.from(result.stdout).toString("utf8"),
      `HelmRelease ${release.id} post-rendered`
    );
  } finally {
    await root.cleanup();
  }
}
function setMetadata(object, field, values) {
  if (Object.keys(values).length === 0) return;
  const metadata = isRecord(object["metadata"]) ? object["metadata"] : {};
  object["metadata"] = metadata;
  const existing = isRecord(metadata[field]) ? metadata[field] : {};
  metadata[field] = { ...existing, ...values };
}
async function postRender(release, rendered, deps, folderCrds2 = /* @__PURE__ */ new Set()) {
  let objects = [...rendered];
  for (const renderer of release.postRenderers)
    objects = await kustomizeOnce(release, renderer, objects, deps);
  for (const object of objects) {
    setMetadata(object, "labels", release.commonMetadata.labels);
    setMetadata(object, "annotations", release.commonMetadata.annotations);
    setMetadata(object, "labels", {
      [HELM_NAME_LABEL]: release.name,
      [HELM_NAMESPACE_LABEL]: release.namespace
    });
    const crd = chartCrdKey(object);
    if (crd !== void 0 && folderCrds2.has(crd)) continue;
    setMetadata(object, "labels", { [HELM_MANAGED_BY_LABEL]: "Helm" });
    setMetadata(object, "annotations", {
      [HELM_RELEASE_NAME_ANNOTATION]: release.releaseName,
      [HELM_RELEASE_NAMESPACE_ANNOTATION]: release.releaseNamespace
    });
  }
  return objects;
}

// src/helm/render.ts
function withObjects(rendered, objects) {
  const all = rendered.createdNamespace === void 0 ? objects : [rendered.createdNamespace, ...objects];
  return { ...rendered, objects, yaml: toYaml(all) };
}
function suspendedRelease(release) {
  if (!release.suspend) return void 0;
  return {
    status: "not-rendered",
    release: identity(release),
    reason: "suspended: spec.suspend is true, so helm-controller does not reconcile it",
    suspended: true
  };
}
function namespaceToCreate(release, objects, deps) {
  if (!release.createNamespace) return void 0;
  const name = release.releaseNamespace;
  if (deps.objects.get("Namespace", "default", name) !== void 0) return void 0;
  const inChart = objects.some(
    (o) => o["kind"] === "Namespace" && isRecord(o["metadata"]) && o["metadata"]["name"] === name
  );
  if (inChart) return void 0;
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { name } } };
}
function folderCrds(output, what) {
  const names = /* @__PURE__ */ new Set();
  for (const document of output.split(/^---[ \t]*$/m)) {
    if (!/^# Source: [^\n/]+\/crds\//m.test(document)) continue;
    for (const object of parseManifests(document, what)) {
      const name = chartCrdKey(object);
      if (name !== void 0) names.add(name);
    }
  }
  return names;
}
function identity(release) {
  return {
    id: release.id,
    releaseName: release.releaseName,
    releaseNamespace: release.releaseNamespace,
    storageNamespace: release.storageNamespace
  };
}
function templateArgs(release, options) {
  const policy = options.action === "upgrade" ? release.upgradeCrds : release.installCrds;
  const args = ["--namespace", release.releaseNamespace, "--values", "-", "--no-hooks"];
  if (policy !== "Skip") args.push("--include-crds");
  if (options.kubeVersion !== void 0) args.push("--kube-version", options.kubeVersion);
  for (const api of options.apiVersions ?? []) args.push("--api-versions", api);
  return args;
}
async function helmTemplate(release, location, values, deps, options) {
  const home = await mkdtemp2(path14.join(tmpdir2(), "ksd-helm-home-"));
  try {
    const result = await deps.exec.run(
      deps.helm.command,
      ["template", release.releaseName, location, ...templateArgs(release, options)],
      { input: JSON.stringify(values), env: helmEnv(deps.env, home), timeoutMs: 3e5 }
    );
    if (result.exitCode !== 0) {
      const reason = deps.registry.redact(result.stderr.trim().split("\n").slice(-3).join(" ")).replaceAll(location, "<chart>");
      throw new UserError("HELM_FAILED", `HelmRelease ${release.id}: helm template failed: ${reason}`, {
        hint: `rendered with ${deps.helm.description}`
      });
    }
    const output = Buffer.from(result.stdout).toString("utf8");
    const what = `HelmRelease ${release.id} (helm template)`;
    return { objects: parseManifests(output, what), folderCrds: folderCrds(output, what) };
  } finally {
    await rm2(home, { recursive: true, force: true });
  }
}
async function renderHelmRelease(object, deps, options = {}) {
  const release = parseHelmRelease(object);
  const suspended = suspendedRelease(release);
  if (suspended !== void 0) return suspended;
  const values = composeValues(release, deps.objects, deps.registry);
  if (values.kind === "unknown") {
    return { status: "not-rendered", release: identity(release), reason: `values unknown: ${values.reason}` };
  }
  const chart = await resolveChart(release, deps);
  if (chart.kind === "not-rendered")
    return { status: "not-rendered", release: identity(release), reason: chart.reason };
  const rendered = await helmTemplate(release, chart.location, values.values, deps, options);
  const objects = await postRender(release, rendered.objects, deps, rendered.folderCrds);
  return withObjects(
    {
      status: "rendered",
      release: identity(release),
      chart: { name: chart.name, version: chart.version, source: chart.source },
      objects,
      createdNamespace: namespaceToCreate(release, objects, deps),
      yaml: ""
    },
    objects
  );
}

// src/flux/release-inputs.ts
import { createHash as createHash3 } from "node:crypto";
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return value === void 0 ? "null" : JSON.stringify(value);
}
function helmChartSource(chart, namespace) {
  const spec = isRecord(chart["spec"]) ? chart["spec"] : {};
  const source = isRecord(spec["sourceRef"]) ? spec["sourceRef"] : {};
  return typeof source["kind"] === "string" && typeof source["name"] === "string" ? { kind: source["kind"], name: source["name"], namespace } : void 0;
}
function releaseInputs(object, objects, sourceDirs) {
  const parts = [object];
  if (isHelmRelease(object)) {
    const release = parseHelmRelease(object);
    let ref = release.chart?.sourceRef ?? release.chartRef;
    for (let depth = 0; ref !== void 0 && depth < 4; depth++) {
      const local = sourceDirs.has(`${ref.kind}/${ref.namespace}/${ref.name}`) || ref.kind === "GitRepository" && ref.namespace === "flux-system" && ref.name === "flux-system";
      if (local) return void 0;
      const source = objects.get(ref.kind, ref.namespace, ref.name);
      parts.push(source ?? null);
      ref = ref.kind === "HelmChart" && source !== void 0 ? helmChartSource(source, ref.namespace) : void 0;
    }
    for (const from of release.valuesFrom) {
      parts.push(objects.get(from.kind, release.namespace, from.name) ?? null);
    }
  }
  if (parts.some((part) => isRecord(part) && hasUndecryptedValues(part))) return void 0;
  return createHash3("sha256").update(canonical(parts)).digest("hex");
}

// src/flux/helm-releases.ts
function unrenderedName(release) {
  return `${release.kind ?? "HelmRelease"} ${release.id}`;
}
var UnrenderedReleases = class {
  #byId = /* @__PURE__ */ new Map();
  add(release) {
    const key2 = unrenderedName(release);
    const existing = this.#byId.get(key2);
    if (existing === void 0) this.#byId.set(key2, release);
    else if (existing.inputs !== release.inputs) this.#byId.set(key2, { ...existing, inputs: void 0 });
  }
  list() {
    return [...this.#byId.values()];
  }
};
function releaseOf(object) {
  const metadata = isRecord(object["metadata"]) ? object["metadata"] : {};
  const labels = isRecord(metadata["labels"]) ? metadata["labels"] : {};
  const name = labels[HELM_NAME_LABEL];
  const namespace = labels[HELM_NAMESPACE_LABEL];
  return typeof name === "string" && typeof namespace === "string" ? `${namespace}/${name}` : void 0;
}
function chartRemotePolicy(policy) {
  if (policy.kind === "none") return { allowPrivateAddresses: false, hosts: [] };
  if (policy.kind === "hosts") return { allowPrivateAddresses: false, hosts: policy.hosts };
  return { allowPrivateAddresses: false };
}
function unknownValues(release, object, objects) {
  if (hasUndecryptedValues(object)) {
    return "values unknown: its spec uses a value that was not decrypted in this run";
  }
  for (const ref of release.valuesFrom) {
    const source = objects.get(ref.kind, release.namespace, ref.name);
    if (source === void 0) {
      if (ref.optional) continue;
      return `values unknown: valuesFrom ${ref.kind} ${release.namespace}/${ref.name} is not rendered by this repository`;
    }
    if (hasUndecryptedValues(source) || "sops" in source) {
      return `values unknown: ${ref.kind} ${release.namespace}/${ref.name} could not be decrypted in this run`;
    }
  }
  return void 0;
}
async function inReleaseNamespace(rendered, namespaced) {
  let changed = false;
  const objects = [];
  for (const object of rendered.objects) {
    const metadata = isRecord(object["metadata"]) ? object["metadata"] : {};
    const apiVersion = object["apiVersion"];
    const kind = object["kind"];
    if (typeof metadata["namespace"] === "string" || typeof apiVersion !== "string" || typeof kind !== "string" || await namespaced(apiVersion, kind) !== true) {
      objects.push(object);
      continue;
    }
    changed = true;
    objects.push({ ...object, metadata: { ...metadata, namespace: rendered.release.releaseNamespace } });
  }
  return changed ? withObjects(rendered, objects) : rendered;
}
async function renderOne(object, objects, deps, options) {
  if (!isHelmRelease(object)) {
    const meta = isRecord(object["metadata"]) ? object["metadata"] : {};
    const namespace = typeof meta["namespace"] === "string" ? meta["namespace"] : "default";
    const id = `${namespace}/${typeof meta["name"] === "string" ? meta["name"] : ""}`;
    return {
      status: "not-rendered",
      release: { id, releaseName: "", releaseNamespace: namespace, storageNamespace: namespace },
      reason: `apiVersion ${String(object["apiVersion"])} is not served by Flux 2.9's helm-controller; use ${HELM_RELEASE_GROUP}/v2`
    };
  }
  const release = parseHelmRelease(object);
  const suspended = suspendedRelease(release);
  if (suspended !== void 0) return suspended;
  if (isRecord(object["spec"]) && object["spec"]["kubeConfig"] !== void 0) {
    return {
      status: "not-rendered",
      release: identity(release),
      reason: "spec.kubeConfig installs it in another cluster, which this run does not read"
    };
  }
  const unknown = unknownValues(release, object, objects);
  if (unknown !== void 0) return { status: "not-rendered", release: identity(release), reason: unknown };
  const helm = await deps.helm();
  if (typeof helm === "string") return { status: "not-rendered", release: identity(release), reason: helm };
  try {
    const rendered = await renderHelmRelease(
      object,
      {
        objects,
        cache: deps.cache,
        policy: deps.policy,
        registry: deps.registry,
        repoRoot: deps.repoRoot,
        sourceDirs: deps.sourceDirs,
        exec: deps.exec,
        env: deps.env,
        helm,
        kustomize: deps.kustomize
      },
      { kubeVersion: options.kubeVersion, apiVersions: options.apiVersions ?? [] }
    );
    return rendered.status === "rendered" && options.namespaced !== void 0 ? await inReleaseNamespace(rendered, options.namespaced) : rendered;
  } catch (error) {
    if (!(error instanceof ChartFetchError)) throw error;
    return {
      status: "not-rendered",
      release: identity(release),
      reason: `${error instanceof ChartDigestError ? "chart refused" : "chart not fetched"}: ${error.message}`
    };
  }
}
function isAnyHelmRelease(object) {
  return object["kind"] === "HelmRelease" && typeof object["apiVersion"] === "string" && object["apiVersion"].startsWith(`${HELM_RELEASE_GROUP}/`);
}
async function renderHelmReleases(selected2, all, deps, options = {}) {
  const jobs = selected2.flatMap(
    (r) => r.objects.filter(isAnyHelmRelease).map((object) => ({ kustomization: kustomizationId(r.kustomization), object }))
  );
  if (jobs.length === 0) return [];
  const objects = new ObjectIndex(all.flatMap((r) => r.objects));
  return mapLimit(jobs, Math.max(1, availableParallelism()), async (job) => {
    try {
      const result = await renderOne(job.object, objects, deps, options);
      if (result.status === "rendered") return { kustomization: job.kustomization, result };
      const inputs = releaseInputs(job.object, objects, deps.sourceDirs);
      return { kustomization: job.kustomization, result, ...inputs === void 0 ? {} : { inputs } };
    } catch (error) {
      throw withContext(`Kustomization ${job.kustomization}`, error);
    }
  });
}

// src/commands/flux-render.ts
function suspendedReason(id) {
  return `Kustomization ${id} is suspended (spec.suspend: true): Flux applies none of its changes until it is resumed`;
}
function suspendReleases(releases, id) {
  return releases.map(
    (h) => h.result.status === "rendered" || h.result.suspended !== true ? {
      ...h,
      result: {
        status: "not-rendered",
        release: h.result.release,
        reason: `suspended: ${suspendedReason(id)}, so helm-controller keeps the HelmRelease the cluster has`,
        suspended: true
      }
    } : h
  );
}
async function loadSubstituteObjects(files, context) {
  const objects = [];
  for (const file of files) {
    const text2 = await readSubstituteFrom(file, context);
    for (const doc of (0, import_yaml11.parseAllDocuments)(text2)) {
      const object = doc.toJS();
      if (object === null) continue;
      if (!isRecord(object) || object["kind"] !== "ConfigMap" && object["kind"] !== "Secret") {
        throw new UserError(
          "USAGE",
          `substitute-from ${file}: in Flux mode it must hold ConfigMap or Secret manifests`,
          {
            hint: "Flux's substituteFrom names ConfigMaps and Secrets by namespace and name; give them as manifests"
          }
        );
      }
      objects.push({ apiVersion: "v1", ...object });
    }
  }
  return objects;
}
function isWanted(id, name, wanted) {
  return wanted.length === 0 || wanted.some((w) => w.includes("/") ? w === id : w === name);
}
function selected(rendered, wanted, entry) {
  if (wanted.length === 0) return rendered;
  const matches = (r, name) => isWanted(kustomizationId(r.kustomization), r.kustomization.name, [name]);
  for (const name of wanted) {
    if (!rendered.some((r) => matches(r, name))) {
      throw new UserError(
        "USAGE",
        `flux-kustomization ${name}: ${entry} renders no Kustomization of that name`,
        {
          hint: `rendered: ${rendered.map((r) => kustomizationId(r.kustomization)).join(", ")}`
        }
      );
    }
  }
  return rendered.filter((r) => wanted.some((name) => matches(r, name)));
}
async function createFluxContext(config, deps) {
  const tool = await prepareKustomize(config, deps);
  return {
    keySources: cacheKeySources(await createKeySources(config.keys, { host: deps.host, exec: deps.exec })),
    registry: deps.secrets,
    tool,
    nameTarget: (target) => target
  };
}
function lazyHelm(config, deps, context) {
  const kube = context.cluster?.kubeVersion !== void 0 ? `Kubernetes ${context.cluster.kubeVersion} and ${context.cluster.apiVersions.length} API versions (the cluster's)` : config.kubeVersion !== void 0 ? `Kubernetes ${config.kubeVersion} (kube-version)` : "helm's default Kubernetes version (set kube-version to choose)";
  let found;
  return () => {
    found ??= resolveHelm(config.helmPath, { exec: deps.exec, env: config.env }).then(
      (helm) => {
        deps.host.info(`building HelmReleases with ${helm.description} for ${kube}`);
        return helm;
      },
      (error) => {
        if (config.helmPath !== void 0 || !(error instanceof UserError) || error.code !== "FILE_NOT_FOUND")
          throw error;
        return `${error.message} (${error.hint ?? "install helm"})`;
      }
    );
    return found;
  };
}
function oneLine(text2) {
  return text2.replace(/\s*\n\s*/g, " ");
}
function reportReleases(name, releases, deps, context) {
  for (const { kustomization, result, inputs } of releases) {
    const what = `${name}: HelmRelease ${result.release.id} (Kustomization ${kustomization})`;
    if (result.status === "rendered") {
      const version2 = result.chart.version === "" ? "" : ` ${result.chart.version}`;
      deps.host.info(
        `${what}: ${result.objects.length} objects, chart ${result.chart.name}${version2} from ${result.chart.source}`
      );
      continue;
    }
    if (result.suspended === true) deps.host.info(`${what}: not rendered: ${oneLine(result.reason)}`);
    else deps.host.warning(`${what}: not rendered: ${oneLine(result.reason)}`);
    context.unrendered?.add({ id: result.release.id, kustomization, reason: oneLine(result.reason), inputs });
  }
}
async function renderFlux(config, deps, context) {
  if (config.substitute.size > 0) {
    throw new UserError(
      "USAGE",
      "--substitute does not apply with --flux: each Kustomization substitutes its own spec.postBuild",
      { hint: "give the ConfigMaps and Secrets that substituteFrom names with --substitute-from FILE" }
    );
  }
  const substituteObjects = await loadSubstituteObjects(config.substituteFrom, context);
  const out = [];
  const charts = context.charts ?? new ChartCache();
  const helm = lazyHelm(config, deps, context);
  try {
    for (const entry of config.paths) {
      const name = context.nameTarget(entry);
      const absolute = path15.resolve(entry);
      const isDir2 = await stat7(absolute).then(
        (s) => s.isDirectory(),
        () => false
      );
      const repoRoot = config.root ?? await findRepositoryRoot(isDir2 ? absolute : path15.dirname(absolute));
      let discovery;
      try {
        discovery = await discoverFlux(
          {
            entry: absolute,
            repoRoot,
            sources: config.fluxSources,
            substituteObjects,
            strictSubstitution: config.substituteStrict
          },
          {
            host: deps.host,
            exec: deps.exec,
            keySources: context.keySources,
            registry: context.registry,
            tool: context.tool,
            env: config.env,
            remotePolicy: config.remotePolicy,
            ...context.undecrypted === void 0 ? {} : { undecrypted: context.undecrypted }
          }
        );
      } catch (error) {
        throw withContext(`building ${name} (Flux mode)`, error);
      }
      for (const finding of discovery.findings) {
        const who = finding.kind === "not-rendered" ? `Kustomization ${finding.kustomization}: ` : "";
        deps.host.warning(`${name}: ${who}${finding.message}`);
      }
      const chosen = selected(discovery.rendered, config.fluxKustomizations, name);
      for (const { kustomization, reason } of discovery.notRendered) {
        const id = kustomizationId(kustomization);
        if (!isWanted(id, kustomization.name, config.fluxKustomizations)) continue;
        context.unrendered?.add({ kind: "Kustomization", id, kustomization: id, reason: oneLine(reason) });
      }
      let releases;
      try {
        releases = await renderHelmReleases(
          chosen,
          discovery.rendered,
          {
            exec: deps.exec,
            env: config.env,
            registry: context.registry,
            kustomize: context.tool,
            helm,
            cache: charts,
            policy: chartRemotePolicy(config.remotePolicy),
            repoRoot,
            sourceDirs: config.fluxSources
          },
          {
            kubeVersion: context.cluster?.kubeVersion ?? config.kubeVersion,
            apiVersions: context.cluster?.apiVersions ?? config.apiVersions,
            namespaced: context.cluster?.namespaced
          }
        );
      } catch (error) {
        throw withContext(`building ${name} (Flux mode)`, error);
      }
      for (const r of chosen) {
        const id = kustomizationId(r.kustomization);
        deps.host.info(
          `${name}: Kustomization ${id}: ${r.objects.length} objects, ${r.decrypted.length} SOPS files decrypted with MAC verified`
        );
        let mine = releases.filter((h) => h.kustomization === id);
        if (r.kustomization.suspend) {
          deps.host.info(`${name}: ${suspendedReason(id)}`);
          context.suspended?.add(id);
          mine = suspendReleases(mine, id);
        }
        reportReleases(name, mine, deps, context);
        out.push({ ...r, helmReleases: mine });
      }
    }
  } finally {
    if (context.charts === void 0) await charts.dispose();
  }
  return out;
}
function withNewline(yaml) {
  return yaml.endsWith("\n") ? yaml : `${yaml}
`;
}
async function renderFluxManifests(config, deps, context) {
  const parts = [];
  const unrendered = context.unrendered ?? new UnrenderedReleases();
  for (const r of await renderFlux(config, deps, { ...context, unrendered })) {
    const id = kustomizationId(r.kustomization);
    if (r.yaml.trim() !== "") {
      const notes = r.helmReleases.flatMap(
        ({ result }) => result.status === "rendered" ? [] : [`# HelmRelease ${result.release.id}: not rendered: ${oneLine(result.reason)}
`]
      );
      const suspended = r.kustomization.suspend ? `# ${suspendedReason(id)}
` : "";
      parts.push(`# Flux Kustomization ${id}
${suspended}${notes.join("")}${withNewline(r.yaml)}`);
    }
    for (const { result } of r.helmReleases) {
      if (result.status !== "rendered" || result.yaml.trim() === "") continue;
      const version2 = result.chart.version === "" ? "" : ` ${result.chart.version}`;
      parts.push(
        `# HelmRelease ${result.release.id} (Kustomization ${id}): chart ${result.chart.name}${version2}
${withNewline(result.yaml)}`
      );
    }
  }
  for (const k of unrendered.list()) {
    if (k.kind === "Kustomization") parts.push(`# Flux Kustomization ${k.id}: not rendered: ${k.reason}
`);
  }
  return parts.join("---\n");
}

// src/commands/build-run.ts
var BATCH_TARGETS = 4;
async function renderManifests(config, deps, shared = {}) {
  const nameTarget = shared.nameTarget ?? ((target) => target);
  const tool = shared.tool ?? await prepareKustomize(config, deps);
  const registry = deps.secrets;
  const keySources = shared.keySources ?? cacheKeySources(await createKeySources(config.keys, { host: deps.host, exec: deps.exec }));
  if (config.flux) {
    return renderFluxManifests(config, deps, {
      keySources,
      registry,
      tool,
      nameTarget,
      ...shared.undecrypted === void 0 ? {} : { undecrypted: shared.undecrypted },
      ...shared.unrendered === void 0 ? {} : { unrendered: shared.unrendered },
      cluster: shared.cluster,
      charts: shared.charts,
      suspended: shared.suspended
    });
  }
  let substitute;
  if (config.substitute.size > 0 || config.substituteFrom.length > 0 || config.substituteStrict) {
    const vars = /* @__PURE__ */ new Map();
    for (const file of config.substituteFrom) {
      for (const [k, v] of await loadVariables(file, keySources, registry, {
        ...shared.undecrypted === void 0 ? {} : { undecrypted: shared.undecrypted },
        name: nameTarget(file)
      }))
        vars.set(k, v);
    }
    for (const [k, v] of config.substitute) vars.set(k, v);
    substitute = { vars, strict: config.substituteStrict };
  }
  const targets = await expandTargets(config.paths);
  const batch = targets.length >= BATCH_TARGETS ? deps.batchExec?.() : void 0;
  const exec = batch ?? deps.exec;
  const results = await mapLimit(targets, availableParallelism2() * 2, async (target) => {
    try {
      const result = await buildTarget(
        {
          target,
          maxFileSize: config.maxFileSize,
          enableHelm: config.enableHelm,
          ...config.root === void 0 ? {} : { root: config.root },
          remotePolicy: config.remotePolicy,
          ...config.loadRestrictor === void 0 ? {} : { loadRestrictor: config.loadRestrictor },
          ...config.keys.decryptionOrder === void 0 ? {} : { decryptionOrder: config.keys.decryptionOrder },
          ...substitute === void 0 ? {} : { substitute }
        },
        {
          host: deps.host,
          exec,
          keySources,
          registry,
          tool,
          env: config.env,
          ...shared.undecrypted === void 0 ? {} : { undecrypted: shared.undecrypted }
        }
      );
      deps.host.info(
        `${nameTarget(target)}: ${result.objectCount} objects, ${result.decrypted.length} SOPS files decrypted with MAC verified`
      );
      return result;
    } catch (error) {
      throw withContext(`building ${nameTarget(target)}`, error);
    }
  }).finally(() => batch?.close());
  return results.map((r) => r.yaml).filter((y) => y.trim() !== "").map((y) => y.endsWith("\n") ? y : `${y}
`).join("---\n");
}
async function refuseOutputInTargets(config, output, hint = "write the manifests outside the build targets, e.g. to $RUNNER_TEMP") {
  const targets = config.flux ? config.paths : await expandTargets(config.paths);
  await refuseOutputOverInputs(
    output,
    [
      ...targets.map((target) => ({ path: target, what: "the build target" })),
      ...config.substituteFrom.map((file) => ({ path: file, what: "the substitute-from file" }))
    ],
    hint
  );
}
async function runBuild(config, deps) {
  if (config.output !== void 0) await refuseOutputInTargets(config, config.output);
  const yaml = await renderManifests(config, deps);
  let output = config.output;
  if (output === void 0 && config.stdoutIsLog) {
    output = path16.join(
      config.env["RUNNER_TEMP"] ?? tmpdir3(),
      `manifests-${randomBytes(6).toString("hex")}.yaml`
    );
  }
  if (output === void 0) {
    deps.host.writeStdout(yaml);
    return;
  }
  await writePrivateFile(output, yaml);
  deps.host.setOutput("manifests-file", output);
}

export {
  cacheKeySources,
  kustomizationId,
  isFluxKustomization,
  FLUX_NAME_LABEL,
  FLUX_NAMESPACE_LABEL,
  ChartCache,
  parseManifests,
  secretValues,
  unrenderedName,
  UnrenderedReleases,
  releaseOf,
  suspendedReason,
  createFluxContext,
  renderFlux,
  renderManifests,
  refuseOutputInTargets,
  runBuild
};
