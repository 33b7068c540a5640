import { createRequire as __ksdCreateRequire } from 'node:module';
import { fileURLToPath as __ksdFileURLToPath } from 'node:url';
import { dirname as __ksdDirname } from 'node:path';
const require = __ksdCreateRequire(import.meta.url);
const __filename = __ksdFileURLToPath(import.meta.url);
const __dirname = __ksdDirname(__filename);
import {
  isRecord
} from "./chunk-6PYYST35.js";
import {
  parseAzureAllowedVaults,
  parseGcpAllowedKeys
} from "./chunk-OURCQGNN.js";
import {
  createIdTokenProvider
} from "./chunk-WZT6LHY2.js";
import {
  buildVaultPolicy,
  parseAwsPolicy
} from "./chunk-7OHY2VNZ.js";
import {
  SopsFormatError,
  UserError,
  errorMessage,
  withContext
} from "./chunk-ZSIIWODD.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-UJIP2UZS.js";

// node_modules/yaml/dist/nodes/identity.js
var require_identity = __commonJS({
  "node_modules/yaml/dist/nodes/identity.js"(exports) {
    "use strict";
    var ALIAS = /* @__PURE__ */ Symbol.for("yaml.alias");
    var DOC = /* @__PURE__ */ Symbol.for("yaml.document");
    var MAP2 = /* @__PURE__ */ Symbol.for("yaml.map");
    var PAIR = /* @__PURE__ */ Symbol.for("yaml.pair");
    var SCALAR = /* @__PURE__ */ Symbol.for("yaml.scalar");
    var SEQ = /* @__PURE__ */ Symbol.for("yaml.seq");
    var NODE_TYPE = /* @__PURE__ */ Symbol.for("yaml.node.type");
    var isAlias2 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === ALIAS;
    var isDocument = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === DOC;
    var isMap3 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === MAP2;
    var isPair3 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === PAIR;
    var isScalar3 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SCALAR;
    var isSeq4 = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SEQ;
    function isCollection(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case MAP2:
          case SEQ:
            return true;
        }
      return false;
    }
    function isNode(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case ALIAS:
          case MAP2:
          case SCALAR:
          case SEQ:
            return true;
        }
      return false;
    }
    var hasAnchor = (node) => (isScalar3(node) || isCollection(node)) && !!node.anchor;
    exports.ALIAS = ALIAS;
    exports.DOC = DOC;
    exports.MAP = MAP2;
    exports.NODE_TYPE = NODE_TYPE;
    exports.PAIR = PAIR;
    exports.SCALAR = SCALAR;
    exports.SEQ = SEQ;
    exports.hasAnchor = hasAnchor;
    exports.isAlias = isAlias2;
    exports.isCollection = isCollection;
    exports.isDocument = isDocument;
    exports.isMap = isMap3;
    exports.isNode = isNode;
    exports.isPair = isPair3;
    exports.isScalar = isScalar3;
    exports.isSeq = isSeq4;
  }
});

// node_modules/yaml/dist/visit.js
var require_visit = __commonJS({
  "node_modules/yaml/dist/visit.js"(exports) {
    "use strict";
    var identity = require_identity();
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove node");
    function visit2(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        visit_(null, node, visitor_, Object.freeze([]));
    }
    visit2.BREAK = BREAK;
    visit2.SKIP = SKIP;
    visit2.REMOVE = REMOVE;
    function visit_(key, node, visitor, path18) {
      const ctrl = callVisitor(key, node, visitor, path18);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path18, ctrl);
        return visit_(key, ctrl, visitor, path18);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path18 = Object.freeze(path18.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = visit_(i, node.items[i], visitor, path18);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path18 = Object.freeze(path18.concat(node));
          const ck = visit_("key", node.key, visitor, path18);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = visit_("value", node.value, visitor, path18);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    async function visitAsync(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
    }
    visitAsync.BREAK = BREAK;
    visitAsync.SKIP = SKIP;
    visitAsync.REMOVE = REMOVE;
    async function visitAsync_(key, node, visitor, path18) {
      const ctrl = await callVisitor(key, node, visitor, path18);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path18, ctrl);
        return visitAsync_(key, ctrl, visitor, path18);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path18 = Object.freeze(path18.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = await visitAsync_(i, node.items[i], visitor, path18);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path18 = Object.freeze(path18.concat(node));
          const ck = await visitAsync_("key", node.key, visitor, path18);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = await visitAsync_("value", node.value, visitor, path18);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    function initVisitor(visitor) {
      if (typeof visitor === "object" && (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
          Alias: visitor.Node,
          Map: visitor.Node,
          Scalar: visitor.Node,
          Seq: visitor.Node
        }, visitor.Value && {
          Map: visitor.Value,
          Scalar: visitor.Value,
          Seq: visitor.Value
        }, visitor.Collection && {
          Map: visitor.Collection,
          Seq: visitor.Collection
        }, visitor);
      }
      return visitor;
    }
    function callVisitor(key, node, visitor, path18) {
      if (typeof visitor === "function")
        return visitor(key, node, path18);
      if (identity.isMap(node))
        return visitor.Map?.(key, node, path18);
      if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path18);
      if (identity.isPair(node))
        return visitor.Pair?.(key, node, path18);
      if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path18);
      if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path18);
      return void 0;
    }
    function replaceNode(key, path18, node) {
      const parent = path18[path18.length - 1];
      if (identity.isCollection(parent)) {
        parent.items[key] = node;
      } else if (identity.isPair(parent)) {
        if (key === "key")
          parent.key = node;
        else
          parent.value = node;
      } else if (identity.isDocument(parent)) {
        parent.contents = node;
      } else {
        const pt = identity.isAlias(parent) ? "alias" : "scalar";
        throw new Error(`Cannot replace node with ${pt} parent`);
      }
    }
    exports.visit = visit2;
    exports.visitAsync = visitAsync;
  }
});

// node_modules/yaml/dist/doc/directives.js
var require_directives = __commonJS({
  "node_modules/yaml/dist/doc/directives.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit2 = require_visit();
    var escapeChars = {
      "!": "%21",
      ",": "%2C",
      "[": "%5B",
      "]": "%5D",
      "{": "%7B",
      "}": "%7D"
    };
    var escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, (ch) => escapeChars[ch]);
    var Directives = class _Directives {
      constructor(yaml, tags) {
        this.docStart = null;
        this.docEnd = false;
        this.yaml = Object.assign({}, _Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, _Directives.defaultTags, tags);
      }
      clone() {
        const copy = new _Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
      }
      /**
       * During parsing, get a Directives instance for the current document and
       * update the stream state according to the current version's spec.
       */
      atDocument() {
        const res = new _Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
          case "1.1":
            this.atNextDocument = true;
            break;
          case "1.2":
            this.atNextDocument = false;
            this.yaml = {
              explicit: _Directives.defaultYaml.explicit,
              version: "1.2"
            };
            this.tags = Object.assign({}, _Directives.defaultTags);
            break;
        }
        return res;
      }
      /**
       * @param onError - May be called even if the action was successful
       * @returns `true` on success
       */
      add(line, onError) {
        if (this.atNextDocument) {
          this.yaml = { explicit: _Directives.defaultYaml.explicit, version: "1.1" };
          this.tags = Object.assign({}, _Directives.defaultTags);
          this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
          case "%TAG": {
            if (parts.length !== 2) {
              onError(0, "%TAG directive should contain exactly two parts");
              if (parts.length < 2)
                return false;
            }
            const [handle, prefix] = parts;
            this.tags[handle] = prefix;
            return true;
          }
          case "%YAML": {
            this.yaml.explicit = true;
            if (parts.length !== 1) {
              onError(0, "%YAML directive should contain exactly one part");
              return false;
            }
            const [version] = parts;
            if (version === "1.1" || version === "1.2") {
              this.yaml.version = version;
              return true;
            } else {
              const isValid = /^\d+\.\d+$/.test(version);
              onError(6, `Unsupported YAML version ${version}`, isValid);
              return false;
            }
          }
          default:
            onError(0, `Unknown directive ${name}`, true);
            return false;
        }
      }
      /**
       * Resolves a tag, matching handles to those defined in %TAG directives.
       *
       * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
       *   `'!local'` tag, or `null` if unresolvable.
       */
      tagName(source, onError) {
        if (source === "!")
          return "!";
        if (source[0] !== "!") {
          onError(`Not a valid tag: ${source}`);
          return null;
        }
        if (source[1] === "<") {
          const verbatim = source.slice(2, -1);
          if (verbatim === "!" || verbatim === "!!") {
            onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
            return null;
          }
          if (source[source.length - 1] !== ">")
            onError("Verbatim tags must end with a >");
          return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
          onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
          try {
            return prefix + decodeURIComponent(suffix);
          } catch (error) {
            onError(String(error));
            return null;
          }
        }
        if (handle === "!")
          return source;
        onError(`Could not resolve tag: ${source}`);
        return null;
      }
      /**
       * Given a fully resolved tag, returns its printable string form,
       * taking into account current tag prefixes and defaults.
       */
      tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
          if (tag.startsWith(prefix))
            return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === "!" ? tag : `!<${tag}>`;
      }
      toString(doc) {
        const lines2 = this.yaml.explicit ? [`%YAML ${this.yaml.version || "1.2"}`] : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
          const tags = {};
          visit2.visit(doc.contents, (_key, node) => {
            if (identity.isNode(node) && node.tag)
              tags[node.tag] = true;
          });
          tagNames = Object.keys(tags);
        } else
          tagNames = [];
        for (const [handle, prefix] of tagEntries) {
          if (handle === "!!" && prefix === "tag:yaml.org,2002:")
            continue;
          if (!doc || tagNames.some((tn) => tn.startsWith(prefix)))
            lines2.push(`%TAG ${handle} ${prefix}`);
        }
        return lines2.join("\n");
      }
    };
    Directives.defaultYaml = { explicit: false, version: "1.2" };
    Directives.defaultTags = { "!!": "tag:yaml.org,2002:" };
    exports.Directives = Directives;
  }
});

// node_modules/yaml/dist/doc/anchors.js
var require_anchors = __commonJS({
  "node_modules/yaml/dist/doc/anchors.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit2 = require_visit();
    function anchorIsValid(anchor) {
      if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
      }
      return true;
    }
    function anchorNames(root) {
      const anchors = /* @__PURE__ */ new Set();
      visit2.visit(root, {
        Value(_key, node) {
          if (node.anchor)
            anchors.add(node.anchor);
        }
      });
      return anchors;
    }
    function findNewAnchor(prefix, exclude) {
      for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
          return name;
      }
    }
    function createNodeAnchors(doc, prefix) {
      const aliasObjects = [];
      const sourceObjects = /* @__PURE__ */ new Map();
      let prevAnchors = null;
      return {
        onAnchor: (source) => {
          aliasObjects.push(source);
          prevAnchors ?? (prevAnchors = anchorNames(doc));
          const anchor = findNewAnchor(prefix, prevAnchors);
          prevAnchors.add(anchor);
          return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
          for (const source of aliasObjects) {
            const ref = sourceObjects.get(source);
            if (typeof ref === "object" && ref.anchor && (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
              ref.node.anchor = ref.anchor;
            } else {
              const error = new Error("Failed to resolve repeated object (this should not happen)");
              error.source = source;
              throw error;
            }
          }
        },
        sourceObjects
      };
    }
    exports.anchorIsValid = anchorIsValid;
    exports.anchorNames = anchorNames;
    exports.createNodeAnchors = createNodeAnchors;
    exports.findNewAnchor = findNewAnchor;
  }
});

// node_modules/yaml/dist/doc/applyReviver.js
var require_applyReviver = __commonJS({
  "node_modules/yaml/dist/doc/applyReviver.js"(exports) {
    "use strict";
    function applyReviver(reviver, obj, key, val) {
      if (val && typeof val === "object") {
        if (Array.isArray(val)) {
          for (let i = 0, len = val.length; i < len; ++i) {
            const v0 = val[i];
            const v1 = applyReviver(reviver, val, String(i), v0);
            if (v1 === void 0)
              delete val[i];
            else if (v1 !== v0)
              val[i] = v1;
          }
        } else if (val instanceof Map) {
          for (const k of Array.from(val.keys())) {
            const v0 = val.get(k);
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              val.delete(k);
            else if (v1 !== v0)
              val.set(k, v1);
          }
        } else if (val instanceof Set) {
          for (const v0 of Array.from(val)) {
            const v1 = applyReviver(reviver, val, v0, v0);
            if (v1 === void 0)
              val.delete(v0);
            else if (v1 !== v0) {
              val.delete(v0);
              val.add(v1);
            }
          }
        } else {
          for (const [k, v0] of Object.entries(val)) {
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              delete val[k];
            else if (v1 !== v0)
              val[k] = v1;
          }
        }
      }
      return reviver.call(obj, key, val);
    }
    exports.applyReviver = applyReviver;
  }
});

// node_modules/yaml/dist/nodes/toJS.js
var require_toJS = __commonJS({
  "node_modules/yaml/dist/nodes/toJS.js"(exports) {
    "use strict";
    var identity = require_identity();
    function toJS(value, arg, ctx) {
      if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
      if (value && typeof value.toJSON === "function") {
        if (!ctx || !identity.hasAnchor(value))
          return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: void 0 };
        ctx.anchors.set(value, data);
        ctx.onCreate = (res2) => {
          data.res = res2;
          delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
          ctx.onCreate(res);
        return res;
      }
      if (typeof value === "bigint" && !ctx?.keep)
        return Number(value);
      return value;
    }
    exports.toJS = toJS;
  }
});

// node_modules/yaml/dist/nodes/Node.js
var require_Node = __commonJS({
  "node_modules/yaml/dist/nodes/Node.js"(exports) {
    "use strict";
    var applyReviver = require_applyReviver();
    var identity = require_identity();
    var toJS = require_toJS();
    var NodeBase = class {
      constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
      }
      /** Create a copy of this node.  */
      clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** A plain JavaScript representation of this node. */
      toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
          throw new TypeError("A document argument is required");
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc,
          keep: true,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, "", ctx);
        if (typeof onAnchor === "function")
          for (const { count, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
    };
    exports.NodeBase = NodeBase;
  }
});

// node_modules/yaml/dist/nodes/Alias.js
var require_Alias = __commonJS({
  "node_modules/yaml/dist/nodes/Alias.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var visit2 = require_visit();
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var Alias = class extends Node.NodeBase {
      constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, "tag", {
          set() {
            throw new Error("Alias nodes cannot have tags");
          }
        });
      }
      /**
       * Resolve the value of this alias within `doc`, finding the last
       * instance of the `source` anchor before this node.
       */
      resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
          throw new ReferenceError("Alias resolution is disabled");
        let nodes;
        if (ctx?.aliasResolveCache) {
          nodes = ctx.aliasResolveCache;
        } else {
          nodes = [];
          visit2.visit(doc, {
            Node: (_key, node) => {
              if (identity.isAlias(node) || identity.hasAnchor(node))
                nodes.push(node);
            }
          });
          if (ctx)
            ctx.aliasResolveCache = nodes;
        }
        let found = void 0;
        for (const node of nodes) {
          if (node === this)
            break;
          if (node.anchor === this.source)
            found = node;
        }
        if (found && ctx) {
          const { anchors: anchors2, doc: doc2, maxAliasCount } = ctx;
          let data = anchors2.get(found);
          if (!data) {
            toJS.toJS(found, null, ctx);
            data = anchors2.get(found);
          }
          if (data?.res === void 0) {
            const msg = "This should not happen: Alias anchor was not resolved?";
            throw new ReferenceError(msg);
          }
          if (maxAliasCount >= 0) {
            data.count += 1;
            if (data.aliasCount === 0)
              data.aliasCount = getAliasCount(doc2, found, anchors2);
            if (data.count * data.aliasCount > maxAliasCount) {
              const msg = "Excessive alias count indicates a resource exhaustion attack";
              throw new ReferenceError(msg);
            }
          }
        }
        return found;
      }
      toJSON(_arg, ctx) {
        if (!ctx)
          return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
          const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
          throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
      }
      toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
          anchors.anchorIsValid(this.source);
          if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new Error(msg);
          }
          if (ctx.implicitKey)
            return `${src} `;
        }
        return src;
      }
    };
    function getAliasCount(doc, node, anchors2) {
      if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors2 && source && anchors2.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
      } else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
          const c = getAliasCount(doc, item, anchors2);
          if (c > count)
            count = c;
        }
        return count;
      } else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors2);
        const vc = getAliasCount(doc, node.value, anchors2);
        return Math.max(kc, vc);
      }
      return 1;
    }
    exports.Alias = Alias;
  }
});

// node_modules/yaml/dist/nodes/Scalar.js
var require_Scalar = __commonJS({
  "node_modules/yaml/dist/nodes/Scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var isScalarValue = (value) => !value || typeof value !== "function" && typeof value !== "object";
    var Scalar = class extends Node.NodeBase {
      constructor(value) {
        super(identity.SCALAR);
        this.value = value;
      }
      toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
      }
      toString() {
        return String(this.value);
      }
    };
    Scalar.BLOCK_FOLDED = "BLOCK_FOLDED";
    Scalar.BLOCK_LITERAL = "BLOCK_LITERAL";
    Scalar.PLAIN = "PLAIN";
    Scalar.QUOTE_DOUBLE = "QUOTE_DOUBLE";
    Scalar.QUOTE_SINGLE = "QUOTE_SINGLE";
    exports.Scalar = Scalar;
    exports.isScalarValue = isScalarValue;
  }
});

// node_modules/yaml/dist/doc/createNode.js
var require_createNode = __commonJS({
  "node_modules/yaml/dist/doc/createNode.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var Scalar = require_Scalar();
    var defaultTagPrefix = "tag:yaml.org,2002:";
    function findTagObject(value, tagName, tags) {
      if (tagName) {
        const match = tags.filter((t) => t.tag === tagName);
        const tagObj = match.find((t) => !t.format) ?? match[0];
        if (!tagObj)
          throw new Error(`Tag ${tagName} not found`);
        return tagObj;
      }
      return tags.find((t) => t.identify?.(value) && !t.format);
    }
    function createNode(value, tagName, ctx) {
      if (identity.isDocument(value))
        value = value.contents;
      if (identity.isNode(value))
        return value;
      if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
      }
      if (value instanceof String || value instanceof Number || value instanceof Boolean || typeof BigInt !== "undefined" && value instanceof BigInt) {
        value = value.valueOf();
      }
      const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
      let ref = void 0;
      if (aliasDuplicateObjects && value && typeof value === "object") {
        ref = sourceObjects.get(value);
        if (ref) {
          ref.anchor ?? (ref.anchor = onAnchor(value));
          return new Alias.Alias(ref.anchor);
        } else {
          ref = { anchor: null, node: null };
          sourceObjects.set(value, ref);
        }
      }
      if (tagName?.startsWith("!!"))
        tagName = defaultTagPrefix + tagName.slice(2);
      let tagObj = findTagObject(value, tagName, schema.tags);
      if (!tagObj) {
        if (value && typeof value.toJSON === "function") {
          value = value.toJSON();
        }
        if (!value || typeof value !== "object") {
          const node2 = new Scalar.Scalar(value);
          if (ref)
            ref.node = node2;
          return node2;
        }
        tagObj = value instanceof Map ? schema[identity.MAP] : Symbol.iterator in Object(value) ? schema[identity.SEQ] : schema[identity.MAP];
      }
      if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
      }
      const node = tagObj?.createNode ? tagObj.createNode(ctx.schema, value, ctx) : typeof tagObj?.nodeClass?.from === "function" ? tagObj.nodeClass.from(ctx.schema, value, ctx) : new Scalar.Scalar(value);
      if (tagName)
        node.tag = tagName;
      else if (!tagObj.default)
        node.tag = tagObj.tag;
      if (ref)
        ref.node = node;
      return node;
    }
    exports.createNode = createNode;
  }
});

// node_modules/yaml/dist/nodes/Collection.js
var require_Collection = __commonJS({
  "node_modules/yaml/dist/nodes/Collection.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var identity = require_identity();
    var Node = require_Node();
    function collectionFromPath(schema, path18, value) {
      let v = value;
      for (let i = path18.length - 1; i >= 0; --i) {
        const k = path18[i];
        if (typeof k === "number" && Number.isInteger(k) && k >= 0) {
          const a = [];
          a[k] = v;
          v = a;
        } else {
          v = /* @__PURE__ */ new Map([[k, v]]);
        }
      }
      return createNode.createNode(v, void 0, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
          throw new Error("This should not happen, please report a bug.");
        },
        schema,
        sourceObjects: /* @__PURE__ */ new Map()
      });
    }
    var isEmptyPath = (path18) => path18 == null || typeof path18 === "object" && !!path18[Symbol.iterator]().next().done;
    var Collection = class extends Node.NodeBase {
      constructor(type, schema) {
        super(type);
        Object.defineProperty(this, "schema", {
          value: schema,
          configurable: true,
          enumerable: false,
          writable: true
        });
      }
      /**
       * Create a copy of this collection.
       *
       * @param schema - If defined, overwrites the original's schema
       */
      clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
          copy.schema = schema;
        copy.items = copy.items.map((it) => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /**
       * Adds a value to the collection. For `!!map` and `!!omap` the value must
       * be a Pair instance or a `{ key, value }` object, which may not have a key
       * that already exists in the map.
       */
      addIn(path18, value) {
        if (isEmptyPath(path18))
          this.add(value);
        else {
          const [key, ...rest] = path18;
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.addIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
      /**
       * Removes a value from the collection.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path18) {
        const [key, ...rest] = path18;
        if (rest.length === 0)
          return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
          return node.deleteIn(rest);
        else
          throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path18, keepScalar) {
        const [key, ...rest] = path18;
        const node = this.get(key, true);
        if (rest.length === 0)
          return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
          return identity.isCollection(node) ? node.getIn(rest, keepScalar) : void 0;
      }
      hasAllNullValues(allowScalar) {
        return this.items.every((node) => {
          if (!identity.isPair(node))
            return false;
          const n = node.value;
          return n == null || allowScalar && identity.isScalar(n) && n.value == null && !n.commentBefore && !n.comment && !n.tag;
        });
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       */
      hasIn(path18) {
        const [key, ...rest] = path18;
        if (rest.length === 0)
          return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path18, value) {
        const [key, ...rest] = path18;
        if (rest.length === 0) {
          this.set(key, value);
        } else {
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.setIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
    };
    exports.Collection = Collection;
    exports.collectionFromPath = collectionFromPath;
    exports.isEmptyPath = isEmptyPath;
  }
});

// node_modules/yaml/dist/stringify/stringifyComment.js
var require_stringifyComment = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyComment.js"(exports) {
    "use strict";
    var stringifyComment = (str2) => str2.replace(/^(?!$)(?: $)?/gm, "#");
    function indentComment(comment, indent) {
      if (/^\n+$/.test(comment))
        return comment.substring(1);
      return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
    }
    var lineComment = (str2, indent, comment) => str2.endsWith("\n") ? indentComment(comment, indent) : comment.includes("\n") ? "\n" + indentComment(comment, indent) : (str2.endsWith(" ") ? "" : " ") + comment;
    exports.indentComment = indentComment;
    exports.lineComment = lineComment;
    exports.stringifyComment = stringifyComment;
  }
});

// node_modules/yaml/dist/stringify/foldFlowLines.js
var require_foldFlowLines = __commonJS({
  "node_modules/yaml/dist/stringify/foldFlowLines.js"(exports) {
    "use strict";
    var FOLD_FLOW = "flow";
    var FOLD_BLOCK = "block";
    var FOLD_QUOTED = "quoted";
    function foldFlowLines(text3, indent, mode = "flow", { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
      if (!lineWidth || lineWidth < 0)
        return text3;
      if (lineWidth < minContentWidth)
        minContentWidth = 0;
      const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
      if (text3.length <= endStep)
        return text3;
      const folds = [];
      const escapedFolds = {};
      let end = lineWidth - indent.length;
      if (typeof indentAtStart === "number") {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
          folds.push(0);
        else
          end = lineWidth - indentAtStart;
      }
      let split = void 0;
      let prev = void 0;
      let overflow = false;
      let i = -1;
      let escStart = -1;
      let escEnd = -1;
      if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text3, i, indent.length);
        if (i !== -1)
          end = i + endStep;
      }
      for (let ch; ch = text3[i += 1]; ) {
        if (mode === FOLD_QUOTED && ch === "\\") {
          escStart = i;
          switch (text3[i + 1]) {
            case "x":
              i += 3;
              break;
            case "u":
              i += 5;
              break;
            case "U":
              i += 9;
              break;
            default:
              i += 1;
          }
          escEnd = i;
        }
        if (ch === "\n") {
          if (mode === FOLD_BLOCK)
            i = consumeMoreIndentedLines(text3, i, indent.length);
          end = i + indent.length + endStep;
          split = void 0;
        } else {
          if (ch === " " && prev && prev !== " " && prev !== "\n" && prev !== "	") {
            const next = text3[i + 1];
            if (next && next !== " " && next !== "\n" && next !== "	")
              split = i;
          }
          if (i >= end) {
            if (split) {
              folds.push(split);
              end = split + endStep;
              split = void 0;
            } else if (mode === FOLD_QUOTED) {
              while (prev === " " || prev === "	") {
                prev = ch;
                ch = text3[i += 1];
                overflow = true;
              }
              const j = i > escEnd + 1 ? i - 2 : escStart - 1;
              if (escapedFolds[j])
                return text3;
              folds.push(j);
              escapedFolds[j] = true;
              end = j + endStep;
              split = void 0;
            } else {
              overflow = true;
            }
          }
        }
        prev = ch;
      }
      if (overflow && onOverflow)
        onOverflow();
      if (folds.length === 0)
        return text3;
      if (onFold)
        onFold();
      let res = text3.slice(0, folds[0]);
      for (let i2 = 0; i2 < folds.length; ++i2) {
        const fold = folds[i2];
        const end2 = folds[i2 + 1] || text3.length;
        if (fold === 0)
          res = `
${indent}${text3.slice(0, end2)}`;
        else {
          if (mode === FOLD_QUOTED && escapedFolds[fold])
            res += `${text3[fold]}\\`;
          res += `
${indent}${text3.slice(fold + 1, end2)}`;
        }
      }
      return res;
    }
    function consumeMoreIndentedLines(text3, i, indent) {
      let end = i;
      let start = i + 1;
      let ch = text3[start];
      while (ch === " " || ch === "	") {
        if (i < start + indent) {
          ch = text3[++i];
        } else {
          do {
            ch = text3[++i];
          } while (ch && ch !== "\n");
          end = i;
          start = i + 1;
          ch = text3[start];
        }
      }
      return end;
    }
    exports.FOLD_BLOCK = FOLD_BLOCK;
    exports.FOLD_FLOW = FOLD_FLOW;
    exports.FOLD_QUOTED = FOLD_QUOTED;
    exports.foldFlowLines = foldFlowLines;
  }
});

// node_modules/yaml/dist/stringify/stringifyString.js
var require_stringifyString = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyString.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var foldFlowLines = require_foldFlowLines();
    var getFoldOptions = (ctx, isBlock) => ({
      indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
      lineWidth: ctx.options.lineWidth,
      minContentWidth: ctx.options.minContentWidth
    });
    var containsDocumentMarker = (str2) => /^(%|---|\.\.\.)/m.test(str2);
    function lineLengthOverLimit(str2, lineWidth, indentLength) {
      if (!lineWidth || lineWidth < 0)
        return false;
      const limit = lineWidth - indentLength;
      const strLen = str2.length;
      if (strLen <= limit)
        return false;
      for (let i = 0, start = 0; i < strLen; ++i) {
        if (str2[i] === "\n") {
          if (i - start > limit)
            return true;
          start = i + 1;
          if (strLen - start <= limit)
            return false;
        }
      }
      return true;
    }
    function doubleQuotedString(value, ctx) {
      const json = JSON.stringify(value);
      if (ctx.options.doubleQuotedAsJSON)
        return json;
      const { implicitKey } = ctx;
      const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      let str2 = "";
      let start = 0;
      for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === " " && json[i + 1] === "\\" && json[i + 2] === "n") {
          str2 += json.slice(start, i) + "\\ ";
          i += 1;
          start = i;
          ch = "\\";
        }
        if (ch === "\\")
          switch (json[i + 1]) {
            case "u":
              {
                str2 += json.slice(start, i);
                const code2 = json.substr(i + 2, 4);
                switch (code2) {
                  case "0000":
                    str2 += "\\0";
                    break;
                  case "0007":
                    str2 += "\\a";
                    break;
                  case "000b":
                    str2 += "\\v";
                    break;
                  case "001b":
                    str2 += "\\e";
                    break;
                  case "0085":
                    str2 += "\\N";
                    break;
                  case "00a0":
                    str2 += "\\_";
                    break;
                  case "2028":
                    str2 += "\\L";
                    break;
                  case "2029":
                    str2 += "\\P";
                    break;
                  default:
                    if (code2.substr(0, 2) === "00")
                      str2 += "\\x" + code2.substr(2);
                    else
                      str2 += json.substr(i, 6);
                }
                i += 5;
                start = i + 1;
              }
              break;
            case "n":
              if (implicitKey || json[i + 2] === '"' || json.length < minMultiLineLength) {
                i += 1;
              } else {
                str2 += json.slice(start, i) + "\n\n";
                while (json[i + 2] === "\\" && json[i + 3] === "n" && json[i + 4] !== '"') {
                  str2 += "\n";
                  i += 2;
                }
                str2 += indent;
                if (json[i + 2] === " ")
                  str2 += "\\";
                i += 1;
                start = i + 1;
              }
              break;
            default:
              i += 1;
          }
      }
      str2 = start ? str2 + json.slice(start) : json;
      return implicitKey ? str2 : foldFlowLines.foldFlowLines(str2, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
    }
    function singleQuotedString(value, ctx) {
      if (ctx.options.singleQuote === false || ctx.implicitKey && value.includes("\n") || /[ \t]\n|\n[ \t]/.test(value))
        return doubleQuotedString(value, ctx);
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&
${indent}`) + "'";
      return ctx.implicitKey ? res : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function quotedString(value, ctx) {
      const { singleQuote } = ctx.options;
      let qs;
      if (singleQuote === false)
        qs = doubleQuotedString;
      else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
          qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
          qs = doubleQuotedString;
        else
          qs = singleQuote ? singleQuotedString : doubleQuotedString;
      }
      return qs(value, ctx);
    }
    var blockEndNewlines;
    try {
      blockEndNewlines = new RegExp("(^|(?<!\n))\n+(?!\n|$)", "g");
    } catch {
      blockEndNewlines = /\n+(?!\n|$)/g;
    }
    function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
      const { blockQuote, commentString, lineWidth } = ctx.options;
      if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
      }
      const indent = ctx.indent || (ctx.forceBlockIndent || containsDocumentMarker(value) ? "  " : "");
      const literal = blockQuote === "literal" ? true : blockQuote === "folded" || type === Scalar.Scalar.BLOCK_FOLDED ? false : type === Scalar.Scalar.BLOCK_LITERAL ? true : !lineLengthOverLimit(value, lineWidth, indent.length);
      if (!value)
        return literal ? "|\n" : ">\n";
      let chomp;
      let endStart;
      for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== "\n" && ch !== "	" && ch !== " ")
          break;
      }
      let end = value.substring(endStart);
      const endNlPos = end.indexOf("\n");
      if (endNlPos === -1) {
        chomp = "-";
      } else if (value === end || endNlPos !== end.length - 1) {
        chomp = "+";
        if (onChompKeep)
          onChompKeep();
      } else {
        chomp = "";
      }
      if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === "\n")
          end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
      }
      let startWithSpace = false;
      let startEnd;
      let startNlPos = -1;
      for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === " ")
          startWithSpace = true;
        else if (ch === "\n")
          startNlPos = startEnd;
        else
          break;
      }
      let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
      if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
      }
      const indentSize = indent ? "2" : "1";
      let header = (startWithSpace ? indentSize : "") + chomp;
      if (comment) {
        header += " " + commentString(comment.replace(/ ?[\r\n]+/g, " "));
        if (onComment)
          onComment();
      }
      if (!literal) {
        const foldedValue = value.replace(/\n+/g, "\n$&").replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, "$1$2").replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== "folded" && type !== Scalar.Scalar.BLOCK_FOLDED) {
          foldOptions.onOverflow = () => {
            literalFallback = true;
          };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
          return `>${header}
${indent}${body}`;
      }
      value = value.replace(/\n+/g, `$&${indent}`);
      return `|${header}
${indent}${start}${value}${end}`;
    }
    function plainString(item, ctx, onComment, onChompKeep) {
      const { type, value } = item;
      const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
      if (implicitKey && value.includes("\n") || inFlow && /[[\]{},]/.test(value)) {
        return quotedString(value, ctx);
      }
      if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        return implicitKey || inFlow || !value.includes("\n") ? quotedString(value, ctx) : blockString(item, ctx, onComment, onChompKeep);
      }
      if (!implicitKey && !inFlow && type !== Scalar.Scalar.PLAIN && value.includes("\n")) {
        return blockString(item, ctx, onComment, onChompKeep);
      }
      if (containsDocumentMarker(value)) {
        if (indent === "") {
          ctx.forceBlockIndent = true;
          return blockString(item, ctx, onComment, onChompKeep);
        } else if (implicitKey && indent === indentStep) {
          return quotedString(value, ctx);
        }
      }
      const str2 = value.replace(/\n+/g, `$&
${indent}`);
      if (actualString) {
        const test = (tag) => tag.default && tag.tag !== "tag:yaml.org,2002:str" && tag.test?.test(str2);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
          return quotedString(value, ctx);
      }
      return implicitKey ? str2 : foldFlowLines.foldFlowLines(str2, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function stringifyString(item, ctx, onComment, onChompKeep) {
      const { implicitKey, inFlow } = ctx;
      const ss = typeof item.value === "string" ? item : Object.assign({}, item, { value: String(item.value) });
      let { type } = item;
      if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
          type = Scalar.Scalar.QUOTE_DOUBLE;
      }
      const _stringify = (_type) => {
        switch (_type) {
          case Scalar.Scalar.BLOCK_FOLDED:
          case Scalar.Scalar.BLOCK_LITERAL:
            return implicitKey || inFlow ? quotedString(ss.value, ctx) : blockString(ss, ctx, onComment, onChompKeep);
          case Scalar.Scalar.QUOTE_DOUBLE:
            return doubleQuotedString(ss.value, ctx);
          case Scalar.Scalar.QUOTE_SINGLE:
            return singleQuotedString(ss.value, ctx);
          case Scalar.Scalar.PLAIN:
            return plainString(ss, ctx, onComment, onChompKeep);
          default:
            return null;
        }
      };
      let res = _stringify(type);
      if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = implicitKey && defaultKeyType || defaultStringType;
        res = _stringify(t);
        if (res === null)
          throw new Error(`Unsupported default string type ${t}`);
      }
      return res;
    }
    exports.stringifyString = stringifyString;
  }
});

// node_modules/yaml/dist/stringify/stringify.js
var require_stringify = __commonJS({
  "node_modules/yaml/dist/stringify/stringify.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var identity = require_identity();
    var stringifyComment = require_stringifyComment();
    var stringifyString = require_stringifyString();
    function createStringifyContext(doc, options) {
      const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: "PLAIN",
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: "false",
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: "null",
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: "true",
        verifyAliasOrder: true
      }, doc.schema.toStringOptions, options);
      let inFlow;
      switch (opt.collectionStyle) {
        case "block":
          inFlow = false;
          break;
        case "flow":
          inFlow = true;
          break;
        default:
          inFlow = null;
      }
      return {
        anchors: /* @__PURE__ */ new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? " " : "",
        indent: "",
        indentStep: typeof opt.indent === "number" ? " ".repeat(opt.indent) : "  ",
        inFlow,
        options: opt
      };
    }
    function getTagObject(tags, item) {
      if (item.tag) {
        const match = tags.filter((t) => t.tag === item.tag);
        if (match.length > 0)
          return match.find((t) => t.format === item.format) ?? match[0];
      }
      let tagObj = void 0;
      let obj;
      if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter((t) => t.identify?.(obj));
        if (match.length > 1) {
          const testMatch = match.filter((t) => t.test);
          if (testMatch.length > 0)
            match = testMatch;
        }
        tagObj = match.find((t) => t.format === item.format) ?? match.find((t) => !t.format);
      } else {
        obj = item;
        tagObj = tags.find((t) => t.nodeClass && obj instanceof t.nodeClass);
      }
      if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? "null" : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
      }
      return tagObj;
    }
    function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
      if (!doc.directives)
        return "";
      const props = [];
      const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
      if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
      }
      const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
      if (tag)
        props.push(doc.directives.tagString(tag));
      return props.join(" ");
    }
    function stringify3(item, ctx, onComment, onChompKeep) {
      if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
      if (identity.isAlias(item)) {
        if (ctx.doc.directives)
          return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
          throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        } else {
          if (ctx.resolvedAliases)
            ctx.resolvedAliases.add(item);
          else
            ctx.resolvedAliases = /* @__PURE__ */ new Set([item]);
          item = item.resolve(ctx.doc);
        }
      }
      let tagObj = void 0;
      const node = identity.isNode(item) ? item : ctx.doc.createNode(item, { onTagObj: (o) => tagObj = o });
      tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
      const props = stringifyProps(node, tagObj, ctx);
      if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
      const str2 = typeof tagObj.stringify === "function" ? tagObj.stringify(node, ctx, onComment, onChompKeep) : identity.isScalar(node) ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep) : node.toString(ctx, onComment, onChompKeep);
      if (!props)
        return str2;
      return identity.isScalar(node) || str2[0] === "{" || str2[0] === "[" ? `${props} ${str2}` : `${props}
${ctx.indent}${str2}`;
    }
    exports.createStringifyContext = createStringifyContext;
    exports.stringify = stringify3;
  }
});

// node_modules/yaml/dist/stringify/stringifyPair.js
var require_stringifyPair = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyPair.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var stringify3 = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
      const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
      let keyComment = identity.isNode(key) && key.comment || null;
      if (simpleKeys) {
        if (keyComment) {
          throw new Error("With simple keys, key nodes cannot have comments");
        }
        if (identity.isCollection(key) || !identity.isNode(key) && typeof key === "object") {
          const msg = "With simple keys, collection cannot be used as a key value";
          throw new Error(msg);
        }
      }
      let explicitKey = !simpleKeys && (!key || keyComment && value == null && !ctx.inFlow || identity.isCollection(key) || (identity.isScalar(key) ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL : typeof key === "object"));
      ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
      });
      let keyCommentDone = false;
      let chompKeep = false;
      let str2 = stringify3.stringify(key, ctx, () => keyCommentDone = true, () => chompKeep = true);
      if (!explicitKey && !ctx.inFlow && str2.length > 1024) {
        if (simpleKeys)
          throw new Error("With simple keys, single line scalar must not span more than 1024 characters");
        explicitKey = true;
      }
      if (ctx.inFlow) {
        if (allNullValues || value == null) {
          if (keyCommentDone && onComment)
            onComment();
          return str2 === "" ? "?" : explicitKey ? `? ${str2}` : str2;
        }
      } else if (allNullValues && !simpleKeys || value == null && explicitKey) {
        str2 = `? ${str2}`;
        if (keyComment && !keyCommentDone) {
          str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(keyComment));
        } else if (chompKeep && onChompKeep)
          onChompKeep();
        return str2;
      }
      if (keyCommentDone)
        keyComment = null;
      if (explicitKey) {
        if (keyComment)
          str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(keyComment));
        str2 = `? ${str2}
${indent}:`;
      } else {
        str2 = `${str2}:`;
        if (keyComment)
          str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(keyComment));
      }
      let vsb, vcb, valueComment;
      if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
      } else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === "object")
          value = doc.createNode(value);
      }
      ctx.implicitKey = false;
      if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str2.length + 1;
      chompKeep = false;
      if (!indentSeq && indentStep.length >= 2 && !ctx.inFlow && !explicitKey && identity.isSeq(value) && !value.flow && !value.tag && !value.anchor) {
        ctx.indent = ctx.indent.substring(2);
      }
      let valueCommentDone = false;
      const valueStr = stringify3.stringify(value, ctx, () => valueCommentDone = true, () => chompKeep = true);
      let ws = " ";
      if (keyComment || vsb || vcb) {
        ws = vsb ? "\n" : "";
        if (vcb) {
          const cs = commentString(vcb);
          ws += `
${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === "" && !ctx.inFlow) {
          if (ws === "\n" && valueComment)
            ws = "\n\n";
        } else {
          ws += `
${ctx.indent}`;
        }
      } else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf("\n");
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
          let hasPropsLine = false;
          if (hasNewline && (vs0 === "&" || vs0 === "!")) {
            let sp0 = valueStr.indexOf(" ");
            if (vs0 === "&" && sp0 !== -1 && sp0 < nl0 && valueStr[sp0 + 1] === "!") {
              sp0 = valueStr.indexOf(" ", sp0 + 1);
            }
            if (sp0 === -1 || nl0 < sp0)
              hasPropsLine = true;
          }
          if (!hasPropsLine)
            ws = `
${ctx.indent}`;
        }
      } else if (valueStr === "" || valueStr[0] === "\n") {
        ws = "";
      }
      str2 += ws + valueStr;
      if (ctx.inFlow) {
        if (valueCommentDone && onComment)
          onComment();
      } else if (valueComment && !valueCommentDone) {
        str2 += stringifyComment.lineComment(str2, ctx.indent, commentString(valueComment));
      } else if (chompKeep && onChompKeep) {
        onChompKeep();
      }
      return str2;
    }
    exports.stringifyPair = stringifyPair;
  }
});

// node_modules/yaml/dist/log.js
var require_log = __commonJS({
  "node_modules/yaml/dist/log.js"(exports) {
    "use strict";
    var node_process = __require("process");
    function debug(logLevel, ...messages) {
      if (logLevel === "debug")
        console.log(...messages);
    }
    function warn(logLevel, warning) {
      if (logLevel === "debug" || logLevel === "warn") {
        if (typeof node_process.emitWarning === "function")
          node_process.emitWarning(warning);
        else
          console.warn(warning);
      }
    }
    exports.debug = debug;
    exports.warn = warn;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/merge.js
var require_merge = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/merge.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var MERGE_KEY = "<<";
    var merge = {
      identify: (value) => value === MERGE_KEY || typeof value === "symbol" && value.description === MERGE_KEY,
      default: "key",
      tag: "tag:yaml.org,2002:merge",
      test: /^<<$/,
      resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
      }),
      stringify: () => MERGE_KEY
    };
    var isMergeKey = (ctx, key) => (merge.identify(key) || identity.isScalar(key) && (!key.type || key.type === Scalar.Scalar.PLAIN) && merge.identify(key.value)) && ctx?.doc.schema.tags.some((tag) => tag.tag === merge.tag && tag.default);
    function addMergeToJSMap(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (identity.isSeq(source))
        for (const it of source.items)
          mergeValue(ctx, map, it);
      else if (Array.isArray(source))
        for (const it of source)
          mergeValue(ctx, map, it);
      else
        mergeValue(ctx, map, source);
    }
    function mergeValue(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (!identity.isMap(source))
        throw new Error("Merge sources must be maps or map aliases");
      const srcMap = source.toJSON(null, ctx, Map);
      for (const [key, value2] of srcMap) {
        if (map instanceof Map) {
          if (!map.has(key))
            map.set(key, value2);
        } else if (map instanceof Set) {
          map.add(key);
        } else if (!Object.prototype.hasOwnProperty.call(map, key)) {
          Object.defineProperty(map, key, {
            value: value2,
            writable: true,
            enumerable: true,
            configurable: true
          });
        }
      }
      return map;
    }
    function resolveAliasValue(ctx, value) {
      return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
    }
    exports.addMergeToJSMap = addMergeToJSMap;
    exports.isMergeKey = isMergeKey;
    exports.merge = merge;
  }
});

// node_modules/yaml/dist/nodes/addPairToJSMap.js
var require_addPairToJSMap = __commonJS({
  "node_modules/yaml/dist/nodes/addPairToJSMap.js"(exports) {
    "use strict";
    var log = require_log();
    var merge = require_merge();
    var stringify3 = require_stringify();
    var identity = require_identity();
    var toJS = require_toJS();
    function addPairToJSMap(ctx, map, { key, value }) {
      if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
      else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
      else {
        const jsKey = toJS.toJS(key, "", ctx);
        if (map instanceof Map) {
          map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        } else if (map instanceof Set) {
          map.add(jsKey);
        } else {
          const stringKey = stringifyKey(key, jsKey, ctx);
          const jsValue = toJS.toJS(value, stringKey, ctx);
          if (stringKey in map)
            Object.defineProperty(map, stringKey, {
              value: jsValue,
              writable: true,
              enumerable: true,
              configurable: true
            });
          else
            map[stringKey] = jsValue;
        }
      }
      return map;
    }
    function stringifyKey(key, jsKey, ctx) {
      if (jsKey === null)
        return "";
      if (typeof jsKey !== "object")
        return String(jsKey);
      if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify3.createStringifyContext(ctx.doc, {});
        strCtx.anchors = /* @__PURE__ */ new Set();
        for (const node of ctx.anchors.keys())
          strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
          let jsonStr = JSON.stringify(strKey);
          if (jsonStr.length > 40)
            jsonStr = jsonStr.substring(0, 36) + '..."';
          log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
          ctx.mapKeyWarned = true;
        }
        return strKey;
      }
      return JSON.stringify(jsKey);
    }
    exports.addPairToJSMap = addPairToJSMap;
  }
});

// node_modules/yaml/dist/nodes/Pair.js
var require_Pair = __commonJS({
  "node_modules/yaml/dist/nodes/Pair.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyPair = require_stringifyPair();
    var addPairToJSMap = require_addPairToJSMap();
    var identity = require_identity();
    function createPair(key, value, ctx) {
      const k = createNode.createNode(key, void 0, ctx);
      const v = createNode.createNode(value, void 0, ctx);
      return new Pair(k, v);
    }
    var Pair = class _Pair {
      constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
      }
      clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
          key = key.clone(schema);
        if (identity.isNode(value))
          value = value.clone(schema);
        return new _Pair(key, value);
      }
      toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
      }
      toString(ctx, onComment, onChompKeep) {
        return ctx?.doc ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep) : JSON.stringify(this);
      }
    };
    exports.Pair = Pair;
    exports.createPair = createPair;
  }
});

// node_modules/yaml/dist/stringify/stringifyCollection.js
var require_stringifyCollection = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyCollection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify3 = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyCollection(collection, ctx, options) {
      const flow = ctx.inFlow ?? collection.flow;
      const stringify4 = flow ? stringifyFlowCollection : stringifyBlockCollection;
      return stringify4(collection, ctx, options);
    }
    function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
      const { indent, options: { commentString } } = ctx;
      const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
      let chompKeep = false;
      const lines2 = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment2 = null;
        if (identity.isNode(item)) {
          if (!chompKeep && item.spaceBefore)
            lines2.push("");
          addCommentBefore(ctx, lines2, item.commentBefore, chompKeep);
          if (item.comment)
            comment2 = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (!chompKeep && ik.spaceBefore)
              lines2.push("");
            addCommentBefore(ctx, lines2, ik.commentBefore, chompKeep);
          }
        }
        chompKeep = false;
        let str3 = stringify3.stringify(item, itemCtx, () => comment2 = null, () => chompKeep = true);
        if (comment2)
          str3 += stringifyComment.lineComment(str3, itemIndent, commentString(comment2));
        if (chompKeep && comment2)
          chompKeep = false;
        lines2.push(blockItemPrefix + str3);
      }
      let str2;
      if (lines2.length === 0) {
        str2 = flowChars.start + flowChars.end;
      } else {
        str2 = lines2[0];
        for (let i = 1; i < lines2.length; ++i) {
          const line = lines2[i];
          str2 += line ? `
${indent}${line}` : "\n";
        }
      }
      if (comment) {
        str2 += "\n" + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
          onComment();
      } else if (chompKeep && onChompKeep)
        onChompKeep();
      return str2;
    }
    function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
      const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
      itemIndent += indentStep;
      const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
      });
      let reqNewline = false;
      let linesAtValue = 0;
      const lines2 = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
          if (item.spaceBefore)
            lines2.push("");
          addCommentBefore(ctx, lines2, item.commentBefore, false);
          if (item.comment)
            comment = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (ik.spaceBefore)
              lines2.push("");
            addCommentBefore(ctx, lines2, ik.commentBefore, false);
            if (ik.comment)
              reqNewline = true;
          }
          const iv = identity.isNode(item.value) ? item.value : null;
          if (iv) {
            if (iv.comment)
              comment = iv.comment;
            if (iv.commentBefore)
              reqNewline = true;
          } else if (item.value == null && ik?.comment) {
            comment = ik.comment;
          }
        }
        if (comment)
          reqNewline = true;
        let str2 = stringify3.stringify(item, itemCtx, () => comment = null);
        reqNewline || (reqNewline = lines2.length > linesAtValue || str2.includes("\n"));
        if (i < items.length - 1) {
          str2 += ",";
        } else if (ctx.options.trailingComma) {
          if (ctx.options.lineWidth > 0) {
            reqNewline || (reqNewline = lines2.reduce((sum, line) => sum + line.length + 2, 2) + (str2.length + 2) > ctx.options.lineWidth);
          }
          if (reqNewline) {
            str2 += ",";
          }
        }
        if (comment)
          str2 += stringifyComment.lineComment(str2, itemIndent, commentString(comment));
        lines2.push(str2);
        linesAtValue = lines2.length;
      }
      const { start, end } = flowChars;
      if (lines2.length === 0) {
        return start + end;
      } else {
        if (!reqNewline) {
          const len = lines2.reduce((sum, line) => sum + line.length + 2, 2);
          reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
          let str2 = start;
          for (const line of lines2)
            str2 += line ? `
${indentStep}${indent}${line}` : "\n";
          return `${str2}
${indent}${end}`;
        } else {
          return `${start}${fcPadding}${lines2.join(" ")}${fcPadding}${end}`;
        }
      }
    }
    function addCommentBefore({ indent, options: { commentString } }, lines2, comment, chompKeep) {
      if (comment && chompKeep)
        comment = comment.replace(/^\n+/, "");
      if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines2.push(ic.trimStart());
      }
    }
    exports.stringifyCollection = stringifyCollection;
  }
});

// node_modules/yaml/dist/nodes/YAMLMap.js
var require_YAMLMap = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLMap.js"(exports) {
    "use strict";
    var stringifyCollection = require_stringifyCollection();
    var addPairToJSMap = require_addPairToJSMap();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    function findPair(items, key) {
      const k = identity.isScalar(key) ? key.value : key;
      for (const it of items) {
        if (identity.isPair(it)) {
          if (it.key === key || it.key === k)
            return it;
          if (identity.isScalar(it.key) && it.key.value === k)
            return it;
        }
      }
      return void 0;
    }
    var YAMLMap = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:map";
      }
      constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
      }
      /**
       * A generic collection parsing method that can be extended
       * to other node classes that inherit from YAMLMap
       */
      static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
          if (typeof replacer === "function")
            value = replacer.call(obj, key, value);
          else if (Array.isArray(replacer) && !replacer.includes(key))
            return;
          if (value !== void 0 || keepUndefined)
            map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
          for (const [key, value] of obj)
            add(key, value);
        } else if (obj && typeof obj === "object") {
          for (const key of Object.keys(obj))
            add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === "function") {
          map.items.sort(schema.sortMapEntries);
        }
        return map;
      }
      /**
       * Adds a value to the collection.
       *
       * @param overwrite - If not set `true`, using a key that is already in the
       *   collection will throw. Otherwise, overwrites the previous value.
       */
      add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
          _pair = pair;
        else if (!pair || typeof pair !== "object" || !("key" in pair)) {
          _pair = new Pair.Pair(pair, pair?.value);
        } else
          _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
          if (!overwrite)
            throw new Error(`Key ${_pair.key} already set`);
          if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
            prev.value.value = _pair.value;
          else
            prev.value = _pair.value;
        } else if (sortEntries) {
          const i = this.items.findIndex((item) => sortEntries(_pair, item) < 0);
          if (i === -1)
            this.items.push(_pair);
          else
            this.items.splice(i, 0, _pair);
        } else {
          this.items.push(_pair);
        }
      }
      delete(key) {
        const it = findPair(this.items, key);
        if (!it)
          return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? void 0;
      }
      has(key) {
        return !!findPair(this.items, key);
      }
      set(key, value) {
        this.add(new Pair.Pair(key, value), true);
      }
      /**
       * @param ctx - Conversion context, originally set in Document#toJS()
       * @param {Class} Type - If set, forces the returned collection type
       * @returns Instance of Type, Map, or Object
       */
      toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const item of this.items)
          addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        for (const item of this.items) {
          if (!identity.isPair(item))
            throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
          ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "",
          flowChars: { start: "{", end: "}" },
          itemIndent: ctx.indent || "",
          onChompKeep,
          onComment
        });
      }
    };
    exports.YAMLMap = YAMLMap;
    exports.findPair = findPair;
  }
});

// node_modules/yaml/dist/schema/common/map.js
var require_map = __commonJS({
  "node_modules/yaml/dist/schema/common/map.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLMap = require_YAMLMap();
    var map = {
      collection: "map",
      default: true,
      nodeClass: YAMLMap.YAMLMap,
      tag: "tag:yaml.org,2002:map",
      resolve(map2, onError) {
        if (!identity.isMap(map2))
          onError("Expected a mapping for this tag");
        return map2;
      },
      createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
    };
    exports.map = map;
  }
});

// node_modules/yaml/dist/nodes/YAMLSeq.js
var require_YAMLSeq = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLSeq.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyCollection = require_stringifyCollection();
    var Collection = require_Collection();
    var identity = require_identity();
    var Scalar = require_Scalar();
    var toJS = require_toJS();
    var YAMLSeq = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:seq";
      }
      constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
      }
      add(value) {
        this.items.push(value);
      }
      /**
       * Removes a value from the collection.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       *
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return void 0;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       */
      has(key) {
        const idx = asItemIndex(key);
        return typeof idx === "number" && idx < this.items.length;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       *
       * If `key` does not contain a representation of an integer, this will throw.
       * It may be wrapped in a `Scalar`.
       */
      set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
          prev.value = value;
        else
          this.items[idx] = value;
      }
      toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
          ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
          seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "- ",
          flowChars: { start: "[", end: "]" },
          itemIndent: (ctx.indent || "") + "  ",
          onChompKeep,
          onComment
        });
      }
      static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
          let i = 0;
          for (let it of obj) {
            if (typeof replacer === "function") {
              const key = obj instanceof Set ? it : String(i++);
              it = replacer.call(obj, key, it);
            }
            seq.items.push(createNode.createNode(it, void 0, ctx));
          }
        }
        return seq;
      }
    };
    function asItemIndex(key) {
      let idx = identity.isScalar(key) ? key.value : key;
      if (idx && typeof idx === "string")
        idx = Number(idx);
      return typeof idx === "number" && Number.isInteger(idx) && idx >= 0 ? idx : null;
    }
    exports.YAMLSeq = YAMLSeq;
  }
});

// node_modules/yaml/dist/schema/common/seq.js
var require_seq = __commonJS({
  "node_modules/yaml/dist/schema/common/seq.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLSeq = require_YAMLSeq();
    var seq = {
      collection: "seq",
      default: true,
      nodeClass: YAMLSeq.YAMLSeq,
      tag: "tag:yaml.org,2002:seq",
      resolve(seq2, onError) {
        if (!identity.isSeq(seq2))
          onError("Expected a sequence for this tag");
        return seq2;
      },
      createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
    };
    exports.seq = seq;
  }
});

// node_modules/yaml/dist/schema/common/string.js
var require_string = __commonJS({
  "node_modules/yaml/dist/schema/common/string.js"(exports) {
    "use strict";
    var stringifyString = require_stringifyString();
    var string = {
      identify: (value) => typeof value === "string",
      default: true,
      tag: "tag:yaml.org,2002:str",
      resolve: (str2) => str2,
      stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
      }
    };
    exports.string = string;
  }
});

// node_modules/yaml/dist/schema/common/null.js
var require_null = __commonJS({
  "node_modules/yaml/dist/schema/common/null.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var nullTag = {
      identify: (value) => value == null,
      createNode: () => new Scalar.Scalar(null),
      default: true,
      tag: "tag:yaml.org,2002:null",
      test: /^(?:~|[Nn]ull|NULL)?$/,
      resolve: () => new Scalar.Scalar(null),
      stringify: ({ source }, ctx) => typeof source === "string" && nullTag.test.test(source) ? source : ctx.options.nullStr
    };
    exports.nullTag = nullTag;
  }
});

// node_modules/yaml/dist/schema/core/bool.js
var require_bool = __commonJS({
  "node_modules/yaml/dist/schema/core/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var boolTag = {
      identify: (value) => typeof value === "boolean",
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
      resolve: (str2) => new Scalar.Scalar(str2[0] === "t" || str2[0] === "T"),
      stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
          const sv = source[0] === "t" || source[0] === "T";
          if (value === sv)
            return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
      }
    };
    exports.boolTag = boolTag;
  }
});

// node_modules/yaml/dist/stringify/stringifyNumber.js
var require_stringifyNumber = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyNumber.js"(exports) {
    "use strict";
    function stringifyNumber({ format, minFractionDigits, tag, value }) {
      if (typeof value === "bigint")
        return String(value);
      const num2 = typeof value === "number" ? value : Number(value);
      if (!isFinite(num2))
        return isNaN(num2) ? ".nan" : num2 < 0 ? "-.inf" : ".inf";
      let n = Object.is(value, -0) ? "-0" : JSON.stringify(value);
      if (!format && minFractionDigits && (!tag || tag === "tag:yaml.org,2002:float") && /^-?\d/.test(n) && !n.includes("e")) {
        let i = n.indexOf(".");
        if (i < 0) {
          i = n.length;
          n += ".";
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
          n += "0";
      }
      return n;
    }
    exports.stringifyNumber = stringifyNumber;
  }
});

// node_modules/yaml/dist/schema/core/float.js
var require_float = __commonJS({
  "node_modules/yaml/dist/schema/core/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str2) => str2.slice(-3).toLowerCase() === "nan" ? NaN : str2[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
      resolve: (str2) => parseFloat(str2),
      stringify(node) {
        const num2 = Number(node.value);
        return isFinite(num2) ? num2.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
      resolve(str2) {
        const node = new Scalar.Scalar(parseFloat(str2));
        const dot = str2.indexOf(".");
        if (dot !== -1 && str2[str2.length - 1] === "0")
          node.minFractionDigits = str2.length - dot - 1;
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/core/int.js
var require_int = __commonJS({
  "node_modules/yaml/dist/schema/core/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    var intResolve = (str2, offset, radix, { intAsBigInt }) => intAsBigInt ? BigInt(str2) : parseInt(str2.substring(offset), radix);
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
      return stringifyNumber.stringifyNumber(node);
    }
    var intOct = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^0o[0-7]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 8, opt),
      stringify: (node) => intStringify(node, 8, "0o")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^0x[0-9a-fA-F]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/core/schema.js
var require_schema = __commonJS({
  "node_modules/yaml/dist/schema/core/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool.boolTag,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/json/schema.js
var require_schema2 = __commonJS({
  "node_modules/yaml/dist/schema/json/schema.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var map = require_map();
    var seq = require_seq();
    function intIdentify(value) {
      return typeof value === "bigint" || Number.isInteger(value);
    }
    var stringifyJSON = ({ value }) => JSON.stringify(value);
    var jsonScalars = [
      {
        identify: (value) => typeof value === "string",
        default: true,
        tag: "tag:yaml.org,2002:str",
        resolve: (str2) => str2,
        stringify: stringifyJSON
      },
      {
        identify: (value) => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: "tag:yaml.org,2002:null",
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
      },
      {
        identify: (value) => typeof value === "boolean",
        default: true,
        tag: "tag:yaml.org,2002:bool",
        test: /^true$|^false$/,
        resolve: (str2) => str2 === "true",
        stringify: stringifyJSON
      },
      {
        identify: intIdentify,
        default: true,
        tag: "tag:yaml.org,2002:int",
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str2, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str2) : parseInt(str2, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
      },
      {
        identify: (value) => typeof value === "number",
        default: true,
        tag: "tag:yaml.org,2002:float",
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: (str2) => parseFloat(str2),
        stringify: stringifyJSON
      }
    ];
    var jsonError = {
      default: true,
      tag: "",
      test: /^/,
      resolve(str2, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str2)}`);
        return str2;
      }
    };
    var schema = [map.map, seq.seq].concat(jsonScalars, jsonError);
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/binary.js
var require_binary = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/binary.js"(exports) {
    "use strict";
    var node_buffer = __require("buffer");
    var Scalar = require_Scalar();
    var stringifyString = require_stringifyString();
    var binary = {
      identify: (value) => value instanceof Uint8Array,
      // Buffer inherits from Uint8Array
      default: false,
      tag: "tag:yaml.org,2002:binary",
      /**
       * Returns a Buffer in node and an Uint8Array in browsers
       *
       * To use the resulting buffer as an image, you'll want to do something like:
       *
       *   const blob = new Blob([buffer], { type: 'image/jpeg' })
       *   document.querySelector('#photo').src = URL.createObjectURL(blob)
       */
      resolve(src, onError) {
        if (typeof node_buffer.Buffer === "function") {
          return node_buffer.Buffer.from(src, "base64");
        } else if (typeof atob === "function") {
          const str2 = atob(src.replace(/[\n\r]/g, ""));
          const buffer = new Uint8Array(str2.length);
          for (let i = 0; i < str2.length; ++i)
            buffer[i] = str2.charCodeAt(i);
          return buffer;
        } else {
          onError("This environment does not support reading binary tags; either Buffer or atob is required");
          return src;
        }
      },
      stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
          return "";
        const buf = value;
        let str2;
        if (typeof node_buffer.Buffer === "function") {
          str2 = buf instanceof node_buffer.Buffer ? buf.toString("base64") : node_buffer.Buffer.from(buf.buffer).toString("base64");
        } else if (typeof btoa === "function") {
          let s = "";
          for (let i = 0; i < buf.length; ++i)
            s += String.fromCharCode(buf[i]);
          str2 = btoa(s);
        } else {
          throw new Error("This environment does not support writing binary tags; either Buffer or btoa is required");
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
          const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
          const n = Math.ceil(str2.length / lineWidth);
          const lines2 = new Array(n);
          for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
            lines2[i] = str2.substr(o, lineWidth);
          }
          str2 = lines2.join(type === Scalar.Scalar.BLOCK_LITERAL ? "\n" : " ");
        }
        return stringifyString.stringifyString({ comment, type, value: str2 }, ctx, onComment, onChompKeep);
      }
    };
    exports.binary = binary;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/pairs.js
var require_pairs = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/pairs.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLSeq = require_YAMLSeq();
    function resolvePairs(seq, onError) {
      if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
          let item = seq.items[i];
          if (identity.isPair(item))
            continue;
          else if (identity.isMap(item)) {
            if (item.items.length > 1)
              onError("Each pair must have its own sequence indicator");
            const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
            if (item.commentBefore)
              pair.key.commentBefore = pair.key.commentBefore ? `${item.commentBefore}
${pair.key.commentBefore}` : item.commentBefore;
            if (item.comment) {
              const cn = pair.value ?? pair.key;
              cn.comment = cn.comment ? `${item.comment}
${cn.comment}` : item.comment;
            }
            item = pair;
          }
          seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
      } else
        onError("Expected a sequence for this tag");
      return seq;
    }
    function createPairs(schema, iterable, ctx) {
      const { replacer } = ctx;
      const pairs2 = new YAMLSeq.YAMLSeq(schema);
      pairs2.tag = "tag:yaml.org,2002:pairs";
      let i = 0;
      if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
          if (typeof replacer === "function")
            it = replacer.call(iterable, String(i++), it);
          let key, value;
          if (Array.isArray(it)) {
            if (it.length === 2) {
              key = it[0];
              value = it[1];
            } else
              throw new TypeError(`Expected [key, value] tuple: ${it}`);
          } else if (it && it instanceof Object) {
            const keys = Object.keys(it);
            if (keys.length === 1) {
              key = keys[0];
              value = it[key];
            } else {
              throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
            }
          } else {
            key = it;
          }
          pairs2.items.push(Pair.createPair(key, value, ctx));
        }
      return pairs2;
    }
    var pairs = {
      collection: "seq",
      default: false,
      tag: "tag:yaml.org,2002:pairs",
      resolve: resolvePairs,
      createNode: createPairs
    };
    exports.createPairs = createPairs;
    exports.pairs = pairs;
    exports.resolvePairs = resolvePairs;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/omap.js
var require_omap = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/omap.js"(exports) {
    "use strict";
    var identity = require_identity();
    var toJS = require_toJS();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var pairs = require_pairs();
    var YAMLOMap = class _YAMLOMap extends YAMLSeq.YAMLSeq {
      constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = _YAMLOMap.tag;
      }
      /**
       * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
       * but TypeScript won't allow widening the signature of a child method.
       */
      toJSON(_, ctx) {
        if (!ctx)
          return super.toJSON(_);
        const map = /* @__PURE__ */ new Map();
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const pair of this.items) {
          let key, value;
          if (identity.isPair(pair)) {
            key = toJS.toJS(pair.key, "", ctx);
            value = toJS.toJS(pair.value, key, ctx);
          } else {
            key = toJS.toJS(pair, "", ctx);
          }
          if (map.has(key))
            throw new Error("Ordered maps must not include duplicate keys");
          map.set(key, value);
        }
        return map;
      }
      static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap2 = new this();
        omap2.items = pairs$1.items;
        return omap2;
      }
    };
    YAMLOMap.tag = "tag:yaml.org,2002:omap";
    var omap = {
      collection: "seq",
      identify: (value) => value instanceof Map,
      nodeClass: YAMLOMap,
      default: false,
      tag: "tag:yaml.org,2002:omap",
      resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
          if (identity.isScalar(key)) {
            if (seenKeys.includes(key.value)) {
              onError(`Ordered maps must not include duplicate keys: ${key.value}`);
            } else {
              seenKeys.push(key.value);
            }
          }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
      },
      createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
    };
    exports.YAMLOMap = YAMLOMap;
    exports.omap = omap;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/bool.js
var require_bool2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function boolStringify({ value, source }, ctx) {
      const boolObj = value ? trueTag : falseTag;
      if (source && boolObj.test.test(source))
        return source;
      return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
    var trueTag = {
      identify: (value) => value === true,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
      resolve: () => new Scalar.Scalar(true),
      stringify: boolStringify
    };
    var falseTag = {
      identify: (value) => value === false,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
      resolve: () => new Scalar.Scalar(false),
      stringify: boolStringify
    };
    exports.falseTag = falseTag;
    exports.trueTag = trueTag;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/float.js
var require_float2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str2) => str2.slice(-3).toLowerCase() === "nan" ? NaN : str2[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
      resolve: (str2) => parseFloat(str2.replace(/_/g, "")),
      stringify(node) {
        const num2 = Number(node.value);
        return isFinite(num2) ? num2.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
      resolve(str2) {
        const node = new Scalar.Scalar(parseFloat(str2.replace(/_/g, "")));
        const dot = str2.indexOf(".");
        if (dot !== -1) {
          const f = str2.substring(dot + 1).replace(/_/g, "");
          if (f[f.length - 1] === "0")
            node.minFractionDigits = f.length;
        }
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/int.js
var require_int2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    function intResolve(str2, offset, radix, { intAsBigInt }) {
      const sign = str2[0];
      if (sign === "-" || sign === "+")
        offset += 1;
      str2 = str2.substring(offset).replace(/_/g, "");
      if (intAsBigInt) {
        switch (radix) {
          case 2:
            str2 = `0b${str2}`;
            break;
          case 8:
            str2 = `0o${str2}`;
            break;
          case 16:
            str2 = `0x${str2}`;
            break;
        }
        const n2 = BigInt(str2);
        return sign === "-" ? BigInt(-1) * n2 : n2;
      }
      const n = parseInt(str2, radix);
      return sign === "-" ? -1 * n : n;
    }
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value)) {
        const str2 = value.toString(radix);
        return value < 0 ? "-" + prefix + str2.substr(1) : prefix + str2;
      }
      return stringifyNumber.stringifyNumber(node);
    }
    var intBin = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "BIN",
      test: /^[-+]?0b[0-1_]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 2, opt),
      stringify: (node) => intStringify(node, 2, "0b")
    };
    var intOct = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^[-+]?0[0-7_]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 1, 8, opt),
      stringify: (node) => intStringify(node, 8, "0")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9][0-9_]*$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^[-+]?0x[0-9a-fA-F_]+$/,
      resolve: (str2, _onError, opt) => intResolve(str2, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intBin = intBin;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/set.js
var require_set = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/set.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSet = class _YAMLSet extends YAMLMap.YAMLMap {
      constructor(schema) {
        super(schema);
        this.tag = _YAMLSet.tag;
      }
      add(key) {
        let pair;
        if (identity.isPair(key))
          pair = key;
        else if (key && typeof key === "object" && "key" in key && "value" in key && key.value === null)
          pair = new Pair.Pair(key.key, null);
        else
          pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
          this.items.push(pair);
      }
      /**
       * If `keepPair` is `true`, returns the Pair matching `key`.
       * Otherwise, returns the value of that Pair's key.
       */
      get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair) ? identity.isScalar(pair.key) ? pair.key.value : pair.key : pair;
      }
      set(key, value) {
        if (typeof value !== "boolean")
          throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
          this.items.splice(this.items.indexOf(prev), 1);
        } else if (!prev && value) {
          this.items.push(new Pair.Pair(key));
        }
      }
      toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        if (this.hasAllNullValues(true))
          return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
          throw new Error("Set items must all have null values");
      }
      static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set2 = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
          for (let value of iterable) {
            if (typeof replacer === "function")
              value = replacer.call(iterable, value, value);
            set2.items.push(Pair.createPair(value, null, ctx));
          }
        return set2;
      }
    };
    YAMLSet.tag = "tag:yaml.org,2002:set";
    var set = {
      collection: "map",
      identify: (value) => value instanceof Set,
      nodeClass: YAMLSet,
      default: false,
      tag: "tag:yaml.org,2002:set",
      createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
      resolve(map, onError) {
        if (identity.isMap(map)) {
          if (map.hasAllNullValues(true))
            return Object.assign(new YAMLSet(), map);
          else
            onError("Set items must all have null values");
        } else
          onError("Expected a mapping for this tag");
        return map;
      }
    };
    exports.YAMLSet = YAMLSet;
    exports.set = set;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/timestamp.js
var require_timestamp = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/timestamp.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    function parseSexagesimal(str2, asBigInt) {
      const sign = str2[0];
      const parts = sign === "-" || sign === "+" ? str2.substring(1) : str2;
      const num2 = (n) => asBigInt ? BigInt(n) : Number(n);
      const res = parts.replace(/_/g, "").split(":").reduce((res2, p) => res2 * num2(60) + num2(p), num2(0));
      return sign === "-" ? num2(-1) * res : res;
    }
    function stringifySexagesimal(node) {
      let { value } = node;
      let num2 = (n) => n;
      if (typeof value === "bigint")
        num2 = (n) => BigInt(n);
      else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
      let sign = "";
      if (value < 0) {
        sign = "-";
        value *= num2(-1);
      }
      const _60 = num2(60);
      const parts = [value % _60];
      if (value < 60) {
        parts.unshift(0);
      } else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60);
        if (value >= 60) {
          value = (value - parts[0]) / _60;
          parts.unshift(value);
        }
      }
      return sign + parts.map((n) => String(n).padStart(2, "0")).join(":").replace(/000000\d*$/, "");
    }
    var intTime = {
      identify: (value) => typeof value === "bigint" || Number.isInteger(value),
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
      resolve: (str2, _onError, { intAsBigInt }) => parseSexagesimal(str2, intAsBigInt),
      stringify: stringifySexagesimal
    };
    var floatTime = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
      resolve: (str2) => parseSexagesimal(str2, false),
      stringify: stringifySexagesimal
    };
    var timestamp = {
      identify: (value) => value instanceof Date,
      default: true,
      tag: "tag:yaml.org,2002:timestamp",
      // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
      // may be omitted altogether, resulting in a date format. In such a case, the time part is
      // assumed to be 00:00:00Z (start of day, UTC).
      test: RegExp("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$"),
      resolve(str2) {
        const match = str2.match(timestamp.test);
        if (!match)
          throw new Error("!!timestamp expects a date, starting with yyyy-mm-dd");
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + "00").substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== "Z") {
          let d = parseSexagesimal(tz, false);
          if (Math.abs(d) < 30)
            d *= 60;
          date -= 6e4 * d;
        }
        return new Date(date);
      },
      stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, "") ?? ""
    };
    exports.floatTime = floatTime;
    exports.intTime = intTime;
    exports.timestamp = timestamp;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/schema.js
var require_schema3 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var binary = require_binary();
    var bool = require_bool2();
    var float = require_float2();
    var int = require_int2();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var set = require_set();
    var timestamp = require_timestamp();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool.trueTag,
      bool.falseTag,
      int.intBin,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float,
      binary.binary,
      merge.merge,
      omap.omap,
      pairs.pairs,
      set.set,
      timestamp.intTime,
      timestamp.floatTime,
      timestamp.timestamp
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/tags.js
var require_tags = __commonJS({
  "node_modules/yaml/dist/schema/tags.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = require_schema();
    var schema$1 = require_schema2();
    var binary = require_binary();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var schema$2 = require_schema3();
    var set = require_set();
    var timestamp = require_timestamp();
    var schemas = /* @__PURE__ */ new Map([
      ["core", schema.schema],
      ["failsafe", [map.map, seq.seq, string.string]],
      ["json", schema$1.schema],
      ["yaml11", schema$2.schema],
      ["yaml-1.1", schema$2.schema]
    ]);
    var tagsByName = {
      binary: binary.binary,
      bool: bool.boolTag,
      float: float.float,
      floatExp: float.floatExp,
      floatNaN: float.floatNaN,
      floatTime: timestamp.floatTime,
      int: int.int,
      intHex: int.intHex,
      intOct: int.intOct,
      intTime: timestamp.intTime,
      map: map.map,
      merge: merge.merge,
      null: _null.nullTag,
      omap: omap.omap,
      pairs: pairs.pairs,
      seq: seq.seq,
      set: set.set,
      timestamp: timestamp.timestamp
    };
    var coreKnownTags = {
      "tag:yaml.org,2002:binary": binary.binary,
      "tag:yaml.org,2002:merge": merge.merge,
      "tag:yaml.org,2002:omap": omap.omap,
      "tag:yaml.org,2002:pairs": pairs.pairs,
      "tag:yaml.org,2002:set": set.set,
      "tag:yaml.org,2002:timestamp": timestamp.timestamp
    };
    function getTags(customTags, schemaName, addMergeTag) {
      const schemaTags = schemas.get(schemaName);
      if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge) ? schemaTags.concat(merge.merge) : schemaTags.slice();
      }
      let tags = schemaTags;
      if (!tags) {
        if (Array.isArray(customTags))
          tags = [];
        else {
          const keys = Array.from(schemas.keys()).filter((key) => key !== "yaml11").map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
      }
      if (Array.isArray(customTags)) {
        for (const tag of customTags)
          tags = tags.concat(tag);
      } else if (typeof customTags === "function") {
        tags = customTags(tags.slice());
      }
      if (addMergeTag)
        tags = tags.concat(merge.merge);
      return tags.reduce((tags2, tag) => {
        const tagObj = typeof tag === "string" ? tagsByName[tag] : tag;
        if (!tagObj) {
          const tagName = JSON.stringify(tag);
          const keys = Object.keys(tagsByName).map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags2.includes(tagObj))
          tags2.push(tagObj);
        return tags2;
      }, []);
    }
    exports.coreKnownTags = coreKnownTags;
    exports.getTags = getTags;
  }
});

// node_modules/yaml/dist/schema/Schema.js
var require_Schema = __commonJS({
  "node_modules/yaml/dist/schema/Schema.js"(exports) {
    "use strict";
    var identity = require_identity();
    var map = require_map();
    var seq = require_seq();
    var string = require_string();
    var tags = require_tags();
    var sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    var Schema = class _Schema {
      constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat) ? tags.getTags(compat, "compat") : compat ? tags.getTags(null, compat) : null;
        this.name = typeof schema === "string" && schema || "core";
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        this.sortMapEntries = typeof sortMapEntries === "function" ? sortMapEntries : sortMapEntries === true ? sortMapEntriesByKey : null;
      }
      clone() {
        const copy = Object.create(_Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
      }
    };
    exports.Schema = Schema;
  }
});

// node_modules/yaml/dist/stringify/stringifyDocument.js
var require_stringifyDocument = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyDocument.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify3 = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyDocument(doc, options) {
      const lines2 = [];
      let hasDirectives = options.directives === true;
      if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
          lines2.push(dir);
          hasDirectives = true;
        } else if (doc.directives.docStart)
          hasDirectives = true;
      }
      if (hasDirectives)
        lines2.push("---");
      const ctx = stringify3.createStringifyContext(doc, options);
      const { commentString } = ctx.options;
      if (doc.commentBefore) {
        if (lines2.length !== 1)
          lines2.unshift("");
        const cs = commentString(doc.commentBefore);
        lines2.unshift(stringifyComment.indentComment(cs, ""));
      }
      let chompKeep = false;
      let contentComment = null;
      if (doc.contents) {
        if (identity.isNode(doc.contents)) {
          if (doc.contents.spaceBefore && hasDirectives)
            lines2.push("");
          if (doc.contents.commentBefore) {
            const cs = commentString(doc.contents.commentBefore);
            lines2.push(stringifyComment.indentComment(cs, ""));
          }
          ctx.forceBlockIndent = !!doc.comment;
          contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? void 0 : () => chompKeep = true;
        let body = stringify3.stringify(doc.contents, ctx, () => contentComment = null, onChompKeep);
        if (contentComment)
          body += stringifyComment.lineComment(body, "", commentString(contentComment));
        if ((body[0] === "|" || body[0] === ">") && lines2[lines2.length - 1] === "---") {
          lines2[lines2.length - 1] = `--- ${body}`;
        } else
          lines2.push(body);
      } else {
        lines2.push(stringify3.stringify(doc.contents, ctx));
      }
      if (doc.directives?.docEnd) {
        if (doc.comment) {
          const cs = commentString(doc.comment);
          if (cs.includes("\n")) {
            lines2.push("...");
            lines2.push(stringifyComment.indentComment(cs, ""));
          } else {
            lines2.push(`... ${cs}`);
          }
        } else {
          lines2.push("...");
        }
      } else {
        let dc = doc.comment;
        if (dc && chompKeep)
          dc = dc.replace(/^\n+/, "");
        if (dc) {
          if ((!chompKeep || contentComment) && lines2[lines2.length - 1] !== "")
            lines2.push("");
          lines2.push(stringifyComment.indentComment(commentString(dc), ""));
        }
      }
      return lines2.join("\n") + "\n";
    }
    exports.stringifyDocument = stringifyDocument;
  }
});

// node_modules/yaml/dist/doc/Document.js
var require_Document = __commonJS({
  "node_modules/yaml/dist/doc/Document.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var toJS = require_toJS();
    var Schema = require_Schema();
    var stringifyDocument = require_stringifyDocument();
    var anchors = require_anchors();
    var applyReviver = require_applyReviver();
    var createNode = require_createNode();
    var directives = require_directives();
    var Document2 = class _Document {
      constructor(value, replacer, options) {
        this.commentBefore = null;
        this.comment = null;
        this.errors = [];
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === "function" || Array.isArray(replacer)) {
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const opt = Object.assign({
          intAsBigInt: false,
          keepSourceTokens: false,
          logLevel: "warn",
          prettyErrors: true,
          strict: true,
          stringKeys: false,
          uniqueKeys: true,
          version: "1.2"
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
          this.directives = options._directives.atDocument();
          if (this.directives.yaml.explicit)
            version = this.directives.yaml.version;
        } else
          this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        this.contents = value === void 0 ? null : this.createNode(value, _replacer, options);
      }
      /**
       * Create a deep copy of this Document and its contents.
       *
       * Custom Node values that inherit from `Object` still refer to their original instances.
       */
      clone() {
        const copy = Object.create(_Document.prototype, {
          [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
          copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        copy.contents = identity.isNode(this.contents) ? this.contents.clone(copy.schema) : this.contents;
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** Adds a value to the document. */
      add(value) {
        if (assertCollection(this.contents))
          this.contents.add(value);
      }
      /** Adds a value to the document. */
      addIn(path18, value) {
        if (assertCollection(this.contents))
          this.contents.addIn(path18, value);
      }
      /**
       * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
       *
       * If `node` already has an anchor, `name` is ignored.
       * Otherwise, the `node.anchor` value will be set to `name`,
       * or if an anchor with that name is already present in the document,
       * `name` will be used as a prefix for a new unique anchor.
       * If `name` is undefined, the generated anchor will use 'a' as a prefix.
       */
      createAlias(node, name) {
        if (!node.anchor) {
          const prev = anchors.anchorNames(this);
          node.anchor = // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          !name || prev.has(name) ? anchors.findNewAnchor(name || "a", prev) : name;
        }
        return new Alias.Alias(node.anchor);
      }
      createNode(value, replacer, options) {
        let _replacer = void 0;
        if (typeof replacer === "function") {
          value = replacer.call({ "": value }, "", value);
          _replacer = replacer;
        } else if (Array.isArray(replacer)) {
          const keyToStr = (v) => typeof v === "number" || v instanceof String || v instanceof Number;
          const asStr = replacer.filter(keyToStr).map(String);
          if (asStr.length > 0)
            replacer = replacer.concat(asStr);
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(
          this,
          // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          anchorPrefix || "a"
        );
        const ctx = {
          aliasDuplicateObjects: aliasDuplicateObjects ?? true,
          keepUndefined: keepUndefined ?? false,
          onAnchor,
          onTagObj,
          replacer: _replacer,
          schema: this.schema,
          sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
          node.flow = true;
        setAnchors();
        return node;
      }
      /**
       * Convert a key and a value into a `Pair` using the current schema,
       * recursively wrapping all values as `Scalar` or `Collection` nodes.
       */
      createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path18) {
        if (Collection.isEmptyPath(path18)) {
          if (this.contents == null)
            return false;
          this.contents = null;
          return true;
        }
        return assertCollection(this.contents) ? this.contents.deleteIn(path18) : false;
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      get(key, keepScalar) {
        return identity.isCollection(this.contents) ? this.contents.get(key, keepScalar) : void 0;
      }
      /**
       * Returns item at `path`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path18, keepScalar) {
        if (Collection.isEmptyPath(path18))
          return !keepScalar && identity.isScalar(this.contents) ? this.contents.value : this.contents;
        return identity.isCollection(this.contents) ? this.contents.getIn(path18, keepScalar) : void 0;
      }
      /**
       * Checks if the document includes a value with the key `key`.
       */
      has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
      }
      /**
       * Checks if the document includes a value at `path`.
       */
      hasIn(path18) {
        if (Collection.isEmptyPath(path18))
          return this.contents !== void 0;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path18) : false;
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      set(key, value) {
        if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, [key], value);
        } else if (assertCollection(this.contents)) {
          this.contents.set(key, value);
        }
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path18, value) {
        if (Collection.isEmptyPath(path18)) {
          this.contents = value;
        } else if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, Array.from(path18), value);
        } else if (assertCollection(this.contents)) {
          this.contents.setIn(path18, value);
        }
      }
      /**
       * Change the YAML version and schema used by the document.
       * A `null` version disables support for directives, explicit tags, anchors, and aliases.
       * It also requires the `schema` option to be given as a `Schema` instance value.
       *
       * Overrides all previously set schema options.
       */
      setSchema(version, options = {}) {
        if (typeof version === "number")
          version = String(version);
        let opt;
        switch (version) {
          case "1.1":
            if (this.directives)
              this.directives.yaml.version = "1.1";
            else
              this.directives = new directives.Directives({ version: "1.1" });
            opt = { resolveKnownTags: false, schema: "yaml-1.1" };
            break;
          case "1.2":
          case "next":
            if (this.directives)
              this.directives.yaml.version = version;
            else
              this.directives = new directives.Directives({ version });
            opt = { resolveKnownTags: true, schema: "core" };
            break;
          case null:
            if (this.directives)
              delete this.directives;
            opt = null;
            break;
          default: {
            const sv = JSON.stringify(version);
            throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
          }
        }
        if (options.schema instanceof Object)
          this.schema = options.schema;
        else if (opt)
          this.schema = new Schema.Schema(Object.assign(opt, options));
        else
          throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
      }
      // json & jsonArg are only used from toJSON()
      toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc: this,
          keep: !json,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? "", ctx);
        if (typeof onAnchor === "function")
          for (const { count, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
      /**
       * A JSON representation of the document `contents`.
       *
       * @param jsonArg Used by `JSON.stringify` to indicate the array index or
       *   property name.
       */
      toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
      }
      /** A YAML representation of the document. */
      toString(options = {}) {
        if (this.errors.length > 0)
          throw new Error("Document with errors cannot be stringified");
        if ("indent" in options && (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
          const s = JSON.stringify(options.indent);
          throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
      }
    };
    function assertCollection(contents) {
      if (identity.isCollection(contents))
        return true;
      throw new Error("Expected a YAML collection as document contents");
    }
    exports.Document = Document2;
  }
});

// node_modules/yaml/dist/errors.js
var require_errors = __commonJS({
  "node_modules/yaml/dist/errors.js"(exports) {
    "use strict";
    var YAMLError = class extends Error {
      constructor(name, pos, code2, message) {
        super();
        this.name = name;
        this.code = code2;
        this.message = message;
        this.pos = pos;
      }
    };
    var YAMLParseError = class extends YAMLError {
      constructor(pos, code2, message) {
        super("YAMLParseError", pos, code2, message);
      }
    };
    var YAMLWarning = class extends YAMLError {
      constructor(pos, code2, message) {
        super("YAMLWarning", pos, code2, message);
      }
    };
    var prettifyError = (src, lc) => (error) => {
      if (error.pos[0] === -1)
        return;
      error.linePos = error.pos.map((pos) => lc.linePos(pos));
      const { line, col } = error.linePos[0];
      error.message += ` at line ${line}, column ${col}`;
      let ci = col - 1;
      let lineStr = src.substring(lc.lineStarts[line - 1], lc.lineStarts[line]).replace(/[\n\r]+$/, "");
      if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = "\u2026" + lineStr.substring(trimStart);
        ci -= trimStart - 1;
      }
      if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + "\u2026";
      if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
          prev = prev.substring(0, 79) + "\u2026\n";
        lineStr = prev + lineStr;
      }
      if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
          count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = " ".repeat(ci) + "^".repeat(count);
        error.message += `:

${lineStr}
${pointer}
`;
      }
    };
    exports.YAMLError = YAMLError;
    exports.YAMLParseError = YAMLParseError;
    exports.YAMLWarning = YAMLWarning;
    exports.prettifyError = prettifyError;
  }
});

// node_modules/yaml/dist/compose/resolve-props.js
var require_resolve_props = __commonJS({
  "node_modules/yaml/dist/compose/resolve-props.js"(exports) {
    "use strict";
    function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
      let spaceBefore = false;
      let atNewline = startOnNewline;
      let hasSpace = startOnNewline;
      let comment = "";
      let commentSep = "";
      let hasNewline = false;
      let reqSpace = false;
      let tab = null;
      let anchor = null;
      let tag = null;
      let newlineAfterProp = null;
      let comma = null;
      let found = null;
      let start = null;
      for (const token of tokens) {
        if (reqSpace) {
          if (token.type !== "space" && token.type !== "newline" && token.type !== "comma")
            onError(token.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
          reqSpace = false;
        }
        if (tab) {
          if (atNewline && token.type !== "comment" && token.type !== "newline") {
            onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
          }
          tab = null;
        }
        switch (token.type) {
          case "space":
            if (!flow && (indicator !== "doc-start" || next?.type !== "flow-collection") && token.source.includes("	")) {
              tab = token;
            }
            hasSpace = true;
            break;
          case "comment": {
            if (!hasSpace)
              onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
            const cb = token.source.substring(1) || " ";
            if (!comment)
              comment = cb;
            else
              comment += commentSep + cb;
            commentSep = "";
            atNewline = false;
            break;
          }
          case "newline":
            if (atNewline) {
              if (comment)
                comment += token.source;
              else if (!found || indicator !== "seq-item-ind")
                spaceBefore = true;
            } else
              commentSep += token.source;
            atNewline = true;
            hasNewline = true;
            if (anchor || tag)
              newlineAfterProp = token;
            hasSpace = true;
            break;
          case "anchor":
            if (anchor)
              onError(token, "MULTIPLE_ANCHORS", "A node can have at most one anchor");
            if (token.source.endsWith(":"))
              onError(token.offset + token.source.length - 1, "BAD_ALIAS", "Anchor ending in : is ambiguous", true);
            anchor = token;
            start ?? (start = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          case "tag": {
            if (tag)
              onError(token, "MULTIPLE_TAGS", "A node can have at most one tag");
            tag = token;
            start ?? (start = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          }
          case indicator:
            if (anchor || tag)
              onError(token, "BAD_PROP_ORDER", `Anchors and tags must be after the ${token.source} indicator`);
            if (found)
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.source} in ${flow ?? "collection"}`);
            found = token;
            atNewline = indicator === "seq-item-ind" || indicator === "explicit-key-ind";
            hasSpace = false;
            break;
          case "comma":
            if (flow) {
              if (comma)
                onError(token, "UNEXPECTED_TOKEN", `Unexpected , in ${flow}`);
              comma = token;
              atNewline = false;
              hasSpace = false;
              break;
            }
          // else fallthrough
          default:
            onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.type} token`);
            atNewline = false;
            hasSpace = false;
        }
      }
      const last = tokens[tokens.length - 1];
      const end = last ? last.offset + last.source.length : offset;
      if (reqSpace && next && next.type !== "space" && next.type !== "newline" && next.type !== "comma" && (next.type !== "scalar" || next.source !== "")) {
        onError(next.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
      }
      if (tab && (atNewline && tab.indent <= parentIndent || next?.type === "block-map" || next?.type === "block-seq"))
        onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
      return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
      };
    }
    exports.resolveProps = resolveProps;
  }
});

// node_modules/yaml/dist/compose/util-contains-newline.js
var require_util_contains_newline = __commonJS({
  "node_modules/yaml/dist/compose/util-contains-newline.js"(exports) {
    "use strict";
    function containsNewline(key) {
      if (!key)
        return null;
      switch (key.type) {
        case "alias":
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          if (key.source.includes("\n"))
            return true;
          if (key.end) {
            for (const st of key.end)
              if (st.type === "newline")
                return true;
          }
          return false;
        case "flow-collection":
          for (const it of key.items) {
            for (const st of it.start)
              if (st.type === "newline")
                return true;
            if (it.sep) {
              for (const st of it.sep)
                if (st.type === "newline")
                  return true;
            }
            if (containsNewline(it.key) || containsNewline(it.value))
              return true;
          }
          return false;
        default:
          return true;
      }
    }
    exports.containsNewline = containsNewline;
  }
});

// node_modules/yaml/dist/compose/util-flow-indent-check.js
var require_util_flow_indent_check = __commonJS({
  "node_modules/yaml/dist/compose/util-flow-indent-check.js"(exports) {
    "use strict";
    var utilContainsNewline = require_util_contains_newline();
    function flowIndentCheck(indent, fc, onError) {
      if (fc?.type === "flow-collection") {
        const end = fc.end[0];
        if (end.indent === indent && (end.source === "]" || end.source === "}") && utilContainsNewline.containsNewline(fc)) {
          const msg = "Flow end indicator should be more indented than parent";
          onError(end, "BAD_INDENT", msg, true);
        }
      }
    }
    exports.flowIndentCheck = flowIndentCheck;
  }
});

// node_modules/yaml/dist/compose/util-map-includes.js
var require_util_map_includes = __commonJS({
  "node_modules/yaml/dist/compose/util-map-includes.js"(exports) {
    "use strict";
    var identity = require_identity();
    function mapIncludes(ctx, items, search) {
      const { uniqueKeys } = ctx.options;
      if (uniqueKeys === false)
        return false;
      const isEqual = typeof uniqueKeys === "function" ? uniqueKeys : (a, b) => a === b || identity.isScalar(a) && identity.isScalar(b) && a.value === b.value;
      return items.some((pair) => isEqual(pair.key, search));
    }
    exports.mapIncludes = mapIncludes;
  }
});

// node_modules/yaml/dist/compose/resolve-block-map.js
var require_resolve_block_map = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-map.js"(exports) {
    "use strict";
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    var utilMapIncludes = require_util_map_includes();
    var startColMsg = "All mapping items must start at the same column";
    function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
      const map = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      let offset = bm.offset;
      let commentEnd = null;
      for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        const keyProps = resolveProps.resolveProps(start, {
          indicator: "explicit-key-ind",
          next: key ?? sep?.[0],
          offset,
          onError,
          parentIndent: bm.indent,
          startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
          if (key) {
            if (key.type === "block-seq")
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "A block sequence may not be used as an implicit map key");
            else if ("indent" in key && key.indent !== bm.indent)
              onError(offset, "BAD_INDENT", startColMsg);
          }
          if (!keyProps.anchor && !keyProps.tag && !sep) {
            commentEnd = keyProps.end;
            if (keyProps.comment) {
              if (map.comment)
                map.comment += "\n" + keyProps.comment;
              else
                map.comment = keyProps.comment;
            }
            continue;
          }
          if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
            onError(key ?? start[start.length - 1], "MULTILINE_IMPLICIT_KEY", "Implicit keys need to be on a single line");
          }
        } else if (keyProps.found?.indent !== bm.indent) {
          onError(offset, "BAD_INDENT", startColMsg);
        }
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key ? composeNode(ctx, key, keyProps, onError) : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
          onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
        const valueProps = resolveProps.resolveProps(sep ?? [], {
          indicator: "map-value-ind",
          next: value,
          offset: keyNode.range[2],
          onError,
          parentIndent: bm.indent,
          startOnNewline: !key || key.type === "block-scalar"
        });
        offset = valueProps.end;
        if (valueProps.found) {
          if (implicitKey) {
            if (value?.type === "block-map" && !valueProps.hasNewline)
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "Nested mappings are not allowed in compact mappings");
            if (ctx.options.strict && keyProps.start < valueProps.found.offset - 1024)
              onError(keyNode.range, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit block mapping key");
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
          if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
          offset = valueNode.range[2];
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        } else {
          if (implicitKey)
            onError(keyNode.range, "MISSING_CHAR", "Implicit map keys need to be followed by map values");
          if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        }
      }
      if (commentEnd && commentEnd < offset)
        onError(commentEnd, "IMPOSSIBLE", "Map comment with trailing content");
      map.range = [bm.offset, offset, commentEnd ?? offset];
      return map;
    }
    exports.resolveBlockMap = resolveBlockMap;
  }
});

// node_modules/yaml/dist/compose/resolve-block-seq.js
var require_resolve_block_seq = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-seq.js"(exports) {
    "use strict";
    var YAMLSeq = require_YAMLSeq();
    var resolveProps = require_resolve_props();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
      const seq = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = bs.offset;
      let commentEnd = null;
      for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
          indicator: "seq-item-ind",
          next: value,
          offset,
          onError,
          parentIndent: bs.indent,
          startOnNewline: true
        });
        if (!props.found) {
          if (props.anchor || props.tag || value) {
            if (value?.type === "block-seq")
              onError(props.end, "BAD_INDENT", "All sequence items must start at the same column");
            else
              onError(offset, "MISSING_CHAR", "Sequence item without - indicator");
          } else {
            commentEnd = props.end;
            if (props.comment)
              seq.comment = props.comment;
            continue;
          }
        }
        const node = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
      }
      seq.range = [bs.offset, offset, commentEnd ?? offset];
      return seq;
    }
    exports.resolveBlockSeq = resolveBlockSeq;
  }
});

// node_modules/yaml/dist/compose/resolve-end.js
var require_resolve_end = __commonJS({
  "node_modules/yaml/dist/compose/resolve-end.js"(exports) {
    "use strict";
    function resolveEnd(end, offset, reqSpace, onError) {
      let comment = "";
      if (end) {
        let hasSpace = false;
        let sep = "";
        for (const token of end) {
          const { source, type } = token;
          switch (type) {
            case "space":
              hasSpace = true;
              break;
            case "comment": {
              if (reqSpace && !hasSpace)
                onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
              const cb = source.substring(1) || " ";
              if (!comment)
                comment = cb;
              else
                comment += sep + cb;
              sep = "";
              break;
            }
            case "newline":
              if (comment)
                sep += source;
              hasSpace = true;
              break;
            default:
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${type} at node end`);
          }
          offset += source.length;
        }
      }
      return { comment, offset };
    }
    exports.resolveEnd = resolveEnd;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-collection.js
var require_resolve_flow_collection = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilMapIncludes = require_util_map_includes();
    var blockMsg = "Block collections are not allowed within flow collections";
    var isBlock = (token) => token && (token.type === "block-map" || token.type === "block-seq");
    function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
      const isMap3 = fc.start.source === "{";
      const fcName = isMap3 ? "flow map" : "flow sequence";
      const NodeClass = tag?.nodeClass ?? (isMap3 ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq);
      const coll = new NodeClass(ctx.schema);
      coll.flow = true;
      const atRoot = ctx.atRoot;
      if (atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = fc.offset + fc.start.source.length;
      for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
          flow: fcName,
          indicator: "explicit-key-ind",
          next: key ?? sep?.[0],
          offset,
          onError,
          parentIndent: fc.indent,
          startOnNewline: false
        });
        if (!props.found) {
          if (!props.anchor && !props.tag && !sep && !value) {
            if (i === 0 && props.comma)
              onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
            else if (i < fc.items.length - 1)
              onError(props.start, "UNEXPECTED_TOKEN", `Unexpected empty item in ${fcName}`);
            if (props.comment) {
              if (coll.comment)
                coll.comment += "\n" + props.comment;
              else
                coll.comment = props.comment;
            }
            offset = props.end;
            continue;
          }
          if (!isMap3 && ctx.options.strict && utilContainsNewline.containsNewline(key))
            onError(
              key,
              // checked by containsNewline()
              "MULTILINE_IMPLICIT_KEY",
              "Implicit keys of flow sequence pairs need to be on a single line"
            );
        }
        if (i === 0) {
          if (props.comma)
            onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
        } else {
          if (!props.comma)
            onError(props.start, "MISSING_CHAR", `Missing , between ${fcName} items`);
          if (props.comment) {
            let prevItemComment = "";
            loop: for (const st of start) {
              switch (st.type) {
                case "comma":
                case "space":
                  break;
                case "comment":
                  prevItemComment = st.source.substring(1);
                  break loop;
                default:
                  break loop;
              }
            }
            if (prevItemComment) {
              let prev = coll.items[coll.items.length - 1];
              if (identity.isPair(prev))
                prev = prev.value ?? prev.key;
              if (prev.comment)
                prev.comment += "\n" + prevItemComment;
              else
                prev.comment = prevItemComment;
              props.comment = props.comment.substring(prevItemComment.length + 1);
            }
          }
        }
        if (!isMap3 && !sep && !props.found) {
          const valueNode = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, sep, null, props, onError);
          coll.items.push(valueNode);
          offset = valueNode.range[2];
          if (isBlock(value))
            onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
        } else {
          ctx.atKey = true;
          const keyStart = props.end;
          const keyNode = key ? composeNode(ctx, key, props, onError) : composeEmptyNode(ctx, keyStart, start, null, props, onError);
          if (isBlock(key))
            onError(keyNode.range, "BLOCK_IN_FLOW", blockMsg);
          ctx.atKey = false;
          const valueProps = resolveProps.resolveProps(sep ?? [], {
            flow: fcName,
            indicator: "map-value-ind",
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
          });
          if (valueProps.found) {
            if (!isMap3 && !props.found && ctx.options.strict) {
              if (sep)
                for (const st of sep) {
                  if (st === valueProps.found)
                    break;
                  if (st.type === "newline") {
                    onError(st, "MULTILINE_IMPLICIT_KEY", "Implicit keys of flow sequence pairs need to be on a single line");
                    break;
                  }
                }
              if (props.start < valueProps.found.offset - 1024)
                onError(valueProps.found, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit flow sequence key");
            }
          } else if (value) {
            if ("source" in value && value.source?.[0] === ":")
              onError(value, "MISSING_CHAR", `Missing space after : in ${fcName}`);
            else
              onError(valueProps.start, "MISSING_CHAR", `Missing , or : between ${fcName} items`);
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : valueProps.found ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError) : null;
          if (valueNode) {
            if (isBlock(value))
              onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
          } else if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          if (isMap3) {
            const map = coll;
            if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
              onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
            map.items.push(pair);
          } else {
            const map = new YAMLMap.YAMLMap(ctx.schema);
            map.flow = true;
            map.items.push(pair);
            const endRange = (valueNode ?? keyNode).range;
            map.range = [keyNode.range[0], endRange[1], endRange[2]];
            coll.items.push(map);
          }
          offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
      }
      const expectedEnd = isMap3 ? "}" : "]";
      const [ce, ...ee] = fc.end;
      let cePos = offset;
      if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
      else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot ? `${name} must end with a ${expectedEnd}` : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? "MISSING_CHAR" : "BAD_INDENT", msg);
        if (ce && ce.source.length !== 1)
          ee.unshift(ce);
      }
      if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
          if (coll.comment)
            coll.comment += "\n" + end.comment;
          else
            coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
      } else {
        coll.range = [fc.offset, cePos, cePos];
      }
      return coll;
    }
    exports.resolveFlowCollection = resolveFlowCollection;
  }
});

// node_modules/yaml/dist/compose/compose-collection.js
var require_compose_collection = __commonJS({
  "node_modules/yaml/dist/compose/compose-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveBlockMap = require_resolve_block_map();
    var resolveBlockSeq = require_resolve_block_seq();
    var resolveFlowCollection = require_resolve_flow_collection();
    function resolveCollection(CN, ctx, token, onError, tagName, tag) {
      const coll = token.type === "block-map" ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag) : token.type === "block-seq" ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag) : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
      const Coll = coll.constructor;
      if (tagName === "!" || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
      }
      if (tagName)
        coll.tag = tagName;
      return coll;
    }
    function composeCollection(CN, ctx, token, props, onError) {
      const tagToken = props.tag;
      const tagName = !tagToken ? null : ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg));
      if (token.type === "block-seq") {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken ? anchor.offset > tagToken.offset ? anchor : tagToken : anchor ?? tagToken;
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
          const message = "Missing newline after block sequence props";
          onError(lastProp, "MISSING_CHAR", message);
        }
      }
      const expType = token.type === "block-map" ? "map" : token.type === "block-seq" ? "seq" : token.start.source === "{" ? "map" : "seq";
      if (!tagToken || !tagName || tagName === "!" || tagName === YAMLMap.YAMLMap.tagName && expType === "map" || tagName === YAMLSeq.YAMLSeq.tagName && expType === "seq") {
        return resolveCollection(CN, ctx, token, onError, tagName);
      }
      let tag = ctx.schema.tags.find((t) => t.tag === tagName && t.collection === expType);
      if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
          ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
          tag = kt;
        } else {
          if (kt) {
            onError(tagToken, "BAD_COLLECTION_TYPE", `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? "scalar"}`, true);
          } else {
            onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, true);
          }
          return resolveCollection(CN, ctx, token, onError, tagName);
        }
      }
      const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
      const res = tag.resolve?.(coll, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg), ctx.options) ?? coll;
      const node = identity.isNode(res) ? res : new Scalar.Scalar(res);
      node.range = coll.range;
      node.tag = tagName;
      if (tag?.format)
        node.format = tag.format;
      return node;
    }
    exports.composeCollection = composeCollection;
  }
});

// node_modules/yaml/dist/compose/resolve-block-scalar.js
var require_resolve_block_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function resolveBlockScalar(ctx, scalar, onError) {
      const start = scalar.offset;
      const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
      if (!header)
        return { value: "", type: null, comment: "", range: [start, start, start] };
      const type = header.mode === ">" ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
      const lines2 = scalar.source ? splitLines2(scalar.source) : [];
      let chompStart = lines2.length;
      for (let i = lines2.length - 1; i >= 0; --i) {
        const content = lines2[i][1];
        if (content === "" || content === "\r")
          chompStart = i;
        else
          break;
      }
      if (chompStart === 0) {
        const value2 = header.chomp === "+" && lines2.length > 0 ? "\n".repeat(Math.max(1, lines2.length - 1)) : "";
        let end2 = start + header.length;
        if (scalar.source)
          end2 += scalar.source.length;
        return { value: value2, type, comment: header.comment, range: [start, end2, end2] };
      }
      let trimIndent = scalar.indent + header.indent;
      let offset = scalar.offset + header.length;
      let contentStart = 0;
      for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines2[i];
        if (content === "" || content === "\r") {
          if (header.indent === 0 && indent.length > trimIndent)
            trimIndent = indent.length;
        } else {
          if (indent.length < trimIndent) {
            const message = "Block scalars with more-indented leading empty lines must use an explicit indentation indicator";
            onError(offset + indent.length, "MISSING_CHAR", message);
          }
          if (header.indent === 0)
            trimIndent = indent.length;
          contentStart = i;
          if (trimIndent === 0 && !ctx.atRoot) {
            const message = "Block scalar values in collections must be indented";
            onError(offset, "BAD_INDENT", message);
          }
          break;
        }
        offset += indent.length + content.length + 1;
      }
      for (let i = lines2.length - 1; i >= chompStart; --i) {
        if (lines2[i][0].length > trimIndent)
          chompStart = i + 1;
      }
      let value = "";
      let sep = "";
      let prevMoreIndented = false;
      for (let i = 0; i < contentStart; ++i)
        value += lines2[i][0].slice(trimIndent) + "\n";
      for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines2[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === "\r";
        if (crlf)
          content = content.slice(0, -1);
        if (content && indent.length < trimIndent) {
          const src = header.indent ? "explicit indentation indicator" : "first line";
          const message = `Block scalar lines must not be less indented than their ${src}`;
          onError(offset - content.length - (crlf ? 2 : 1), "BAD_INDENT", message);
          indent = "";
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
          value += sep + indent.slice(trimIndent) + content;
          sep = "\n";
        } else if (indent.length > trimIndent || content[0] === "	") {
          if (sep === " ")
            sep = "\n";
          else if (!prevMoreIndented && sep === "\n")
            sep = "\n\n";
          value += sep + indent.slice(trimIndent) + content;
          sep = "\n";
          prevMoreIndented = true;
        } else if (content === "") {
          if (sep === "\n")
            value += "\n";
          else
            sep = "\n";
        } else {
          value += sep + content;
          sep = " ";
          prevMoreIndented = false;
        }
      }
      switch (header.chomp) {
        case "-":
          break;
        case "+":
          for (let i = chompStart; i < lines2.length; ++i)
            value += "\n" + lines2[i][0].slice(trimIndent);
          if (value[value.length - 1] !== "\n")
            value += "\n";
          break;
        default:
          value += "\n";
      }
      const end = start + header.length + scalar.source.length;
      return { value, type, comment: header.comment, range: [start, end, end] };
    }
    function parseBlockScalarHeader({ offset, props }, strict, onError) {
      if (props[0].type !== "block-scalar-header") {
        onError(props[0], "IMPOSSIBLE", "Block scalar header not found");
        return null;
      }
      const { source } = props[0];
      const mode = source[0];
      let indent = 0;
      let chomp = "";
      let error = -1;
      for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === "-" || ch === "+"))
          chomp = ch;
        else {
          const n = Number(ch);
          if (!indent && n)
            indent = n;
          else if (error === -1)
            error = offset + i;
        }
      }
      if (error !== -1)
        onError(error, "UNEXPECTED_TOKEN", `Block scalar header includes extra characters: ${source}`);
      let hasSpace = false;
      let comment = "";
      let length = source.length;
      for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
          case "space":
            hasSpace = true;
          // fallthrough
          case "newline":
            length += token.source.length;
            break;
          case "comment":
            if (strict && !hasSpace) {
              const message = "Comments must be separated from other tokens by white space characters";
              onError(token, "MISSING_CHAR", message);
            }
            length += token.source.length;
            comment = token.source.substring(1);
            break;
          case "error":
            onError(token, "UNEXPECTED_TOKEN", token.message);
            length += token.source.length;
            break;
          /* istanbul ignore next should not happen */
          default: {
            const message = `Unexpected token in block scalar header: ${token.type}`;
            onError(token, "UNEXPECTED_TOKEN", message);
            const ts = token.source;
            if (ts && typeof ts === "string")
              length += ts.length;
          }
        }
      }
      return { mode, indent, chomp, comment, length };
    }
    function splitLines2(source) {
      const split = source.split(/\n( *)/);
      const first = split[0];
      const m = first.match(/^( *)/);
      const line0 = m?.[1] ? [m[1], first.slice(m[1].length)] : ["", first];
      const lines2 = [line0];
      for (let i = 1; i < split.length; i += 2)
        lines2.push([split[i], split[i + 1]]);
      return lines2;
    }
    exports.resolveBlockScalar = resolveBlockScalar;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-scalar.js
var require_resolve_flow_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var resolveEnd = require_resolve_end();
    function resolveFlowScalar(scalar, strict, onError) {
      const { offset, type, source, end } = scalar;
      let _type;
      let value;
      const _onError = (rel, code2, msg) => onError(offset + rel, code2, msg);
      switch (type) {
        case "scalar":
          _type = Scalar.Scalar.PLAIN;
          value = plainValue(source, _onError);
          break;
        case "single-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_SINGLE;
          value = singleQuotedValue(source, _onError);
          break;
        case "double-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_DOUBLE;
          value = doubleQuotedValue(source, _onError);
          break;
        /* istanbul ignore next should not happen */
        default:
          onError(scalar, "UNEXPECTED_TOKEN", `Expected a flow scalar value, but found: ${type}`);
          return {
            value: "",
            type: null,
            comment: "",
            range: [offset, offset + source.length, offset + source.length]
          };
      }
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
      return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
      };
    }
    function plainValue(source, onError) {
      let badChar = "";
      switch (source[0]) {
        /* istanbul ignore next should not happen */
        case "	":
          badChar = "a tab character";
          break;
        case ",":
          badChar = "flow indicator character ,";
          break;
        case "%":
          badChar = "directive indicator character %";
          break;
        case "|":
        case ">": {
          badChar = `block scalar indicator ${source[0]}`;
          break;
        }
        case "@":
        case "`": {
          badChar = `reserved character ${source[0]}`;
          break;
        }
      }
      if (badChar)
        onError(0, "BAD_SCALAR_START", `Plain value cannot start with ${badChar}`);
      return unfoldLines(source);
    }
    function singleQuotedValue(source, onError) {
      if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, "MISSING_CHAR", "Missing closing 'quote");
      return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
    }
    function unfoldLines(source) {
      const line = /(.*?)\r?\n/sy;
      let match = line.exec(source);
      if (!match)
        return source;
      let trimEnd, trimBoth;
      try {
        trimEnd = new RegExp("(?<![ 	])[ 	]+$");
        trimBoth = new RegExp("^[ 	]+|(?<![ 	])[ 	]+$", "g");
      } catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
      }
      let res = match[1].replace(trimEnd, "");
      let sep = " ";
      let pos = line.lastIndex;
      while (match = line.exec(source)) {
        const lm = match[1].replace(trimBoth, "");
        if (lm === "") {
          if (sep === "\n")
            res += sep;
          else
            sep = "\n";
        } else {
          res += sep + lm;
          sep = " ";
        }
        pos = line.lastIndex;
      }
      const last = /[ \t]*(.*)/sy;
      last.lastIndex = pos;
      match = last.exec(source);
      return res + sep + (match?.[1] ?? "");
    }
    function doubleQuotedValue(source, onError) {
      let res = "";
      for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === "\r" && source[i + 1] === "\n")
          continue;
        if (ch === "\n") {
          const { fold, offset } = foldNewline(source, i);
          res += fold;
          i = offset;
        } else if (ch === "\\") {
          let next = source[++i];
          const cc = escapeCodes[next];
          if (cc)
            res += cc;
          else if (next === "\n") {
            next = source[i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "\r" && source[i + 1] === "\n") {
            next = source[++i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "x" || next === "u" || next === "U") {
            const length = next === "x" ? 2 : next === "u" ? 4 : 8;
            res += parseCharCode(source, i + 1, length, onError);
            i += length;
          } else {
            const raw = source.substr(i - 1, 2);
            onError(i - 1, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
            res += raw;
          }
        } else if (ch === " " || ch === "	") {
          const wsStart = i;
          let next = source[i + 1];
          while (next === " " || next === "	")
            next = source[++i + 1];
          if (next !== "\n" && !(next === "\r" && source[i + 2] === "\n"))
            res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        } else {
          res += ch;
        }
      }
      if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, "MISSING_CHAR", 'Missing closing "quote');
      return res;
    }
    function foldNewline(source, offset) {
      let fold = "";
      let ch = source[offset + 1];
      while (ch === " " || ch === "	" || ch === "\n" || ch === "\r") {
        if (ch === "\r" && source[offset + 2] !== "\n")
          break;
        if (ch === "\n")
          fold += "\n";
        offset += 1;
        ch = source[offset + 1];
      }
      if (!fold)
        fold = " ";
      return { fold, offset };
    }
    var escapeCodes = {
      "0": "\0",
      // null character
      a: "\x07",
      // bell character
      b: "\b",
      // backspace
      e: "\x1B",
      // escape character
      f: "\f",
      // form feed
      n: "\n",
      // line feed
      r: "\r",
      // carriage return
      t: "	",
      // horizontal tab
      v: "\v",
      // vertical tab
      N: "\x85",
      // Unicode next line
      _: "\xA0",
      // Unicode non-breaking space
      L: "\u2028",
      // Unicode line separator
      P: "\u2029",
      // Unicode paragraph separator
      " ": " ",
      '"': '"',
      "/": "/",
      "\\": "\\",
      "	": "	"
    };
    function parseCharCode(source, offset, length, onError) {
      const cc = source.substr(offset, length);
      const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
      const code2 = ok ? parseInt(cc, 16) : NaN;
      try {
        return String.fromCodePoint(code2);
      } catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
        return raw;
      }
    }
    exports.resolveFlowScalar = resolveFlowScalar;
  }
});

// node_modules/yaml/dist/compose/compose-scalar.js
var require_compose_scalar = __commonJS({
  "node_modules/yaml/dist/compose/compose-scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    function composeScalar(ctx, token, tagToken, onError) {
      const { value, type, comment, range } = token.type === "block-scalar" ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError) : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
      const tagName = tagToken ? ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg)) : null;
      let tag;
      if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
      } else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
      else if (token.type === "scalar")
        tag = findScalarTagByTest(ctx, value, token, onError);
      else
        tag = ctx.schema[identity.SCALAR];
      let scalar;
      try {
        const res = tag.resolve(value, (msg) => onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
      } catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg);
        scalar = new Scalar.Scalar(value);
      }
      scalar.range = range;
      scalar.source = value;
      if (type)
        scalar.type = type;
      if (tagName)
        scalar.tag = tagName;
      if (tag.format)
        scalar.format = tag.format;
      if (comment)
        scalar.comment = comment;
      return scalar;
    }
    function findScalarTagByName(schema, value, tagName, tagToken, onError) {
      if (tagName === "!")
        return schema[identity.SCALAR];
      const matchWithTest = [];
      for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
          if (tag.default && tag.test)
            matchWithTest.push(tag);
          else
            return tag;
        }
      }
      for (const tag of matchWithTest)
        if (tag.test?.test(value))
          return tag;
      const kt = schema.knownTags[tagName];
      if (kt && !kt.collection) {
        schema.tags.push(Object.assign({}, kt, { default: false, test: void 0 }));
        return kt;
      }
      onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, tagName !== "tag:yaml.org,2002:str");
      return schema[identity.SCALAR];
    }
    function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
      const tag = schema.tags.find((tag2) => (tag2.default === true || atKey && tag2.default === "key") && tag2.test?.test(value)) || schema[identity.SCALAR];
      if (schema.compat) {
        const compat = schema.compat.find((tag2) => tag2.default && tag2.test?.test(value)) ?? schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
          const ts = directives.tagString(tag.tag);
          const cs = directives.tagString(compat.tag);
          const msg = `Value may be parsed as either ${ts} or ${cs}`;
          onError(token, "TAG_RESOLVE_FAILED", msg, true);
        }
      }
      return tag;
    }
    exports.composeScalar = composeScalar;
  }
});

// node_modules/yaml/dist/compose/util-empty-scalar-position.js
var require_util_empty_scalar_position = __commonJS({
  "node_modules/yaml/dist/compose/util-empty-scalar-position.js"(exports) {
    "use strict";
    function emptyScalarPosition(offset, before, pos) {
      if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
          let st = before[i];
          switch (st.type) {
            case "space":
            case "comment":
            case "newline":
              offset -= st.source.length;
              continue;
          }
          st = before[++i];
          while (st?.type === "space") {
            offset += st.source.length;
            st = before[++i];
          }
          break;
        }
      }
      return offset;
    }
    exports.emptyScalarPosition = emptyScalarPosition;
  }
});

// node_modules/yaml/dist/compose/compose-node.js
var require_compose_node = __commonJS({
  "node_modules/yaml/dist/compose/compose-node.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var composeCollection = require_compose_collection();
    var composeScalar = require_compose_scalar();
    var resolveEnd = require_resolve_end();
    var utilEmptyScalarPosition = require_util_empty_scalar_position();
    var CN = { composeNode, composeEmptyNode };
    function composeNode(ctx, token, props, onError) {
      const atKey = ctx.atKey;
      const { spaceBefore, comment, anchor, tag } = props;
      let node;
      let isSrcToken = true;
      switch (token.type) {
        case "alias":
          node = composeAlias(ctx, token, onError);
          if (anchor || tag)
            onError(token, "ALIAS_PROPS", "An alias node must not specify any properties");
          break;
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "block-scalar":
          node = composeScalar.composeScalar(ctx, token, tag, onError);
          if (anchor)
            node.anchor = anchor.source.substring(1);
          break;
        case "block-map":
        case "block-seq":
        case "flow-collection":
          try {
            node = composeCollection.composeCollection(CN, ctx, token, props, onError);
            if (anchor)
              node.anchor = anchor.source.substring(1);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            onError(token, "RESOURCE_EXHAUSTION", message);
          }
          break;
        default: {
          const message = token.type === "error" ? token.message : `Unsupported token (type: ${token.type})`;
          onError(token, "UNEXPECTED_TOKEN", message);
          isSrcToken = false;
        }
      }
      node ?? (node = composeEmptyNode(ctx, token.offset, void 0, null, props, onError));
      if (anchor && node.anchor === "")
        onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      if (atKey && ctx.options.stringKeys && (!identity.isScalar(node) || typeof node.value !== "string" || node.tag && node.tag !== "tag:yaml.org,2002:str")) {
        const msg = "With stringKeys, all keys must be strings";
        onError(tag ?? token, "NON_STRING_KEY", msg);
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        if (token.type === "scalar" && token.source === "")
          node.comment = comment;
        else
          node.commentBefore = comment;
      }
      if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
      return node;
    }
    function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
      const token = {
        type: "scalar",
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ""
      };
      const node = composeScalar.composeScalar(ctx, token, tag, onError);
      if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === "")
          onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        node.comment = comment;
        node.range[2] = end;
      }
      return node;
    }
    function composeAlias({ options }, { offset, source, end }, onError) {
      const alias = new Alias.Alias(source.substring(1));
      if (alias.source === "")
        onError(offset, "BAD_ALIAS", "Alias cannot be an empty string");
      if (alias.source.endsWith(":"))
        onError(offset + source.length - 1, "BAD_ALIAS", "Alias ending in : is ambiguous", true);
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
      alias.range = [offset, valueEnd, re.offset];
      if (re.comment)
        alias.comment = re.comment;
      return alias;
    }
    exports.composeEmptyNode = composeEmptyNode;
    exports.composeNode = composeNode;
  }
});

// node_modules/yaml/dist/compose/compose-doc.js
var require_compose_doc = __commonJS({
  "node_modules/yaml/dist/compose/compose-doc.js"(exports) {
    "use strict";
    var Document2 = require_Document();
    var composeNode = require_compose_node();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    function composeDoc(options, directives, { offset, start, value, end }, onError) {
      const opts = Object.assign({ _directives: directives }, options);
      const doc = new Document2.Document(void 0, opts);
      const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
      };
      const props = resolveProps.resolveProps(start, {
        indicator: "doc-start",
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
      });
      if (props.found) {
        doc.directives.docStart = true;
        if (value && (value.type === "block-map" || value.type === "block-seq") && !props.hasNewline)
          onError(props.end, "MISSING_CHAR", "Block collection cannot start on same line with directives-end marker");
      }
      doc.contents = value ? composeNode.composeNode(ctx, value, props, onError) : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
      const contentEnd = doc.contents.range[2];
      const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
      if (re.comment)
        doc.comment = re.comment;
      doc.range = [offset, contentEnd, re.offset];
      return doc;
    }
    exports.composeDoc = composeDoc;
  }
});

// node_modules/yaml/dist/compose/composer.js
var require_composer = __commonJS({
  "node_modules/yaml/dist/compose/composer.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var directives = require_directives();
    var Document2 = require_Document();
    var errors = require_errors();
    var identity = require_identity();
    var composeDoc = require_compose_doc();
    var resolveEnd = require_resolve_end();
    function getErrorPos(src) {
      if (typeof src === "number")
        return [src, src + 1];
      if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
      const { offset, source } = src;
      return [offset, offset + (typeof source === "string" ? source.length : 1)];
    }
    function parsePrelude(prelude) {
      let comment = "";
      let atComment = false;
      let afterEmptyLine = false;
      for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
          case "#":
            comment += (comment === "" ? "" : afterEmptyLine ? "\n\n" : "\n") + (source.substring(1) || " ");
            atComment = true;
            afterEmptyLine = false;
            break;
          case "%":
            if (prelude[i + 1]?.[0] !== "#")
              i += 1;
            atComment = false;
            break;
          default:
            if (!atComment)
              afterEmptyLine = true;
            atComment = false;
        }
      }
      return { comment, afterEmptyLine };
    }
    var Composer = class {
      constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code2, message, warning) => {
          const pos = getErrorPos(source);
          if (warning)
            this.warnings.push(new errors.YAMLWarning(pos, code2, message));
          else
            this.errors.push(new errors.YAMLParseError(pos, code2, message));
        };
        this.directives = new directives.Directives({ version: options.version || "1.2" });
        this.options = options;
      }
      decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        if (comment) {
          const dc = doc.contents;
          if (afterDoc) {
            doc.comment = doc.comment ? `${doc.comment}
${comment}` : comment;
          } else if (afterEmptyLine || doc.directives.docStart || !dc) {
            doc.commentBefore = comment;
          } else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
            let it = dc.items[0];
            if (identity.isPair(it))
              it = it.key;
            const cb = it.commentBefore;
            it.commentBefore = cb ? `${comment}
${cb}` : comment;
          } else {
            const cb = dc.commentBefore;
            dc.commentBefore = cb ? `${comment}
${cb}` : comment;
          }
        }
        if (afterDoc) {
          for (let i = 0; i < this.errors.length; ++i)
            doc.errors.push(this.errors[i]);
          for (let i = 0; i < this.warnings.length; ++i)
            doc.warnings.push(this.warnings[i]);
        } else {
          doc.errors = this.errors;
          doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
      }
      /**
       * Current stream status information.
       *
       * Mostly useful at the end of input for an empty stream.
       */
      streamInfo() {
        return {
          comment: parsePrelude(this.prelude).comment,
          directives: this.directives,
          errors: this.errors,
          warnings: this.warnings
        };
      }
      /**
       * Compose tokens into documents.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
          yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
      }
      /** Advance the composer by one CST token. */
      *next(token) {
        if (node_process.env.LOG_STREAM)
          console.dir(token, { depth: null });
        switch (token.type) {
          case "directive":
            this.directives.add(token.source, (offset, message, warning) => {
              const pos = getErrorPos(token);
              pos[0] += offset;
              this.onError(pos, "BAD_DIRECTIVE", message, warning);
            });
            this.prelude.push(token.source);
            this.atDirectives = true;
            break;
          case "document": {
            const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
            if (this.atDirectives && !doc.directives.docStart)
              this.onError(token, "MISSING_CHAR", "Missing directives-end/doc-start indicator line");
            this.decorate(doc, false);
            if (this.doc)
              yield this.doc;
            this.doc = doc;
            this.atDirectives = false;
            break;
          }
          case "byte-order-mark":
          case "space":
            break;
          case "comment":
          case "newline":
            this.prelude.push(token.source);
            break;
          case "error": {
            const msg = token.source ? `${token.message}: ${JSON.stringify(token.source)}` : token.message;
            const error = new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg);
            if (this.atDirectives || !this.doc)
              this.errors.push(error);
            else
              this.doc.errors.push(error);
            break;
          }
          case "doc-end": {
            if (!this.doc) {
              const msg = "Unexpected doc-end without preceding document";
              this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg));
              break;
            }
            this.doc.directives.docEnd = true;
            const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
            this.decorate(this.doc, true);
            if (end.comment) {
              const dc = this.doc.comment;
              this.doc.comment = dc ? `${dc}
${end.comment}` : end.comment;
            }
            this.doc.range[2] = end.offset;
            break;
          }
          default:
            this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", `Unsupported token ${token.type}`));
        }
      }
      /**
       * Call at end of input to yield any remaining document.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
          this.decorate(this.doc, true);
          yield this.doc;
          this.doc = null;
        } else if (forceDoc) {
          const opts = Object.assign({ _directives: this.directives }, this.options);
          const doc = new Document2.Document(void 0, opts);
          if (this.atDirectives)
            this.onError(endOffset, "MISSING_CHAR", "Missing directives-end indicator line");
          doc.range = [0, endOffset, endOffset];
          this.decorate(doc, false);
          yield doc;
        }
      }
    };
    exports.Composer = Composer;
  }
});

// node_modules/yaml/dist/parse/cst-scalar.js
var require_cst_scalar = __commonJS({
  "node_modules/yaml/dist/parse/cst-scalar.js"(exports) {
    "use strict";
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    var errors = require_errors();
    var stringifyString = require_stringifyString();
    function resolveAsScalar(token, strict = true, onError) {
      if (token) {
        const _onError = (pos, code2, message) => {
          const offset = typeof pos === "number" ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
          if (onError)
            onError(offset, code2, message);
          else
            throw new errors.YAMLParseError([offset, offset + 1], code2, message);
        };
        switch (token.type) {
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
          case "block-scalar":
            return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
      }
      return null;
    }
    function createScalarToken(value, context) {
      const { implicitKey = false, indent, inFlow = false, offset = -1, type = "PLAIN" } = context;
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      const end = context.end ?? [
        { type: "newline", offset: -1, indent, source: "\n" }
      ];
      switch (source[0]) {
        case "|":
        case ">": {
          const he = source.indexOf("\n");
          const head = source.substring(0, he);
          const body = source.substring(he + 1) + "\n";
          const props = [
            { type: "block-scalar-header", offset, indent, source: head }
          ];
          if (!addEndtoBlockProps(props, end))
            props.push({ type: "newline", offset: -1, indent, source: "\n" });
          return { type: "block-scalar", offset, indent, props, source: body };
        }
        case '"':
          return { type: "double-quoted-scalar", offset, indent, source, end };
        case "'":
          return { type: "single-quoted-scalar", offset, indent, source, end };
        default:
          return { type: "scalar", offset, indent, source, end };
      }
    }
    function setScalarValue(token, value, context = {}) {
      let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
      let indent = "indent" in token ? token.indent : null;
      if (afterKey && typeof indent === "number")
        indent += 2;
      if (!type)
        switch (token.type) {
          case "single-quoted-scalar":
            type = "QUOTE_SINGLE";
            break;
          case "double-quoted-scalar":
            type = "QUOTE_DOUBLE";
            break;
          case "block-scalar": {
            const header = token.props[0];
            if (header.type !== "block-scalar-header")
              throw new Error("Invalid block scalar header");
            type = header.source[0] === ">" ? "BLOCK_FOLDED" : "BLOCK_LITERAL";
            break;
          }
          default:
            type = "PLAIN";
        }
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      switch (source[0]) {
        case "|":
        case ">":
          setBlockScalarValue(token, source);
          break;
        case '"':
          setFlowScalarValue(token, source, "double-quoted-scalar");
          break;
        case "'":
          setFlowScalarValue(token, source, "single-quoted-scalar");
          break;
        default:
          setFlowScalarValue(token, source, "scalar");
      }
    }
    function setBlockScalarValue(token, source) {
      const he = source.indexOf("\n");
      const head = source.substring(0, he);
      const body = source.substring(he + 1) + "\n";
      if (token.type === "block-scalar") {
        const header = token.props[0];
        if (header.type !== "block-scalar-header")
          throw new Error("Invalid block scalar header");
        header.source = head;
        token.source = body;
      } else {
        const { offset } = token;
        const indent = "indent" in token ? token.indent : -1;
        const props = [
          { type: "block-scalar-header", offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, "end" in token ? token.end : void 0))
          props.push({ type: "newline", offset: -1, indent, source: "\n" });
        for (const key of Object.keys(token))
          if (key !== "type" && key !== "offset")
            delete token[key];
        Object.assign(token, { type: "block-scalar", indent, props, source: body });
      }
    }
    function addEndtoBlockProps(props, end) {
      if (end)
        for (const st of end)
          switch (st.type) {
            case "space":
            case "comment":
              props.push(st);
              break;
            case "newline":
              props.push(st);
              return true;
          }
      return false;
    }
    function setFlowScalarValue(token, source, type) {
      switch (token.type) {
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          token.type = type;
          token.source = source;
          break;
        case "block-scalar": {
          const end = token.props.slice(1);
          let oa = source.length;
          if (token.props[0].type === "block-scalar-header")
            oa -= token.props[0].source.length;
          for (const tok of end)
            tok.offset += oa;
          delete token.props;
          Object.assign(token, { type, source, end });
          break;
        }
        case "block-map":
        case "block-seq": {
          const offset = token.offset + source.length;
          const nl = { type: "newline", offset, indent: token.indent, source: "\n" };
          delete token.items;
          Object.assign(token, { type, source, end: [nl] });
          break;
        }
        default: {
          const indent = "indent" in token ? token.indent : -1;
          const end = "end" in token && Array.isArray(token.end) ? token.end.filter((st) => st.type === "space" || st.type === "comment" || st.type === "newline") : [];
          for (const key of Object.keys(token))
            if (key !== "type" && key !== "offset")
              delete token[key];
          Object.assign(token, { type, indent, source, end });
        }
      }
    }
    exports.createScalarToken = createScalarToken;
    exports.resolveAsScalar = resolveAsScalar;
    exports.setScalarValue = setScalarValue;
  }
});

// node_modules/yaml/dist/parse/cst-stringify.js
var require_cst_stringify = __commonJS({
  "node_modules/yaml/dist/parse/cst-stringify.js"(exports) {
    "use strict";
    var stringify3 = (cst) => "type" in cst ? stringifyToken(cst) : stringifyItem(cst);
    function stringifyToken(token) {
      switch (token.type) {
        case "block-scalar": {
          let res = "";
          for (const tok of token.props)
            res += stringifyToken(tok);
          return res + token.source;
        }
        case "block-map":
        case "block-seq": {
          let res = "";
          for (const item of token.items)
            res += stringifyItem(item);
          return res;
        }
        case "flow-collection": {
          let res = token.start.source;
          for (const item of token.items)
            res += stringifyItem(item);
          for (const st of token.end)
            res += st.source;
          return res;
        }
        case "document": {
          let res = stringifyItem(token);
          if (token.end)
            for (const st of token.end)
              res += st.source;
          return res;
        }
        default: {
          let res = token.source;
          if ("end" in token && token.end)
            for (const st of token.end)
              res += st.source;
          return res;
        }
      }
    }
    function stringifyItem({ start, key, sep, value }) {
      let res = "";
      for (const st of start)
        res += st.source;
      if (key)
        res += stringifyToken(key);
      if (sep)
        for (const st of sep)
          res += st.source;
      if (value)
        res += stringifyToken(value);
      return res;
    }
    exports.stringify = stringify3;
  }
});

// node_modules/yaml/dist/parse/cst-visit.js
var require_cst_visit = __commonJS({
  "node_modules/yaml/dist/parse/cst-visit.js"(exports) {
    "use strict";
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove item");
    function visit2(cst, visitor) {
      if ("type" in cst && cst.type === "document")
        cst = { start: cst.start, value: cst.value };
      _visit(Object.freeze([]), cst, visitor);
    }
    visit2.BREAK = BREAK;
    visit2.SKIP = SKIP;
    visit2.REMOVE = REMOVE;
    visit2.itemAtPath = (cst, path18) => {
      let item = cst;
      for (const [field, index] of path18) {
        const tok = item?.[field];
        if (tok && "items" in tok) {
          item = tok.items[index];
        } else
          return void 0;
      }
      return item;
    };
    visit2.parentCollection = (cst, path18) => {
      const parent = visit2.itemAtPath(cst, path18.slice(0, -1));
      const field = path18[path18.length - 1][0];
      const coll = parent?.[field];
      if (coll && "items" in coll)
        return coll;
      throw new Error("Parent collection not found");
    };
    function _visit(path18, item, visitor) {
      let ctrl = visitor(item, path18);
      if (typeof ctrl === "symbol")
        return ctrl;
      for (const field of ["key", "value"]) {
        const token = item[field];
        if (token && "items" in token) {
          for (let i = 0; i < token.items.length; ++i) {
            const ci = _visit(Object.freeze(path18.concat([[field, i]])), token.items[i], visitor);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              token.items.splice(i, 1);
              i -= 1;
            }
          }
          if (typeof ctrl === "function" && field === "key")
            ctrl = ctrl(item, path18);
        }
      }
      return typeof ctrl === "function" ? ctrl(item, path18) : ctrl;
    }
    exports.visit = visit2;
  }
});

// node_modules/yaml/dist/parse/cst.js
var require_cst = __commonJS({
  "node_modules/yaml/dist/parse/cst.js"(exports) {
    "use strict";
    var cstScalar = require_cst_scalar();
    var cstStringify = require_cst_stringify();
    var cstVisit = require_cst_visit();
    var BOM = "\uFEFF";
    var DOCUMENT = "";
    var FLOW_END = "";
    var SCALAR = "";
    var isCollection = (token) => !!token && "items" in token;
    var isScalar3 = (token) => !!token && (token.type === "scalar" || token.type === "single-quoted-scalar" || token.type === "double-quoted-scalar" || token.type === "block-scalar");
    function prettyToken(token) {
      switch (token) {
        case BOM:
          return "<BOM>";
        case DOCUMENT:
          return "<DOC>";
        case FLOW_END:
          return "<FLOW_END>";
        case SCALAR:
          return "<SCALAR>";
        default:
          return JSON.stringify(token);
      }
    }
    function tokenType(source) {
      switch (source) {
        case BOM:
          return "byte-order-mark";
        case DOCUMENT:
          return "doc-mode";
        case FLOW_END:
          return "flow-error-end";
        case SCALAR:
          return "scalar";
        case "---":
          return "doc-start";
        case "...":
          return "doc-end";
        case "":
        case "\n":
        case "\r\n":
          return "newline";
        case "-":
          return "seq-item-ind";
        case "?":
          return "explicit-key-ind";
        case ":":
          return "map-value-ind";
        case "{":
          return "flow-map-start";
        case "}":
          return "flow-map-end";
        case "[":
          return "flow-seq-start";
        case "]":
          return "flow-seq-end";
        case ",":
          return "comma";
      }
      switch (source[0]) {
        case " ":
        case "	":
          return "space";
        case "#":
          return "comment";
        case "%":
          return "directive-line";
        case "*":
          return "alias";
        case "&":
          return "anchor";
        case "!":
          return "tag";
        case "'":
          return "single-quoted-scalar";
        case '"':
          return "double-quoted-scalar";
        case "|":
        case ">":
          return "block-scalar-header";
      }
      return null;
    }
    exports.createScalarToken = cstScalar.createScalarToken;
    exports.resolveAsScalar = cstScalar.resolveAsScalar;
    exports.setScalarValue = cstScalar.setScalarValue;
    exports.stringify = cstStringify.stringify;
    exports.visit = cstVisit.visit;
    exports.BOM = BOM;
    exports.DOCUMENT = DOCUMENT;
    exports.FLOW_END = FLOW_END;
    exports.SCALAR = SCALAR;
    exports.isCollection = isCollection;
    exports.isScalar = isScalar3;
    exports.prettyToken = prettyToken;
    exports.tokenType = tokenType;
  }
});

// node_modules/yaml/dist/parse/lexer.js
var require_lexer = __commonJS({
  "node_modules/yaml/dist/parse/lexer.js"(exports) {
    "use strict";
    var cst = require_cst();
    function isEmpty(ch) {
      switch (ch) {
        case void 0:
        case " ":
        case "\n":
        case "\r":
        case "	":
          return true;
        default:
          return false;
      }
    }
    var hexDigits = new Set("0123456789ABCDEFabcdef");
    var tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
    var flowIndicatorChars = new Set(",[]{}");
    var invalidAnchorChars = new Set(" ,[]{}\n\r	");
    var isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
    var Lexer = class {
      constructor() {
        this.atEnd = false;
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        this.buffer = "";
        this.flowKey = false;
        this.flowLevel = 0;
        this.indentNext = 0;
        this.indentValue = 0;
        this.lineEndPos = null;
        this.next = null;
        this.pos = 0;
      }
      /**
       * Generate YAML tokens from the `source` string. If `incomplete`,
       * a part of the last line may be left as a buffer for the next call.
       *
       * @returns A generator of lexical tokens
       */
      *lex(source, incomplete = false) {
        if (source) {
          if (typeof source !== "string")
            throw TypeError("source is not a string");
          this.buffer = this.buffer ? this.buffer + source : source;
          this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? "stream";
        while (next && (incomplete || this.hasChars(1)))
          next = yield* this.parseNext(next);
      }
      atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === " " || ch === "	")
          ch = this.buffer[++i];
        if (!ch || ch === "#" || ch === "\n")
          return true;
        if (ch === "\r")
          return this.buffer[i + 1] === "\n";
        return false;
      }
      charAt(n) {
        return this.buffer[this.pos + n];
      }
      continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
          let indent = 0;
          while (ch === " ")
            ch = this.buffer[++indent + offset];
          if (ch === "\r") {
            const next = this.buffer[indent + offset + 1];
            if (next === "\n" || !next && !this.atEnd)
              return offset + indent + 1;
          }
          return ch === "\n" || indent >= this.indentNext || !ch && !this.atEnd ? offset + indent : -1;
        }
        if (ch === "-" || ch === ".") {
          const dt = this.buffer.substr(offset, 3);
          if ((dt === "---" || dt === "...") && isEmpty(this.buffer[offset + 3]))
            return -1;
        }
        return offset;
      }
      getLine() {
        let end = this.lineEndPos;
        if (typeof end !== "number" || end !== -1 && end < this.pos) {
          end = this.buffer.indexOf("\n", this.pos);
          this.lineEndPos = end;
        }
        if (end === -1)
          return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === "\r")
          end -= 1;
        return this.buffer.substring(this.pos, end);
      }
      hasChars(n) {
        return this.pos + n <= this.buffer.length;
      }
      setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
      }
      peek(n) {
        return this.buffer.substr(this.pos, n);
      }
      *parseNext(next) {
        switch (next) {
          case "stream":
            return yield* this.parseStream();
          case "line-start":
            return yield* this.parseLineStart();
          case "block-start":
            return yield* this.parseBlockStart();
          case "doc":
            return yield* this.parseDocument();
          case "flow":
            return yield* this.parseFlowCollection();
          case "quoted-scalar":
            return yield* this.parseQuotedScalar();
          case "block-scalar":
            return yield* this.parseBlockScalar();
          case "plain-scalar":
            return yield* this.parsePlainScalar();
        }
      }
      *parseStream() {
        let line = this.getLine();
        if (line === null)
          return this.setNext("stream");
        if (line[0] === cst.BOM) {
          yield* this.pushCount(1);
          line = line.substring(1);
        }
        if (line[0] === "%") {
          let dirEnd = line.length;
          let cs = line.indexOf("#");
          while (cs !== -1) {
            const ch = line[cs - 1];
            if (ch === " " || ch === "	") {
              dirEnd = cs - 1;
              break;
            } else {
              cs = line.indexOf("#", cs + 1);
            }
          }
          while (true) {
            const ch = line[dirEnd - 1];
            if (ch === " " || ch === "	")
              dirEnd -= 1;
            else
              break;
          }
          const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
          yield* this.pushCount(line.length - n);
          this.pushNewline();
          return "stream";
        }
        if (this.atLineEnd()) {
          const sp = yield* this.pushSpaces(true);
          yield* this.pushCount(line.length - sp);
          yield* this.pushNewline();
          return "stream";
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
      }
      *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
          return this.setNext("line-start");
        if (ch === "-" || ch === ".") {
          if (!this.atEnd && !this.hasChars(4))
            return this.setNext("line-start");
          const s = this.peek(3);
          if ((s === "---" || s === "...") && isEmpty(this.charAt(3))) {
            yield* this.pushCount(3);
            this.indentValue = 0;
            this.indentNext = 0;
            return s === "---" ? "doc" : "stream";
          }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
          this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
      }
      *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
          return this.setNext("block-start");
        if ((ch0 === "-" || ch0 === "?" || ch0 === ":") && isEmpty(ch1)) {
          const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
          this.indentNext = this.indentValue + 1;
          this.indentValue += n;
          return "block-start";
        }
        return "doc";
      }
      *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
          return this.setNext("doc");
        let n = yield* this.pushIndicators();
        switch (line[n]) {
          case "#":
            yield* this.pushCount(line.length - n);
          // fallthrough
          case void 0:
            yield* this.pushNewline();
            return yield* this.parseLineStart();
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel = 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            return "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "doc";
          case '"':
          case "'":
            return yield* this.parseQuotedScalar();
          case "|":
          case ">":
            n += yield* this.parseBlockScalarHeader();
            n += yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - n);
            yield* this.pushNewline();
            return yield* this.parseBlockScalar();
          default:
            return yield* this.parsePlainScalar();
        }
      }
      *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
          nl = yield* this.pushNewline();
          if (nl > 0) {
            sp = yield* this.pushSpaces(false);
            this.indentValue = indent = sp;
          } else {
            sp = 0;
          }
          sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
          return this.setNext("flow");
        if (indent !== -1 && indent < this.indentNext && line[0] !== "#" || indent === 0 && (line.startsWith("---") || line.startsWith("...")) && isEmpty(line[3])) {
          const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (line[0] === "]" || line[0] === "}");
          if (!atFlowEndMarker) {
            this.flowLevel = 0;
            yield cst.FLOW_END;
            return yield* this.parseLineStart();
          }
        }
        let n = 0;
        while (line[n] === ",") {
          n += yield* this.pushCount(1);
          n += yield* this.pushSpaces(true);
          this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
          case void 0:
            return "flow";
          case "#":
            yield* this.pushCount(line.length - n);
            return "flow";
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel += 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            this.flowKey = true;
            this.flowLevel -= 1;
            return this.flowLevel ? "flow" : "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "flow";
          case '"':
          case "'":
            this.flowKey = true;
            return yield* this.parseQuotedScalar();
          case ":": {
            const next = this.charAt(1);
            if (this.flowKey || isEmpty(next) || next === ",") {
              this.flowKey = false;
              yield* this.pushCount(1);
              yield* this.pushSpaces(true);
              return "flow";
            }
          }
          // fallthrough
          default:
            this.flowKey = false;
            return yield* this.parsePlainScalar();
        }
      }
      *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
          while (end !== -1 && this.buffer[end + 1] === "'")
            end = this.buffer.indexOf("'", end + 2);
        } else {
          while (end !== -1) {
            let n = 0;
            while (this.buffer[end - 1 - n] === "\\")
              n += 1;
            if (n % 2 === 0)
              break;
            end = this.buffer.indexOf('"', end + 1);
          }
        }
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf("\n", this.pos);
        if (nl !== -1) {
          while (nl !== -1) {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = qb.indexOf("\n", cs);
          }
          if (nl !== -1) {
            end = nl - (qb[nl - 1] === "\r" ? 2 : 1);
          }
        }
        if (end === -1) {
          if (!this.atEnd)
            return this.setNext("quoted-scalar");
          end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? "flow" : "doc";
      }
      *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
          const ch = this.buffer[++i];
          if (ch === "+")
            this.blockScalarKeep = true;
          else if (ch > "0" && ch <= "9")
            this.blockScalarIndent = Number(ch) - 1;
          else if (ch !== "-")
            break;
        }
        return yield* this.pushUntil((ch) => isEmpty(ch) || ch === "#");
      }
      *parseBlockScalar() {
        let nl = this.pos - 1;
        let indent = 0;
        let ch;
        loop: for (let i2 = this.pos; ch = this.buffer[i2]; ++i2) {
          switch (ch) {
            case " ":
              indent += 1;
              break;
            case "\n":
              nl = i2;
              indent = 0;
              break;
            case "\r": {
              const next = this.buffer[i2 + 1];
              if (!next && !this.atEnd)
                return this.setNext("block-scalar");
              if (next === "\n")
                break;
            }
            // fallthrough
            default:
              break loop;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("block-scalar");
        if (indent >= this.indentNext) {
          if (this.blockScalarIndent === -1)
            this.indentNext = indent;
          else {
            this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
          }
          do {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = this.buffer.indexOf("\n", cs);
          } while (nl !== -1);
          if (nl === -1) {
            if (!this.atEnd)
              return this.setNext("block-scalar");
            nl = this.buffer.length;
          }
        }
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === " ")
          ch = this.buffer[++i];
        if (ch === "	") {
          while (ch === "	" || ch === " " || ch === "\r" || ch === "\n")
            ch = this.buffer[++i];
          nl = i - 1;
        } else if (!this.blockScalarKeep) {
          do {
            let i2 = nl - 1;
            let ch2 = this.buffer[i2];
            if (ch2 === "\r")
              ch2 = this.buffer[--i2];
            const lastChar = i2;
            while (ch2 === " ")
              ch2 = this.buffer[--i2];
            if (ch2 === "\n" && i2 >= this.pos && i2 + 1 + indent > lastChar)
              nl = i2;
            else
              break;
          } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
      }
      *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while (ch = this.buffer[++i]) {
          if (ch === ":") {
            const next = this.buffer[i + 1];
            if (isEmpty(next) || inFlow && flowIndicatorChars.has(next))
              break;
            end = i;
          } else if (isEmpty(ch)) {
            let next = this.buffer[i + 1];
            if (ch === "\r") {
              if (next === "\n") {
                i += 1;
                ch = "\n";
                next = this.buffer[i + 1];
              } else
                end = i;
            }
            if (next === "#" || inFlow && flowIndicatorChars.has(next))
              break;
            if (ch === "\n") {
              const cs = this.continueScalar(i + 1);
              if (cs === -1)
                break;
              i = Math.max(i, cs - 2);
            }
          } else {
            if (inFlow && flowIndicatorChars.has(ch))
              break;
            end = i;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("plain-scalar");
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? "flow" : "doc";
      }
      *pushCount(n) {
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos += n;
          return n;
        }
        return 0;
      }
      *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
          yield s;
          this.pos += s.length;
          return s.length;
        } else if (allowEmpty)
          yield "";
        return 0;
      }
      *pushIndicators() {
        let n = 0;
        loop: while (true) {
          switch (this.charAt(0)) {
            case "!":
              n += yield* this.pushTag();
              n += yield* this.pushSpaces(true);
              continue loop;
            case "&":
              n += yield* this.pushUntil(isNotAnchorChar);
              n += yield* this.pushSpaces(true);
              continue loop;
            case "-":
            // this is an error
            case "?":
            // this is an error outside flow collections
            case ":": {
              const inFlow = this.flowLevel > 0;
              const ch1 = this.charAt(1);
              if (isEmpty(ch1) || inFlow && flowIndicatorChars.has(ch1)) {
                if (!inFlow)
                  this.indentNext = this.indentValue + 1;
                else if (this.flowKey)
                  this.flowKey = false;
                n += yield* this.pushCount(1);
                n += yield* this.pushSpaces(true);
                continue loop;
              }
            }
          }
          break loop;
        }
        return n;
      }
      *pushTag() {
        if (this.charAt(1) === "<") {
          let i = this.pos + 2;
          let ch = this.buffer[i];
          while (!isEmpty(ch) && ch !== ">")
            ch = this.buffer[++i];
          return yield* this.pushToIndex(ch === ">" ? i + 1 : i, false);
        } else {
          let i = this.pos + 1;
          let ch = this.buffer[i];
          while (ch) {
            if (tagChars.has(ch))
              ch = this.buffer[++i];
            else if (ch === "%" && hexDigits.has(this.buffer[i + 1]) && hexDigits.has(this.buffer[i + 2])) {
              ch = this.buffer[i += 3];
            } else
              break;
          }
          return yield* this.pushToIndex(i, false);
        }
      }
      *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === "\n")
          return yield* this.pushCount(1);
        else if (ch === "\r" && this.charAt(1) === "\n")
          return yield* this.pushCount(2);
        else
          return 0;
      }
      *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
          ch = this.buffer[++i];
        } while (ch === " " || allowTabs && ch === "	");
        const n = i - this.pos;
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos = i;
        }
        return n;
      }
      *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
          ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
      }
    };
    exports.Lexer = Lexer;
  }
});

// node_modules/yaml/dist/parse/line-counter.js
var require_line_counter = __commonJS({
  "node_modules/yaml/dist/parse/line-counter.js"(exports) {
    "use strict";
    var LineCounter3 = class {
      constructor() {
        this.lineStarts = [];
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        this.linePos = (offset) => {
          let low = 0;
          let high = this.lineStarts.length;
          while (low < high) {
            const mid = low + high >> 1;
            if (this.lineStarts[mid] < offset)
              low = mid + 1;
            else
              high = mid;
          }
          if (this.lineStarts[low] === offset)
            return { line: low + 1, col: 1 };
          if (low === 0)
            return { line: 0, col: offset };
          const start = this.lineStarts[low - 1];
          return { line: low, col: offset - start + 1 };
        };
      }
    };
    exports.LineCounter = LineCounter3;
  }
});

// node_modules/yaml/dist/parse/parser.js
var require_parser = __commonJS({
  "node_modules/yaml/dist/parse/parser.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var cst = require_cst();
    var lexer = require_lexer();
    function includesToken(list, type) {
      for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
          return true;
      return false;
    }
    function findNonEmptyIndex(list) {
      for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
          case "space":
          case "comment":
          case "newline":
            break;
          default:
            return i;
        }
      }
      return -1;
    }
    function isFlowToken(token) {
      switch (token?.type) {
        case "alias":
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "flow-collection":
          return true;
        default:
          return false;
      }
    }
    function getPrevProps(parent) {
      switch (parent.type) {
        case "document":
          return parent.start;
        case "block-map": {
          const it = parent.items[parent.items.length - 1];
          return it.sep ?? it.start;
        }
        case "block-seq":
          return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
          return [];
      }
    }
    function getFirstKeyStartProps(prev) {
      if (prev.length === 0)
        return [];
      let i = prev.length;
      loop: while (--i >= 0) {
        switch (prev[i].type) {
          case "doc-start":
          case "explicit-key-ind":
          case "map-value-ind":
          case "seq-item-ind":
          case "newline":
            break loop;
        }
      }
      while (prev[++i]?.type === "space") {
      }
      return prev.splice(i, prev.length);
    }
    function arrayPushArray(target, source) {
      if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
      else
        for (let i = 0; i < source.length; ++i)
          target.push(source[i]);
    }
    function fixFlowSeqItems(fc) {
      if (fc.start.type === "flow-seq-start") {
        for (const it of fc.items) {
          if (it.sep && !it.value && !includesToken(it.start, "explicit-key-ind") && !includesToken(it.sep, "map-value-ind")) {
            if (it.key)
              it.value = it.key;
            delete it.key;
            if (isFlowToken(it.value)) {
              if (it.value.end)
                arrayPushArray(it.value.end, it.sep);
              else
                it.value.end = it.sep;
            } else
              arrayPushArray(it.start, it.sep);
            delete it.sep;
          }
        }
      }
    }
    var Parser2 = class {
      /**
       * @param onNewLine - If defined, called separately with the start position of
       *   each new line (in `parse()`, including the start of input).
       */
      constructor(onNewLine) {
        this.atNewLine = true;
        this.atScalar = false;
        this.indent = 0;
        this.offset = 0;
        this.onKeyLine = false;
        this.stack = [];
        this.source = "";
        this.type = "";
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
      }
      /**
       * Parse `source` as a YAML stream.
       * If `incomplete`, a part of the last line may be left as a buffer for the next call.
       *
       * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
       *
       * @returns A generator of tokens representing each directive, document, and other structure.
       */
      *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
          this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
          yield* this.next(lexeme);
        if (!incomplete)
          yield* this.end();
      }
      /**
       * Advance the parser by the `source` of one lexical token.
       */
      *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
          console.log("|", cst.prettyToken(source));
        if (this.atScalar) {
          this.atScalar = false;
          yield* this.step();
          this.offset += source.length;
          return;
        }
        const type = cst.tokenType(source);
        if (!type) {
          const message = `Not a YAML token: ${source}`;
          yield* this.pop({ type: "error", offset: this.offset, message, source });
          this.offset += source.length;
        } else if (type === "scalar") {
          this.atNewLine = false;
          this.atScalar = true;
          this.type = "scalar";
        } else {
          this.type = type;
          yield* this.step();
          switch (type) {
            case "newline":
              this.atNewLine = true;
              this.indent = 0;
              if (this.onNewLine)
                this.onNewLine(this.offset + source.length);
              break;
            case "space":
              if (this.atNewLine && source[0] === " ")
                this.indent += source.length;
              break;
            case "explicit-key-ind":
            case "map-value-ind":
            case "seq-item-ind":
              if (this.atNewLine)
                this.indent += source.length;
              break;
            case "doc-mode":
            case "flow-error-end":
              return;
            default:
              this.atNewLine = false;
          }
          this.offset += source.length;
        }
      }
      /** Call at end of input to push out any remaining constructions */
      *end() {
        while (this.stack.length > 0)
          yield* this.pop();
      }
      get sourceToken() {
        const st = {
          type: this.type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
        return st;
      }
      *step() {
        const top2 = this.peek(1);
        if (this.type === "doc-end" && top2?.type !== "doc-end") {
          while (this.stack.length > 0)
            yield* this.pop();
          this.stack.push({
            type: "doc-end",
            offset: this.offset,
            source: this.source
          });
          return;
        }
        if (!top2)
          return yield* this.stream();
        switch (top2.type) {
          case "document":
            return yield* this.document(top2);
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return yield* this.scalar(top2);
          case "block-scalar":
            return yield* this.blockScalar(top2);
          case "block-map":
            return yield* this.blockMap(top2);
          case "block-seq":
            return yield* this.blockSequence(top2);
          case "flow-collection":
            return yield* this.flowCollection(top2);
          case "doc-end":
            return yield* this.documentEnd(top2);
        }
        yield* this.pop();
      }
      peek(n) {
        return this.stack[this.stack.length - n];
      }
      *pop(error) {
        const token = error ?? this.stack.pop();
        if (!token) {
          const message = "Tried to pop an empty stack";
          yield { type: "error", offset: this.offset, source: "", message };
        } else if (this.stack.length === 0) {
          yield token;
        } else {
          const top2 = this.peek(1);
          if (token.type === "block-scalar") {
            token.indent = "indent" in top2 ? top2.indent : 0;
          } else if (token.type === "flow-collection" && top2.type === "document") {
            token.indent = 0;
          }
          if (token.type === "flow-collection")
            fixFlowSeqItems(token);
          switch (top2.type) {
            case "document":
              top2.value = token;
              break;
            case "block-scalar":
              top2.props.push(token);
              break;
            case "block-map": {
              const it = top2.items[top2.items.length - 1];
              if (it.value) {
                top2.items.push({ start: [], key: token, sep: [] });
                this.onKeyLine = true;
                return;
              } else if (it.sep) {
                it.value = token;
              } else {
                Object.assign(it, { key: token, sep: [] });
                this.onKeyLine = !it.explicitKey;
                return;
              }
              break;
            }
            case "block-seq": {
              const it = top2.items[top2.items.length - 1];
              if (it.value)
                top2.items.push({ start: [], value: token });
              else
                it.value = token;
              break;
            }
            case "flow-collection": {
              const it = top2.items[top2.items.length - 1];
              if (!it || it.value)
                top2.items.push({ start: [], key: token, sep: [] });
              else if (it.sep)
                it.value = token;
              else
                Object.assign(it, { key: token, sep: [] });
              return;
            }
            /* istanbul ignore next should not happen */
            default:
              yield* this.pop();
              yield* this.pop(token);
          }
          if ((top2.type === "document" || top2.type === "block-map" || top2.type === "block-seq") && (token.type === "block-map" || token.type === "block-seq")) {
            const last = token.items[token.items.length - 1];
            if (last && !last.sep && !last.value && last.start.length > 0 && findNonEmptyIndex(last.start) === -1 && (token.indent === 0 || last.start.every((st) => st.type !== "comment" || st.indent < token.indent))) {
              if (top2.type === "document")
                top2.end = last.start;
              else
                top2.items.push({ start: last.start });
              token.items.splice(-1, 1);
            }
          }
        }
      }
      *stream() {
        switch (this.type) {
          case "directive-line":
            yield { type: "directive", offset: this.offset, source: this.source };
            return;
          case "byte-order-mark":
          case "space":
          case "comment":
          case "newline":
            yield this.sourceToken;
            return;
          case "doc-mode":
          case "doc-start": {
            const doc = {
              type: "document",
              offset: this.offset,
              start: []
            };
            if (this.type === "doc-start")
              doc.start.push(this.sourceToken);
            this.stack.push(doc);
            return;
          }
        }
        yield {
          type: "error",
          offset: this.offset,
          message: `Unexpected ${this.type} token in YAML stream`,
          source: this.source
        };
      }
      *document(doc) {
        if (doc.value)
          return yield* this.lineEnd(doc);
        switch (this.type) {
          case "doc-start": {
            if (findNonEmptyIndex(doc.start) !== -1) {
              yield* this.pop();
              yield* this.step();
            } else
              doc.start.push(this.sourceToken);
            return;
          }
          case "anchor":
          case "tag":
          case "space":
          case "comment":
          case "newline":
            doc.start.push(this.sourceToken);
            return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
          this.stack.push(bv);
        else {
          yield {
            type: "error",
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML document`,
            source: this.source
          };
        }
      }
      *scalar(scalar) {
        if (this.type === "map-value-ind") {
          const prev = getPrevProps(this.peek(2));
          const start = getFirstKeyStartProps(prev);
          let sep;
          if (scalar.end) {
            sep = scalar.end;
            sep.push(this.sourceToken);
            delete scalar.end;
          } else
            sep = [this.sourceToken];
          const map = {
            type: "block-map",
            offset: scalar.offset,
            indent: scalar.indent,
            items: [{ start, key: scalar, sep }]
          };
          this.onKeyLine = true;
          this.stack[this.stack.length - 1] = map;
        } else
          yield* this.lineEnd(scalar);
      }
      *blockScalar(scalar) {
        switch (this.type) {
          case "space":
          case "comment":
          case "newline":
            scalar.props.push(this.sourceToken);
            return;
          case "scalar":
            scalar.source = this.source;
            this.atNewLine = true;
            this.indent = 0;
            if (this.onNewLine) {
              let nl = this.source.indexOf("\n") + 1;
              while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf("\n", nl) + 1;
              }
            }
            yield* this.pop();
            break;
          /* istanbul ignore next should not happen */
          default:
            yield* this.pop();
            yield* this.step();
        }
      }
      *blockMap(map) {
        const it = map.items[map.items.length - 1];
        switch (this.type) {
          case "newline":
            this.onKeyLine = false;
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              it.start.push(this.sourceToken);
            }
            return;
          case "space":
          case "comment":
            if (it.value) {
              map.items.push({ start: [this.sourceToken] });
            } else if (it.sep) {
              it.sep.push(this.sourceToken);
            } else {
              if (this.atIndentedComment(it.start, map.indent)) {
                const prev = map.items[map.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  map.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
        }
        if (this.indent >= map.indent) {
          const atMapIndent = !this.onKeyLine && this.indent === map.indent;
          const atNextItem = atMapIndent && (it.sep || it.explicitKey) && this.type !== "seq-item-ind";
          let start = [];
          if (atNextItem && it.sep && !it.value) {
            const nl = [];
            for (let i = 0; i < it.sep.length; ++i) {
              const st = it.sep[i];
              switch (st.type) {
                case "newline":
                  nl.push(i);
                  break;
                case "space":
                  break;
                case "comment":
                  if (st.indent > map.indent)
                    nl.length = 0;
                  break;
                default:
                  nl.length = 0;
              }
            }
            if (nl.length >= 2)
              start = it.sep.splice(nl[1]);
          }
          switch (this.type) {
            case "anchor":
            case "tag":
              if (atNextItem || it.value) {
                start.push(this.sourceToken);
                map.items.push({ start });
                this.onKeyLine = true;
              } else if (it.sep) {
                it.sep.push(this.sourceToken);
              } else {
                it.start.push(this.sourceToken);
              }
              return;
            case "explicit-key-ind":
              if (!it.sep && !it.explicitKey) {
                it.start.push(this.sourceToken);
                it.explicitKey = true;
              } else if (atNextItem || it.value) {
                start.push(this.sourceToken);
                map.items.push({ start, explicitKey: true });
              } else {
                this.stack.push({
                  type: "block-map",
                  offset: this.offset,
                  indent: this.indent,
                  items: [{ start: [this.sourceToken], explicitKey: true }]
                });
              }
              this.onKeyLine = true;
              return;
            case "map-value-ind":
              if (it.explicitKey) {
                if (!it.sep) {
                  if (includesToken(it.start, "newline")) {
                    Object.assign(it, { key: null, sep: [this.sourceToken] });
                  } else {
                    const start2 = getFirstKeyStartProps(it.start);
                    this.stack.push({
                      type: "block-map",
                      offset: this.offset,
                      indent: this.indent,
                      items: [{ start: start2, key: null, sep: [this.sourceToken] }]
                    });
                  }
                } else if (it.value) {
                  map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                  });
                } else if (isFlowToken(it.key) && !includesToken(it.sep, "newline")) {
                  const start2 = getFirstKeyStartProps(it.start);
                  const key = it.key;
                  const sep = it.sep;
                  sep.push(this.sourceToken);
                  delete it.key;
                  delete it.sep;
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: start2, key, sep }]
                  });
                } else if (start.length > 0) {
                  it.sep = it.sep.concat(start, this.sourceToken);
                } else {
                  it.sep.push(this.sourceToken);
                }
              } else {
                if (!it.sep) {
                  Object.assign(it, { key: null, sep: [this.sourceToken] });
                } else if (it.value || atNextItem) {
                  map.items.push({ start, key: null, sep: [this.sourceToken] });
                } else if (includesToken(it.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [], key: null, sep: [this.sourceToken] }]
                  });
                } else {
                  it.sep.push(this.sourceToken);
                }
              }
              this.onKeyLine = true;
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (atNextItem || it.value) {
                map.items.push({ start, key: fs, sep: [] });
                this.onKeyLine = true;
              } else if (it.sep) {
                this.stack.push(fs);
              } else {
                Object.assign(it, { key: fs, sep: [] });
                this.onKeyLine = true;
              }
              return;
            }
            default: {
              const bv = this.startBlockValue(map);
              if (bv) {
                if (bv.type === "block-seq") {
                  if (!it.explicitKey && it.sep && !includesToken(it.sep, "newline")) {
                    yield* this.pop({
                      type: "error",
                      offset: this.offset,
                      message: "Unexpected block-seq-ind on same line with key",
                      source: this.source
                    });
                    return;
                  }
                } else if (atMapIndent) {
                  map.items.push({ start });
                }
                this.stack.push(bv);
                return;
              }
            }
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
          case "newline":
            if (it.value) {
              const end = "end" in it.value ? it.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                seq.items.push({ start: [this.sourceToken] });
            } else
              it.start.push(this.sourceToken);
            return;
          case "space":
          case "comment":
            if (it.value)
              seq.items.push({ start: [this.sourceToken] });
            else {
              if (this.atIndentedComment(it.start, seq.indent)) {
                const prev = seq.items[seq.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it.start);
                  end.push(this.sourceToken);
                  seq.items.pop();
                  return;
                }
              }
              it.start.push(this.sourceToken);
            }
            return;
          case "anchor":
          case "tag":
            if (it.value || this.indent <= seq.indent)
              break;
            it.start.push(this.sourceToken);
            return;
          case "seq-item-ind":
            if (this.indent !== seq.indent)
              break;
            if (it.value || includesToken(it.start, "seq-item-ind"))
              seq.items.push({ start: [this.sourceToken] });
            else
              it.start.push(this.sourceToken);
            return;
        }
        if (this.indent > seq.indent) {
          const bv = this.startBlockValue(seq);
          if (bv) {
            this.stack.push(bv);
            return;
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === "flow-error-end") {
          let top2;
          do {
            yield* this.pop();
            top2 = this.peek(1);
          } while (top2?.type === "flow-collection");
        } else if (fc.end.length === 0) {
          switch (this.type) {
            case "comma":
            case "explicit-key-ind":
              if (!it || it.sep)
                fc.items.push({ start: [this.sourceToken] });
              else
                it.start.push(this.sourceToken);
              return;
            case "map-value-ind":
              if (!it || it.value)
                fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                Object.assign(it, { key: null, sep: [this.sourceToken] });
              return;
            case "space":
            case "comment":
            case "newline":
            case "anchor":
            case "tag":
              if (!it || it.value)
                fc.items.push({ start: [this.sourceToken] });
              else if (it.sep)
                it.sep.push(this.sourceToken);
              else
                it.start.push(this.sourceToken);
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs = this.flowScalar(this.type);
              if (!it || it.value)
                fc.items.push({ start: [], key: fs, sep: [] });
              else if (it.sep)
                this.stack.push(fs);
              else
                Object.assign(it, { key: fs, sep: [] });
              return;
            }
            case "flow-map-end":
            case "flow-seq-end":
              fc.end.push(this.sourceToken);
              return;
          }
          const bv = this.startBlockValue(fc);
          if (bv)
            this.stack.push(bv);
          else {
            yield* this.pop();
            yield* this.step();
          }
        } else {
          const parent = this.peek(2);
          if (parent.type === "block-map" && (this.type === "map-value-ind" && parent.indent === fc.indent || this.type === "newline" && !parent.items[parent.items.length - 1].sep)) {
            yield* this.pop();
            yield* this.step();
          } else if (this.type === "map-value-ind" && parent.type !== "flow-collection") {
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            fixFlowSeqItems(fc);
            const sep = fc.end.splice(1, fc.end.length);
            sep.push(this.sourceToken);
            const map = {
              type: "block-map",
              offset: fc.offset,
              indent: fc.indent,
              items: [{ start, key: fc, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
          } else {
            yield* this.lineEnd(fc);
          }
        }
      }
      flowScalar(type) {
        if (this.onNewLine) {
          let nl = this.source.indexOf("\n") + 1;
          while (nl !== 0) {
            this.onNewLine(this.offset + nl);
            nl = this.source.indexOf("\n", nl) + 1;
          }
        }
        return {
          type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
      }
      startBlockValue(parent) {
        switch (this.type) {
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return this.flowScalar(this.type);
          case "block-scalar-header":
            return {
              type: "block-scalar",
              offset: this.offset,
              indent: this.indent,
              props: [this.sourceToken],
              source: ""
            };
          case "flow-map-start":
          case "flow-seq-start":
            return {
              type: "flow-collection",
              offset: this.offset,
              indent: this.indent,
              start: this.sourceToken,
              items: [],
              end: []
            };
          case "seq-item-ind":
            return {
              type: "block-seq",
              offset: this.offset,
              indent: this.indent,
              items: [{ start: [this.sourceToken] }]
            };
          case "explicit-key-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            start.push(this.sourceToken);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, explicitKey: true }]
            };
          }
          case "map-value-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, key: null, sep: [this.sourceToken] }]
            };
          }
        }
        return null;
      }
      atIndentedComment(start, indent) {
        if (this.type !== "comment")
          return false;
        if (this.indent <= indent)
          return false;
        return start.every((st) => st.type === "newline" || st.type === "space");
      }
      *documentEnd(docEnd) {
        if (this.type !== "doc-mode") {
          if (docEnd.end)
            docEnd.end.push(this.sourceToken);
          else
            docEnd.end = [this.sourceToken];
          if (this.type === "newline")
            yield* this.pop();
        }
      }
      *lineEnd(token) {
        switch (this.type) {
          case "comma":
          case "doc-start":
          case "doc-end":
          case "flow-seq-end":
          case "flow-map-end":
          case "map-value-ind":
            yield* this.pop();
            yield* this.step();
            break;
          case "newline":
            this.onKeyLine = false;
          // fallthrough
          case "space":
          case "comment":
          default:
            if (token.end)
              token.end.push(this.sourceToken);
            else
              token.end = [this.sourceToken];
            if (this.type === "newline")
              yield* this.pop();
        }
      }
    };
    exports.Parser = Parser2;
  }
});

// node_modules/yaml/dist/public-api.js
var require_public_api = __commonJS({
  "node_modules/yaml/dist/public-api.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document2 = require_Document();
    var errors = require_errors();
    var log = require_log();
    var identity = require_identity();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    function parseOptions(options) {
      const prettyErrors = options.prettyErrors !== false;
      const lineCounter$1 = options.lineCounter || prettyErrors && new lineCounter.LineCounter() || null;
      return { lineCounter: lineCounter$1, prettyErrors };
    }
    function parseAllDocuments7(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      const docs = Array.from(composer$1.compose(parser$1.parse(source)));
      if (prettyErrors && lineCounter2)
        for (const doc of docs) {
          doc.errors.forEach(errors.prettifyError(source, lineCounter2));
          doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
        }
      if (docs.length > 0)
        return docs;
      return Object.assign([], { empty: true }, composer$1.streamInfo());
    }
    function parseDocument(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      let doc = null;
      for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
          doc = _doc;
        else if (doc.options.logLevel !== "silent") {
          doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
          break;
        }
      }
      if (prettyErrors && lineCounter2) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter2));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
      }
      return doc;
    }
    function parse(src, reviver, options) {
      let _reviver = void 0;
      if (typeof reviver === "function") {
        _reviver = reviver;
      } else if (options === void 0 && reviver && typeof reviver === "object") {
        options = reviver;
      }
      const doc = parseDocument(src, options);
      if (!doc)
        return null;
      doc.warnings.forEach((warning) => log.warn(doc.options.logLevel, warning));
      if (doc.errors.length > 0) {
        if (doc.options.logLevel !== "silent")
          throw doc.errors[0];
        else
          doc.errors = [];
      }
      return doc.toJS(Object.assign({ reviver: _reviver }, options));
    }
    function stringify3(value, replacer, options) {
      let _replacer = null;
      if (typeof replacer === "function" || Array.isArray(replacer)) {
        _replacer = replacer;
      } else if (options === void 0 && replacer) {
        options = replacer;
      }
      if (typeof options === "string")
        options = options.length;
      if (typeof options === "number") {
        const indent = Math.round(options);
        options = indent < 1 ? void 0 : indent > 8 ? { indent: 8 } : { indent };
      }
      if (value === void 0) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
          return void 0;
      }
      if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
      return new Document2.Document(value, _replacer, options).toString(options);
    }
    exports.parse = parse;
    exports.parseAllDocuments = parseAllDocuments7;
    exports.parseDocument = parseDocument;
    exports.stringify = stringify3;
  }
});

// node_modules/yaml/dist/index.js
var require_dist = __commonJS({
  "node_modules/yaml/dist/index.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document2 = require_Document();
    var Schema = require_Schema();
    var errors = require_errors();
    var Alias = require_Alias();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var cst = require_cst();
    var lexer = require_lexer();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    var publicApi = require_public_api();
    var visit2 = require_visit();
    exports.Composer = composer.Composer;
    exports.Document = Document2.Document;
    exports.Schema = Schema.Schema;
    exports.YAMLError = errors.YAMLError;
    exports.YAMLParseError = errors.YAMLParseError;
    exports.YAMLWarning = errors.YAMLWarning;
    exports.Alias = Alias.Alias;
    exports.isAlias = identity.isAlias;
    exports.isCollection = identity.isCollection;
    exports.isDocument = identity.isDocument;
    exports.isMap = identity.isMap;
    exports.isNode = identity.isNode;
    exports.isPair = identity.isPair;
    exports.isScalar = identity.isScalar;
    exports.isSeq = identity.isSeq;
    exports.Pair = Pair.Pair;
    exports.Scalar = Scalar.Scalar;
    exports.YAMLMap = YAMLMap.YAMLMap;
    exports.YAMLSeq = YAMLSeq.YAMLSeq;
    exports.CST = cst;
    exports.Lexer = lexer.Lexer;
    exports.LineCounter = lineCounter.LineCounter;
    exports.Parser = parser.Parser;
    exports.parse = publicApi.parse;
    exports.parseAllDocuments = publicApi.parseAllDocuments;
    exports.parseDocument = publicApi.parseDocument;
    exports.stringify = publicApi.stringify;
    exports.visit = visit2.visit;
    exports.visitAsync = visit2.visitAsync;
  }
});

// src/commands/build.ts
var import_yaml7 = __toESM(require_dist(), 1);
import { randomBytes as randomBytes3 } from "node:crypto";
import { readFile as readFile4 } from "node:fs/promises";
import { availableParallelism as availableParallelism2, tmpdir as tmpdir2 } from "node:os";
import path8 from "node:path";

// src/kustomize/stage.ts
import { existsSync, rmSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile as readFile2, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path2 from "node:path";

// src/keys/master-key.ts
function describeMasterKey(key) {
  switch (key.type) {
    case "age":
      return `age ${key.recipient}`;
    case "pgp":
      return `pgp ${key.fp}`;
    case "kms":
      return `aws kms ${key.arn}${key.role === void 0 ? "" : ` (role ${key.role})`}`;
    case "gcp_kms":
      return `gcp kms ${key.resourceId}`;
    case "azure_kv":
      return `azure key vault ${key.vaultUrl} key ${key.name}/${key.version}`;
    case "hc_vault":
      return `vault transit ${key.vaultAddress}/v1/${key.enginePath}/keys/${key.keyName}`;
    case "hckms":
      return `huaweicloud kms ${key.keyId}`;
  }
}

// src/sops/shamir.ts
function mult(a, b) {
  let acc = 0;
  for (let i = 7; i >= 0; i--) {
    const bit = b >> i & 1;
    const aOrZero = -bit & a;
    const reduce = -(acc >> 7) & 27;
    acc = (aOrZero ^ reduce ^ acc << 1) & 255;
  }
  return acc;
}
function inverse(a) {
  let b = mult(a, a);
  let c = mult(a, b);
  b = mult(c, c);
  b = mult(b, b);
  c = mult(b, c);
  b = mult(b, b);
  b = mult(b, b);
  b = mult(b, c);
  b = mult(b, b);
  b = mult(a, b);
  return mult(b, b);
}
function interpolate(xs, ys, x) {
  let result = 0;
  for (let i = 0; i < xs.length; i++) {
    let basis = 1;
    for (let j = 0; j < xs.length; j++) {
      if (i === j) continue;
      const num2 = x ^ (xs[j] ?? 0);
      const denom = (xs[i] ?? 0) ^ (xs[j] ?? 0);
      basis = mult(basis, mult(num2, inverse(denom)));
    }
    result ^= mult(ys[i] ?? 0, basis);
  }
  return result;
}
function combineShares(shares) {
  if (shares.length < 2) {
    throw new UserError("DECRYPT_FAILED", "shamir: at least two shares are needed to rebuild the data key");
  }
  const length = shares[0]?.length ?? 0;
  if (length < 2) throw new UserError("DECRYPT_FAILED", "shamir: shares must be at least two bytes");
  const xs = [];
  for (const share of shares) {
    if (share.length !== length) throw new UserError("DECRYPT_FAILED", "shamir: shares differ in length");
    const x = share[length - 1] ?? 0;
    if (xs.includes(x)) throw new UserError("DECRYPT_FAILED", "shamir: duplicate share");
    xs.push(x);
  }
  const secret = new Uint8Array(length - 1);
  const ys = new Array(shares.length);
  for (let index = 0; index < secret.length; index++) {
    for (const [i, share] of shares.entries()) ys[i] = share[index] ?? 0;
    secret[index] = interpolate(xs, ys, 0);
  }
  return secret;
}

// src/sops/data-key.ts
var DEFAULT_DECRYPTION_ORDER = ["age", "pgp"];
var DATA_KEY_BYTES = 32;
var SHARE_BYTES = DATA_KEY_BYTES + 1;
function sortKeysForDecryption(group, order) {
  const rank = (key) => {
    const index = order.indexOf(key.type);
    return index === -1 ? order.length : index;
  };
  return [...group].sort((a, b) => rank(a) - rank(b));
}
async function tryKey(key, sources, expectedBytes) {
  const handlers = sources.filter((s) => s.name === key.type);
  if (handlers.length === 0) {
    return { attempt: { key, ok: false, reasons: [`no key source for ${key.type}`] } };
  }
  const reasons = [];
  for (const source of handlers) {
    let value;
    try {
      value = await source.decrypt(key);
    } catch (error) {
      reasons.push(firstLine(errorMessage(error)));
      continue;
    }
    if (value === null) continue;
    if (value.length !== expectedBytes) {
      reasons.push(`decrypted to ${value.length} bytes, expected ${expectedBytes}`);
      continue;
    }
    return { attempt: { key, ok: true, reasons: [] }, value };
  }
  if (reasons.length === 0) reasons.push("no identity for this recipient");
  return { attempt: { key, ok: false, reasons } };
}
function firstLine(text3) {
  return (text3.split("\n")[0] ?? "").slice(0, 600);
}
function formatKeyReport(input) {
  const lines2 = ["Failed to get the data key required to decrypt the SOPS file.", ""];
  for (const [index, group] of input.groups.entries()) {
    lines2.push(`Group ${index}: ${group.ok ? "SUCCESS" : "FAILED"}`);
    if (group.keys.length === 0) lines2.push("  (no keys)");
    for (const attempt of group.keys) {
      lines2.push(`  ${describeMasterKey(attempt.key)}: ${attempt.ok ? "SUCCESS" : "FAILED"}`);
      for (const reason of attempt.reasons) lines2.push(`    - ${reason}`);
    }
    lines2.push("");
  }
  const succeeded = input.groups.filter((g) => g.ok).length;
  if (input.groups.length <= 1) {
    lines2.push(
      "Recovery failed because no master key was able to decrypt the file. At least one key has to be successful, but none were."
    );
  } else {
    lines2.push(
      `Recovery failed because the file was encrypted with a Shamir threshold of ${input.threshold}, but only ${succeeded} part(s) were recovered, one for each successful key group. At least ${input.threshold} groups have to be successful; a group is successful when any one of its keys decrypts.`
    );
  }
  lines2.push("", "Keys were looked for in:");
  if (input.sources.length === 0) lines2.push("  (no key sources were configured)");
  for (const source of input.sources) {
    lines2.push(`  ${source.name}:`);
    if (source.locations.length === 0) lines2.push("    - (nothing)");
    for (const location of source.locations) lines2.push(`    - ${location}`);
  }
  return lines2.join("\n");
}
var HINT = "give a key that matches one of the recipients above: --age-key-file, SOPS_AGE_KEY_FILE or SOPS_AGE_KEY for age, --pgp-key-file or a gpg keyring for pgp";
async function recoverDataKey(metadata, sources, options = {}) {
  const groups = metadata.keyGroups;
  if (groups.length === 0 || groups.every((g) => g.length === 0)) {
    throw new UserError("BAD_METADATA", "no keys found in file");
  }
  const order = options.decryptionOrder ?? DEFAULT_DECRYPTION_ORDER;
  const shamir = groups.length > 1;
  const expectedBytes = shamir ? SHARE_BYTES : DATA_KEY_BYTES;
  const attempts = [];
  const parts = [];
  for (const group of groups) {
    const keys = [];
    let part;
    for (const key of sortKeysForDecryption(group, order)) {
      const { attempt, value } = await tryKey(key, sources, expectedBytes);
      keys.push(attempt);
      if (value !== void 0) {
        part = value;
        break;
      }
    }
    if (part !== void 0) parts.push(part);
    attempts.push({ ok: part !== void 0, keys });
  }
  const required = shamir ? Math.max(metadata.shamirThreshold, 2) : 1;
  const report = () => formatKeyReport({ groups: attempts, threshold: shamir ? metadata.shamirThreshold : 0, sources });
  if (parts.length < required) {
    const tried = attempts.flatMap((g) => g.keys);
    const only = tried.length === 1 ? tried[0]?.reasons[0] : void 0;
    const message = only === void 0 ? "no key could decrypt the data key" : `no key could decrypt the data key: ${only}`;
    throw new UserError("NO_MATCHING_KEY", message, {
      report: report(),
      hint: HINT
    });
  }
  if (!shamir) {
    const [dataKey2] = parts;
    if (dataKey2 !== void 0) return dataKey2;
  }
  let dataKey;
  try {
    dataKey = combineShares(parts);
  } catch (error) {
    throw new UserError(
      "DECRYPT_FAILED",
      `could not rebuild the data key from shamir shares: ${errorMessage(error)}`,
      {
        cause: error,
        report: report()
      }
    );
  }
  if (dataKey.length !== DATA_KEY_BYTES) {
    throw new UserError(
      "DECRYPT_FAILED",
      `the rebuilt data key is ${dataKey.length} bytes, expected ${DATA_KEY_BYTES}`
    );
  }
  return dataKey;
}

// src/sops/cipher.ts
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// src/sops/go-number.ts
function shortestDigits(x) {
  const text3 = Math.abs(x).toExponential();
  const e = text3.indexOf("e");
  const mantissa = text3.slice(0, e).replace(".", "");
  return { d: mantissa, dp: Number(text3.slice(e + 1)) + 1 };
}
function nonFinite(x) {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  return void 0;
}
function isNegative(x) {
  return x < 0 || Object.is(x, -0);
}
function layoutF(neg, digs, prec) {
  let out = neg ? "-" : "";
  if (digs.dp > 0) {
    out += digs.d.slice(0, digs.dp);
    if (digs.d.length < digs.dp) out += "0".repeat(digs.dp - digs.d.length);
  } else {
    out += "0";
  }
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      const j = digs.dp + i;
      out += j >= 0 && j < digs.d.length ? digs.d.charAt(j) : "0";
    }
  }
  return out;
}
function layoutE(neg, digs, prec, expChar) {
  let out = neg ? "-" : "";
  out += digs.d.length > 0 ? digs.d.charAt(0) : "0";
  if (prec > 0) {
    out += "." + digs.d.slice(1, prec + 1);
    if (digs.d.length - 1 < prec) out += "0".repeat(prec - Math.max(digs.d.length - 1, 0));
  }
  const exp = digs.d.length === 0 ? 0 : digs.dp - 1;
  const magnitude = Math.abs(exp);
  return `${out}${expChar}${exp < 0 ? "-" : "+"}${magnitude < 10 ? "0" : ""}${String(magnitude)}`;
}
function digitsOf(x) {
  return x === 0 ? { d: "", dp: 0 } : shortestDigits(x);
}
function formatFloatF(x) {
  const special = nonFinite(x);
  if (special !== void 0) return special;
  const digs = digitsOf(x);
  return layoutF(isNegative(x), digs, Math.max(digs.d.length - digs.dp, 0));
}
function formatFloatE(x) {
  const special = nonFinite(x);
  if (special !== void 0) return special;
  const digs = digitsOf(x);
  return layoutE(isNegative(x), digs, Math.max(digs.d.length - 1, 0), "e");
}
function formatFloatG(x, expChar = "e") {
  const special = nonFinite(x);
  if (special !== void 0) return special;
  const neg = isNegative(x);
  const digs = digitsOf(x);
  const exp = digs.dp - 1;
  if (x !== 0 && (exp < -4 || exp >= 6)) return layoutE(neg, digs, digs.d.length - 1, expChar);
  return layoutF(neg, digs, Math.max(digs.d.length - digs.dp, 0));
}
function formatFloatJson(x) {
  if (!Number.isFinite(x)) {
    throw new UserError("UNSUPPORTED", `cannot write ${formatFloatF(x)} as a JSON number`, {
      hint: "JSON has no NaN or infinity; choose another output type"
    });
  }
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const out = formatFloatE(x);
    const n = out.length;
    if (n >= 4 && out[n - 4] === "e" && out[n - 3] === "-" && out[n - 2] === "0") {
      return out.slice(0, n - 2) + out.slice(n - 1);
    }
    return out;
  }
  return formatFloatF(x);
}
function formatIntGo(x) {
  return x.toString();
}
function formatBoolGo(x) {
  return x ? "true" : "false";
}
function formatFloatValToString(x) {
  const result = formatFloatG(x, "E");
  if (result.includes(".") || result.includes("E")) return result;
  const special = nonFinite(x);
  if (special !== void 0) return special;
  return (Object.is(x, -0) ? "-" : "") + x.toFixed(1);
}
function timeToRfc3339(marshalText) {
  return marshalText.replace(/(T\d\d:\d\d:\d\d)\.\d+/, "$1");
}
function timeToGoString(marshalText) {
  const match = /^(.*)T([^Z+-]*)(Z|[+-]\d\d:\d\d)$/.exec(marshalText);
  if (match === null) return marshalText;
  const [, date = "", clock = "", zone = ""] = match;
  if (zone === "Z") return `${date} ${clock} +0000 UTC`;
  const offset = zone.replace(":", "");
  return `${date} ${clock} ${offset} ${offset}`;
}
function formatGoV(value) {
  if (value === null) return "<nil>";
  switch (value.kind) {
    case "str":
      return value.value;
    case "int":
      return formatIntGo(value.value);
    case "float":
      return formatFloatG(value.value);
    case "bool":
      return formatBoolGo(value.value);
    case "null":
      return "<nil>";
    case "time":
      return timeToGoString(value.value);
    case "bytes":
      return new TextDecoder("utf-8", { ignoreBOM: true }).decode(value.value);
    case "comment":
      return `{${value.text} false}`;
    case "list":
      return `[${value.items.map(formatGoV).join(" ")}]`;
    case "map":
      return `[${value.items.map(
        (item) => "key" in item ? `{${item.key} ${formatGoV(item.value)}}` : `{{${item.text} false} <nil>}`
      ).join(" ")}]`;
  }
}
function valToString(value) {
  switch (value.kind) {
    case "float":
      return formatFloatValToString(value.value);
    case "bool":
      return formatBoolGo(value.value);
    case "time":
      return timeToRfc3339(value.value);
    default:
      return formatGoV(value);
  }
}
function syntaxError(what) {
  return new UserError("BAD_ENC_VALUE", `decrypted value is not a valid ${what}`);
}
var INT64_MIN = -(2n ** 63n);
var INT64_MAX = 2n ** 63n - 1n;
function parseGoInt(s) {
  if (!/^[+-]?[0-9]+$/.test(s)) throw syntaxError("integer");
  const value = BigInt(s);
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new UserError("BAD_ENC_VALUE", "decrypted integer is out of the int64 range");
  }
  return value;
}
function parseGoBool(s) {
  switch (s) {
    case "1":
    case "t":
    case "T":
    case "TRUE":
    case "true":
    case "True":
      return true;
    case "0":
    case "f":
    case "F":
    case "FALSE":
    case "false":
    case "False":
      return false;
    default:
      throw syntaxError("boolean");
  }
}
function underscoreOK(text3) {
  let s = text3;
  let saw = "^";
  let i = 0;
  if (s.startsWith("-") || s.startsWith("+")) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && /[bBoOxX]/.test(s.charAt(1))) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s.charAt(i);
    if (/[0-9]/.test(c) || hex && /[a-fA-F]/.test(c)) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}
var DECIMAL_FLOAT = /^[+-]?(?=[0-9_]*\.?[0-9_]*[0-9])[0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9][0-9_]*)?$/;
var HEX_FLOAT = /^([+-]?)0[xX]((?=[0-9a-fA-F_]*\.?[0-9a-fA-F_]*[0-9a-fA-F])[0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?)[pP]([+-]?[0-9][0-9_]*)$/;
function roundBinary(m, e) {
  const bitLength = m.toString(2).length;
  const drop = Math.max(bitLength - 53, -1074 - e);
  let q = m;
  let exp = e;
  if (drop > 0) {
    const d = BigInt(drop);
    q = m >> d;
    const rem = m & (1n << d) - 1n;
    const half = 1n << d - 1n;
    if (rem > half || rem === half && (q & 1n) === 1n) q += 1n;
    exp = e + drop;
  }
  const first = Math.trunc(exp / 2);
  return Number(q) * 2 ** first * 2 ** (exp - first);
}
function parseHexFloat(sign, mantissaText, expText) {
  const mantissa = mantissaText.replaceAll("_", "");
  const point = mantissa.indexOf(".");
  const digits = point === -1 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  const fractionDigits = point === -1 ? 0 : mantissa.length - point - 1;
  const m = BigInt("0x" + (digits === "" ? "0" : digits));
  const e = Math.max(Math.min(Number(expText.replaceAll("_", "")), 1e5), -1e5);
  if (m === 0n) return sign === "-" ? -0 : 0;
  const value = roundBinary(m, e - 4 * fractionDigits);
  return sign === "-" ? -value : value;
}
function parseGoFloat(s) {
  const lower = s.toLowerCase();
  if (lower === "nan") return NaN;
  const unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.slice(1) : lower;
  if (unsigned === "inf" || unsigned === "infinity") return lower.startsWith("-") ? -Infinity : Infinity;
  let value;
  const hex = HEX_FLOAT.exec(s);
  if (hex !== null) {
    if (s.includes("_") && !underscoreOK(s)) throw syntaxError("float");
    value = parseHexFloat(hex[1] ?? "", hex[2] ?? "", hex[3] ?? "0");
  } else {
    if (!DECIMAL_FLOAT.test(s)) throw syntaxError("float");
    if (s.includes("_") && !underscoreOK(s)) throw syntaxError("float");
    value = Number(s.replaceAll("_", ""));
  }
  if (!Number.isFinite(value)) {
    throw new UserError("BAD_ENC_VALUE", "decrypted float is out of the float64 range");
  }
  return value;
}

// src/sops/go-time.ts
var RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;
function formatGoTime(text3, precision) {
  const match = RFC3339.exec(text3);
  if (match === null) {
    throw new UserError("BAD_METADATA", "a timestamp is not in RFC 3339 form (2006-01-02T15:04:05Z)");
  }
  const [, year, month, day, hour, minute, second, fraction = "", zone = "Z"] = match;
  const offset = zone === "Z" || zone === "z" || zone === "+00:00" || zone === "-00:00" ? "Z" : zone;
  const trimmed = fraction.replace(/0+$/, "");
  const frac = precision === "nano" && trimmed !== "" ? `.${trimmed}` : "";
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${frac}${offset}`;
}

// src/sops/cipher.ts
var ENC_PATTERN = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
var STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
var strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function isEncryptedValue(value) {
  return ENC_PATTERN.test(value);
}
function decodeBase64(field, text3) {
  if (!STD_BASE64.test(text3)) {
    throw new UserError("BAD_ENC_VALUE", `the ${field} field is not valid base64`);
  }
  return Buffer.from(text3, "base64");
}
function parseEncryptedValue(value) {
  const match = ENC_PATTERN.exec(value);
  if (match === null) {
    throw new UserError("BAD_ENC_VALUE", "the value is not a sops ENC[AES256_GCM,...] string", {
      hint: "the file was probably edited by hand; restore it from version control or re-encrypt it with sops"
    });
  }
  const [, data = "", iv = "", tag = "", type = ""] = match;
  const parsed = {
    data: decodeBase64("data", data),
    iv: decodeBase64("iv", iv),
    tag: decodeBase64("tag", tag),
    type
  };
  if (parsed.iv.length === 0) throw new UserError("BAD_ENC_VALUE", "the iv field is empty");
  if (parsed.tag.length !== 16) {
    throw new UserError("BAD_ENC_VALUE", `the tag is ${parsed.tag.length} bytes; AES-GCM tags are 16 bytes`);
  }
  return parsed;
}
function openValue(encrypted, dataKey, aad) {
  try {
    const decipher = createDecipheriv("aes-256-gcm", dataKey, encrypted.iv);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(encrypted.tag);
    return Buffer.concat([decipher.update(encrypted.data), decipher.final()]);
  } catch (cause) {
    throw new UserError(
      "DECRYPT_FAILED",
      "authentication failed: the value, its position in the file, or the data key does not match",
      { cause, hint: "the file was modified after encryption, or a value was moved to another key" }
    );
  }
}
function decryptValue(value, dataKey, aad) {
  if (value === "") return { kind: "str", value: "" };
  const encrypted = parseEncryptedValue(value);
  const plain2 = openValue(encrypted, dataKey, aad);
  return typedValue(encrypted.type, plain2);
}
function typedValue(type, plain2) {
  const text3 = () => {
    try {
      return strictUtf8.decode(plain2);
    } catch {
      throw new UserError("BAD_ENC_VALUE", `a ${type} value is not valid UTF-8`);
    }
  };
  switch (type) {
    case "str": {
      try {
        return { kind: "str", value: strictUtf8.decode(plain2) };
      } catch {
        return { kind: "bytes", value: new Uint8Array(plain2) };
      }
    }
    case "int":
      return { kind: "int", value: parseGoInt(text3()) };
    case "float":
      return { kind: "float", value: parseGoFloat(text3()) };
    case "bool":
      return { kind: "bool", value: parseGoBool(text3()) };
    case "time":
      return { kind: "time", value: formatGoTime(text3(), "nano") };
    case "comment":
      return { kind: "comment", text: text3() };
    case "bytes":
      return { kind: "bytes", value: new Uint8Array(plain2) };
    default:
      throw new SopsFormatError(`unknown value type "${type.slice(0, 20)}"`);
  }
}

// src/sops/mac.ts
import { createHash } from "node:crypto";
var MAC_ONLY_ENCRYPTED_INIT = Buffer.from(
  "8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69",
  "hex"
);
function macBytes(value) {
  switch (value.kind) {
    case "str":
      return value.value;
    case "bytes":
      return value.value;
    case "int":
      return value.value.toString();
    case "float":
      return formatFloatF(value.value);
    case "bool":
      return value.value ? "True" : "False";
    case "time":
      return value.value;
    case "null":
    case "comment":
    case "map":
    case "list":
      return null;
  }
}
var MacHasher = class {
  #hash = createHash("sha512");
  constructor(macOnlyEncrypted) {
    if (macOnlyEncrypted) this.#hash.update(MAC_ONLY_ENCRYPTED_INIT);
  }
  add(value) {
    const bytes = macBytes(value);
    if (bytes !== null) this.#hash.update(bytes);
  }
  /** Upper-case hex, as sops has always written it. */
  digest() {
    return this.#hash.digest("hex").toUpperCase();
  }
};
function verifyMac(metadata, computed, dataKey) {
  const aad = formatGoTime(metadata.lastModified, "seconds");
  let stored;
  try {
    stored = decryptValue(metadata.mac, dataKey, aad);
  } catch (cause) {
    throw new UserError(
      "MAC_MISMATCH",
      "the stored MAC cannot be decrypted (sops.mac or sops.lastmodified was altered)",
      {
        cause,
        hint: "restore the file from version control, or pass --ignore-mac if you accept an unauthenticated file"
      }
    );
  }
  const storedText = stored.kind === "str" ? stored.value : "";
  if (storedText === "") {
    throw new UserError("MAC_MISMATCH", "the file has no MAC, so its integrity cannot be verified", {
      hint: "re-encrypt the file with sops, or pass --ignore-mac if you accept an unauthenticated file"
    });
  }
  if (storedText !== computed) {
    throw new UserError("MAC_MISMATCH", "MAC mismatch: the file content does not match its MAC", {
      hint: "a value (possibly a cleartext one such as metadata.name) was edited without re-encrypting; re-encrypt with sops, or pass --ignore-mac if you accept an unauthenticated file"
    });
  }
}

// src/sops/go-regexp.ts
var cache = /* @__PURE__ */ new Map();
function compileGoRegexp(pattern, where) {
  const cached = cache.get(pattern);
  if (cached !== void 0) return cached;
  let source = pattern;
  let flags = "";
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading?.[1] !== void 0) {
    if (leading[1].includes("U")) {
      throw new UserError("UNSUPPORTED", `${where}: the RE2 flag U (ungreedy) is not supported`);
    }
    flags += leading[1];
    source = source.slice(leading[0].length);
  }
  source = source.replace(/\(\?P</g, "(?<").replace(/\\A/g, "^").replace(/\\z/g, "$(?![\\s\\S])");
  let compiled;
  try {
    compiled = new RegExp(source, `${flags}u`);
  } catch {
    try {
      compiled = new RegExp(source, flags);
    } catch (cause) {
      throw new UserError("BAD_METADATA", `${where}: invalid regular expression`, { cause });
    }
  }
  cache.set(pattern, compiled);
  return compiled;
}

// src/sops/selection.ts
function shouldBeEncrypted(selection, path18, comments, isComment2) {
  switch (selection.kind) {
    case "unencrypted_suffix":
      return !path18.some((key) => key.endsWith(selection.value));
    case "encrypted_suffix":
      return path18.some((key) => key.endsWith(selection.value));
    case "unencrypted_regex": {
      const re = compileGoRegexp(selection.value, "unencrypted_regex");
      return !path18.some((key) => re.test(key));
    }
    case "encrypted_regex": {
      const re = compileGoRegexp(selection.value, "encrypted_regex");
      return path18.some((key) => re.test(key));
    }
    case "unencrypted_comment_regex": {
      const re = compileGoRegexp(selection.value, "unencrypted_comment_regex");
      return !comments.some((level) => level.some((c) => re.test(c)));
    }
    case "encrypted_comment_regex": {
      const re = compileGoRegexp(selection.value, "encrypted_comment_regex");
      const last = comments.length - 1;
      return comments.some(
        (level, i) => level.some((c, j) => {
          if (isComment2 && i === last && j === level.length - 1) return false;
          return re.test(c);
        })
      );
    }
  }
}

// src/sops/walk.ts
function walkValue(value, path18, comments, visit2) {
  switch (value.kind) {
    case "map":
      return walkMap(value, path18, comments, visit2);
    case "list":
      return walkList(value, path18, comments, visit2);
    case "null":
      return value;
    default:
      return visit2(value, path18, comments);
  }
}
function walkMap(map, path18, outer, visit2) {
  let level = [];
  const items = [];
  for (const item of map.items) {
    if (!("key" in item)) {
      level.push(item.text);
      const out = visit2(item, path18, [...outer, level]);
      items.push(
        out.kind === "comment" ? out : { kind: "comment", text: out.kind === "str" ? out.value : item.text }
      );
      continue;
    }
    const valueIsComment = item.value.kind === "comment";
    if (item.value.kind === "comment") level.push(item.value.text);
    items.push({
      key: item.key,
      value: walkValue(item.value, [...path18, item.key], [...outer, level], visit2)
    });
    if (!valueIsComment) level = [];
  }
  return { kind: "map", items };
}
function walkList(list, path18, outer, visit2) {
  let level = [];
  const items = [];
  for (const item of list.items) {
    if (item.kind === "comment") level.push(item.text);
    items.push(walkValue(item, path18, [...outer, level], visit2));
    if (item.kind !== "comment") level = [];
  }
  return { kind: "list", items };
}
function mapLeaves(branches, visit2) {
  return branches.map((branch) => walkMap(branch, [], [], visit2));
}
function aadForPath(path18) {
  return path18.length === 0 ? ":" : `${path18.join(":")}:`;
}

// src/sops/decrypt-tree.ts
function maskValue(value, mask) {
  let text3;
  if (value.kind === "str") text3 = value.value;
  else if (value.kind === "comment") text3 = value.text;
  else if (value.kind === "bytes") text3 = Buffer.from(value.value).toString("utf8");
  else if (value.kind === "int" || value.kind === "float" || value.kind === "bool" || value.kind === "time") {
    text3 = String(value.value);
  }
  if (text3 !== void 0 && text3.trim() !== "") mask(text3);
}
function describePath(path18) {
  return path18.length === 0 ? "(top level)" : path18.join(".");
}
function decryptLeaf(value, path18, comments, ctx) {
  const isComment2 = value.kind === "comment";
  const encrypted = shouldBeEncrypted(ctx.metadata.selection, path18, comments, isComment2);
  let out = value;
  if (encrypted) {
    const aad = aadForPath(path18);
    if (value.kind === "comment") {
      try {
        out = decryptValue(value.text, ctx.dataKey, aad);
      } catch {
        out = value;
      }
    } else if (value.kind === "str") {
      try {
        out = decryptValue(value.value, ctx.dataKey, aad);
      } catch (error) {
        throw withContext(`value at ${describePath(path18)}`, error);
      }
    } else {
      throw new UserError(
        "BAD_ENC_VALUE",
        `value at ${describePath(path18)} should be encrypted but is a cleartext ${value.kind}`,
        {
          hint: "the file was edited by hand after encryption; re-encrypt it with sops"
        }
      );
    }
    maskValue(out, ctx.mask);
  }
  if (!ctx.metadata.macOnlyEncrypted || encrypted) ctx.mac.add(out);
  return out;
}
function decryptBranches(branches, metadata, dataKey, mask = () => void 0) {
  const ctx = { metadata, dataKey, mac: new MacHasher(metadata.macOnlyEncrypted), mask };
  const out = mapLeaves(branches, (leaf, path18, comments) => decryptLeaf(leaf, path18, comments, ctx));
  return { branches: out, mac: ctx.mac.digest() };
}

// src/sops/stores/flatten.ts
import { Buffer as Buffer2 } from "node:buffer";
var MAP_SEPARATOR = "__map_";
var LIST_SEPARATOR = "__list_";
var SOPS_PREFIX = "sops_";
var SOPS_METADATA_KEY = "sops";
var MAX_METADATA_DEPTH = 1e3;
function tokenize(path18) {
  const tokens = [];
  let state = "normal";
  let lastTokenEnd = 0;
  let i = 0;
  const finishPrevToken = () => {
    if (state === "list") {
      tokens.push({ index: goAtoiOrZero(path18.slice(lastTokenEnd + LIST_SEPARATOR.length, i)) });
    } else {
      const skip = state === "map" ? MAP_SEPARATOR.length : 0;
      tokens.push({ map: path18.slice(lastTokenEnd + skip, i) });
    }
    lastTokenEnd = i;
  };
  while (i < path18.length) {
    if (path18.startsWith(MAP_SEPARATOR, i)) {
      finishPrevToken();
      state = "map";
      i += MAP_SEPARATOR.length;
    } else if (path18.startsWith(LIST_SEPARATOR, i)) {
      finishPrevToken();
      state = "list";
      i += LIST_SEPARATOR.length;
    } else {
      i++;
    }
  }
  finishPrevToken();
  return tokens;
}
function goAtoiOrZero(text3) {
  if (!/^[+-]?[0-9]+$/.test(text3)) return 0;
  const value = BigInt(text3);
  if (value < -(2n ** 63n) || value >= 2n ** 63n) return 0;
  return Number(value);
}
function place(value, path18, root, key) {
  let node = root;
  for (const token of path18) {
    let next;
    if ("map" in token) {
      node.subkeys ??= /* @__PURE__ */ new Map();
      next = node.subkeys.get(token.map);
      if (next === void 0) {
        next = {};
        node.subkeys.set(token.map, next);
      }
    } else {
      node.indices ??= /* @__PURE__ */ new Map();
      next = node.indices.get(token.index);
      if (next === void 0) {
        next = {};
        node.indices.set(token.index, next);
      }
    }
    node = next;
  }
  if (node.value !== void 0) {
    throw new SopsFormatError(`sops metadata key ${JSON.stringify(key)} appears twice`);
  }
  node.value = value;
}
function compareGoStrings(a, b) {
  return Buffer2.compare(Buffer2.from(a, "utf8"), Buffer2.from(b, "utf8"));
}
function convert(node) {
  const hasValue = node.value !== void 0;
  const hasSubkeys = (node.subkeys?.size ?? 0) > 0;
  const hasIndices = (node.indices?.size ?? 0) > 0;
  if (Number(hasValue) + Number(hasSubkeys) + Number(hasIndices) > 1) {
    throw new SopsFormatError("sops metadata mixes a value, a map and a list under one key");
  }
  if (node.value !== void 0) return node.value;
  if (node.subkeys !== void 0 && hasSubkeys) {
    const keys = [...node.subkeys.keys()].sort(compareGoStrings);
    return {
      kind: "map",
      items: keys.map((key) => ({ key, value: convert(node.subkeys?.get(key) ?? {}) }))
    };
  }
  if (node.indices !== void 0 && hasIndices) {
    const size = node.indices.size;
    const items = [];
    for (let index = 0; index < size; index++) {
      const child = node.indices.get(index);
      if (child === void 0) {
        throw new SopsFormatError("sops metadata has a list with missing indices");
      }
      items.push(convert(child));
    }
    return { kind: "list", items };
  }
  return { kind: "map", items: [] };
}
function unflattenMetadata(items) {
  const root = {};
  for (const item of items) {
    if (!("key" in item)) continue;
    const tokens = tokenize(item.key);
    if (tokens.length > MAX_METADATA_DEPTH) {
      throw new SopsFormatError(`sops metadata nests deeper than ${String(MAX_METADATA_DEPTH)} levels`);
    }
    place(item.value, tokens, root, item.key);
  }
  const result = convert(root);
  if (result.kind !== "map") throw new SopsFormatError("sops metadata is not a map");
  return result;
}
function extractNestedMetadata(branches) {
  let metadata = null;
  let found = false;
  const remaining = branches.map((branch, branchIndex) => {
    const items = [];
    for (const item of branch.items) {
      if (!("key" in item) || item.key !== SOPS_METADATA_KEY) {
        items.push(item);
        continue;
      }
      if (branchIndex !== 0) continue;
      if (found) throw new SopsFormatError(`found a second "${SOPS_METADATA_KEY}" metadata entry`);
      found = true;
      if (item.value.kind !== "map") {
        throw new SopsFormatError(`the "${SOPS_METADATA_KEY}" metadata entry is not a map`);
      }
      metadata = item.value.items.length > 0 ? item.value : null;
    }
    return { kind: "map", items };
  });
  return { branches: remaining, metadata };
}
function extractPrefixedMetadata(branches) {
  const [first, ...rest] = branches;
  if (first === void 0) return { branches: [], metadata: null };
  const kept = [];
  const flat = [];
  for (const item of first.items) {
    if ("key" in item && item.key.startsWith(SOPS_PREFIX)) {
      flat.push({ key: item.key.slice(SOPS_PREFIX.length), value: item.value });
    } else {
      kept.push(item);
    }
  }
  return {
    branches: [{ kind: "map", items: kept }, ...rest],
    metadata: flat.length === 0 ? null : unflattenMetadata(flat)
  };
}

// src/sops/stores/json.ts
var MAX_JSON_DEPTH = 1e3;
var INT64_MIN2 = -(2n ** 63n);
var INT64_MAX2 = 2n ** 63n - 1n;
var JsonParser = class {
  pos = 0;
  text;
  constructor(text3) {
    this.text = text3;
  }
  /** Line and column (1-based, in UTF-16 units) of an offset, for error messages. */
  where(offset) {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: offset - lineStart + 1 };
  }
  // Never quotes the offending text: it may be part of a secret.
  fail(what, offset = this.pos) {
    if (offset >= this.text.length) {
      throw new SopsFormatError(`invalid JSON: unexpected end of input (${what})`);
    }
    const at2 = this.where(offset);
    throw new SopsFormatError(
      `invalid JSON at line ${String(at2.line)}, column ${String(at2.column)}: ${what}`,
      at2
    );
  }
  skipSpace() {
    for (; ; ) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else return;
    }
  }
  /**
   * Parses the top-level object. As in sops, whatever follows the closing brace is never
   * read, so trailing text is ignored.
   */
  parseDocument() {
    this.skipSpace();
    if (this.pos >= this.text.length) this.fail("the document is empty");
    const c = this.text[this.pos];
    if (c !== "{") {
      if (c === "[") {
        throw new SopsFormatError(
          'sops only supports JSON files with a top-level object, not an array; wrap it in an object, e.g. {"data": [...]}'
        );
      }
      this.parseValue(1);
      throw new SopsFormatError('sops only supports JSON files with a top-level object (starting with "{")');
    }
    this.pos++;
    return this.parseObjectBody(1);
  }
  parseValue(depth) {
    this.skipSpace();
    const c = this.text[this.pos];
    switch (c) {
      case "{":
        this.pos++;
        return this.parseObjectBody(depth + 1);
      case "[":
        this.pos++;
        return this.parseArrayBody(depth + 1);
      case '"':
        return { kind: "str", value: this.parseString() };
      case "t":
        this.literal("true");
        return { kind: "bool", value: true };
      case "f":
        this.literal("false");
        return { kind: "bool", value: false };
      case "n":
        this.literal("null");
        return { kind: "null" };
      default:
        if (c === "-" || c !== void 0 && c >= "0" && c <= "9") return this.parseNumber();
        return this.fail("expected a value");
    }
  }
  checkDepth(depth) {
    if (depth > MAX_JSON_DEPTH) {
      this.fail(`nesting is deeper than ${String(MAX_JSON_DEPTH)} levels`, this.pos - 1);
    }
  }
  parseObjectBody(depth) {
    this.checkDepth(depth);
    const items = [];
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return { kind: "map", items };
    }
    for (; ; ) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail("expected a string object key");
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.fail('expected ":" after an object key');
      this.pos++;
      const value = this.parseValue(depth);
      items.push({ key, value });
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ",") {
        this.pos++;
      } else if (next === "}") {
        this.pos++;
        return { kind: "map", items };
      } else {
        this.fail('expected "," or "}" after an object value');
      }
    }
  }
  parseArrayBody(depth) {
    this.checkDepth(depth);
    const items = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return { kind: "list", items };
    }
    for (; ; ) {
      items.push(this.parseValue(depth));
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ",") {
        this.pos++;
      } else if (next === "]") {
        this.pos++;
        return { kind: "list", items };
      } else {
        this.fail('expected "," or "]" after an array element');
      }
    }
  }
  literal(word) {
    if (!this.text.startsWith(word, this.pos)) this.fail("invalid literal");
    this.pos += word.length;
  }
  hex4(at2) {
    const digits = this.text.slice(at2, at2 + 4);
    return /^[0-9a-fA-F]{4}$/.test(digits) ? Number.parseInt(digits, 16) : -1;
  }
  /**
   * Go's `unquote`: a lone or mismatched surrogate escape becomes U+FFFD, and so does a lone
   * surrogate in the text itself (what Go sees as invalid UTF-8).
   */
  parseString() {
    const start = this.pos;
    this.pos++;
    let out = "";
    let chunkStart = this.pos;
    for (; ; ) {
      if (this.pos >= this.text.length) this.fail("unterminated string", start);
      const c = this.text.charCodeAt(this.pos);
      if (c === 34) {
        out += this.text.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 32) this.fail("control character in a string");
      if (c >= 55296 && c <= 57343) {
        const next = this.text.charCodeAt(this.pos + 1);
        if (c <= 56319 && next >= 56320 && next <= 57343) {
          this.pos += 2;
          continue;
        }
        out += this.text.slice(chunkStart, this.pos) + "\uFFFD";
        this.pos++;
        chunkStart = this.pos;
        continue;
      }
      if (c !== 92) {
        this.pos++;
        continue;
      }
      out += this.text.slice(chunkStart, this.pos);
      const escape = this.text[this.pos + 1];
      this.pos += 2;
      switch (escape) {
        case '"':
        case "\\":
        case "/":
          out += escape;
          break;
        case "b":
          out += "\b";
          break;
        case "f":
          out += "\f";
          break;
        case "n":
          out += "\n";
          break;
        case "r":
          out += "\r";
          break;
        case "t":
          out += "	";
          break;
        case "u": {
          const unit = this.hex4(this.pos);
          if (unit < 0) this.fail("invalid \\u escape", this.pos - 2);
          this.pos += 4;
          if (unit >= 55296 && unit <= 57343) {
            const low = this.text.startsWith("\\u", this.pos) ? this.hex4(this.pos + 2) : -1;
            if (unit <= 56319 && low >= 56320 && low <= 57343) {
              out += String.fromCharCode(unit, low);
              this.pos += 6;
            } else {
              out += "\uFFFD";
            }
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          this.fail("invalid escape in a string", this.pos - 2);
      }
      chunkStart = this.pos;
    }
  }
  /**
   * A number that `json.Number.Int64` accepts is an `int`; anything else is a float64, and one
   * beyond float64 is a load error, as `json.Number.Float64` makes it in sops.
   */
  parseNumber() {
    const match = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
    match.lastIndex = this.pos;
    const found = match.exec(this.text);
    if (found === null) return this.fail("invalid number");
    const raw = found[0];
    const after = this.text[this.pos + raw.length];
    if (after !== void 0 && /[0-9.eE+-]/.test(after)) this.fail("invalid number", this.pos + raw.length);
    const start = this.pos;
    this.pos += raw.length;
    if (found[1] === void 0 && found[2] === void 0) {
      const value2 = BigInt(raw);
      if (value2 >= INT64_MIN2 && value2 <= INT64_MAX2) return { kind: "int", value: value2, raw };
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) this.fail("number is out of the float64 range", start);
    return { kind: "float", value, raw };
  }
};
function parseJsonDocument(text3) {
  return new JsonParser(text3).parseDocument();
}
var HEX = "0123456789abcdef";
function encodeJsonString(value) {
  let out = '"';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let escaped;
    if (c < 32 || c === 34 || c === 92 || c === 60 || c === 62 || c === 38) {
      switch (c) {
        case 34:
          escaped = '\\"';
          break;
        case 92:
          escaped = "\\\\";
          break;
        case 8:
          escaped = "\\b";
          break;
        case 12:
          escaped = "\\f";
          break;
        case 10:
          escaped = "\\n";
          break;
        case 13:
          escaped = "\\r";
          break;
        case 9:
          escaped = "\\t";
          break;
        default:
          escaped = `\\u00${HEX.charAt(c >> 4)}${HEX.charAt(c & 15)}`;
      }
    } else if (c === 8232 || c === 8233) {
      escaped = `\\u202${HEX.charAt(c & 15)}`;
    } else if (c >= 55296 && c <= 57343) {
      const next = value.charCodeAt(i + 1);
      if (c <= 56319 && next >= 56320 && next <= 57343) {
        i++;
        continue;
      }
      escaped = "\\ufffd";
    }
    if (escaped !== void 0) {
      out += value.slice(start, i) + escaped;
      start = i + 1;
    }
  }
  return out + value.slice(start) + '"';
}
function utf8SequenceLength(bytes, i) {
  const b0 = bytes[i] ?? 0;
  if (b0 < 128) return 1;
  const cont = (k, lo = 128, hi = 191) => {
    const b = bytes[i + k];
    return b !== void 0 && b >= lo && b <= hi;
  };
  if (b0 >= 194 && b0 <= 223) return cont(1) ? 2 : 0;
  if (b0 >= 224 && b0 <= 239) {
    const [lo, hi] = b0 === 224 ? [160, 191] : b0 === 237 ? [128, 159] : [128, 191];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 240 && b0 <= 244) {
    const [lo, hi] = b0 === 240 ? [144, 191] : b0 === 244 ? [128, 143] : [128, 191];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}
function encodeJsonBytes(bytes) {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let out = '"';
  let start = 0;
  let i = 0;
  const flush = (end) => {
    if (end > start) out += encodeJsonString(decoder.decode(bytes.subarray(start, end))).slice(1, -1);
  };
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    flush(i);
    out += "\\ufffd";
    i++;
    start = i;
  }
  flush(bytes.length);
  return out + '"';
}
function encodeScalar(value) {
  switch (value.kind) {
    case "str":
      return encodeJsonString(value.value);
    case "int":
      return formatIntGo(value.value);
    case "float":
      return formatFloatJson(value.value);
    case "bool":
      return value.value ? "true" : "false";
    case "null":
      return "null";
    case "time":
      return `"${value.value}"`;
    case "bytes":
      return encodeJsonBytes(value.value);
    default:
      throw new Error(`not a scalar: ${value.kind}`);
  }
}
function encodeIndented(value, indent, depth, out) {
  if (value.kind === "map" || value.kind === "list") {
    const [open2, close] = value.kind === "map" ? ["{", "}"] : ["[", "]"];
    const inner = "\n" + indent.repeat(depth + 1);
    let empty = true;
    out.push(open2);
    if (value.kind === "map") {
      for (const item of value.items) {
        if (!("key" in item)) continue;
        out.push(empty ? inner : "," + inner, encodeJsonString(item.key), ": ");
        encodeIndented(item.value, indent, depth + 1, out);
        empty = false;
      }
    } else {
      for (const item of value.items) {
        if (item.kind === "comment") continue;
        out.push(empty ? inner : "," + inner);
        encodeIndented(item, indent, depth + 1, out);
        empty = false;
      }
    }
    if (!empty) out.push("\n" + indent.repeat(depth));
    out.push(close);
    return;
  }
  out.push(encodeScalar(value));
}
function emitJsonBranch(branch, indent = -1) {
  if (indent < -1) throw new SopsFormatError("JSON indentation below -1 is not accepted");
  const out = [];
  encodeIndented(branch, indent === -1 ? "	" : " ".repeat(indent), 0, out);
  out.push("\n");
  return out.join("");
}
function emitJsonValue(value, indent = -1) {
  const out = [];
  encodeIndented(value, indent === -1 ? "	" : " ".repeat(indent), 0, out);
  return out.join("");
}
function emitGoJsonValue(value) {
  switch (value.kind) {
    case "map":
      return `[${value.items.map(
        (item) => "key" in item ? `{"Key":${encodeJsonString(item.key)},"Value":${emitGoJsonValue(item.value)}}` : `{"Key":{"Value":${encodeJsonString(item.text)}},"Value":null}`
      ).join(",")}]`;
    case "list":
      return `[${value.items.map(emitGoJsonValue).join(",")}]`;
    case "comment":
      return `{"Value":${encodeJsonString(value.text)}}`;
    default:
      return encodeScalar(value);
  }
}
var jsonStore = {
  format: "json",
  loadEncrypted(text3) {
    return extractNestedMetadata([parseJsonDocument(text3)]);
  },
  loadPlain(text3) {
    return [parseJsonDocument(text3)];
  },
  /** Only the first branch is written, as sops does for multi-document YAML input. */
  emitPlain(branches) {
    const [first] = branches;
    if (first === void 0) throw new SopsFormatError("there is no document to write as JSON");
    return emitJsonBranch(first);
  }
};

// src/sops/stores/binary.ts
function findData(branches) {
  const [branch, extra] = branches;
  if (branch === void 0 || extra !== void 0) {
    throw new SopsFormatError("binary output needs exactly one document");
  }
  for (const item of branch.items) {
    if ("key" in item && item.key === "data") return item.value;
  }
  throw new SopsFormatError('no binary "data" entry found');
}
var binaryStore = {
  format: "binary",
  loadEncrypted(text3) {
    return jsonStore.loadEncrypted(text3);
  },
  loadPlain(text3) {
    return [{ kind: "map", items: [{ key: "data", value: { kind: "str", value: text3 } }] }];
  },
  emitPlain(branches) {
    const data = findData(branches);
    if (data.kind === "bytes") {
      throw new SopsFormatError("the binary data is not UTF-8 text", {
        hint: "write it with emitBinaryBytes"
      });
    }
    if (data.kind !== "str") throw new SopsFormatError('the binary "data" entry is not a string');
    return data.value;
  }
};

// src/sops/stores/dotenv.ts
function parseDotenv(text3) {
  const items = [];
  const lines2 = text3.split("\n");
  for (const [index, line] of lines2.entries()) {
    if (line.length === 0) continue;
    if (line.startsWith("#")) {
      items.push({ kind: "comment", text: line.slice(1) });
      continue;
    }
    const eq = line.indexOf("=");
    if (eq === -1) {
      throw new SopsFormatError(`invalid dotenv line ${String(index + 1)}: it has no "="`, {
        hint: "every line must be KEY=value, a #comment, or empty",
        line: index + 1
      });
    }
    items.push({
      key: line.slice(0, eq),
      value: { kind: "str", value: line.slice(eq + 1).replaceAll("\\n", "\n") }
    });
  }
  return { kind: "map", items };
}
var dotenvStore = {
  format: "dotenv",
  loadEncrypted(text3) {
    return extractPrefixedMetadata([parseDotenv(text3)]);
  },
  loadPlain(text3) {
    return [parseDotenv(text3)];
  },
  /**
   * Writes the first branch. Newlines in strings become `\n`; other scalars go through sops's
   * `ValToString`; a list or map value is an error, as in sops.
   */
  emitPlain(branches) {
    const [first] = branches;
    if (first === void 0) throw new SopsFormatError("there is no document to write as dotenv");
    let out = "";
    for (const item of first.items) {
      if (!("key" in item)) {
        out += `#${item.text}
`;
        continue;
      }
      const value = item.value;
      if (value.kind === "map" || value.kind === "list") {
        throw new UserError(
          "UNSUPPORTED",
          `cannot use a nested value in a dotenv file; offending key ${JSON.stringify(item.key)}`
        );
      }
      const text3 = value.kind === "str" || value.kind === "bytes" ? valToString(value).replaceAll("\n", "\\n") : valToString(value);
      out += `${item.key}=${text3}
`;
    }
    return out;
  }
};

// src/sops/stores/ini.ts
import { Buffer as Buffer3 } from "node:buffer";
var DEFAULT_SECTION = "DEFAULT";
var KEY_VALUE_DELIMITERS = "=:";
function isGoSpace(code2) {
  switch (code2) {
    case 9:
    case 10:
    case 11:
    case 12:
    case 13:
    case 32:
    case 133:
    case 160:
    case 5760:
    case 8232:
    case 8233:
    case 8239:
    case 8287:
    case 12288:
      return true;
    default:
      return code2 >= 8192 && code2 <= 8202;
  }
}
function trimLeft(s) {
  let i = 0;
  while (i < s.length && isGoSpace(s.charCodeAt(i))) i++;
  return s.slice(i);
}
function trimSpace(s) {
  let end = s.length;
  while (end > 0 && isGoSpace(s.charCodeAt(end - 1))) end--;
  return trimLeft(s.slice(0, end));
}
function indexOfAny(s, chars2, from = 0) {
  for (let i = from; i < s.length; i++) {
    if (chars2.includes(s.charAt(i))) return i;
  }
  return -1;
}
function trimLeftChars(s, cutset) {
  let i = 0;
  while (i < s.length && cutset.includes(s.charAt(i))) i++;
  return s.slice(i);
}
function trimRightChars(s, cutset) {
  let end = s.length;
  while (end > 0 && cutset.includes(s.charAt(end - 1))) end--;
  return s.slice(0, end);
}
function newSection(name) {
  return { name, comment: "", keys: [], byName: /* @__PURE__ */ new Map() };
}
function newKey(section, name, value) {
  if (name.length === 0) throw new SopsFormatError("an INI key name is empty");
  const existing = section.byName.get(name);
  if (existing !== void 0) {
    existing.value = value;
    return existing;
  }
  const key = { name, value, comment: "" };
  section.keys.push(key);
  section.byName.set(name, key);
  return key;
}
var IniParser = class {
  text;
  pos = 0;
  line = 0;
  isEOF = false;
  comment = "";
  constructor(text3) {
    this.text = text3.startsWith("\uFEFF") ? text3.slice(1) : text3;
  }
  fail(what) {
    throw new SopsFormatError(`invalid INI at line ${String(this.line)}: ${what}`, { line: this.line });
  }
  /** `bufio.Reader.ReadBytes('\n')`: the line with its newline; sets isEOF at the end. */
  readUntilNewline() {
    this.line++;
    const end = this.text.indexOf("\n", this.pos);
    if (end === -1) {
      const rest = this.text.slice(this.pos);
      this.pos = this.text.length;
      this.isEOF = true;
      return rest;
    }
    const data = this.text.slice(this.pos, end + 1);
    this.pos = end + 1;
    return data;
  }
  parse() {
    const sections2 = [newSection(DEFAULT_SECTION)];
    let section = sections2[0];
    let counter = 1;
    while (!this.isEOF) {
      const line = trimLeft(this.readUntilNewline());
      if (line.length === 0) continue;
      if (line.startsWith("#") || line.startsWith(";")) {
        this.comment += line;
        continue;
      }
      if (line.startsWith("[")) {
        const closeIdx = line.lastIndexOf("]");
        if (closeIdx === -1) this.fail("unclosed section header");
        const name2 = line.slice(1, closeIdx);
        if (name2.length === 0) this.fail("empty section name");
        section = newSection(name2);
        sections2.push(section);
        const inline = indexOfAny(line, "#;", closeIdx + 1);
        if (inline !== -1) this.comment += line.slice(inline);
        section.comment = trimSpace(this.comment);
        this.comment = "";
        counter = 1;
        continue;
      }
      const { name, offset } = this.readKeyName(line);
      let keyName = name;
      if (keyName === "-") {
        keyName = `#${String(counter)}`;
        counter++;
      }
      const value = this.readValue(line.slice(offset));
      if (keyName.length === 0) this.fail("empty key name");
      const key = newKey(section, keyName, value);
      key.comment = trimSpace(this.comment);
      this.comment = "";
    }
    return sections2;
  }
  readKeyName(line) {
    let keyQuote = "";
    if (line.startsWith('"')) keyQuote = line.length > 6 && line.startsWith('"""') ? '"""' : '"';
    else if (line.startsWith("`")) keyQuote = "`";
    if (keyQuote.length > 0) {
      const startIdx = keyQuote.length;
      const pos = line.indexOf(keyQuote, startIdx);
      if (pos === -1) this.fail("missing closing key quote");
      const i = indexOfAny(line, KEY_VALUE_DELIMITERS, pos + startIdx);
      if (i < 0) this.fail("key-value delimiter not found");
      return { name: trimSpace(line.slice(startIdx, pos)), offset: i + 1 };
    }
    const endIdx = indexOfAny(line, KEY_VALUE_DELIMITERS);
    if (endIdx < 0) this.fail("key-value delimiter not found");
    if (endIdx === 0) this.fail("empty key name");
    return { name: trimSpace(line.slice(0, endIdx)), offset: endIdx + 1 };
  }
  readValue(input) {
    let line = trimLeft(input);
    if (line.length === 0) return "";
    let valQuote = "";
    if (line.length > 3 && line.startsWith('"""')) valQuote = '"""';
    else if (line.startsWith("`")) valQuote = "`";
    if (valQuote.length > 0) {
      const startIdx = valQuote.length;
      const pos = line.slice(startIdx).lastIndexOf(valQuote);
      if (pos === -1) return this.readMultilines(line.slice(startIdx), valQuote);
      return line.slice(startIdx, pos + startIdx);
    }
    line = trimSpace(line);
    if (line.endsWith("\\")) return this.readContinuationLines(line.slice(0, -1));
    const i = indexOfAny(line, "#;");
    if (i > -1) {
      this.comment += line.slice(i);
      line = trimSpace(line.slice(0, i));
    }
    if (hasSurroundedQuote(line, "'") || hasSurroundedQuote(line, '"')) {
      line = line.slice(1, -1);
    }
    return line;
  }
  readMultilines(first, valQuote) {
    let val = first;
    for (; ; ) {
      const next = this.readUntilNewline();
      const pos = next.lastIndexOf(valQuote);
      if (pos > -1) {
        const restOfLine = trimRightChars(next.slice(pos + valQuote.length), "\r\n");
        if (trimSpace(restOfLine).endsWith("\\")) {
          val += next;
          continue;
        }
        val += next.slice(0, pos);
        const inline = indexOfAny(next, "#;", pos);
        if (inline !== -1) this.comment += trimSpace(next.slice(inline));
        return val;
      }
      val += next;
      if (this.isEOF) this.fail("missing closing value quote");
    }
  }
  readContinuationLines(first) {
    let val = first;
    for (; ; ) {
      const next = trimSpace(this.readUntilNewline());
      if (next.length === 0) return val;
      val += next;
      if (!val.endsWith("\\")) return val;
      val = val.slice(0, -1);
    }
  }
};
function hasSurroundedQuote(s, quote) {
  return s.length >= 2 && s.startsWith(quote) && s.endsWith(quote) && s.indexOf(quote, 1) === s.length - 1;
}
function stripCommentChar(comment) {
  if (comment.startsWith(";")) return trimLeftChars(comment, "; ");
  if (comment.startsWith("#")) return trimLeftChars(comment, "# ");
  return comment;
}
function parseIni(text3) {
  const sections2 = new IniParser(text3).parse();
  const items = sections2.map((section) => {
    const entries2 = [];
    if (section.comment !== "") entries2.push({ kind: "comment", text: stripCommentChar(section.comment) });
    for (const key of section.keys) {
      entries2.push({ key: key.name, value: { kind: "str", value: key.value } });
      if (key.comment !== "") entries2.push({ kind: "comment", text: stripCommentChar(key.comment) });
    }
    return { key: section.name, value: { kind: "map", items: entries2 } };
  });
  return { kind: "map", items };
}
function byteLength(s) {
  return Buffer3.byteLength(s, "utf8");
}
function commentLines(comment, trimPlain) {
  let out = "";
  for (const line of comment.split("\n")) {
    if (line.length === 0) {
      throw new UserError("UNSUPPORTED", "cannot write an INI comment that contains an empty line");
    }
    const first = line.charAt(0);
    if (first !== "#" && first !== ";") out += `; ${trimPlain ? trimSpace(line) : line}
`;
    else out += `${first} ${trimSpace(line.slice(1))}
`;
  }
  return out;
}
function quoteKeyName(name) {
  if (name.includes('"') || indexOfAny(name, KEY_VALUE_DELIMITERS) !== -1) return "`" + name + "`";
  if (name.includes("`")) return '"""' + name + '"""';
  return name;
}
function quoteValue(value) {
  if (value.includes("\n") || value.includes("`")) return '"""' + value + '"""';
  if (value.includes("#") || value.includes(";")) return "`" + value + "`";
  if (trimSpace(value).length !== value.length) return `"${value}"`;
  return value;
}
function emitIni(branches) {
  const sections2 = [];
  for (const branch of branches) {
    for (const item of branch.items) {
      if (!("key" in item)) continue;
      if (item.key.length === 0)
        throw new UserError("UNSUPPORTED", "cannot write an INI section with an empty name");
      const section = newSection(item.key);
      sections2.push(section);
      const value = item.value;
      if (value.kind !== "map") {
        throw new UserError(
          "UNSUPPORTED",
          `cannot write ${JSON.stringify(item.key)} as an INI section: every top-level value must be a map`
        );
      }
      let rest = value.items;
      const firstItem = rest[0];
      if (firstItem !== void 0 && !("key" in firstItem)) {
        section.comment = firstItem.text;
        rest = rest.slice(1);
      }
      let lastKey;
      for (const entry3 of rest) {
        if (!("key" in entry3)) {
          if (lastKey !== void 0) lastKey.comment = entry3.text;
          continue;
        }
        if (entry3.key.length === 0)
          throw new UserError("UNSUPPORTED", "cannot write an INI key with an empty name");
        lastKey = newKey(section, entry3.key, valToString(entry3.value));
      }
    }
  }
  let out = "";
  const lastIndex = sections2.length - 1;
  for (const [i, section] of sections2.entries()) {
    if (section.comment.length > 0) out += commentLines(section.comment, false);
    if (i > 0 || section.name.toUpperCase() !== DEFAULT_SECTION) {
      out += `[${section.name}]
`;
    } else if (section.keys.length === 0) {
      continue;
    }
    let alignLength = 0;
    for (const key of section.keys) {
      let length = byteLength(key.name);
      if (key.name.includes('"') || indexOfAny(key.name, KEY_VALUE_DELIMITERS) !== -1) length += 2;
      else if (key.name.includes("`")) length += 6;
      alignLength = Math.max(alignLength, length);
    }
    for (const key of section.keys) {
      if (key.comment.length > 0) out += commentLines(key.comment, true);
      const name = quoteKeyName(key.name);
      out += name + " ".repeat(alignLength - byteLength(name)) + " = " + quoteValue(key.value) + "\n";
    }
    if (i !== lastIndex) out += "\n";
  }
  return out;
}
var iniStore = {
  format: "ini",
  loadEncrypted(text3) {
    const { branches, metadata } = extractNestedMetadata([parseIni(text3)]);
    if (metadata === null) return { branches, metadata };
    const unescaped = metadata.items.map((item) => {
      if (!("key" in item) || item.value.kind !== "str") return item;
      return { key: item.key, value: { kind: "str", value: item.value.value.replaceAll("\\n", "\n") } };
    });
    return { branches, metadata: unflattenMetadata(unescaped) };
  },
  loadPlain(text3) {
    return [parseIni(text3)];
  },
  /** Writes every branch's sections in order, as sops does. */
  emitPlain(branches) {
    return emitIni(branches);
  }
};

// src/sops/stores/yaml.ts
var import_yaml = __toESM(require_dist(), 1);

// src/sops/stores/yaml-resolve.ts
var INT64_MIN3 = -(2n ** 63n);
var INT64_MAX3 = 2n ** 63n - 1n;
var UINT64_MAX = 2n ** 64n - 1n;
var MAP = new Map([
  ...["true", "True", "TRUE"].map((s) => [s, { tag: "bool", value: true }]),
  ...["false", "False", "FALSE"].map((s) => [s, { tag: "bool", value: false }]),
  ...["", "~", "null", "Null", "NULL"].map((s) => [s, { tag: "null" }]),
  ...[".nan", ".NaN", ".NAN"].map((s) => [s, { tag: "float", value: NaN }]),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((s) => [
    s,
    { tag: "float", value: Infinity }
  ]),
  ...["-.inf", "-.Inf", "-.INF"].map((s) => [s, { tag: "float", value: -Infinity }]),
  ["<<", { tag: "merge", value: "<<" }]
]);
function hintOf(s) {
  if (s === "") return "M";
  const c = s[0];
  if (c === "+" || c === "-") return "S";
  if (c !== void 0 && c >= "0" && c <= "9") return "D";
  if (c !== void 0 && "yYnNtTfFoO~".includes(c)) return "M";
  if (c === ".") return ".";
  return null;
}
var DIGITS = {
  2: /^[01]+$/,
  8: /^[0-7]+$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/
};
function parseGoInteger(s, base) {
  let rest = s;
  let neg = false;
  let signed = false;
  if (rest.startsWith("+") || rest.startsWith("-")) {
    neg = rest.startsWith("-");
    signed = true;
    rest = rest.slice(1);
  }
  let radix = base;
  if (base === 0) {
    radix = 10;
    if (rest.length >= 2 && rest[0] === "0") {
      const p = rest[1]?.toLowerCase();
      if (p === "x") [radix, rest] = [16, rest.slice(2)];
      else if (p === "o") [radix, rest] = [8, rest.slice(2)];
      else if (p === "b") [radix, rest] = [2, rest.slice(2)];
      else [radix, rest] = [8, rest.slice(1)];
    }
  }
  const digits = DIGITS[radix];
  if (digits === void 0 || !digits.test(rest)) return null;
  const prefix = radix === 16 ? "0x" : radix === 8 ? "0o" : radix === 2 ? "0b" : "";
  const magnitude = BigInt(prefix + rest);
  return { value: neg ? -magnitude : magnitude, signed };
}
function parseIntOrUint(s, base) {
  const parsed = parseGoInteger(s, base);
  if (parsed === null) return null;
  if (parsed.value >= INT64_MIN3 && parsed.value <= INT64_MAX3) return { tag: "int", value: parsed.value };
  if (!parsed.signed && parsed.value <= UINT64_MAX) return { tag: "uint", value: parsed.value };
  return null;
}
var YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
var DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
function parseFiniteFloat(s) {
  const value = Number(s);
  return Number.isFinite(value) ? value : null;
}
function resolveUntagged(s, tryTimestamp) {
  const hint = hintOf(s);
  if (hint === null) return { tag: "str", value: s };
  const fromMap = MAP.get(s);
  if (fromMap !== void 0) return fromMap;
  if (hint === ".") {
    if (DOT_FLOAT.test(s)) {
      const value = parseFiniteFloat(s);
      if (value !== null) return { tag: "float", value };
    }
    return { tag: "str", value: s };
  }
  if (hint === "D" || hint === "S") {
    if (tryTimestamp) {
      const time = parseYamlTimestamp(s);
      if (time !== null) return { tag: "timestamp", value: time };
    }
    const plain2 = s.replaceAll("_", "");
    const asInt = parseIntOrUint(plain2, 0);
    if (asInt !== null) return asInt;
    if (YAML_STYLE_FLOAT.test(plain2)) {
      const value = parseFiniteFloat(plain2);
      if (value !== null) return { tag: "float", value };
    }
    if (plain2.startsWith("0b") || plain2.startsWith("0o")) {
      const result = parseIntOrUint(plain2.slice(2), plain2[1] === "b" ? 2 : 8);
      if (result !== null) return result;
    } else if (plain2.startsWith("-0b") || plain2.startsWith("-0o")) {
      const parsed = parseGoInteger(`-${plain2.slice(3)}`, plain2[2] === "b" ? 2 : 8);
      if (parsed !== null && parsed.value >= INT64_MIN3 && parsed.value <= INT64_MAX3) {
        return { tag: "int", value: parsed.value };
      }
    }
  }
  return { tag: "str", value: s };
}
function resolvedTagOf(s) {
  const r = resolveUntagged(s, true);
  return r.tag === "uint" ? "int" : r.tag;
}
function toTreeValue(r) {
  switch (r.tag) {
    case "str":
    case "merge":
      return { kind: "str", value: r.value };
    case "int":
      return { kind: "int", value: r.value };
    case "uint":
      throw new SopsFormatError("an integer is larger than the int64 maximum, which sops cannot handle", {
        hint: "quote the value to keep it as a string"
      });
    case "float":
      return { kind: "float", value: r.value };
    case "bool":
      return { kind: "bool", value: r.value };
    case "null":
      return { kind: "null" };
    case "timestamp":
      return { kind: "time", value: r.value };
  }
}
function resolvePlainScalar(text3) {
  return toTreeValue(resolveUntagged(text3, true));
}
var RESOLVABLE = /* @__PURE__ */ new Set(["!!str", "!!bool", "!!int", "!!float", "!!null", "!!timestamp"]);
function resolveTaggedScalar(tag, text3) {
  if (tag === "!!str") return { kind: "str", value: text3 };
  if (tag === "!!binary") {
    const compact = text3.replace(/[\s]/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return { kind: "null" };
    const bytes = Buffer.from(compact, "base64");
    try {
      return { kind: "str", value: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch {
      return { kind: "bytes", value: new Uint8Array(bytes) };
    }
  }
  if (!RESOLVABLE.has(tag)) return { kind: "str", value: text3 };
  const r = resolveUntagged(text3, tag === "!!timestamp");
  const want = tag.slice(2);
  if (r.tag === want || want === "int" && r.tag === "uint") return toTreeValue(r);
  if (want === "float" && r.tag === "int") return { kind: "float", value: Number(r.value) };
  if (want === "str") return { kind: "str", value: text3 };
  return { kind: "null" };
}
var TimeCursor = class {
  pos = 0;
  s;
  constructor(s) {
    this.s = s;
  }
  /** Go `getnum(s, false)`: one digit, or two when the second is a digit too. */
  num12() {
    const a = this.s.charCodeAt(this.pos) - 48;
    if (!(a >= 0 && a <= 9)) return null;
    const b = this.s.charCodeAt(this.pos + 1) - 48;
    if (b >= 0 && b <= 9) {
      this.pos += 2;
      return a * 10 + b;
    }
    this.pos += 1;
    return a;
  }
  fixed(n) {
    const part = this.s.slice(this.pos, this.pos + n);
    if (part.length !== n || !/^[0-9]+$/.test(part)) return null;
    this.pos += n;
    return Number(part);
  }
  literal(c) {
    if (this.s[this.pos] !== c) return false;
    this.pos += 1;
    return true;
  }
  get rest() {
    return this.s.slice(this.pos);
  }
};
function daysIn(month, year) {
  if (month === 2) return year % 4 === 0 && year % 100 !== 0 || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
var pad = (n, width2) => String(n).padStart(width2, "0");
function parseWithLayout(s, layout) {
  const c = new TimeCursor(s);
  const year = c.fixed(4);
  if (year === null || !c.literal("-")) return null;
  const month = c.num12();
  if (month === null || month < 1 || month > 12 || !c.literal("-")) return null;
  const day = c.num12();
  if (day === null) return null;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let frac = "";
  let zone = "Z";
  if (layout !== "date") {
    if (!c.literal(layout)) return null;
    const h = c.num12();
    if (h === null || h >= 24 || !c.literal(":")) return null;
    const m = c.num12();
    if (m === null || m >= 60 || !c.literal(":")) return null;
    const sec = c.num12();
    if (sec === null || sec >= 60) return null;
    [hour, minute, second] = [h, m, sec];
    const rest = c.rest;
    const fracMatch = /^[.,]([0-9]+)/.exec(rest);
    if (fracMatch?.[1] !== void 0) {
      frac = fracMatch[1].slice(0, 9);
      c.pos += fracMatch[0].length;
    }
    if (layout !== " ") {
      if (c.literal("Z")) {
        zone = "Z";
      } else {
        const z = /^([+-])([0-9]{2}):([0-9]{2})/.exec(c.rest);
        if (z === null) return null;
        const [, sign = "+", hh = "00", mm = "00"] = z;
        if (Number(hh) > 24 || Number(mm) > 60) return null;
        c.pos += 6;
        zone = Number(hh) === 0 && Number(mm) === 0 ? "Z" : `${sign}${hh}:${mm}`;
      }
    }
  }
  if (c.rest !== "") return null;
  if (day < 1 || day > daysIn(month, year)) return null;
  const trimmed = frac.padEnd(9, "0").replace(/0+$/, "");
  const fraction = trimmed === "" ? "" : `.${trimmed}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction}${zone}`;
}
function parseYamlTimestamp(s) {
  if (!/^[0-9]{4}-/.test(s)) return null;
  for (const layout of ["T", "t", " ", "date"]) {
    const parsed = parseWithLayout(s, layout);
    if (parsed !== null) return parsed;
  }
  return null;
}

// src/sops/stores/yaml-emit.ts
function newNode(kind) {
  return { kind, tag: "", tagged: false, style: null, value: "", head: "", line: "", foot: "", content: [] };
}
var utf8 = new TextEncoder();
function isValidUtf8(bytes) {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
function encodeBase64(bytes) {
  const b64 = Buffer.from(bytes).toString("base64");
  const lineLen = 70;
  const lines2 = Math.floor(b64.length / lineLen) + 1;
  if (lines2 <= 1) return b64;
  let out = "";
  for (let i = 0; i < b64.length; i += lineLen) out += `${b64.slice(i, i + lineLen)}
`;
  return out;
}
function isBase60Float(s) {
  if (s === "") return false;
  const c = s[0] ?? "";
  if (!(c === "+" || c === "-" || c >= "0" && c <= "9") || !s.includes(":")) return false;
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}
var OLD_BOOLS = /* @__PURE__ */ new Set([
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "on",
  "On",
  "ON",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "off",
  "Off",
  "OFF"
]);
function encodeScalar2(value) {
  const node = newNode("scalar");
  let text3;
  let requested = "plain";
  let explicitTag = "";
  switch (value.kind) {
    case "str":
    case "bytes": {
      const bytes = value.kind === "str" ? utf8.encode(value.value) : value.value;
      if (value.kind === "bytes" && !isValidUtf8(bytes)) {
        explicitTag = "!!binary";
        text3 = encodeBase64(bytes);
      } else {
        text3 = value.kind === "str" ? value.value : new TextDecoder().decode(bytes);
      }
      const canUsePlain = explicitTag !== "" || resolvedTagOf(text3) === "str" && !(isBase60Float(text3) || OLD_BOOLS.has(text3));
      if (text3.includes("\n")) requested = "literal";
      else if (canUsePlain) requested = "plain";
      else requested = "double";
      break;
    }
    case "int":
      text3 = value.value.toString();
      break;
    case "float": {
      const g = formatFloatG(value.value);
      text3 = g === "+Inf" ? ".inf" : g === "-Inf" ? "-.inf" : g === "NaN" ? ".nan" : g;
      break;
    }
    case "bool":
      text3 = value.value ? "true" : "false";
      break;
    case "time":
      text3 = value.value;
      break;
    case "null":
    case "comment":
    case "map":
    case "list":
      text3 = "null";
      break;
  }
  const chosen = selectScalarStyle(requested, analyzeScalar(utf8.encode(text3)), {
    flowLevel: 0,
    simpleKey: false,
    noTag: explicitTag === "",
    implicit: explicitTag === "",
    quotedImplicit: explicitTag === ""
  });
  node.value = text3;
  if (explicitTag !== "") {
    node.tag = explicitTag;
    node.tagged = true;
  } else if (chosen === "plain") {
    node.tag = text3 === "<<" ? "!!merge" : `!!${tagOfResolved(text3)}`;
  } else {
    node.tag = "!!str";
  }
  node.style = chosen === "plain" ? null : chosen;
  return node;
}
function tagOfResolved(text3) {
  return resolvedTagOf(text3);
}
function joinComments(comments) {
  return `#${comments.join("\n#")}`;
}
function addCommentsHead(node, comments) {
  if (comments.length > 0) {
    const comment = joinComments(comments);
    node.head = node.head.length > 0 ? `${comment}
${node.head}` : comment;
  }
  return [];
}
function addCommentsFoot(node, comments) {
  if (comments.length > 0) {
    const comment = joinComments(comments);
    node.foot = node.foot.length > 0 ? `${node.foot}
${comment}` : comment;
  }
  return [];
}
function addCommentsLine(node, comments) {
  if (comments.length > 0) {
    const comment = joinComments(comments);
    node.line = node.line.length > 0 ? `${node.line}
${comment}` : comment;
  }
  return [];
}
function treeValueToNode(value) {
  if (value.kind === "map") {
    const mapping = newNode("map");
    appendTreeBranch(value, mapping);
    return mapping;
  }
  if (value.kind === "list") {
    const sequence = newNode("seq");
    appendSequence(value, sequence);
    return sequence;
  }
  return encodeScalar2(value);
}
function appendSequence(list, sequence) {
  let headComments = [];
  let inlineComments = [];
  let beginning = true;
  for (const item of list.items) {
    if (item.kind === "comment") {
      if (item.inline === true) inlineComments.push(item.text);
      else headComments.push(item.text);
      continue;
    }
    if (beginning) {
      headComments = addCommentsHead(sequence, headComments);
      beginning = false;
    }
    const itemNode = treeValueToNode(item);
    headComments = addCommentsHead(itemNode, headComments);
    inlineComments = addCommentsLine(itemNode, inlineComments);
    sequence.content.push(itemNode);
  }
  const rest = [...headComments, ...inlineComments];
  if (rest.length > 0) {
    const last = sequence.content[sequence.content.length - 1];
    if (beginning || last === void 0) addCommentsHead(sequence, rest);
    else addCommentsFoot(last, rest);
  }
}
function appendTreeBranch(branch, mapping) {
  let headComments = [];
  let inlineComments = [];
  let beginning = true;
  for (const item of branch.items) {
    if ("kind" in item) {
      if (item.inline === true) inlineComments.push(item.text);
      else headComments.push(item.text);
      continue;
    }
    if (beginning) {
      headComments = addCommentsHead(mapping, headComments);
      beginning = false;
    }
    const keyNode = encodeScalar2({ kind: "str", value: item.key });
    headComments = addCommentsHead(keyNode, headComments);
    const valueNode = treeValueToNode(item.value);
    inlineComments = addCommentsLine(valueNode, inlineComments);
    mapping.content.push(keyNode, valueNode);
  }
  const rest = [...headComments, ...inlineComments];
  if (rest.length > 0) {
    const lastKey = mapping.content[mapping.content.length - 2];
    if (beginning || lastKey === void 0) addCommentsHead(mapping, rest);
    else addCommentsFoot(lastKey, rest);
  }
}
var EMPTY = new Uint8Array(0);
function event(type, fields = {}) {
  return {
    type,
    implicit: true,
    quotedImplicit: true,
    tag: "",
    value: EMPTY,
    style: "block",
    head: EMPTY,
    line: EMPTY,
    foot: EMPTY,
    tail: EMPTY,
    ...fields
  };
}
var LONG_TAG_PREFIX = "tag:yaml.org,2002:";
function longTag(tag) {
  return tag.startsWith("!!") ? LONG_TAG_PREFIX + tag.slice(2) : tag;
}
function nodeEvents(node, tail, out) {
  let tag = node.tag;
  if (tag !== "" && !node.tagged) {
    if (node.kind === "scalar") {
      if (tag === "!!str" && node.style !== null && node.style !== "plain") {
        tag = "";
      } else {
        const rtag = `!!${resolvedTagOf(node.value)}`;
        if (rtag === tag) tag = "";
        else if (tag === "!!str") tag = "";
      }
    } else if (node.kind === "map" && tag === "!!map" || node.kind === "seq" && tag === "!!seq") {
      tag = "";
    }
  }
  switch (node.kind) {
    case "seq":
      out.push(
        event("SEQUENCE_START", { tag: longTag(tag), implicit: tag === "", head: utf8.encode(node.head) })
      );
      for (const child of node.content) nodeEvents(child, "", out);
      out.push(event("SEQUENCE_END", { line: utf8.encode(node.line), foot: utf8.encode(node.foot) }));
      return;
    case "map": {
      out.push(
        event("MAPPING_START", {
          tag: longTag(tag),
          implicit: tag === "",
          tail: utf8.encode(tail),
          head: utf8.encode(node.head)
        })
      );
      let pending = "";
      for (let i = 0; i + 1 < node.content.length; i += 2) {
        let key = node.content[i];
        const value = node.content[i + 1];
        const foot = key.foot;
        if (foot !== "") key = { ...key, foot: "" };
        nodeEvents(key, pending, out);
        pending = foot;
        nodeEvents(value, "", out);
      }
      out.push(
        event("MAPPING_END", {
          tail: utf8.encode(pending),
          line: utf8.encode(node.line),
          foot: utf8.encode(node.foot)
        })
      );
      return;
    }
    case "scalar": {
      let style = node.style ?? "plain";
      if (node.style === null && node.value.includes("\n")) style = "literal";
      const implicit = tag === "";
      out.push(
        event("SCALAR", {
          value: utf8.encode(node.value),
          tag: implicit ? "" : longTag(tag),
          implicit,
          quotedImplicit: implicit,
          style,
          head: utf8.encode(node.head),
          line: utf8.encode(node.line),
          foot: utf8.encode(node.foot),
          tail: utf8.encode(tail)
        })
      );
      return;
    }
  }
}
function width(b) {
  if ((b & 128) === 0) return 1;
  if ((b & 224) === 192) return 2;
  if ((b & 240) === 224) return 3;
  if ((b & 248) === 240) return 4;
  return 0;
}
var at = (b, i) => b[i] ?? 0;
function isPrintable(b, i) {
  const c = at(b, i);
  const c1 = at(b, i + 1);
  const c2 = at(b, i + 2);
  return c === 10 || c >= 32 && c <= 126 || c === 194 && c1 >= 160 || c > 194 && c < 237 || c === 237 && c1 < 160 || c === 238 || c === 239 && !(c1 === 187 && c2 === 191) && !(c1 === 191 && (c2 === 190 || c2 === 191));
}
var isSpace = (b, i) => at(b, i) === 32;
var isBlank = (b, i) => at(b, i) === 32 || at(b, i) === 9;
function isBreak(b, i) {
  const c = at(b, i);
  return c === 13 || c === 10 || c === 194 && at(b, i + 1) === 133 || c === 226 && at(b, i + 1) === 128 && (at(b, i + 2) === 168 || at(b, i + 2) === 169);
}
var isBlankz = (b, i) => i >= b.length || at(b, i) === 0 || isBlank(b, i) || isBreak(b, i);
var isBom = (b) => at(b, 0) === 239 && at(b, 1) === 187 && at(b, 2) === 191;
var isAlpha = (b, i) => {
  const c = at(b, i);
  return c >= 48 && c <= 57 || c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 95 || c === 45;
};
function analyzeScalar(value) {
  if (value.length === 0) {
    return {
      value,
      multiline: false,
      flowPlainAllowed: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false
    };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let tabCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.length >= 3 && (at(value, 0) === 45 && at(value, 1) === 45 && at(value, 2) === 45 || at(value, 0) === 46 && at(value, 1) === 46 && at(value, 2) === 46)) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0, w = 0; i < value.length; i += w) {
    w = width(at(value, i)) || 1;
    const followedByWhitespace = i + w >= value.length || isBlank(value, i + w);
    const c = String.fromCharCode(at(value, i));
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (c === "?" || c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === "-") {
        if (followedByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      }
    } else {
      if (",?[]{}".includes(c)) {
        flowIndicators = true;
      } else if (c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === "#") {
        if (precededByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      }
    }
    if (at(value, i) === 9) tabCharacters = true;
    else if (!isPrintable(value, i)) specialCharacters = true;
    if (isSpace(value, i)) {
      if (i === 0) leadingSpace = true;
      if (i + w === value.length) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(value, i)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i + w === value.length) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(value, i);
  }
  const a = {
    value,
    multiline: lineBreaks,
    flowPlainAllowed: true,
    blockPlainAllowed: true,
    singleQuotedAllowed: true,
    blockAllowed: true
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || tabCharacters || specialCharacters) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) a.blockAllowed = false;
  if (lineBreaks) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}
function selectScalarStyle(requested, a, ctx) {
  let style = requested;
  if (ctx.simpleKey && a.multiline) style = "double";
  if (style === "plain") {
    if (ctx.flowLevel > 0 && !a.flowPlainAllowed || ctx.flowLevel === 0 && !a.blockPlainAllowed) {
      style = "single";
    }
    if (a.value.length === 0 && (ctx.flowLevel > 0 || ctx.simpleKey)) style = "single";
    if (ctx.noTag && !ctx.implicit) style = "single";
  }
  if (style === "single" && !a.singleQuotedAllowed) style = "double";
  if ((style === "literal" || style === "folded") && (!a.blockAllowed || ctx.flowLevel > 0 || ctx.simpleKey)) {
    style = "double";
  }
  return style;
}
var BEST_WIDTH = 2 ** 31 - 1;
var Emitter = class {
  out = [];
  bestIndent;
  state = "STREAM_START";
  states = [];
  events = [];
  head = 0;
  indents = [];
  indent = -1;
  flowLevel = 0;
  simpleKeyContext = false;
  line = 0;
  column = 0;
  whitespace = true;
  indention = true;
  footIndent = -1;
  tagHandle = EMPTY;
  tagSuffix = EMPTY;
  scalar = analyzeScalar(EMPTY);
  scalarStyle = "plain";
  headComment = EMPTY;
  lineComment = EMPTY;
  footComment = EMPTY;
  tailComment = EMPTY;
  keyLineComment = EMPTY;
  constructor(bestIndent) {
    this.bestIndent = bestIndent < 2 || bestIndent > 9 ? 2 : bestIndent;
  }
  run(events) {
    this.events = events;
    for (this.head = 0; this.head < events.length; this.head++) {
      const ev = events[this.head];
      this.analyzeEvent(ev);
      this.stateMachine(ev);
    }
    return new TextDecoder().decode(Uint8Array.from(this.out));
  }
  fail(problem) {
    throw new Error(`yaml emitter: ${problem}`);
  }
  // --- low-level writers ---
  put(value) {
    this.out.push(value);
    this.column++;
  }
  putBreak() {
    this.out.push(10);
    this.column = 0;
    this.line++;
    this.indention = true;
  }
  /** Writes one UTF-8 character and advances `i` past it; returns the new index. */
  write(s, i) {
    const w = width(at(s, i)) || 1;
    for (let k = 0; k < w; k++) this.out.push(at(s, i + k));
    this.column++;
    return i + w;
  }
  writeAll(s) {
    for (let i = 0; i < s.length; ) i = this.write(s, i);
  }
  writeBreak(s, i) {
    if (at(s, i) === 10) {
      this.putBreak();
      return i + 1;
    }
    const next = this.write(s, i);
    this.column = 0;
    this.line++;
    this.indention = true;
    return next;
  }
  // --- events ---
  analyzeEvent(ev) {
    this.tagHandle = EMPTY;
    this.tagSuffix = EMPTY;
    this.scalar = analyzeScalar(EMPTY);
    if (ev.head.length > 0) this.headComment = ev.head;
    if (ev.line.length > 0) this.lineComment = ev.line;
    if (ev.foot.length > 0) this.footComment = ev.foot;
    if (ev.tail.length > 0) this.tailComment = ev.tail;
    if (ev.type === "SCALAR") {
      if (ev.tag.length > 0 && !ev.implicit && !ev.quotedImplicit) this.analyzeTag(ev.tag);
      this.scalar = analyzeScalar(ev.value);
    } else if ((ev.type === "SEQUENCE_START" || ev.type === "MAPPING_START") && ev.tag.length > 0 && !ev.implicit) {
      this.analyzeTag(ev.tag);
    }
  }
  analyzeTag(tag) {
    if (tag.startsWith("!")) {
      this.tagHandle = utf8.encode("!");
      this.tagSuffix = utf8.encode(tag.slice(1));
    } else if (tag.startsWith(LONG_TAG_PREFIX)) {
      this.tagHandle = utf8.encode("!!");
      this.tagSuffix = utf8.encode(tag.slice(LONG_TAG_PREFIX.length));
    } else {
      this.tagSuffix = utf8.encode(tag);
    }
  }
  popState() {
    this.state = this.states.pop() ?? this.fail("state stack underflow");
  }
  popIndent() {
    this.indent = this.indents.pop() ?? this.fail("indent stack underflow");
  }
  stateMachine(ev) {
    switch (this.state) {
      case "STREAM_START":
        this.emitStreamStart(ev);
        return;
      case "FIRST_DOCUMENT_START":
        this.emitDocumentStart(ev, true);
        return;
      case "DOCUMENT_START":
        this.emitDocumentStart(ev, false);
        return;
      case "DOCUMENT_CONTENT":
        this.emitDocumentContent(ev);
        return;
      case "DOCUMENT_END":
        this.emitDocumentEnd(ev);
        return;
      case "FLOW_SEQUENCE_FIRST_ITEM":
        this.emitFlowSequenceItem(ev, true, false);
        return;
      case "FLOW_SEQUENCE_TRAIL_ITEM":
        this.emitFlowSequenceItem(ev, false, true);
        return;
      case "FLOW_SEQUENCE_ITEM":
        this.emitFlowSequenceItem(ev, false, false);
        return;
      case "FLOW_MAPPING_FIRST_KEY":
        this.emitFlowMappingKey(ev, true, false);
        return;
      case "FLOW_MAPPING_TRAIL_KEY":
        this.emitFlowMappingKey(ev, false, true);
        return;
      case "FLOW_MAPPING_KEY":
        this.emitFlowMappingKey(ev, false, false);
        return;
      case "FLOW_MAPPING_SIMPLE_VALUE":
      case "FLOW_MAPPING_VALUE":
        this.fail("unexpected flow mapping value");
        return;
      case "BLOCK_SEQUENCE_FIRST_ITEM":
        this.emitBlockSequenceItem(ev, true);
        return;
      case "BLOCK_SEQUENCE_ITEM":
        this.emitBlockSequenceItem(ev, false);
        return;
      case "BLOCK_MAPPING_FIRST_KEY":
        this.emitBlockMappingKey(ev, true);
        return;
      case "BLOCK_MAPPING_KEY":
        this.emitBlockMappingKey(ev, false);
        return;
      case "BLOCK_MAPPING_SIMPLE_VALUE":
        this.emitBlockMappingValue(ev, true);
        return;
      case "BLOCK_MAPPING_VALUE":
        this.emitBlockMappingValue(ev, false);
        return;
      case "END":
        this.fail("expected nothing after STREAM-END");
    }
  }
  emitStreamStart(ev) {
    if (ev.type !== "STREAM_START") this.fail("expected STREAM-START");
    this.indent = -1;
    this.line = 0;
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
    this.footIndent = -1;
    this.state = "FIRST_DOCUMENT_START";
  }
  emitDocumentStart(ev, first) {
    if (ev.type === "DOCUMENT_START") {
      const implicit = ev.implicit && first;
      if (!implicit) {
        this.writeIndent();
        this.writeIndicator("---", true, false, false);
        this.writeIndent();
      }
      if (this.headComment.length > 0) {
        this.processHeadComment();
        this.putBreak();
      }
      this.state = "DOCUMENT_CONTENT";
      return;
    }
    if (ev.type === "STREAM_END") {
      this.state = "END";
      return;
    }
    this.fail("expected DOCUMENT-START or STREAM-END");
  }
  emitDocumentContent(ev) {
    this.states.push("DOCUMENT_END");
    this.processHeadComment();
    this.emitNode(ev, false);
    this.processLineComment(false);
    this.processFootComment();
  }
  emitDocumentEnd(ev) {
    if (ev.type !== "DOCUMENT_END") this.fail("expected DOCUMENT-END");
    this.footIndent = 0;
    this.processFootComment();
    this.footIndent = -1;
    this.writeIndent();
    if (!ev.implicit) {
      this.writeIndicator("...", true, false, false);
      this.writeIndent();
    }
    this.state = "DOCUMENT_START";
  }
  increaseIndent(flow, indentless) {
    this.indents.push(this.indent);
    if (this.indent < 0) {
      this.indent = flow ? this.bestIndent : 0;
    } else if (!indentless) {
      if (this.states[this.states.length - 1] === "BLOCK_SEQUENCE_ITEM") {
        this.indent += 2;
      } else {
        this.indent = this.bestIndent * Math.floor((this.indent + this.bestIndent) / this.bestIndent);
      }
    }
  }
  emitFlowSequenceItem(ev, first, trail) {
    if (first) {
      this.writeIndicator("[", true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (ev.type === "SEQUENCE_END") {
      this.flowLevel--;
      this.popIndent();
      if (this.column === 0) this.writeIndent();
      this.writeIndicator("]", false, false, false);
      this.processLineComment(false);
      this.processFootComment();
      this.popState();
      return;
    }
    if (!first && !trail) this.writeIndicator(",", false, false, false);
    this.fail("unexpected flow sequence item");
  }
  emitFlowMappingKey(ev, first, trail) {
    if (first) {
      this.writeIndicator("{", true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (ev.type === "MAPPING_END") {
      if (this.headComment.length + this.footComment.length + this.tailComment.length > 0 && !first && !trail) {
        this.writeIndicator(",", false, false, false);
      }
      this.processHeadComment();
      this.flowLevel--;
      this.popIndent();
      this.writeIndicator("}", false, false, false);
      this.processLineComment(false);
      this.processFootComment();
      this.popState();
      return;
    }
    this.fail("unexpected flow mapping key");
  }
  emitBlockSequenceItem(ev, first) {
    if (first) this.increaseIndent(false, false);
    if (ev.type === "SEQUENCE_END") {
      this.popIndent();
      this.popState();
      return;
    }
    this.processHeadComment();
    this.writeIndent();
    this.writeIndicator("-", true, false, true);
    this.states.push("BLOCK_SEQUENCE_ITEM");
    this.emitNode(ev, false);
    this.processLineComment(false);
    this.processFootComment();
  }
  emitBlockMappingKey(ev, first) {
    if (first) this.increaseIndent(false, false);
    this.processHeadComment();
    if (ev.type === "MAPPING_END") {
      this.popIndent();
      this.popState();
      return;
    }
    this.writeIndent();
    if (this.lineComment.length > 0) {
      this.keyLineComment = this.lineComment;
      this.lineComment = EMPTY;
    }
    if (this.checkSimpleKey()) {
      this.states.push("BLOCK_MAPPING_SIMPLE_VALUE");
      this.emitNode(ev, true);
      return;
    }
    this.writeIndicator("?", true, false, true);
    this.states.push("BLOCK_MAPPING_VALUE");
    this.emitNode(ev, false);
  }
  emitBlockMappingValue(ev, simple) {
    if (simple) {
      this.writeIndicator(":", false, false, false);
    } else {
      this.writeIndent();
      this.writeIndicator(":", true, false, true);
    }
    if (this.keyLineComment.length > 0) {
      if (ev.type === "SCALAR") {
        if (this.lineComment.length === 0) {
          this.lineComment = this.keyLineComment;
          this.keyLineComment = EMPTY;
        }
      } else if (ev.style !== "flow" && (ev.type === "MAPPING_START" || ev.type === "SEQUENCE_START")) {
        [this.lineComment, this.keyLineComment] = [this.keyLineComment, this.lineComment];
        this.processLineComment(false);
        [this.lineComment, this.keyLineComment] = [this.keyLineComment, this.lineComment];
      }
    }
    this.states.push("BLOCK_MAPPING_KEY");
    this.emitNode(ev, false);
    this.processLineComment(false);
    this.processFootComment();
  }
  /** `yaml_emitter_emit_node`; only the simple-key context matters for what sops writes. */
  emitNode(ev, simpleKey) {
    this.simpleKeyContext = simpleKey;
    switch (ev.type) {
      case "SCALAR":
        this.emitScalar(ev);
        return;
      case "SEQUENCE_START":
        this.processTag();
        this.state = this.flowLevel > 0 || ev.style === "flow" || this.checkEmpty("SEQUENCE_START", "SEQUENCE_END") ? "FLOW_SEQUENCE_FIRST_ITEM" : "BLOCK_SEQUENCE_FIRST_ITEM";
        return;
      case "MAPPING_START":
        this.processTag();
        this.state = this.flowLevel > 0 || ev.style === "flow" || this.checkEmpty("MAPPING_START", "MAPPING_END") ? "FLOW_MAPPING_FIRST_KEY" : "BLOCK_MAPPING_FIRST_KEY";
        return;
      default:
        this.fail(`expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS, but got ${ev.type}`);
    }
  }
  emitScalar(ev) {
    this.scalarStyle = selectScalarStyle(ev.style, this.scalar, {
      flowLevel: this.flowLevel,
      simpleKey: this.simpleKeyContext,
      noTag: this.tagHandle.length === 0 && this.tagSuffix.length === 0,
      implicit: ev.implicit,
      quotedImplicit: ev.quotedImplicit
    });
    this.processTag();
    this.increaseIndent(true, false);
    this.processScalar();
    this.popIndent();
    this.popState();
  }
  checkEmpty(start, end) {
    return this.events[this.head]?.type === start && this.events[this.head + 1]?.type === end;
  }
  checkSimpleKey() {
    const ev = this.events[this.head];
    let length = 0;
    switch (ev?.type) {
      case "SCALAR":
        if (this.scalar.multiline) return false;
        length += this.tagHandle.length + this.tagSuffix.length + this.scalar.value.length;
        break;
      case "SEQUENCE_START":
        if (!this.checkEmpty("SEQUENCE_START", "SEQUENCE_END")) return false;
        length += this.tagHandle.length + this.tagSuffix.length;
        break;
      case "MAPPING_START":
        if (!this.checkEmpty("MAPPING_START", "MAPPING_END")) return false;
        length += this.tagHandle.length + this.tagSuffix.length;
        break;
      default:
        return false;
    }
    return length <= 128;
  }
  processTag() {
    if (this.tagHandle.length === 0 && this.tagSuffix.length === 0) return;
    if (this.tagHandle.length > 0) {
      this.writeTagHandle(this.tagHandle);
      if (this.tagSuffix.length > 0) this.writeTagContent(this.tagSuffix, false);
    } else {
      this.writeIndicator("!<", true, false, false);
      this.writeTagContent(this.tagSuffix, false);
      this.writeIndicator(">", false, false, false);
    }
  }
  processScalar() {
    const value = this.scalar.value;
    switch (this.scalarStyle) {
      case "plain":
        this.writePlainScalar(value, !this.simpleKeyContext);
        return;
      case "single":
        this.writeSingleQuotedScalar(value, !this.simpleKeyContext);
        return;
      case "double":
        this.writeDoubleQuotedScalar(value, !this.simpleKeyContext);
        return;
      case "literal":
        this.writeLiteralScalar(value);
        return;
      case "folded":
        this.fail("folded scalars are never written by sops");
    }
  }
  // --- comments ---
  processHeadComment() {
    if (this.tailComment.length > 0) {
      this.writeIndent();
      this.writeComment(this.tailComment);
      this.tailComment = EMPTY;
      this.footIndent = Math.max(this.indent, 0);
    }
    if (this.headComment.length === 0) return;
    this.writeIndent();
    this.writeComment(this.headComment);
    this.headComment = EMPTY;
  }
  processLineComment(linebreak) {
    if (this.lineComment.length === 0) {
      if (linebreak) this.putBreak();
      return;
    }
    if (!this.whitespace) this.put(32);
    this.writeComment(this.lineComment);
    this.lineComment = EMPTY;
  }
  processFootComment() {
    if (this.footComment.length === 0) return;
    this.writeIndent();
    this.writeComment(this.footComment);
    this.footComment = EMPTY;
    this.footIndent = Math.max(this.indent, 0);
  }
  // --- writers ---
  writeIndent() {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || this.column === indent && !this.whitespace)
      this.putBreak();
    if (this.footIndent === indent) this.putBreak();
    while (this.column < indent) this.put(32);
    this.whitespace = true;
    this.footIndent = -1;
  }
  writeIndicator(indicator, needWhitespace, isWhitespace, isIndention) {
    if (needWhitespace && !this.whitespace) this.put(32);
    this.writeAll(utf8.encode(indicator));
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }
  writeTagHandle(value) {
    if (!this.whitespace) this.put(32);
    this.writeAll(value);
    this.whitespace = false;
    this.indention = false;
  }
  writeTagContent(value, needWhitespace) {
    if (needWhitespace && !this.whitespace) this.put(32);
    for (let i = 0; i < value.length; ) {
      const c = String.fromCharCode(at(value, i));
      if (";/?:@&=+$,_.~*'()[]".includes(c) || isAlpha(value, i)) {
        i = this.write(value, i);
        continue;
      }
      const w = width(at(value, i)) || 1;
      for (let k = 0; k < w; k++) {
        const octet = at(value, i);
        i++;
        this.put(37);
        this.put(hexDigit(octet >> 4));
        this.put(hexDigit(octet & 15));
      }
    }
    this.whitespace = false;
    this.indention = false;
  }
  writePlainScalar(value, allowBreaks) {
    if (value.length > 0 && !this.whitespace) this.put(32);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length; ) {
      if (isSpace(value, i)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(value, i + 1)) {
          this.writeIndent();
          i += 1;
        } else {
          i = this.write(value, i);
        }
        spaces = true;
      } else if (isBreak(value, i)) {
        if (!breaks && at(value, i) === 10) this.putBreak();
        i = this.writeBreak(value, i);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        i = this.write(value, i);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    if (value.length > 0) this.whitespace = false;
    this.indention = false;
  }
  writeSingleQuotedScalar(value, allowBreaks) {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length; ) {
      if (isSpace(value, i)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1 && !isSpace(value, i + 1)) {
          this.writeIndent();
          i += 1;
        } else {
          i = this.write(value, i);
        }
        spaces = true;
      } else if (isBreak(value, i)) {
        if (!breaks && at(value, i) === 10) this.putBreak();
        i = this.writeBreak(value, i);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (at(value, i) === 39) this.put(39);
        i = this.write(value, i);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }
  writeDoubleQuotedScalar(value, allowBreaks) {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    for (let i = 0; i < value.length; ) {
      const c = at(value, i);
      if (!isPrintable(value, i) || isBom(value) || isBreak(value, i) || c === 34 || c === 92) {
        let w = width(c) || 1;
        let v = w === 1 ? c & 127 : w === 2 ? c & 31 : w === 3 ? c & 15 : c & 7;
        for (let k = 1; k < w; k++) v = (v << 6) + (at(value, i + k) & 63);
        i += w;
        this.put(92);
        const simple = SIMPLE_ESCAPES.get(v);
        if (simple !== void 0) {
          this.put(simple.charCodeAt(0));
        } else {
          if (v <= 255) {
            this.put(120);
            w = 2;
          } else if (v <= 65535) {
            this.put(117);
            w = 4;
          } else {
            this.put(85);
            w = 8;
          }
          for (let k = (w - 1) * 4; k >= 0; k -= 4) this.put(hexDigit(v >> k & 15));
        }
        spaces = false;
      } else if (isSpace(value, i)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1) {
          this.writeIndent();
          if (isSpace(value, i + 1)) this.put(92);
          i += 1;
        } else {
          i = this.write(value, i);
        }
        spaces = true;
      } else {
        i = this.write(value, i);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }
  writeBlockScalarHints(value) {
    if (isSpace(value, 0) || isBreak(value, 0)) {
      this.writeIndicator(String(this.bestIndent), false, false, false);
    }
    let chomp = "";
    if (value.length === 0) {
      chomp = "-";
    } else {
      let i = value.length - 1;
      while ((at(value, i) & 192) === 128) i--;
      if (!isBreak(value, i)) {
        chomp = "-";
      } else if (i === 0) {
        chomp = "+";
      } else {
        i--;
        while ((at(value, i) & 192) === 128) i--;
        if (isBreak(value, i)) {
          chomp = "+";
        }
      }
    }
    if (chomp !== "") this.writeIndicator(chomp, false, false, false);
  }
  writeLiteralScalar(value) {
    this.writeIndicator("|", true, false, false);
    this.writeBlockScalarHints(value);
    this.processLineComment(true);
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < value.length; ) {
      if (isBreak(value, i)) {
        i = this.writeBreak(value, i);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        i = this.write(value, i);
        this.indention = false;
        breaks = false;
      }
    }
  }
  writeComment(comment) {
    let breaks = false;
    let pound = false;
    for (let i = 0; i < comment.length; ) {
      if (isBreak(comment, i)) {
        i = this.writeBreak(comment, i);
        breaks = true;
        pound = false;
      } else {
        if (breaks) this.writeIndent();
        if (!pound) {
          if (at(comment, i) !== 35) {
            this.put(35);
            this.put(32);
          }
          pound = true;
        }
        i = this.write(comment, i);
        this.indention = false;
        breaks = false;
      }
    }
    if (!breaks) this.putBreak();
    this.whitespace = true;
  }
};
var SIMPLE_ESCAPES = /* @__PURE__ */ new Map([
  [0, "0"],
  [7, "a"],
  [8, "b"],
  [9, "t"],
  [10, "n"],
  [11, "v"],
  [12, "f"],
  [13, "r"],
  [27, "e"],
  [34, '"'],
  [92, "\\"],
  [133, "N"],
  [160, "_"],
  [8232, "L"],
  [8233, "P"]
]);
function hexDigit(d) {
  return d < 10 ? 48 + d : 65 + d - 10;
}
function emitYamlBranches(branches, indent = 4) {
  if (branches.length === 0) return "";
  const events = [event("STREAM_START")];
  for (const branch of branches) {
    const mapping = newNode("map");
    appendTreeBranch(branch, mapping);
    events.push(event("DOCUMENT_START"));
    nodeEvents(mapping, "", events);
    events.push(event("DOCUMENT_END"));
  }
  events.push(event("STREAM_END"));
  return new Emitter(indent).run(events);
}
function emitYamlValue(value, indent = 4) {
  const events = [event("STREAM_START"), event("DOCUMENT_START")];
  nodeEvents(treeValueToNode(value), "", events);
  events.push(event("DOCUMENT_END"), event("STREAM_END"));
  return new Emitter(indent).run(events);
}

// src/sops/stores/yaml.ts
var MAX_YAML_NODES = 1e6;
var MAX_YAML_DEPTH = 1e3;
function syntaxError2(lines2, offset, what) {
  const pos = lines2.linePos(offset);
  return new SopsFormatError(`invalid YAML at line ${pos.line}, column ${pos.col}: ${what}`, {
    line: pos.line,
    column: pos.col
  });
}
function collectComments(text3) {
  const found = [];
  if (!text3.includes("#")) return found;
  let docIndex = 0;
  let pendingTopLevel = [];
  const visit2 = (value, into) => {
    if (Array.isArray(value)) {
      for (const v of value) visit2(v, into);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const token = value;
    if (token.type === "comment" && typeof token.offset === "number" && typeof token.source === "string") {
      into.push({ offset: token.offset, source: token.source });
      return;
    }
    for (const child of Object.values(value)) {
      if (typeof child === "object") visit2(child, into);
    }
  };
  for (const token of new import_yaml.Parser().parse(text3)) {
    if (token.type === "document") {
      const inside2 = [];
      visit2(token, inside2);
      for (const t of [...pendingTopLevel, ...inside2]) found.push({ docIndex, token: t });
      pendingTopLevel = [];
      docIndex++;
    } else if (token.type === "comment") {
      pendingTopLevel.push({ offset: token.offset, source: token.source });
    } else {
      const inside2 = [];
      visit2(token, inside2);
      pendingTopLevel.push(...inside2);
    }
  }
  for (const t of pendingTopLevel) found.push({ docIndex: Math.max(docIndex - 1, 0), token: t });
  return found;
}
function firstTokenOffset(srcToken, fallback) {
  const item = srcToken;
  for (const t of item?.start ?? []) {
    if (t.type !== "space" && t.type !== "newline" && t.type !== "comment") return t.offset;
  }
  return fallback;
}
function columnOf(text3, offset) {
  const lineStart = text3.lastIndexOf("\n", offset - 1) + 1;
  return offset - lineStart;
}
function modelDocument(text3, doc) {
  const model = { doc, containers: /* @__PURE__ */ new Map(), entries: [], spans: [], loose: [] };
  const addSpan = (node, entry3, role) => {
    if (node === null || node.range == null) return;
    if ((0, import_yaml.isScalar)(node) || (0, import_yaml.isAlias)(node) || ((0, import_yaml.isMap)(node) || (0, import_yaml.isSeq)(node)) && node.flow === true) {
      model.spans.push({ start: node.range[0], end: node.range[1], node, entry: entry3, role });
    }
  };
  const walk = (node, parent, depth) => {
    if (depth > MAX_YAML_DEPTH) {
      throw new SopsFormatError(`YAML nesting is deeper than ${MAX_YAML_DEPTH} levels`);
    }
    if (!(0, import_yaml.isMap)(node) && !(0, import_yaml.isSeq)(node)) return;
    const range = node.range ?? [0, 0, 0];
    const flow = node.flow === true;
    const src = node.srcToken;
    const cstItems = !flow && Array.isArray(src?.items) ? src.items : [];
    const starts = node.items.map((item, i) => {
      const astStart = (0, import_yaml.isPair)(item) ? item.key?.range?.[0] ?? range[0] : item?.range?.[0] ?? range[0];
      return firstTokenOffset(cstItems[i], astStart);
    });
    const indent = columnOf(text3, starts[0] ?? range[0]);
    const parentContainer = parent?.container;
    const indentless = (0, import_yaml.isSeq)(node) && !flow && parentContainer?.kind === "map" && !parentContainer.flow && indent === parentContainer.indent;
    const container = {
      node,
      kind: (0, import_yaml.isMap)(node) ? "map" : "seq",
      flow,
      indentless,
      indent,
      parent,
      entries: [],
      comments: /* @__PURE__ */ new Map()
    };
    model.containers.set(node, container);
    node.items.forEach((item, index) => {
      const entry3 = {
        container,
        index,
        start: starts[index] ?? range[0],
        pair: (0, import_yaml.isPair)(item) ? item : null,
        item: (0, import_yaml.isPair)(item) ? null : item
      };
      container.entries.push(entry3);
      model.entries.push(entry3);
      if (entry3.pair !== null) {
        addSpan(entry3.pair.key, entry3, "key");
        addSpan(entry3.pair.value, entry3, "value");
        walk(entry3.pair.key, entry3, depth + 1);
        walk(entry3.pair.value, entry3, depth + 1);
      } else {
        addSpan(entry3.item, entry3, "value");
        walk(entry3.item, entry3, depth + 1);
      }
    });
  };
  addSpan(doc.contents, null, "value");
  walk(doc.contents, null, 0);
  model.entries.sort((a, b) => a.start - b.start);
  return model;
}
function place2(container, position, placed) {
  const list = container.comments.get(position);
  if (list === void 0) container.comments.set(position, [placed]);
  else list.push(placed);
}
function ancestors(entry3) {
  const chain = [];
  for (let c = entry3?.container; c !== void 0; c = c.parent?.container) chain.push(c);
  return chain;
}
function placeOwnLine(model, offset, column, comment) {
  let previous = null;
  let next = null;
  for (const entry3 of model.entries) {
    if (entry3.start < offset) previous = entry3;
    else {
      next = entry3;
      break;
    }
  }
  const placed = { offset, comment };
  if (previous === null && next === null) {
    model.loose.push(placed);
    return;
  }
  const open2 = new Set(ancestors(next));
  const closing = ancestors(previous).filter((c) => !open2.has(c) && !(next !== null && c.indentless));
  const target = closing.find((c) => c.indent <= column);
  if (target !== void 0) {
    place2(target, target.entries.length, placed);
    return;
  }
  if (next !== null) {
    place2(next.container, next.index, placed);
    return;
  }
  const outermost = closing[closing.length - 1];
  if (outermost !== void 0) place2(outermost, outermost.entries.length, placed);
  else model.loose.push(placed);
}
function placeTrailing(model, text3, offset, column, source) {
  let p = offset - 1;
  while (p >= 0 && (text3[p] === " " || text3[p] === "	")) p--;
  const body = source.slice(1);
  let span = null;
  for (const s of model.spans) {
    if (s.start <= p && p < Math.max(s.end, s.start + 1) && (span === null || s.end - s.start <= span.end - span.start)) {
      span = s;
    }
  }
  if (span !== null) {
    const entry3 = span.entry;
    const collection = (0, import_yaml.isMap)(span.node) || (0, import_yaml.isSeq)(span.node) ? model.containers.get(span.node) : void 0;
    if (entry3 === null) {
      placeOwnLine(model, offset, column, { kind: "comment", text: body });
      return;
    }
    if (span.role === "key") {
      place2(entry3.container, entry3.index, { offset, comment: { kind: "comment", text: body } });
      return;
    }
    if (collection !== void 0 && entry3.container.kind === "map") {
      place2(collection, 0, { offset, comment: { kind: "comment", text: body } });
      return;
    }
    place2(entry3.container, entry3.index, { offset, comment: { kind: "comment", text: body, inline: true } });
    return;
  }
  const lineStart = text3.lastIndexOf("\n", offset - 1) + 1;
  let owner = null;
  for (const entry3 of model.entries) {
    if (entry3.start >= lineStart && entry3.start < offset && (owner === null || entry3.start > owner.start))
      owner = entry3;
  }
  if (owner !== null) {
    place2(owner.container, owner.index, { offset, comment: { kind: "comment", text: body } });
    return;
  }
  placeOwnLine(model, offset, column, { kind: "comment", text: body });
}
function placeComments(model, text3, comments) {
  for (const { offset, source } of comments) {
    const lineStart = text3.lastIndexOf("\n", offset - 1) + 1;
    const column = offset - lineStart;
    const before = text3.slice(lineStart, offset);
    const trimmed = source.replace(/\r$/, "");
    if (/^[ \t]*$/.test(before))
      placeOwnLine(model, offset, column, { kind: "comment", text: trimmed.slice(1) });
    else placeTrailing(model, text3, offset, column, trimmed);
  }
}
var TreeBuilder = class {
  nodes = 0;
  aliases = /* @__PURE__ */ new Map();
  model;
  lines;
  constructor(model, lines2) {
    this.model = model;
    this.lines = lines2;
  }
  count() {
    this.nodes++;
    if (this.nodes > MAX_YAML_NODES) {
      throw new SopsFormatError(
        `YAML expands to more than ${MAX_YAML_NODES} nodes (an alias bomb?); sops files never need that many`
      );
    }
  }
  comments(container, position) {
    const list = container?.comments.get(position) ?? [];
    return [...list].sort((a, b) => a.offset - b.offset).map((p) => p.comment);
  }
  value(node, depth) {
    this.count();
    if (depth > MAX_YAML_DEPTH)
      throw new SopsFormatError(`YAML nesting is deeper than ${MAX_YAML_DEPTH} levels`);
    if (node === null || node === void 0) return { kind: "null" };
    if ((0, import_yaml.isAlias)(node)) {
      let target = this.aliases.get(node);
      if (target === void 0) {
        target = node.resolve(this.model.doc);
        if (target !== void 0) this.aliases.set(node, target);
      }
      if (target === void 0) {
        throw syntaxError2(this.lines, node.range?.[0] ?? 0, `unknown anchor '${node.source}' referenced`);
      }
      return this.value(target, depth + 1);
    }
    if ((0, import_yaml.isScalar)(node)) return this.scalar(node);
    if ((0, import_yaml.isMap)(node)) return this.map(node, depth);
    if ((0, import_yaml.isSeq)(node)) return this.list(node, depth);
    return { kind: "null" };
  }
  scalar(node) {
    let text3 = typeof node.value === "string" ? node.value : "";
    const source = node.srcToken;
    if (typeof node.value !== "string" && source !== void 0) {
      const resolved = import_yaml.CST.resolveAsScalar(source);
      text3 = resolved?.value ?? text3;
    }
    const rawTag = node.tag;
    const tag = rawTag?.startsWith("tag:yaml.org,2002:") === true ? `!!${rawTag.slice(18)}` : rawTag;
    if (tag !== void 0 && tag !== "!") return resolveTaggedScalar(tag, text3);
    if (node.type === "PLAIN" || node.type === void 0) return resolvePlainScalar(text3);
    return { kind: "str", value: text3 };
  }
  key(node) {
    const value = node === null || node === void 0 ? { kind: "null" } : this.value(node, 0);
    if (value.kind === "str") return value.value;
    throw new SopsFormatError(`a mapping key is of type ${value.kind}, but sops only supports string keys`, {
      hint: "quote the key"
    });
  }
  map(node, depth) {
    const container = this.model.containers.get(node);
    const items = [];
    node.items.forEach((pair, i) => {
      items.push(...this.comments(container, i));
      items.push({ key: this.key(pair.key), value: this.value(pair.value, depth + 1) });
    });
    items.push(...this.comments(container, node.items.length));
    return { kind: "map", items };
  }
  list(node, depth) {
    const container = this.model.containers.get(node);
    const items = [];
    node.items.forEach((item, i) => {
      items.push(...this.comments(container, i));
      items.push(this.value(item, depth + 1));
    });
    items.push(...this.comments(container, node.items.length));
    return { kind: "list", items };
  }
  /** One document as a branch, as sops's `yamlDocumentNodeToTreeBranch` makes it. */
  branch() {
    const contents = this.model.doc.contents;
    const loose = [...this.model.loose].sort((a, b) => a.offset - b.offset).map((p) => p.comment);
    if (contents === null || contents === void 0) return { kind: "map", items: loose };
    if ((0, import_yaml.isMap)(contents)) {
      const map = this.map(contents, 0);
      return { kind: "map", items: [...loose, ...map.items] };
    }
    if ((0, import_yaml.isSeq)(contents)) throw new SopsFormatError("YAML documents that are sequences are not supported");
    if ((0, import_yaml.isScalar)(contents) && this.scalar(contents).kind === "null") return { kind: "map", items: loose };
    throw new SopsFormatError("YAML documents that are values are not supported");
  }
};
function checkUniqueKeys(node, lines2, depth = 0) {
  if (depth > MAX_YAML_DEPTH) return;
  if ((0, import_yaml.isMap)(node)) {
    const seen = /* @__PURE__ */ new Set();
    for (const pair of node.items) {
      const key = pair.key;
      if ((0, import_yaml.isScalar)(key) && typeof key.value === "string") {
        if (seen.has(key.value)) {
          throw syntaxError2(
            lines2,
            key.range?.[0] ?? 0,
            "a mapping key is already defined earlier in the same mapping"
          );
        }
        seen.add(key.value);
      }
      checkUniqueKeys(pair.value, lines2, depth + 1);
    }
  } else if ((0, import_yaml.isSeq)(node)) {
    for (const item of node.items) checkUniqueKeys(item, lines2, depth + 1);
  }
}
function parseBranches(text3) {
  const lines2 = new import_yaml.LineCounter();
  let docs;
  try {
    const parsed = (0, import_yaml.parseAllDocuments)(text3, {
      schema: "failsafe",
      keepSourceTokens: true,
      uniqueKeys: false,
      lineCounter: lines2,
      prettyErrors: false
    });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (cause) {
    if (cause instanceof RangeError) {
      throw new SopsFormatError(`YAML nesting is deeper than ${MAX_YAML_DEPTH} levels`, { cause });
    }
    throw cause;
  }
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== void 0) {
      if (error.code === "RESOURCE_EXHAUSTION") {
        throw syntaxError2(
          lines2,
          error.pos[0],
          `nesting or size beyond the parser's limits (more than ${MAX_YAML_DEPTH} levels deep?)`
        );
      }
      const what = error.code.toLowerCase().replaceAll("_", " ");
      throw syntaxError2(lines2, error.pos[0], what);
    }
  }
  if (docs.length === 0) {
    if (text3.length > 0)
      throw new SopsFormatError("the YAML file has no document (it is empty or only comments)");
    return [];
  }
  const comments = collectComments(text3);
  const first = docs[0];
  if (first !== void 0) checkUniqueKeys(first.contents, lines2);
  return docs.map((doc, index) => {
    const model = modelDocument(text3, doc);
    placeComments(
      model,
      text3,
      comments.filter((c) => c.docIndex === index).map((c) => c.token)
    );
    return new TreeBuilder(model, lines2).branch();
  });
}
function isSopsKey(item) {
  return !("kind" in item) && item.key === "sops";
}
var yamlStore = {
  format: "yaml",
  loadPlain(text3) {
    return parseBranches(text3);
  },
  loadEncrypted(text3) {
    const branches = parseBranches(text3);
    let metadata = null;
    const stripped = branches.map((branch, index) => {
      const items = [];
      for (const item of branch.items) {
        if (!isSopsKey(item)) {
          items.push(item);
          continue;
        }
        if (index === 0) {
          if (metadata !== null) throw new SopsFormatError("the file has more than one sops metadata entry");
          if (item.value.kind !== "map")
            throw new SopsFormatError("the sops metadata entry is not a mapping");
          metadata = item.value;
        }
      }
      return { kind: "map", items };
    });
    return { branches: stripped, metadata };
  },
  emitPlain(branches) {
    return emitYamlBranches(branches);
  }
};

// src/sops/formats.ts
var FORMATS = ["yaml", "json", "dotenv", "ini", "binary"];
function formatFromPath(path18) {
  if (path18.endsWith(".yaml") || path18.endsWith(".yml")) return "yaml";
  if (path18.endsWith(".json")) return "json";
  if (path18.endsWith(".env")) return "dotenv";
  if (path18.endsWith(".ini")) return "ini";
  return "binary";
}
function parseFormat(value, flag) {
  const normalized = value === "yml" ? "yaml" : value;
  if (FORMATS.includes(normalized)) return normalized;
  throw new UserError("USAGE", `${flag} "${value}" is not a sops format`, {
    hint: `use one of ${FORMATS.join(", ")}`
  });
}
function storeFor(format) {
  switch (format) {
    case "yaml":
      return yamlStore;
    case "json":
      return jsonStore;
    case "dotenv":
      return dotenvStore;
    case "ini":
      return iniStore;
    case "binary":
      return binaryStore;
  }
}

// src/sops/tree.ts
function isComment(value) {
  return "kind" in value && value.kind === "comment";
}

// src/sops/metadata.ts
var SELECTION_KINDS = [
  "unencrypted_suffix",
  "encrypted_suffix",
  "unencrypted_regex",
  "encrypted_regex",
  "unencrypted_comment_regex",
  "encrypted_comment_regex"
];
var STANZA_ORDER = ["kms", "gcp_kms", "hckms", "azure_kv", "hc_vault", "pgp", "age"];
function badMetadata(message) {
  return new UserError("BAD_METADATA", `sops metadata: ${message}`, {
    hint: "the sops block was edited or truncated; restore it from version control"
  });
}
function entries(map) {
  const out = /* @__PURE__ */ new Map();
  for (const item of map.items) {
    if (!isComment(item)) out.set(item.key, item.value);
  }
  return out;
}
function scalarText(value, field) {
  if (value === void 0) return void 0;
  switch (value.kind) {
    case "null":
      return void 0;
    case "str":
    case "time":
      return value.value;
    case "int":
      return value.raw ?? value.value.toString();
    case "float":
      return value.raw ?? String(value.value);
    case "bool":
      return value.value ? "true" : "false";
    default:
      throw badMetadata(`${field} should be a string`);
  }
}
function requiredText(fields, field, where) {
  const text3 = scalarText(fields.get(field), `${where}.${field}`);
  if (text3 === void 0 || text3 === "") throw badMetadata(`${where} has no ${field}`);
  return text3;
}
function optionalText(fields, field, where) {
  const text3 = scalarText(fields.get(field), `${where}.${field}`);
  return text3 === "" ? void 0 : text3;
}
function listOf(value, field) {
  if (value === void 0 || value.kind === "null") return [];
  if (value.kind === "str" && value.value === "") return [];
  if (value.kind !== "list") throw badMetadata(`${field} should be a list`);
  return value.items.filter((item) => !isComment(item));
}
function stanzaFields(value, where) {
  if (value.kind !== "map") throw badMetadata(`${where} should be a map`);
  return entries(value);
}
function withCreatedAt(key, fields, where) {
  const createdAt = optionalText(fields, "created_at", where);
  return createdAt === void 0 ? key : { ...key, createdAt };
}
function parseStanza(type, value, where) {
  const f = stanzaFields(value, where);
  const enc = requiredText(f, "enc", where);
  switch (type) {
    case "age":
      return { type, recipient: requiredText(f, "recipient", where), enc };
    case "pgp":
      return withCreatedAt({ type, fp: optionalText(f, "fp", where) ?? "", enc }, f, where);
    case "kms": {
      const context = {};
      const rawContext = f.get("context");
      if (rawContext !== void 0 && rawContext.kind !== "null") {
        for (const [k, v] of stanzaFields(rawContext, `${where}.context`)) {
          context[k] = scalarText(v, `${where}.context.${k}`) ?? "";
        }
      }
      const role = optionalText(f, "role", where);
      const awsProfile = optionalText(f, "aws_profile", where);
      return withCreatedAt(
        {
          type,
          arn: requiredText(f, "arn", where),
          context,
          enc,
          ...role === void 0 ? {} : { role },
          ...awsProfile === void 0 ? {} : { awsProfile }
        },
        f,
        where
      );
    }
    case "gcp_kms":
      return withCreatedAt({ type, resourceId: requiredText(f, "resource_id", where), enc }, f, where);
    case "azure_kv":
      return withCreatedAt(
        {
          type,
          vaultUrl: requiredText(f, "vault_url", where),
          name: requiredText(f, "name", where),
          version: optionalText(f, "version", where) ?? "",
          enc
        },
        f,
        where
      );
    case "hc_vault":
      return withCreatedAt(
        {
          type,
          vaultAddress: requiredText(f, "vault_address", where),
          enginePath: requiredText(f, "engine_path", where),
          keyName: requiredText(f, "key_name", where),
          enc
        },
        f,
        where
      );
    case "hckms":
      return withCreatedAt({ type, keyId: requiredText(f, "key_id", where), enc }, f, where);
  }
}
function parseGroup(fields, where) {
  const group = [];
  for (const type of STANZA_ORDER) {
    listOf(fields.get(type), `${where}.${type}`).forEach((stanza, i) => {
      group.push(parseStanza(type, stanza, `${where}.${type}[${i}]`));
    });
  }
  return group;
}
function parseBool(value, field) {
  if (value === void 0 || value.kind === "null") return false;
  if (value.kind === "bool") return value.value;
  const text3 = scalarText(value, field);
  if (text3 === void 0 || text3 === "") return false;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text3)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text3)) return false;
  throw badMetadata(`${field} should be true or false`);
}
function parseMetadata(raw) {
  const fields = entries(raw);
  const flat = parseGroup(fields, "sops");
  let keyGroups;
  if (flat.length > 0) {
    keyGroups = [flat];
  } else {
    keyGroups = listOf(fields.get("key_groups"), "sops.key_groups").map(
      (group, i) => parseGroup(stanzaFields(group, `sops.key_groups[${i}]`), `sops.key_groups[${i}]`)
    );
  }
  if (keyGroups.length === 0 || keyGroups.every((group) => group.length === 0)) {
    throw badMetadata("the file lists no master keys, so its data key cannot be recovered");
  }
  const thresholdText = scalarText(fields.get("shamir_threshold"), "sops.shamir_threshold");
  let shamirThreshold = keyGroups.length;
  if (thresholdText !== void 0 && thresholdText !== "" && thresholdText !== "0") {
    if (!/^\d+$/.test(thresholdText)) throw badMetadata("shamir_threshold should be a whole number");
    shamirThreshold = Number(thresholdText);
  }
  const selected = SELECTION_KINDS.flatMap((kind) => {
    const value = optionalText(fields, kind, "sops");
    return value === void 0 ? [] : [{ kind, value }];
  });
  if (selected.length > 1) {
    throw badMetadata(`cannot use more than one of ${selected.map((s) => s.kind).join(", ")}`);
  }
  const lastModified = scalarText(fields.get("lastmodified"), "sops.lastmodified");
  if (lastModified === void 0 || lastModified === "") throw badMetadata("lastmodified is missing");
  return {
    keyGroups,
    shamirThreshold,
    lastModified,
    mac: scalarText(fields.get("mac"), "sops.mac") ?? "",
    // sops applies this default when loading, so files that omit every option still work.
    selection: selected[0] ?? { kind: "unencrypted_suffix", value: "_unencrypted" },
    macOnlyEncrypted: parseBool(fields.get("mac_only_encrypted"), "sops.mac_only_encrypted"),
    version: scalarText(fields.get("version"), "sops.version") ?? ""
  };
}

// src/sops/decrypt.ts
async function decryptText(text3, format, options) {
  const loaded = storeFor(format).loadEncrypted(text3);
  if (loaded.metadata === null) {
    throw new UserError("NO_METADATA", "the file has no sops metadata, so it is not encrypted with sops", {
      hint: format === "binary" ? "files with an unknown extension are read as sops binary files; pass --input-type if this one is yaml, json, dotenv or ini" : "encrypt it with sops first, or check that --input-type matches the file"
    });
  }
  const metadata = parseMetadata(loaded.metadata);
  const dataKey = await recoverDataKey(metadata, options.keySources, {
    ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder }
  });
  const { branches, mac } = decryptBranches(loaded.branches, metadata, dataKey, options.mask);
  if (options.ignoreMac !== true) verifyMac(metadata, mac, dataKey);
  return { branches, metadata };
}

// src/kustomize/graph.ts
var import_yaml3 = __toESM(require_dist(), 1);
import { lstat, readFile, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
var KUSTOMIZATION_FILE_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];
function isRemote(entry3) {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry3) || entry3.startsWith("git@") || entry3.startsWith("git::") || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry3);
}
function isInline(entry3) {
  return entry3.includes("\n");
}
async function findRepositoryRoot(target) {
  let dir = path.resolve(target);
  for (; ; ) {
    try {
      await lstat(path.join(dir, ".git"));
      return dir;
    } catch {
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(target);
    dir = parent;
  }
}
function toRel(root, abs) {
  return path.relative(root, abs).split(path.sep).join("/") || ".";
}
function inside(root, abs) {
  const rel = path.relative(root, abs);
  return rel === "" || !rel.startsWith("..") && !path.isAbsolute(rel);
}
function stringList(value) {
  if (!Array.isArray(value)) return [];
  return value.filter((v) => typeof v === "string");
}
function record(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}
function records(value) {
  return Array.isArray(value) ? value.map(record) : [];
}
async function resolveEntry(state, dir, entry3, kustomizationRel) {
  const abs = path.resolve(dir, entry3.value);
  const where = `${kustomizationRel}: ${entry3.where} "${entry3.value}"`;
  if (!inside(state.root, abs)) {
    throw new UserError("PATH_ESCAPE", `${where} leaves the repository root ${state.root}`, {
      hint: "kustomize may only read files inside the repository; move the file in or build from a higher directory"
    });
  }
  let real;
  try {
    real = await realpath(abs);
  } catch (cause) {
    if (cause.code === "ENOENT") return void 0;
    throw new UserError("FILE_NOT_FOUND", `${where} cannot be read`, { cause });
  }
  if (!inside(state.realRoot, real)) {
    throw new UserError(
      "PATH_ESCAPE",
      `${where} is a symlink that leaves the repository root ${state.root}`,
      {
        hint: "replace the symlink with the file itself"
      }
    );
  }
  const info = await stat(real);
  return { abs, real, isDir: info.isDirectory() };
}
function addFile(state, abs, real, role, via) {
  const rel = toRel(state.root, abs);
  if (!state.files.has(rel)) state.files.set(rel, { rel, source: real, role, via });
}
async function findKustomizationFile(dir) {
  const found = [];
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    try {
      if ((await lstat(path.join(dir, name))).isFile() || (await stat(path.join(dir, name))).isFile()) {
        found.push(name);
      }
    } catch {
    }
  }
  if (found.length > 1) {
    throw new UserError("BAD_FORMAT", `${dir} holds more than one kustomization file (${found.join(", ")})`, {
      hint: "keep exactly one of kustomization.yaml, kustomization.yml or Kustomization"
    });
  }
  return found[0];
}
async function generateKustomization(dir) {
  const resources = [];
  const walk = async (current) => {
    const entries2 = (await readdir(current, { withFileTypes: true })).sort(
      (a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
    for (const entry3 of entries2) {
      if (entry3.name.startsWith(".")) continue;
      const abs = path.join(current, entry3.name);
      const rel = path.relative(dir, abs).split(path.sep).join("/");
      if (entry3.isDirectory()) {
        if (await findKustomizationFile(abs) !== void 0) resources.push(rel);
        else await walk(abs);
        continue;
      }
      if (!/\.(ya?ml|json)$/.test(entry3.name)) continue;
      const text3 = await readFile(abs, "utf8");
      const docs = (0, import_yaml3.parseAllDocuments)(text3);
      const list = Array.isArray(docs) ? docs : [docs];
      const isObject = list.some((doc) => {
        const value = record(doc.toJS());
        return typeof value["apiVersion"] === "string" && typeof value["kind"] === "string";
      });
      if (isObject) resources.push(rel);
    }
  };
  await walk(dir);
  return resources;
}
async function walkDirectory(state, dir, via, allowGenerate) {
  const real = await realpath(dir);
  if (state.visited.has(real)) return;
  state.visited.add(real);
  const dirRel = toRel(state.root, dir);
  const fileName = await findKustomizationFile(dir);
  if (fileName === void 0) {
    if (!allowGenerate) {
      throw new UserError("FILE_NOT_FOUND", `${via} is a directory with no kustomization file`, {
        hint: "add a kustomization.yaml there, or list its files instead of the directory"
      });
    }
    const resources = await generateKustomization(dir);
    const relFile = dirRel === "." ? "kustomization.yaml" : `${dirRel}/kustomization.yaml`;
    const content = [
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "resources:",
      ...resources.map((r) => `  - ${JSON.stringify(r)}`),
      ""
    ].join("\n");
    state.generated.set(
      relFile,
      resources.length === 0 ? content.replace("resources:\n", "resources: []\n") : content
    );
    for (const resource of resources) {
      const abs = path.join(dir, resource);
      const resolved = await resolveEntry(state, dir, { where: "resources", value: resource }, relFile);
      if (resolved === void 0) continue;
      if (resolved.isDir) await walkDirectory(state, abs, `${relFile}: resources "${resource}"`, false);
      else addFile(state, abs, resolved.real, { kind: "manifest" }, `${relFile}: resources`);
    }
    return;
  }
  const fileAbs = path.join(dir, fileName);
  const kustomizationRel = toRel(state.root, fileAbs);
  const fileReal = await realpath(fileAbs);
  if (!inside(state.realRoot, fileReal)) {
    throw new UserError(
      "PATH_ESCAPE",
      `${kustomizationRel} is a symlink that leaves the repository root ${state.root}`
    );
  }
  addFile(state, fileAbs, fileReal, { kind: "kustomization" }, via);
  let doc;
  try {
    doc = record((0, import_yaml3.parse)(await readFile(fileReal, "utf8")));
  } catch (cause) {
    throw new UserError("BAD_FORMAT", `${kustomizationRel} is not valid YAML`, { cause });
  }
  await walkKustomization(state, dir, kustomizationRel, doc);
}
async function visitPath(state, dir, kustomizationRel, entry3, role, options = {}) {
  const resolved = options.remoteOk === true && isRemote(entry3.value) && !entry3.value.startsWith("./") ? void 0 : await resolveEntry(state, dir, entry3, kustomizationRel);
  if (resolved === void 0) {
    if (options.remoteOk === true && isRemote(entry3.value)) {
      state.remote.push(entry3.value);
      return;
    }
    if (options.optional === true) return;
    throw new UserError(
      "FILE_NOT_FOUND",
      `${kustomizationRel}: ${entry3.where} "${entry3.value}" does not exist`
    );
  }
  if (resolved.isDir) {
    if (options.dirOk !== true) {
      throw new UserError(
        "BAD_FORMAT",
        `${kustomizationRel}: ${entry3.where} "${entry3.value}" is a directory, expected a file`
      );
    }
    await walkDirectory(state, resolved.abs, `${kustomizationRel}: ${entry3.where} "${entry3.value}"`, false);
    return;
  }
  addFile(state, resolved.abs, resolved.real, role, `${kustomizationRel}: ${entry3.where}`);
}
async function visitWholeDir(state, dir, kustomizationRel, entry3) {
  const resolved = await resolveEntry(state, dir, entry3, kustomizationRel);
  if (resolved === void 0 || !resolved.isDir) return;
  const walk = async (current) => {
    for (const child of await readdir(current, { withFileTypes: true })) {
      const abs = path.join(current, child.name);
      const sub = await resolveEntry(
        state,
        current,
        { where: entry3.where, value: child.name },
        kustomizationRel
      );
      if (sub === void 0) continue;
      if (sub.isDir) await walk(abs);
      else addFile(state, abs, sub.real, { kind: "config" }, `${kustomizationRel}: ${entry3.where}`);
    }
  };
  state.dirs.add(toRel(state.root, resolved.abs));
  await walk(resolved.abs);
}
function parseFileSource(source) {
  const eq = source.indexOf("=");
  if (eq < 0) return { key: path.posix.basename(source), file: source };
  return { key: source.slice(0, eq), file: source.slice(eq + 1) };
}
async function walkKustomization(state, dir, kustomizationRel, k) {
  const manifest = { kind: "manifest" };
  const config = { kind: "config" };
  const visit2 = (where, value, role, options) => visitPath(state, dir, kustomizationRel, { where, value }, role, options);
  for (const field of ["resources", "bases", "components"]) {
    for (const value of stringList(k[field])) {
      await visit2(field, value, manifest, { dirOk: true, remoteOk: true });
    }
  }
  for (const field of ["secretGenerator", "configMapGenerator"]) {
    for (const generator of records(k[field])) {
      for (const source of stringList(generator["files"])) {
        const { key, file } = parseFileSource(source);
        await visit2(`${field} files`, file, { kind: "generator-file", key });
      }
      for (const env of [...stringList(generator["envs"]), ...stringList([generator["env"]])]) {
        await visit2(`${field} envs`, env, { kind: "env" });
      }
    }
  }
  for (const patch of records(k["patches"])) {
    if (typeof patch["path"] === "string") await visit2("patches", patch["path"], manifest);
  }
  for (const value of stringList(k["patchesStrategicMerge"])) {
    if (!isInline(value)) await visit2("patchesStrategicMerge", value, manifest);
  }
  for (const patch of records(k["patchesJson6902"])) {
    if (typeof patch["path"] === "string") await visit2("patchesJson6902", patch["path"], manifest);
  }
  for (const value of stringList(k["crds"])) await visit2("crds", value, config);
  const openapi = record(k["openapi"]);
  if (typeof openapi["path"] === "string") await visit2("openapi.path", openapi["path"], config);
  for (const value of stringList(k["configurations"])) await visit2("configurations", value, config);
  for (const replacement of records(k["replacements"])) {
    if (typeof replacement["path"] === "string") await visit2("replacements", replacement["path"], config);
  }
  for (const field of ["transformers", "generators", "validators"]) {
    for (const value of stringList(k[field])) {
      if (!isInline(value)) await visit2(field, value, manifest, { dirOk: true, remoteOk: true });
    }
  }
  const helmGlobals = record(k["helmGlobals"]);
  const chartHome = typeof helmGlobals["chartHome"] === "string" ? helmGlobals["chartHome"] : "charts";
  if (typeof helmGlobals["configHome"] === "string") {
    await visitWholeDir(state, dir, kustomizationRel, {
      where: "helmGlobals.configHome",
      value: helmGlobals["configHome"]
    });
  }
  const charts = records(k["helmCharts"]);
  if (charts.length > 0) {
    await visitWholeDir(state, dir, kustomizationRel, { where: "helmGlobals.chartHome", value: chartHome });
  }
  for (const chart of charts) {
    if (typeof chart["valuesFile"] === "string") {
      await visit2("helmCharts valuesFile", chart["valuesFile"], config, { remoteOk: true });
    }
    for (const value of stringList(chart["additionalValuesFiles"])) {
      await visit2("helmCharts additionalValuesFiles", value, config, { remoteOk: true });
    }
  }
}
async function walkGraph(target, options = {}) {
  const absTarget = path.resolve(target);
  let info;
  try {
    info = await stat(absTarget);
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `build target ${target} does not exist`, { cause });
  }
  if (!info.isDirectory()) {
    throw new UserError("USAGE", `build target ${target} is not a directory`, {
      hint: "pass the directory that holds kustomization.yaml"
    });
  }
  const root = path.resolve(options.root ?? await findRepositoryRoot(absTarget));
  if (!inside(root, absTarget)) {
    throw new UserError("PATH_ESCAPE", `build target ${target} is outside the root ${root}`);
  }
  const state = {
    root,
    realRoot: await realpath(root),
    files: /* @__PURE__ */ new Map(),
    dirs: /* @__PURE__ */ new Set(),
    generated: /* @__PURE__ */ new Map(),
    remote: [],
    visited: /* @__PURE__ */ new Set()
  };
  const realTarget = await realpath(absTarget);
  if (!inside(state.realRoot, realTarget)) {
    throw new UserError("PATH_ESCAPE", `build target ${target} is a symlink that leaves the root ${root}`);
  }
  await walkDirectory(state, absTarget, `build target ${target}`, true);
  return {
    root,
    target: toRel(root, absTarget),
    files: state.files,
    dirs: state.dirs,
    generated: state.generated,
    remote: state.remote
  };
}
function formatForRole(file) {
  switch (file.role.kind) {
    case "kustomization":
      return void 0;
    case "manifest":
    case "config": {
      const format = formatFromPath(file.rel);
      return format === "yaml" || format === "json" ? format : void 0;
    }
    case "generator-file":
      return formatFromPath(file.role.key);
    case "env": {
      const format = formatFromPath(file.rel);
      return format === "binary" ? "dotenv" : format;
    }
  }
}

// src/kustomize/placeholder.ts
var UNDECRYPTED_TEXT = "(encrypted; not decrypted in this run)";
var UNDECRYPTED_DOCKER_JSON = `{${JSON.stringify(UNDECRYPTED_TEXT)}:{}}`;
var SENTINELS = /* @__PURE__ */ new Set([UNDECRYPTED_TEXT, UNDECRYPTED_DOCKER_JSON]);
var SENTINEL_FORMS = /* @__PURE__ */ new Set([
  ...SENTINELS,
  ...[...SENTINELS].map((s) => Buffer.from(s, "utf8").toString("base64"))
]);
function undecryptedValueFor(key) {
  return key === ".dockerconfigjson" || key === ".dockercfg" ? UNDECRYPTED_DOCKER_JSON : UNDECRYPTED_TEXT;
}
function isUndecryptedBytes(value) {
  return SENTINELS.has(Buffer.from(value).toString("utf8"));
}
function isUndecryptedString(value) {
  return SENTINEL_FORMS.has(value);
}
var UndecryptedFiles = class {
  #files = /* @__PURE__ */ new Map();
  add(file, reason) {
    if (!this.#files.has(file)) this.#files.set(file, reason);
  }
  get size() {
    return this.#files.size;
  }
  /** Sorted by file. */
  list() {
    return [...this.#files].map(([file, reason]) => ({ file, reason })).sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  }
};
function isNoKeyError(error) {
  return error instanceof UserError && error.code === "NO_MATCHING_KEY";
}
function noKeyReason(error) {
  return (errorMessage(error).split("\n")[0] ?? "").slice(0, 300);
}
function str(value) {
  return { kind: "str", value };
}
function topString(branch, key) {
  const item = branch.items.find((i) => "key" in i && i.key === key);
  return item !== void 0 && "key" in item && item.value.kind === "str" ? item.value.value : void 0;
}
function describePath2(path18) {
  return path18.length === 0 ? "(top level)" : path18.join(".");
}
function placeholderBranches(text3, format) {
  const loaded = storeFor(format).loadEncrypted(text3);
  if (loaded.metadata === null) {
    throw new UserError("NO_METADATA", "the file has no sops metadata, so it is not encrypted with sops");
  }
  const metadata = parseMetadata(loaded.metadata);
  const mac = loaded.metadata.items.find((i) => "key" in i && i.key === "mac");
  if (mac !== void 0 && "key" in mac && mac.value.kind === "str" && mac.value.value !== "") {
    parseEncryptedValue(mac.value.value);
  }
  return loaded.branches.map((branch) => {
    const secret = topString(branch, "kind") === "Secret";
    const [out] = mapLeaves([branch], (leaf, path18, comments) => {
      const isComment2 = leaf.kind === "comment";
      if (!shouldBeEncrypted(metadata.selection, path18, comments, isComment2)) return leaf;
      if (leaf.kind === "comment") {
        return isEncryptedValue(leaf.text) ? { kind: "comment", text: ` ${UNDECRYPTED_TEXT}` } : leaf;
      }
      if (leaf.kind !== "str") {
        throw new UserError(
          "BAD_ENC_VALUE",
          `value at ${describePath2(path18)} should be encrypted but is a cleartext ${leaf.kind}`,
          { hint: "the file was edited by hand after encryption; re-encrypt it with sops" }
        );
      }
      try {
        parseEncryptedValue(leaf.value);
      } catch (error) {
        throw error instanceof UserError ? new UserError(error.code, `value at ${describePath2(path18)}: ${error.message}`, {
          hint: error.hint
        }) : error;
      }
      const [field, key, ...deeper] = path18;
      if (secret && field === "data" && key !== void 0 && deeper.length === 0) {
        return str(Buffer.from(undecryptedValueFor(key), "utf8").toString("base64"));
      }
      return str(field === "stringData" && key !== void 0 ? undecryptedValueFor(key) : UNDECRYPTED_TEXT);
    });
    return out ?? branch;
  });
}
function checkPlaceholderIdentity(branches, where) {
  for (const branch of branches) {
    const metadata = branch.items.find((i) => "key" in i && i.key === "metadata");
    const name = metadata !== void 0 && "key" in metadata && metadata.value.kind === "map" ? topString(metadata.value, "name") : void 0;
    for (const value of [topString(branch, "apiVersion"), topString(branch, "kind"), name]) {
      if (value === UNDECRYPTED_TEXT) {
        throw new UserError(
          "NO_MATCHING_KEY",
          `${where}: no key could decrypt it, and its apiVersion, kind or metadata.name is encrypted too, so diff cannot show it undecrypted`,
          {
            hint: "give a key that opens it, or encrypt only data and stringData (encrypted_regex: ^(data|stringData)$ in .sops.yaml)"
          }
        );
      }
    }
  }
}

// src/kustomize/stage.ts
var DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
var MIN_MASK_LENGTH = 4;
var SOPS_MARKERS = {
  yaml: "mac: ENC[",
  json: '"mac": "ENC[',
  // A binary file is a JSON envelope at rest.
  binary: '"mac": "ENC[',
  dotenv: "sops_mac=ENC[",
  ini: "[sops]"
};
function detectSopsFormat(text3) {
  for (const format of ["json", "dotenv", "ini", "yaml"]) {
    if (text3.includes(SOPS_MARKERS[format])) return format;
  }
  return void 0;
}
var SecretRegistry = class {
  #values = /* @__PURE__ */ new Set();
  #mask;
  constructor(mask) {
    this.#mask = mask;
  }
  add(value, options = {}) {
    if (value.length < MIN_MASK_LENGTH || this.#values.has(value)) return;
    this.#values.add(value);
    this.#mask(value);
    const encoded = Buffer.from(value, "utf8").toString("base64");
    this.#values.add(encoded);
    this.#mask(encoded);
    if (options.lines === false) return;
    for (const line of value.split(/\r?\n/)) {
      if (line !== value && line.trim().length >= MIN_MASK_LENGTH) this.add(line);
    }
  }
  /** Every registered value and encoding, longest first. */
  values() {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }
  /** `text` with every known value replaced by `***`, for kustomize's stderr. */
  redact(text3) {
    let out = text3;
    for (const value of this.values()) out = out.split(value).join("***");
    return out;
  }
  /** Whether a scalar of the build output holds a decrypted value (substitution skips it). */
  touches(text3) {
    for (const value of this.#values) if (text3.includes(value)) return true;
    return false;
  }
};
function stanzaId(key) {
  return `${key.type}\0${key.enc}`;
}
function cacheKeySources(sources) {
  return sources.map((source) => {
    const cache2 = /* @__PURE__ */ new Map();
    return {
      name: source.name,
      locations: source.locations,
      decrypt(key) {
        const id = stanzaId(key);
        let result = cache2.get(id);
        if (result === void 0) {
          result = source.decrypt(key);
          result.catch(() => cache2.delete(id));
          cache2.set(id, result);
        }
        return result;
      }
    };
  });
}
async function mapLimit(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  let failure;
  const worker = async () => {
    while (next < items.length && failure === void 0) {
      const index = next++;
      try {
        results[index] = await work(items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== void 0) throw failure.error;
  return results;
}
function privateRootParent(env) {
  if (existsSync("/dev/shm")) return "/dev/shm";
  const runnerTemp = env["RUNNER_TEMP"];
  if (runnerTemp !== void 0 && runnerTemp !== "") return runnerTemp;
  return tmpdir();
}
function emitPlain(branches, format) {
  if (format === "binary") {
    const first = branches[0];
    const data = first?.items.find((item) => "key" in item && item.key === "data");
    if (data !== void 0 && "key" in data) {
      if (data.value.kind === "bytes") return data.value.value;
      if (data.value.kind === "str") return Buffer.from(data.value.value, "utf8");
    }
  }
  return Buffer.from(storeFor(format).emitPlain(branches), "utf8");
}
async function decryptDocument(text3, inputFormat, outputFormat, options) {
  const { branches } = await decryptText(text3, inputFormat, {
    keySources: options.keySources,
    mask: (value) => options.registry.add(value),
    ...options.ignoreMac === true ? { ignoreMac: true } : {},
    ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder }
  });
  const out = emitPlain(branches, outputFormat);
  if (options.wholeIsValue === true) {
    options.registry.add(Buffer.from(out).toString("utf8"), { lines: false });
  }
  return out;
}
function placeholderDocument(text3, inputFormat, outputFormat, options) {
  const branches = placeholderBranches(text3, inputFormat);
  if (options.wholeValueKey !== void 0)
    return Buffer.from(undecryptedValueFor(options.wholeValueKey), "utf8");
  if (options.manifest === true) checkPlaceholderIdentity(branches, options.where);
  if (outputFormat === "binary") return Buffer.from(UNDECRYPTED_TEXT, "utf8");
  return emitPlain(branches, outputFormat);
}
function sopsFormats(text3, wanted) {
  if (text3.includes(SOPS_MARKERS[wanted])) return { input: wanted, output: wanted };
  if (wanted === "binary") {
    const detected = detectSopsFormat(text3);
    if (detected !== void 0) return { input: detected, output: detected };
  }
  return void 0;
}
async function stageGraph(graph, options) {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const parent = options.parent ?? privateRootParent(process.env);
  const dir = await mkdtemp(path2.join(parent, "ksd-build-"));
  await chmod(dir, 448);
  const signals = options.signals === void 0 ? process : options.signals;
  let cleaned = false;
  const onSignal = (signal) => {
    rmSync(dir, { recursive: true, force: true });
    cleaned = true;
    unhook();
    if (signals === process && process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const unhook = () => {
    signals?.off("SIGINT", onSignal);
    signals?.off("SIGTERM", onSignal);
  };
  signals?.on("SIGINT", onSignal);
  signals?.on("SIGTERM", onSignal);
  const cleanup = async () => {
    unhook();
    if (cleaned) return;
    cleaned = true;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const decrypted = [];
    const files = [...graph.files.values()];
    const concurrency = options.concurrency ?? Math.max(2, availableParallelism() * 2);
    await mapLimit(files, concurrency, async (file) => {
      const dest = path2.join(dir, ...file.rel.split("/"));
      await mkdir(path2.dirname(dest), { recursive: true, mode: 448 });
      const data = await readFile2(file.source);
      const format = formatForRole(file);
      let out = data;
      if (format !== void 0) {
        const text3 = data.toString("utf8");
        const formats = sopsFormats(text3, format);
        if (formats !== void 0) {
          if (data.byteLength > maxFileSize) {
            throw new UserError(
              "TOO_LARGE",
              `${file.via} "${file.rel}": the encrypted file is ${data.byteLength} bytes; the limit is ${maxFileSize}`,
              {
                hint: "raise max-file-size if the file is really meant to be this large",
                location: { file: file.source }
              }
            );
          }
          try {
            out = await decryptDocument(text3, formats.input, formats.output, {
              ...options,
              wholeIsValue: file.role.kind === "generator-file"
            });
            decrypted.push(file.rel);
          } catch (error) {
            if (options.undecrypted === void 0 || !isNoKeyError(error)) {
              throw withContext(`${file.via}: decrypting ${file.rel}`, error, file.source);
            }
            try {
              out = placeholderDocument(text3, formats.input, formats.output, {
                where: `${file.via}: ${file.rel}`,
                manifest: file.role.kind === "manifest",
                ...file.role.kind === "generator-file" ? { wholeValueKey: file.role.key } : {}
              });
            } catch (placeholderError) {
              throw withContext(`${file.via}: decrypting ${file.rel}`, placeholderError, file.source);
            }
            options.undecrypted.add(file.rel, noKeyReason(error));
          }
        }
      }
      await writeFile(dest, out, { mode: 384 });
    });
    for (const [rel, content] of graph.generated) {
      const dest = path2.join(dir, ...rel.split("/"));
      await mkdir(path2.dirname(dest), { recursive: true, mode: 448 });
      await writeFile(dest, content, { mode: 384 });
    }
    for (const rel of graph.dirs)
      await mkdir(path2.join(dir, ...rel.split("/")), { recursive: true, mode: 448 });
    return {
      dir,
      target: path2.join(dir, ...graph.target.split("/")),
      decrypted: decrypted.sort(),
      cleanup
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

// src/kustomize/substitute.ts
var import_yaml4 = __toESM(require_dist(), 1);
var SUBSTITUTE_ANNOTATION = "kustomize.toolkit.fluxcd.io/substitute";
var VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
function closingBrace(text3, open2) {
  let depth = 0;
  for (let i = open2; i < text3.length; i++) {
    if (text3[i] === "{") depth++;
    else if (text3[i] === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
function evaluate(expression, options, where) {
  if (expression.startsWith("#")) {
    const name2 = expression.slice(1);
    if (VARIABLE_NAME.test(name2)) return String([...options.vars.get(name2) ?? ""].length);
  }
  const match = /^([_a-zA-Z][_a-zA-Z0-9]*)(.*)$/s.exec(expression);
  if (match === null) {
    throw new UserError("BAD_FORMAT", `${where}: "\${${expression}}" is not a variable reference`);
  }
  const name = match[1] ?? "";
  const rest = match[2] ?? "";
  const value = options.vars.get(name);
  const undefinedError = () => new UserError("USAGE", `${where}: variable ${name} is not set`, {
    hint: "pass it with --substitute NAME=VALUE or --substitute-from, give it a default (${NAME:=default}), or turn strict mode off"
  });
  const defaulted = (op, emptyCounts3) => {
    if (!rest.startsWith(op)) return void 0;
    const fallback = substituteText(rest.slice(op.length), options, where);
    if (value === void 0 || emptyCounts3 && value === "") return fallback;
    return value;
  };
  const result = defaulted(":=", true) ?? defaulted(":-", true) ?? defaulted(":?", true) ?? defaulted(":+", true) ?? defaulted("=", false) ?? defaulted("-", false);
  if (result !== void 0) return result;
  if (value === void 0 && options.strict) throw undefinedError();
  const v = value ?? "";
  switch (rest) {
    case "":
      return v;
    case "^":
      return v.slice(0, 1).toUpperCase() + v.slice(1);
    case "^^":
      return v.toUpperCase();
    case ",":
      return v.slice(0, 1).toLowerCase() + v.slice(1);
    case ",,":
      return v.toLowerCase();
  }
  const argument = (from) => substituteText(rest.slice(from), options, where);
  if (rest.startsWith(":")) return substring(v, argument(1));
  if (rest.startsWith("##")) return trimPrefix(v, argument(2), true);
  if (rest.startsWith("#")) return trimPrefix(v, argument(1), false);
  if (rest.startsWith("%%")) return trimSuffix(v, argument(2), true);
  if (rest.startsWith("%")) return trimSuffix(v, argument(1), false);
  if (rest.startsWith("/")) return replace(v, rest, options, where);
  throw new UserError("UNSUPPORTED", `${where}: the operator in "\${${expression}}" is not supported`, {
    hint: "use ${var}, ${var:=default}, ${#var}, ${var:pos:len}, # ## % %% for patterns, / // /# /% to replace, or ^ ^^ , ,,"
  });
}
function chars(text3) {
  return [...text3];
}
function substring(value, spec) {
  const parts = spec.split(":");
  const integer = /^[+-]?\d+$/;
  const [posText = "", lenText] = parts;
  if (!integer.test(posText)) return value;
  const list = chars(value);
  let pos = Number(posText);
  if (pos < 0) pos = Math.max(0, list.length + pos);
  if (lenText === void 0) return list.slice(pos).join("");
  if (!integer.test(lenText)) return value;
  const length = Number(lenText);
  if (pos + length >= list.length) return list.slice(pos).join("");
  return list.slice(pos, Math.max(pos, pos + length)).join("");
}
function patternRegExp(pattern) {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? "";
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "\\") {
      if (i + 1 >= pattern.length) return void 0;
      source += escapeRegExp(pattern[++i] ?? "");
    } else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) return void 0;
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      if (body === "") return void 0;
      source += `[${negate ? "^" : ""}${body.replace(/[\\\]^[]/g, "\\$&")}]`;
      i = close;
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^(?:${source})$`, "su");
}
function escapeRegExp(text3) {
  return text3.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
function trimPrefix(value, pattern, longest) {
  const list = chars(value);
  const re = patternRegExp(pattern);
  if (re === void 0) return value;
  let match = -1;
  for (let end = list.length; end >= 1; end--) {
    if (re.test(list.slice(0, end).join(""))) {
      match = end;
      if (longest) break;
    }
  }
  return match < 0 ? value : list.slice(match).join("");
}
function trimSuffix(value, pattern, longest) {
  const reverse = (text3) => chars(text3).reverse().join("");
  return reverse(trimPrefix(reverse(value), reverse(pattern), longest));
}
function replace(value, rest, options, where) {
  const mode = rest.startsWith("//") ? "all" : rest.startsWith("/#") ? "prefix" : rest.startsWith("/%") ? "suffix" : "first";
  const body = rest.slice(mode === "first" ? 1 : 2);
  const slash = body.indexOf("/");
  const old = substituteText(slash < 0 ? body : body.slice(0, slash), options, where);
  const raw = slash < 0 ? "" : body.slice(slash + 1);
  const replacement = raw === "" ? void 0 : substituteText(raw, options, where);
  switch (mode) {
    case "all":
      return old === "" ? value : value.split(old).join(replacement ?? "");
    case "first":
      return old === "" ? value : value.replace(old, () => replacement ?? "");
    case "prefix":
      return replacement !== void 0 && value.startsWith(old) ? replacement + value.slice(old.length) : value;
    case "suffix":
      return replacement !== void 0 && value.endsWith(old) ? value.slice(0, value.length - old.length) + replacement : value;
  }
}
function substituteText(text3, options, where) {
  if (!text3.includes("$")) return text3;
  let out = "";
  let i = 0;
  while (i < text3.length) {
    const dollar = text3.indexOf("$", i);
    if (dollar < 0) {
      out += text3.slice(i);
      break;
    }
    out += text3.slice(i, dollar);
    if (text3.startsWith("$${", dollar)) {
      const close = closingBrace(text3, dollar + 2);
      const end = close < 0 ? text3.length : close + 1;
      out += text3.slice(dollar + 1, end);
      i = end;
      continue;
    }
    if (text3[dollar + 1] === "{") {
      const close = closingBrace(text3, dollar + 1);
      if (close < 0) {
        out += text3.slice(dollar);
        break;
      }
      out += evaluate(text3.slice(dollar + 2, close), options, where);
      i = close + 1;
      continue;
    }
    out += "$";
    i = dollar + 1;
  }
  return out;
}
function isSubstitutionDisabled(object) {
  const metadata = object?.metadata;
  for (const map of [metadata?.labels, metadata?.annotations]) {
    const value = map?.[SUBSTITUTE_ANNOTATION];
    if (typeof value === "string" && value.toLowerCase() === "disabled") return true;
  }
  return false;
}
function describe(object) {
  const o = object;
  const kind = typeof o?.kind === "string" ? o.kind : "object";
  const name = typeof o?.metadata?.name === "string" ? o.metadata.name : "?";
  const ns = typeof o?.metadata?.namespace === "string" ? `${o.metadata.namespace}/` : "";
  return `${kind} ${ns}${name}`;
}
function substituteDocument(doc, options) {
  const object = doc.toJS();
  if (object === null || isSubstitutionDisabled(object)) return false;
  const where = `substituting ${describe(object)}`;
  let changed = false;
  (0, import_yaml4.visit)(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== "string" || !node.value.includes("$")) return;
      if (options.isSecret?.(node.value) === true) return;
      const next = substituteText(node.value, options, where);
      if (next === node.value) return;
      changed = true;
      if (node.type === "PLAIN" || node.type === void 0) {
        let resolved = next;
        try {
          resolved = (0, import_yaml4.parse)(next);
        } catch {
          resolved = next;
        }
        node.value = resolved !== null && typeof resolved === "object" ? next : resolved;
      } else {
        node.value = next;
      }
    }
  });
  return changed;
}
function parseVariables(entries2, source) {
  const vars = /* @__PURE__ */ new Map();
  for (const entry3 of entries2) {
    const eq = entry3.indexOf("=");
    const name = eq < 0 ? entry3 : entry3.slice(0, eq);
    if (eq < 0 || !VARIABLE_NAME.test(name)) {
      throw new UserError("USAGE", `${source}: "${name}" is not NAME=VALUE with a shell-style name`, {
        hint: "names are letters, digits and _, and do not start with a digit"
      });
    }
    vars.set(name, entry3.slice(eq + 1));
  }
  return vars;
}

// src/config/inputs.ts
function lines(value) {
  return value.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
}
function optional(value) {
  const trimmed = value.trim();
  return trimmed === "" ? void 0 : trimmed;
}
function parseBoolean(read, name) {
  const value = read(name).trim();
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new UserError("USAGE", `${name} is "${value}"; expected true or false`);
}

// src/config/keys.ts
var STATIC_CREDENTIALS_INPUT = "decryption-secret-credentials";
var REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
var ROLE_ARN_RE = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
function parseSessionDuration(value) {
  const text3 = value.trim();
  if (text3 === "") return void 0;
  const seconds = Number(text3);
  if (!/^\d+$/.test(text3) || seconds < 900 || seconds > 43200) {
    throw new UserError(
      "USAGE",
      `aws-session-duration is "${text3}"; expected whole seconds from 900 to 43200`
    );
  }
  return seconds;
}
var text = (record4, name) => typeof record4[name] === "string" && record4[name] !== "" ? record4[name] : void 0;
function parseStaticCredentials(value) {
  if (value.trim() === "") return {};
  let parsed;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = void 0;
  }
  const bad = () => new UserError("USAGE", "decryption-secret: the cloud credentials could not be read back; this is a bug");
  if (!isRecord(parsed)) throw bad();
  const out = {};
  const aws = parsed["aws"];
  if (aws !== void 0) {
    if (!isRecord(aws)) throw bad();
    const accessKeyId = text(aws, "accessKeyId");
    const secretAccessKey = text(aws, "secretAccessKey");
    const sessionToken = text(aws, "sessionToken");
    if (accessKeyId === void 0 || secretAccessKey === void 0) throw bad();
    out.aws = { accessKeyId, secretAccessKey, ...sessionToken === void 0 ? {} : { sessionToken } };
  }
  const azure = parsed["azure"];
  if (azure !== void 0) {
    if (!isRecord(azure)) throw bad();
    const clientId = text(azure, "clientId");
    const tenantId = text(azure, "tenantId");
    const authorityHost = text(azure, "authorityHost");
    const authority = authorityHost === void 0 ? {} : { authorityHost };
    const kind = azure["kind"];
    if (clientId === void 0) throw bad();
    if (kind === "managed-identity") out.azure = { kind, clientId };
    else if (kind === "client-secret") {
      const clientSecret = text(azure, "clientSecret");
      if (tenantId === void 0 || clientSecret === void 0) throw bad();
      out.azure = { kind, tenantId, clientId, clientSecret, ...authority };
    } else if (kind === "client-certificate") {
      const certificate = text(azure, "certificate");
      const certificatePassword = text(azure, "certificatePassword");
      if (tenantId === void 0 || certificate === void 0) throw bad();
      out.azure = {
        kind,
        tenantId,
        clientId,
        certificate,
        ...certificatePassword === void 0 ? {} : { certificatePassword },
        sendChain: azure["sendChain"] === true,
        ...authority
      };
    } else throw bad();
  }
  const gcp = parsed["gcp"];
  if (gcp !== void 0) {
    const json = isRecord(gcp) ? text(gcp, "json") : void 0;
    if (json === void 0) throw bad();
    out.gcp = { json };
  }
  return out;
}
var keyFlags = {
  "age-key-file": { type: "string", multiple: true },
  "pgp-key-file": { type: "string", multiple: true },
  "decryption-order": { type: "string" },
  "vault-allowed-addresses": { type: "string", multiple: true },
  "aws-allowed-accounts": { type: "string", multiple: true },
  "aws-allowed-keys": { type: "string", multiple: true },
  "aws-allowed-roles": { type: "string", multiple: true },
  "aws-role-arn": { type: "string" },
  "aws-region": { type: "string" },
  "aws-session-duration": { type: "string" },
  "gcp-workload-identity-provider": { type: "string" },
  "gcp-service-account": { type: "string" },
  "gcp-allowed-keys": { type: "string", multiple: true },
  "azure-client-id": { type: "string" },
  "azure-tenant-id": { type: "string" },
  "azure-allowed-vaults": { type: "string", multiple: true },
  "vault-role": { type: "string" },
  "vault-auth-path": { type: "string" },
  "vault-audience": { type: "string" },
  "vault-namespace": { type: "string" }
};
function parseKeys(read, env) {
  const ageKey = read("age-key");
  const pgpKey = read("pgp-key");
  const order = optional(read("decryption-order") || (env["SOPS_DECRYPTION_ORDER"] ?? ""));
  const awsRoleArn = optional(read("aws-role-arn"));
  if (awsRoleArn !== void 0 && !ROLE_ARN_RE.test(awsRoleArn)) {
    throw new UserError(
      "USAGE",
      `aws-role-arn is "${awsRoleArn}"; expected arn:aws:iam::<account>:role/<name>`
    );
  }
  const awsRegion = optional(read("aws-region"));
  if (awsRegion !== void 0 && !REGION_RE.test(awsRegion)) {
    throw new UserError("USAGE", `aws-region is "${awsRegion}"; expected a region such as us-east-1`);
  }
  const vaultAuthPath = optional(read("vault-auth-path")) ?? "jwt";
  return {
    ageKeyFiles: lines(read("age-key-file")),
    ageKeys: ageKey.trim() === "" ? [] : [ageKey],
    pgpKeyFiles: lines(read("pgp-key-file")),
    pgpKeys: pgpKey.trim() === "" ? [] : [pgpKey],
    pgpPassphrase: read("pgp-passphrase") === "" ? void 0 : read("pgp-passphrase"),
    decryptionOrder: order === void 0 ? void 0 : order.split(",").map((s) => s.trim()),
    vaultAllowedAddresses: lines(read("vault-allowed-addresses")),
    awsAllowedAccounts: lines(read("aws-allowed-accounts")),
    awsAllowedKeys: lines(read("aws-allowed-keys")),
    awsAllowedRoles: lines(read("aws-allowed-roles")),
    awsRoleArn,
    awsRegion,
    awsSessionDuration: parseSessionDuration(read("aws-session-duration")),
    gcpWorkloadIdentityProvider: optional(read("gcp-workload-identity-provider")),
    gcpServiceAccount: optional(read("gcp-service-account")),
    gcpAllowedKeys: lines(read("gcp-allowed-keys")),
    azureClientId: optional(read("azure-client-id")),
    azureTenantId: optional(read("azure-tenant-id")),
    azureAllowedVaults: lines(read("azure-allowed-vaults")),
    vaultRole: optional(read("vault-role")),
    // Mount paths have no leading or trailing slash in Vault's API paths.
    vaultAuthPath: vaultAuthPath.replace(/^\/+|\/+$/g, ""),
    vaultAudience: optional(read("vault-audience")),
    vaultNamespace: optional(read("vault-namespace")),
    vaultToken: optional(read("vault-token")),
    staticCredentials: parseStaticCredentials(read(STATIC_CREDENTIALS_INPUT)),
    env
  };
}

// src/config/build.ts
var buildFlags = {
  ...keyFlags,
  output: { type: "string" },
  "kustomize-path": { type: "string" },
  kustomize: { type: "string" },
  "enable-helm": { type: "boolean" },
  "load-restrictor": { type: "string" },
  "max-file-size": { type: "string" },
  substitute: { type: "string", multiple: true },
  "substitute-from": { type: "string", multiple: true },
  "substitute-strict": { type: "boolean" },
  root: { type: "string" }
};
var LOAD_RESTRICTORS = ["LoadRestrictionsRootOnly", "LoadRestrictionsNone"];
function parseBuildConfig(read, env, shell) {
  const paths = lines(read("path"));
  if (paths.length === 0)
    throw new UserError("USAGE", "build needs a PATH: the directory with kustomization.yaml");
  const maxText = optional(read("max-file-size"));
  const maxFileSize = maxText === void 0 ? DEFAULT_MAX_FILE_SIZE : Number(maxText);
  if (!Number.isSafeInteger(maxFileSize) || maxFileSize <= 0) {
    throw new UserError("USAGE", `max-file-size is "${maxText ?? ""}"; expected a positive number of bytes`);
  }
  const loadRestrictor = optional(read("load-restrictor"));
  if (loadRestrictor !== void 0 && !LOAD_RESTRICTORS.includes(loadRestrictor)) {
    throw new UserError(
      "USAGE",
      `load-restrictor is "${loadRestrictor}"; expected ${LOAD_RESTRICTORS.join(" or ")}`
    );
  }
  return {
    command: "build",
    paths,
    output: optional(read("output")),
    kustomizePath: optional(read("kustomize-path")) ?? optional(read("kustomize")),
    enableHelm: parseBoolean(read, "enable-helm"),
    loadRestrictor,
    maxFileSize,
    substitute: parseVariables(lines(read("substitute")), "substitute"),
    substituteFrom: lines(read("substitute-from")),
    substituteStrict: parseBoolean(read, "substitute-strict"),
    root: optional(read("root")),
    keys: parseKeys(read, env),
    env,
    stdoutIsLog: shell.stdoutIsLog
  };
}

// src/keys/key-sources.ts
import { homedir } from "node:os";

// src/keys/age.ts
import {
  createDecipheriv as createDecipheriv3,
  createHash as createHash2,
  createPrivateKey as createPrivateKey2,
  createPublicKey as createPublicKey2,
  constants,
  diffieHellman as diffieHellman2,
  hkdfSync as hkdfSync2,
  privateDecrypt
} from "node:crypto";
import { readFile as readFile3 } from "node:fs/promises";
import path3 from "node:path";

// src/keys/age-x25519.ts
import {
  createDecipheriv as createDecipheriv2,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  timingSafeEqual
} from "node:crypto";
var BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
var X25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
var X25519_SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");
var STANZA_LABEL = "age-encryption.org/v1/X25519";
function bech32Polymod(values) {
  const gen = [996825010, 642813549, 513874426, 1027748829, 705979059];
  let chk = 1;
  for (const v of values) {
    const top2 = chk >>> 25;
    chk = (chk & 33554431) << 5 ^ v;
    for (let i = 0; i < 5; i++) if ((top2 >>> i & 1) === 1) chk ^= gen[i] ?? 0;
  }
  return chk >>> 0;
}
function decodeBech32(text3) {
  const lower = text3.toLowerCase();
  if (lower !== text3 && text3.toUpperCase() !== text3) return null;
  const sep = lower.lastIndexOf("1");
  if (sep < 1 || sep + 7 > lower.length) return null;
  const hrp = lower.slice(0, sep);
  const words = [];
  for (const ch of lower.slice(sep + 1)) {
    const v = BECH32_CHARSET.indexOf(ch);
    if (v === -1) return null;
    words.push(v);
  }
  const codes = Array.from({ length: hrp.length }, (_, i) => hrp.charCodeAt(i));
  const expanded = [...codes.map((c) => c >> 5), 0, ...codes.map((c) => c & 31)];
  if (bech32Polymod([...expanded, ...words]) !== 1) return null;
  let acc = 0;
  let bits = 0;
  const out = [];
  for (const w of words.slice(0, -6)) {
    acc = acc << 5 | w;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push(acc >> bits & 255);
    }
  }
  if (bits >= 5 || (acc & (1 << bits) - 1) !== 0) return null;
  return { hrp, data: Uint8Array.from(out) };
}
var NativeX25519Identity = class _NativeX25519Identity {
  #privateKey;
  #publicKey;
  constructor(scalar) {
    this.#privateKey = createPrivateKey({
      key: Buffer.concat([X25519_PKCS8_PREFIX, scalar]),
      format: "der",
      type: "pkcs8"
    });
    const spki = createPublicKey(this.#privateKey).export({ format: "der", type: "spki" });
    this.#publicKey = spki.subarray(spki.length - 32);
  }
  /** Returns null for anything that is not a valid X25519 age identity. */
  static parse(identity) {
    if (!identity.startsWith("AGE-SECRET-KEY-1")) return null;
    const decoded = decodeBech32(identity);
    if (decoded?.hrp !== "age-secret-key-" || decoded.data.length !== 32) return null;
    return new _NativeX25519Identity(decoded.data);
  }
  unwrapFileKey(stanzas) {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== "X25519" || stanza.args.length !== 2 || stanza.body.length !== 32) continue;
      const share = Buffer.from(stanza.args[1] ?? "", "base64");
      if (share.length !== 32) continue;
      const shared = diffieHellman({
        privateKey: this.#privateKey,
        publicKey: createPublicKey({
          key: Buffer.concat([X25519_SPKI_PREFIX, share]),
          format: "der",
          type: "spki"
        })
      });
      if (shared.every((b) => b === 0)) continue;
      const wrapKey = Buffer.from(
        hkdfSync("sha256", shared, Buffer.concat([share, this.#publicKey]), STANZA_LABEL, 32)
      );
      try {
        const decipher = createDecipheriv2("chacha20-poly1305", wrapKey, Buffer.alloc(12), {
          authTagLength: 16
        });
        decipher.setAuthTag(stanza.body.subarray(16));
        return Buffer.concat([decipher.update(stanza.body.subarray(0, 16)), decipher.final()]);
      } catch {
      }
    }
    return null;
  }
};
var HEADER_INTRO = "age-encryption.org/v1\n";
var CHUNK = 64 * 1024;
function rawBase64(text3) {
  if (!/^[A-Za-z0-9+/]*$/.test(text3)) return null;
  return Buffer.from(text3, "base64");
}
function parseHeader(file) {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.subarray(0, HEADER_INTRO.length).toString("latin1") !== HEADER_INTRO) return null;
  const stanzas = [];
  let at2 = HEADER_INTRO.length;
  const readLine = () => {
    const end = buf.indexOf(10, at2);
    if (end === -1) return null;
    const line = buf.subarray(at2, end).toString("latin1");
    at2 = end + 1;
    return line;
  };
  for (; ; ) {
    const lineStart = at2;
    const line = readLine();
    if (line === null) return null;
    if (line.startsWith("--- ")) {
      const mac = rawBase64(line.slice(4));
      if (mac?.length !== 32) return null;
      return { stanzas, headerNoMac: buf.subarray(0, lineStart + 3), mac, payload: buf.subarray(at2) };
    }
    if (!line.startsWith("-> ")) return null;
    const args = line.slice(3).split(" ");
    const bodyParts = [];
    for (; ; ) {
      const bodyLine = readLine();
      if (bodyLine === null || bodyLine.length > 64) return null;
      const part = rawBase64(bodyLine);
      if (part === null) return null;
      bodyParts.push(part);
      if (bodyLine.length < 64) break;
    }
    stanzas.push({ args, body: Buffer.concat(bodyParts) });
  }
}
function hkdf32(ikm, salt, info) {
  return Buffer.from(hkdfSync("sha256", ikm, salt, info, 32));
}
function decryptAgeFileX25519(file, identities) {
  const header = parseHeader(file);
  if (header === null) return null;
  let fileKey = null;
  for (const identity of identities) {
    fileKey = identity.unwrapFileKey(header.stanzas);
    if (fileKey !== null) break;
  }
  if (fileKey === null) return null;
  const expected = createHmac("sha256", hkdf32(fileKey, new Uint8Array(0), "header")).update(header.headerNoMac).digest();
  if (!timingSafeEqual(expected, header.mac)) throw new Error("age header MAC does not verify");
  const { payload } = header;
  if (payload.length < 16) throw new Error("age payload is truncated");
  const key = hkdf32(fileKey, payload.subarray(0, 16), "payload");
  const body = payload.subarray(16);
  const chunks = [];
  const nonce = Buffer.alloc(12);
  for (let offset = 0, counter = 0; ; counter++) {
    const end = Math.min(offset + CHUNK + 16, body.length);
    const last = end === body.length;
    nonce.writeUIntBE(counter, 5, 6);
    nonce[11] = last ? 1 : 0;
    const chunk = body.subarray(offset, end);
    if (chunk.length < 16) throw new Error("age payload chunk is truncated");
    const decipher = createDecipheriv2("chacha20-poly1305", key, nonce, { authTagLength: 16 });
    decipher.setAuthTag(chunk.subarray(chunk.length - 16));
    chunks.push(Buffer.concat([decipher.update(chunk.subarray(0, chunk.length - 16)), decipher.final()]));
    if (last) break;
    offset = end;
  }
  return new Uint8Array(Buffer.concat(chunks));
}

// src/keys/age.ts
var AGE_KEY_ENV = "SOPS_AGE_KEY";
var AGE_KEY_FILE_ENV = "SOPS_AGE_KEY_FILE";
var AGE_KEY_CMD_ENV = "SOPS_AGE_KEY_CMD";
var AGE_SSH_FILE_ENV = "SOPS_AGE_SSH_PRIVATE_KEY_FILE";
var AGE_SSH_CMD_ENV = "SOPS_AGE_SSH_PRIVATE_KEY_CMD";
var AGE_RECIPIENT_ENV = "SOPS_AGE_RECIPIENT";
function maskText(mask, text3) {
  const trimmed = text3.trim();
  if (trimmed !== "") mask(trimmed);
  for (const line of text3.split(/\r?\n/)) {
    const value = line.trim();
    if (value.length >= 8 && !value.startsWith("-----")) mask(value);
  }
}
function parseAgeIdentities(text3, mask, options = {}) {
  const candidates = [];
  for (const [index, raw] of text3.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const words = options.multiplePerLine === true ? line.split(/\s+/) : [line];
    for (const value of words) {
      mask(value);
      candidates.push({ value, line: index + 1 });
    }
  }
  if (/^(age-encryption|-----BEGIN AGE)/.test(text3.trimStart())) {
    throw new UserError(
      "UNSUPPORTED",
      "passphrase-protected age identity files are not supported; decrypt it to a private file first"
    );
  }
  return candidates.map(({ value, line }) => {
    if (value.startsWith("AGE-PLUGIN-")) {
      throw new UserError("UNSUPPORTED", `line ${line}: age plugin identities are not supported`);
    }
    if (!value.startsWith("AGE-SECRET-KEY-1") && !value.startsWith("AGE-SECRET-KEY-PQ-1")) {
      throw new UserError("KEY_SOURCE", `line ${line}: unknown identity type`);
    }
    const decoded = decodeBech32(value);
    const hrp = value.startsWith("AGE-SECRET-KEY-PQ-1") ? "age-secret-key-pq-" : "age-secret-key-";
    if (decoded?.hrp !== hrp || decoded.data.length !== 32) {
      throw new UserError("KEY_SOURCE", `line ${line}: malformed age identity`);
    }
    return value;
  });
}
var ED25519_LABEL = "age-encryption.org/v1/ssh-ed25519";
var RSA_LABEL = "age-encryption.org/v1/ssh-rsa";
var X25519_PKCS8_PREFIX2 = Buffer.from("302e020100300506032b656e04220420", "hex");
var X25519_SPKI_PREFIX2 = Buffer.from("302a300506032b656e032100", "hex");
var WireReader = class {
  offset = 0;
  bytes;
  constructor(bytes) {
    this.bytes = bytes;
  }
  uint32() {
    if (this.offset + 4 > this.bytes.length) throw new Error("truncated ssh key");
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4);
    this.offset += 4;
    return view.getUint32(0);
  }
  string() {
    const length = this.uint32();
    if (this.offset + length > this.bytes.length) throw new Error("truncated ssh key");
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  text() {
    return Buffer.from(this.string()).toString("latin1");
  }
};
function wireString(bytes) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
function wireMpint(unsigned) {
  let start = 0;
  while (start < unsigned.length && unsigned[start] === 0) start++;
  const body = unsigned.subarray(start);
  const needsZero = body.length > 0 && ((body[0] ?? 0) & 128) !== 0;
  return wireString(needsZero ? Buffer.concat([Buffer.from([0]), body]) : body);
}
function stripLeadingZeros(bytes) {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}
function toBigInt(bytes) {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}
function fromBigInt(value) {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, "hex");
}
function sshFingerprint(publicBlob) {
  return createHash2("sha256").update(publicBlob).digest().subarray(0, 4).toString("base64").replace(/=+$/, "");
}
function decodeRawBase64(value) {
  if (!/^[A-Za-z0-9+/]*$/.test(value) || value.length % 4 === 1) return null;
  return Buffer.from(value, "base64");
}
function x25519Private(scalar) {
  return createPrivateKey2({
    key: Buffer.concat([X25519_PKCS8_PREFIX2, scalar]),
    format: "der",
    type: "pkcs8"
  });
}
function x25519Public(point) {
  return createPublicKey2({ key: Buffer.concat([X25519_SPKI_PREFIX2, point]), format: "der", type: "spki" });
}
function x25519(scalar, point) {
  return diffieHellman2({ privateKey: x25519Private(scalar), publicKey: x25519Public(point) });
}
function hkdf(ikm, salt, info) {
  return Buffer.from(hkdfSync2("sha256", ikm, salt, info, 32));
}
function openFileKey(key, body) {
  if (body.length < 16) return null;
  try {
    const decipher = createDecipheriv3("chacha20-poly1305", key, Buffer.alloc(12), { authTagLength: 16 });
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    return null;
  }
}
var SshEd25519Identity = class {
  fingerprint;
  secret;
  ourPublic;
  publicBlob;
  constructor(publicBlob, seed) {
    this.publicBlob = publicBlob;
    this.fingerprint = sshFingerprint(publicBlob);
    this.secret = createHash2("sha512").update(seed).digest().subarray(0, 32);
    const jwk = createPublicKey2(x25519Private(this.secret)).export({ format: "jwk" });
    this.ourPublic = Buffer.from(jwk.x ?? "", "base64url");
  }
  unwrapFileKey(stanzas) {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== "ssh-ed25519") continue;
      if (stanza.args.length !== 3) throw new Error("invalid ssh-ed25519 stanza");
      const ephemeral = decodeRawBase64(stanza.args[2] ?? "");
      if (ephemeral?.length !== 32) throw new Error("invalid ssh-ed25519 stanza");
      if (stanza.args[1] !== this.fingerprint) continue;
      let shared = x25519(this.secret, ephemeral);
      const tweak = hkdf(new Uint8Array(0), this.publicBlob, ED25519_LABEL);
      shared = x25519(tweak, shared);
      const wrappingKey = hkdf(shared, Buffer.concat([ephemeral, this.ourPublic]), ED25519_LABEL);
      const fileKey = openFileKey(wrappingKey, stanza.body);
      if (fileKey === null) throw new Error("ssh-ed25519: failed to decrypt file key");
      return fileKey;
    }
    return null;
  }
};
var SshRsaIdentity = class {
  fingerprint;
  privateKey;
  constructor(publicBlob, privateKey) {
    this.fingerprint = sshFingerprint(publicBlob);
    this.privateKey = privateKey;
  }
  unwrapFileKey(stanzas) {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== "ssh-rsa") continue;
      if (stanza.args.length !== 2) throw new Error("invalid ssh-rsa stanza");
      if (stanza.args[1] !== this.fingerprint) continue;
      try {
        return privateDecrypt(
          {
            key: this.privateKey,
            padding: constants.RSA_PKCS1_OAEP_PADDING,
            oaepHash: "sha256",
            oaepLabel: Buffer.from(RSA_LABEL)
          },
          stanza.body
        );
      } catch {
        throw new Error("ssh-rsa: failed to decrypt file key");
      }
    }
    return null;
  }
};
var LockedSshIdentity = class {
  fingerprint;
  type;
  location;
  constructor(type, publicBlob, location) {
    this.type = type;
    this.location = location;
    this.fingerprint = sshFingerprint(publicBlob);
  }
  unwrapFileKey(stanzas) {
    const mine = stanzas.some((s) => s.args[0] === this.type && s.args[1] === this.fingerprint);
    if (!mine) return null;
    throw new UserError(
      "UNSUPPORTED",
      `ssh key ${this.location} is passphrase-protected, which is not supported; use an unencrypted copy`
    );
  }
};
function parseOpenSshKey(pem) {
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(
    pem
  )?.[1];
  if (body === void 0) throw new Error("not an OpenSSH private key");
  const bytes = Buffer.from(body.replace(/\s+/g, ""), "base64");
  const magic = Buffer.from("openssh-key-v1\0", "latin1");
  if (!bytes.subarray(0, magic.length).equals(magic)) throw new Error("not an OpenSSH private key");
  const reader = new WireReader(bytes.subarray(magic.length));
  const cipher = reader.text();
  reader.string();
  reader.string();
  if (reader.uint32() !== 1) throw new Error("ssh key files with several keys are not supported");
  const publicBlob = reader.string();
  const type = new WireReader(publicBlob).text();
  if (cipher !== "none") return { kind: "locked", type, publicBlob };
  const secret = new WireReader(reader.string());
  if (secret.uint32() !== secret.uint32()) throw new Error("corrupt ssh private key");
  const keyType = secret.text();
  if (keyType !== type) throw new Error("corrupt ssh private key");
  if (type === "ssh-ed25519") {
    secret.string();
    const priv = secret.string();
    if (priv.length !== 64) throw new Error("corrupt ssh-ed25519 private key");
    return { kind: "ssh-ed25519", publicBlob, seed: priv.subarray(0, 32) };
  }
  if (type === "ssh-rsa") {
    const n = stripLeadingZeros(secret.string());
    const e = stripLeadingZeros(secret.string());
    const d = stripLeadingZeros(secret.string());
    const iqmp = stripLeadingZeros(secret.string());
    const p = stripLeadingZeros(secret.string());
    const q = stripLeadingZeros(secret.string());
    const dBig = toBigInt(d);
    const privateKey = createPrivateKey2({
      format: "jwk",
      key: {
        kty: "RSA",
        n: Buffer.from(n).toString("base64url"),
        e: Buffer.from(e).toString("base64url"),
        d: Buffer.from(d).toString("base64url"),
        p: Buffer.from(p).toString("base64url"),
        q: Buffer.from(q).toString("base64url"),
        dp: fromBigInt(dBig % (toBigInt(p) - 1n)).toString("base64url"),
        dq: fromBigInt(dBig % (toBigInt(q) - 1n)).toString("base64url"),
        qi: Buffer.from(iqmp).toString("base64url")
      }
    });
    return { kind: "ssh-rsa", publicBlob, privateKey };
  }
  throw new Error(`unsupported ssh key type ${type}`);
}
function parsePemKey(pem) {
  if (/Proc-Type:\s*4,ENCRYPTED|BEGIN ENCRYPTED PRIVATE KEY/.test(pem)) {
    throw new UserError("UNSUPPORTED", "passphrase-protected PEM keys are not supported");
  }
  const key = createPrivateKey2(pem);
  const jwk = key.export({ format: "jwk" });
  if (key.asymmetricKeyType === "ed25519") {
    const pub = Buffer.from(jwk.x ?? "", "base64url");
    const publicBlob = Buffer.concat([wireString(Buffer.from("ssh-ed25519")), wireString(pub)]);
    return { kind: "ssh-ed25519", publicBlob, seed: Buffer.from(jwk.d ?? "", "base64url") };
  }
  if (key.asymmetricKeyType === "rsa") {
    const publicBlob = Buffer.concat([
      wireString(Buffer.from("ssh-rsa")),
      wireMpint(Buffer.from(jwk.e ?? "", "base64url")),
      wireMpint(Buffer.from(jwk.n ?? "", "base64url"))
    ]);
    return { kind: "ssh-rsa", publicBlob, privateKey: key };
  }
  throw new Error(`unsupported ssh key type ${key.asymmetricKeyType ?? "unknown"}`);
}
function parseSshIdentity(text3, location, mask) {
  maskText(mask, text3);
  let key;
  try {
    key = text3.includes("BEGIN OPENSSH PRIVATE KEY") ? parseOpenSshKey(text3) : parsePemKey(text3);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError("KEY_SOURCE", `malformed ssh identity in ${location}`, { cause: error });
  }
  switch (key.kind) {
    case "ssh-ed25519":
      return new SshEd25519Identity(key.publicBlob, key.seed);
    case "ssh-rsa":
      return new SshRsaIdentity(key.publicBlob, key.privateKey);
    case "locked":
      return new LockedSshIdentity(key.type, key.publicBlob, location);
  }
}
function splitCommandLine(line) {
  const words = [];
  let word = "";
  let inWord = false;
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? "";
    if (quote === "'") {
      if (ch === "'") quote = null;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === "\\" && i + 1 < line.length) word += line[++i] ?? "";
      else word += ch;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (ch === "#" && !inWord) {
      break;
    } else {
      inWord = true;
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === "\\" && i + 1 < line.length) word += line[++i] ?? "";
      else word += ch;
    }
  }
  if (quote !== null) throw new UserError("KEY_SOURCE", "unterminated quote in command");
  if (inWord) words.push(word);
  return words;
}
function describeCount(count) {
  return count === 1 ? "1 identity" : `${count} identities`;
}
function isNotFound(error) {
  return error?.code === "ENOENT";
}
async function loadAgeKeySource(options) {
  const env = options.env ?? {};
  const { mask } = options;
  const identities = [];
  const locations = [];
  const commands2 = [];
  for (const file of options.keyFiles ?? []) {
    let text3;
    try {
      text3 = await readFile3(file, "utf8");
    } catch (error) {
      throw new UserError(
        isNotFound(error) ? "FILE_NOT_FOUND" : "KEY_SOURCE",
        `age key file ${file}: ${isNotFound(error) ? "not found" : "cannot be read"}`,
        { cause: error }
      );
    }
    try {
      const found = parseAgeIdentities(text3, mask);
      identities.push(...found);
      locations.push(`--age-key-file ${file}: ${describeCount(found.length)}`);
    } catch (error) {
      throw new UserError(
        error instanceof UserError ? error.code : "KEY_SOURCE",
        `age key file ${file}: ${errorMessage(error)}`,
        { cause: error }
      );
    }
  }
  const tryLoad = async (label, load) => {
    try {
      const found = await load();
      identities.push(...found);
      locations.push(`${label}: ${describeCount(found.length)}`);
    } catch (error) {
      locations.push(`${label}: ${isNotFound(error) ? "not found" : `error: ${errorMessage(error)}`}`);
    }
  };
  const ageKey = env[AGE_KEY_ENV];
  if (ageKey === void 0) locations.push(`${AGE_KEY_ENV}: not set`);
  else
    await tryLoad(
      AGE_KEY_ENV,
      () => Promise.resolve(parseAgeIdentities(ageKey, mask, { multiplePerLine: true }))
    );
  const ageKeyFile = env[AGE_KEY_FILE_ENV];
  if (ageKeyFile === void 0) locations.push(`${AGE_KEY_FILE_ENV}: not set`);
  else
    await tryLoad(
      `${AGE_KEY_FILE_ENV}=${ageKeyFile}`,
      async () => parseAgeIdentities(await readFile3(ageKeyFile, "utf8"), mask)
    );
  const ageKeyCmd = env[AGE_KEY_CMD_ENV];
  if (ageKeyCmd === void 0) locations.push(`${AGE_KEY_CMD_ENV}: not set`);
  else {
    try {
      const argv = splitCommandLine(ageKeyCmd);
      if (argv.length === 0) throw new UserError("KEY_SOURCE", "empty command");
      commands2.push({ envName: AGE_KEY_CMD_ENV, argv, parse: (out) => parseAgeIdentities(out, mask) });
      locations.push(`${AGE_KEY_CMD_ENV}: run for each age recipient`);
    } catch (error) {
      locations.push(`${AGE_KEY_CMD_ENV}: error: ${errorMessage(error)}`);
    }
  }
  const sshFile = env[AGE_SSH_FILE_ENV];
  if (sshFile === void 0) locations.push(`${AGE_SSH_FILE_ENV}: not set`);
  else
    await tryLoad(`${AGE_SSH_FILE_ENV}=${sshFile}`, async () => [
      parseSshIdentity(await readFile3(sshFile, "utf8"), sshFile, mask)
    ]);
  const sshCmd = env[AGE_SSH_CMD_ENV];
  if (sshCmd === void 0) locations.push(`${AGE_SSH_CMD_ENV}: not set`);
  else {
    try {
      const argv = splitCommandLine(sshCmd);
      if (argv.length === 0) throw new UserError("KEY_SOURCE", "empty command");
      commands2.push({
        envName: AGE_SSH_CMD_ENV,
        argv,
        parse: (out) => [parseSshIdentity(out, AGE_SSH_CMD_ENV, mask)]
      });
      locations.push(`${AGE_SSH_CMD_ENV}: run for each age recipient`);
    } catch (error) {
      locations.push(`${AGE_SSH_CMD_ENV}: error: ${errorMessage(error)}`);
    }
  }
  const xdg = env["XDG_CONFIG_HOME"];
  const configDir = xdg !== void 0 && xdg !== "" ? xdg : options.homeDir === void 0 ? void 0 : path3.join(options.homeDir, ".config");
  if (configDir !== void 0) {
    const defaultFile = path3.join(configDir, "sops", "age", "keys.txt");
    await tryLoad(defaultFile, async () => parseAgeIdentities(await readFile3(defaultFile, "utf8"), mask));
  }
  if (options.homeDir !== void 0) {
    for (const name of ["id_ed25519", "id_rsa"]) {
      const file = path3.join(options.homeDir, ".ssh", name);
      await tryLoad(file, async () => [parseSshIdentity(await readFile3(file, "utf8"), file, mask)]);
    }
  }
  return createAgeKeySource(identities, locations, commands2, { exec: options.exec, env, mask });
}
var nativeIdentities = /* @__PURE__ */ new Map();
function nativeIdentity(identity) {
  if (typeof identity !== "string") return identity;
  let native = nativeIdentities.get(identity);
  if (native === void 0) {
    const parsed = NativeX25519Identity.parse(identity);
    if (parsed === null) return identity;
    native = parsed;
    nativeIdentities.set(identity, native);
  }
  return native;
}
var ARMOR_HEADER = "-----BEGIN AGE ENCRYPTED FILE-----";
var ARMOR_FOOTER = "-----END AGE ENCRYPTED FILE-----";
function decodeArmor(text3) {
  const lines2 = text3.trim().replaceAll("\r\n", "\n").split("\n");
  if (lines2.shift() !== ARMOR_HEADER) throw new Error("invalid header");
  if (lines2.pop() !== ARMOR_FOOTER) throw new Error("invalid footer");
  const lastIndex = lines2.length - 1;
  const lengthOk = (line, i) => i === lastIndex ? line.length > 0 && line.length <= 64 && line.length % 4 === 0 : line.length === 64;
  if (lines2.length === 0 || !lines2.every(lengthOk)) throw new Error("invalid line length");
  const body = lines2.join("");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error("invalid base64");
  const bytes = Buffer.from(body, "base64");
  if (bytes.toString("base64") !== body) throw new Error("invalid base64");
  return bytes;
}
var NoMatchSentinel = class {
  reached = false;
  unwrapFileKey() {
    this.reached = true;
    return null;
  }
};
function createAgeKeySource(identities, locations, commands2, context) {
  const { exec, env, mask } = context;
  const perRecipient = /* @__PURE__ */ new Map();
  const runCommand = async (command, recipient) => {
    if (exec === void 0)
      throw new UserError("KEY_SOURCE", `${command.envName}: no process runner available`);
    const [program = "", ...args] = command.argv;
    let result;
    try {
      result = await exec.run(program, args, { env: { ...env, [AGE_RECIPIENT_ENV]: recipient } });
    } catch (error) {
      throw new UserError("KEY_SOURCE", `${command.envName}: cannot run ${program}`, { cause: error });
    }
    const output = Buffer.from(result.stdout).toString("utf8");
    maskText(mask, output);
    if (result.exitCode !== 0) {
      throw new UserError("KEY_SOURCE", `${command.envName}: ${program} exited with code ${result.exitCode}`);
    }
    return command.parse(output);
  };
  const commandIdentities = (recipient) => {
    let pending = perRecipient.get(recipient);
    if (pending === void 0) {
      pending = (async () => {
        const out = [];
        for (const command of commands2) {
          try {
            out.push(...await runCommand(command, recipient));
          } catch (error) {
            locations.push(`${command.envName} (recipient ${recipient}): error: ${errorMessage(error)}`);
          }
        }
        return out;
      })();
      perRecipient.set(recipient, pending);
    }
    return pending;
  };
  return {
    name: "age",
    locations,
    async decrypt(key) {
      if (key.type !== "age") return null;
      const all = [...identities, ...commands2.length === 0 ? [] : await commandIdentities(key.recipient)];
      if (all.length === 0) return null;
      let file;
      try {
        file = decodeArmor(key.enc);
      } catch (error) {
        throw new UserError("DECRYPT_FAILED", "age: enc is not an ASCII-armored age file", { cause: error });
      }
      const natives = all.map(nativeIdentity).filter((i) => i instanceof NativeX25519Identity);
      if (natives.length > 0) {
        try {
          const fast = decryptAgeFileX25519(file, natives);
          if (fast !== null) return fast;
        } catch (error) {
          throw new UserError("DECRYPT_FAILED", `age: ${errorMessage(error)}`, { cause: error });
        }
      }
      const { Decrypter } = await import("./age-library-ODOS6TO2.js");
      const decrypter = new Decrypter();
      for (const identity of all) decrypter.addIdentity(nativeIdentity(identity));
      const sentinel = new NoMatchSentinel();
      decrypter.addIdentity(sentinel);
      try {
        return await decrypter.decrypt(file);
      } catch (error) {
        if (sentinel.reached) return null;
        if (error instanceof UserError) throw error;
        throw new UserError("DECRYPT_FAILED", `age: ${errorMessage(error)}`, { cause: error });
      }
    }
  };
}

// src/keys/gpg.ts
import path4 from "node:path";
var GPG_DECRYPT_ARGS = ["--batch", "--no-tty", "-d"];
var NO_SECRET_KEY = /no secret key/i;
function gpgReason(stderr) {
  const lines2 = stderr.split("\n").map((l) => l.replace(/^gpg: /, "").trim()).filter((l) => l !== "");
  return (lines2.at(-1) ?? "no error output").slice(0, 200);
}
function createGpgKeySource(options) {
  const binary = options.env["SOPS_GPG_EXEC"] ?? "gpg";
  const program = binary === "" ? "gpg" : binary;
  const gnupgHome = options.env["GNUPGHOME"];
  const keyring = gnupgHome !== void 0 && gnupgHome !== "" ? `GNUPGHOME=${gnupgHome}` : options.homeDir === void 0 ? "the default GnuPG home" : path4.join(options.homeDir, ".gnupg");
  const locations = [`gpg binary "${program}" with keyring ${keyring}`];
  let missing = false;
  return {
    name: "pgp",
    locations,
    async decrypt(key) {
      if (key.type !== "pgp") return null;
      if (missing) throw new UserError("KEY_SOURCE", `gpg: "${program}" not found`);
      let result;
      try {
        result = await options.exec.run(program, GPG_DECRYPT_ARGS, {
          input: key.enc,
          env: options.env,
          ...options.timeoutMs === void 0 ? {} : { timeoutMs: options.timeoutMs }
        });
      } catch (error) {
        if (error.code === "ENOENT") {
          missing = true;
          locations.push(`gpg binary "${program}": not found (install GnuPG or set SOPS_GPG_EXEC)`);
          throw new UserError("KEY_SOURCE", `gpg: "${program}" not found`, {
            cause: error,
            hint: "install GnuPG, set SOPS_GPG_EXEC, or pass the key with --pgp-key-file"
          });
        }
        throw new UserError("KEY_SOURCE", `gpg: cannot run "${program}"`, { cause: error });
      }
      if (result.exitCode !== 0) {
        if (NO_SECRET_KEY.test(result.stderr)) return null;
        throw new UserError("DECRYPT_FAILED", `gpg: ${gpgReason(result.stderr)}`);
      }
      if (result.stdout.length === 0)
        throw new UserError("DECRYPT_FAILED", "gpg: decryption returned zero bytes");
      return result.stdout;
    }
  };
}

// src/keys/local-keys.ts
async function buildLocalKeySources(options) {
  if (options.pgpPassphrase !== void 0 && options.pgpPassphrase !== "")
    options.mask(options.pgpPassphrase);
  const pgpKeyFiles = options.pgpKeyFiles ?? [];
  const pgpKeys = options.pgpKeys ?? [];
  if (options.pgpPassphrase !== void 0 && pgpKeyFiles.length === 0 && pgpKeys.length === 0) {
    throw new UserError("USAGE", "a pgp passphrase was given without --pgp-key-file");
  }
  const age = await loadAgeKeySource({
    keyFiles: options.ageKeyFiles ?? [],
    env: options.env,
    exec: options.exec,
    mask: options.mask,
    ...options.homeDir === void 0 ? {} : { homeDir: options.homeDir }
  });
  const pgp = pgpKeyFiles.length > 0 || pgpKeys.length > 0 ? (
    // openpgp is large; loading it only when PGP keys are given keeps the age path fast.
    await (await import("./pgp-IVX5TYGK.js")).loadPgpKeySource({
      keyFiles: pgpKeyFiles,
      keyTexts: pgpKeys,
      mask: options.mask,
      ...options.pgpPassphrase === void 0 ? {} : { passphrase: options.pgpPassphrase }
    })
  ) : createGpgKeySource({
    exec: options.exec,
    env: options.env,
    ...options.homeDir === void 0 ? {} : { homeDir: options.homeDir }
  });
  return [age, pgp];
}

// src/keys/paced-fetch.ts
var AWS_THROTTLING = /"__type"\s*:\s*"[^"]*(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException)"|<Code>Throttling<\/Code>/;
async function isThrottled(response) {
  if (response.status === 429 || response.status === 503) return true;
  if (response.status !== 400) return false;
  const text3 = await response.clone().text();
  return AWS_THROTTLING.test(text3);
}
function createLimiter(limit) {
  let active = 0;
  const waiting = [];
  return async (task) => {
    if (active >= limit) await new Promise((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}
function createPacedFetch(fetchFn, options = {}) {
  const limit = createLimiter(Math.max(1, options.concurrency ?? 16));
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 200;
  const sleep2 = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  return (input, init) => limit(async () => {
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetchFn(input, init);
      if (attempt >= retries || !await isThrottled(response)) return response;
      await response.body?.cancel();
      await sleep2(Math.floor(random() * base * 2 ** attempt));
    }
  });
}

// src/keys/key-sources.ts
function cacheKeyOf(key) {
  return JSON.stringify(Object.entries(key).filter(([name]) => name !== "createdAt"));
}
function lazyKeySource(name, locations, load, dataKeys) {
  let loaded;
  let ready;
  return {
    name,
    get locations() {
      return ready?.locations ?? locations;
    },
    async decrypt(key) {
      if (key.type !== name) return null;
      const cacheKey = cacheKeyOf(key);
      let pending = dataKeys.get(cacheKey);
      if (pending === void 0) {
        pending = (async () => {
          loaded ??= load();
          ready = await loaded;
          return ready.decrypt(key);
        })();
        dataKeys.set(cacheKey, pending);
        pending.catch(() => dataKeys.delete(cacheKey));
      }
      const value = await pending;
      return value === null ? null : new Uint8Array(value);
    }
  };
}
function maskEnvironmentSecrets(config, mask) {
  for (const name of [
    "VAULT_TOKEN",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "GOOGLE_OAUTH_ACCESS_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PASSWORD",
    "IDENTITY_HEADER"
  ]) {
    const value = config.env[name]?.trim();
    if (value !== void 0 && value !== "") mask(value);
  }
  if (config.vaultToken !== void 0) mask(config.vaultToken);
  const { aws, azure, gcp } = config.staticCredentials;
  if (aws !== void 0) {
    mask(aws.secretAccessKey);
    if (aws.sessionToken !== void 0) mask(aws.sessionToken);
  }
  if (azure?.kind === "client-secret") mask(azure.clientSecret);
  if (azure?.kind === "client-certificate") {
    mask(azure.certificate);
    if (azure.certificatePassword !== void 0) mask(azure.certificatePassword);
  }
  if (gcp !== void 0) mask(gcp.json);
}
async function createKeySources(config, deps) {
  const mask = (value) => deps.host.setSecret(value);
  for (const key of config.ageKeys) mask(key);
  maskEnvironmentSecrets(config, mask);
  const env = config.ageKeys.length === 0 ? config.env : {
    ...config.env,
    SOPS_AGE_KEY: [config.env["SOPS_AGE_KEY"] ?? "", ...config.ageKeys].join("\n").trim()
  };
  const local = await buildLocalKeySources({
    ageKeyFiles: config.ageKeyFiles,
    pgpKeyFiles: config.pgpKeyFiles,
    pgpKeys: config.pgpKeys,
    ...config.pgpPassphrase === void 0 ? {} : { pgpPassphrase: config.pgpPassphrase },
    env,
    homeDir: config.env["HOME"] ?? homedir(),
    exec: deps.exec,
    mask
  });
  const awsPolicy = parseAwsPolicy({
    accounts: config.awsAllowedAccounts,
    keys: config.awsAllowedKeys,
    roles: config.awsAllowedRoles
  });
  const vaultPolicy = buildVaultPolicy({ allowedAddresses: config.vaultAllowedAddresses, env: config.env });
  const gcpAllowedKeys = parseGcpAllowedKeys(config.gcpAllowedKeys);
  const azureAllowedVaults = parseAzureAllowedVaults(config.azureAllowedVaults);
  const fetchFn = createPacedFetch(deps.fetch ?? fetch, {
    ...deps.concurrency === void 0 ? {} : { concurrency: deps.concurrency }
  });
  const idToken = createIdTokenProvider({ env: config.env, mask, fetch: fetchFn });
  const dataKeys = /* @__PURE__ */ new Map();
  const staticAws = config.staticCredentials.aws;
  const cloudEnv = config.vaultToken === void 0 ? config.env : { ...config.env, VAULT_TOKEN: config.vaultToken };
  return [
    ...local,
    lazyKeySource(
      "kms",
      [
        config.awsRoleArn !== void 0 ? `github oidc role ${config.awsRoleArn}` : staticAws !== void 0 ? "aws keys from decryption-secret (sops.aws-kms)" : "aws credentials from the environment, shared profiles, container or instance metadata"
      ],
      async () => {
        const { createAwsKmsKeySource } = await import("./aws-kms-MWQO3G72.js");
        if (config.awsRoleArn === void 0 && staticAws !== void 0) {
          const { accessKeyId, secretAccessKey, sessionToken } = staticAws;
          const credentials = {
            accessKeyId,
            secretAccessKey,
            ...sessionToken === void 0 ? {} : { sessionToken }
          };
          return createAwsKmsKeySource({
            env: config.env,
            policy: awsPolicy,
            mask,
            fetch: fetchFn,
            credentialsProvider: () => Promise.resolve({ credentials, from: "decryption-secret sops.aws-kms" }),
            credentialsProviderLocation: `decryption-secret sops.aws-kms (access key ${accessKeyId})`
          });
        }
        if (config.awsRoleArn === void 0) {
          return createAwsKmsKeySource({ env: config.env, policy: awsPolicy, mask, fetch: fetchFn });
        }
        const { createAwsWebIdentityCredentials } = await import("./aws-oidc-2OU5B5TZ.js");
        return createAwsKmsKeySource({
          env: config.env,
          policy: awsPolicy,
          mask,
          fetch: fetchFn,
          credentialsProvider: createAwsWebIdentityCredentials({
            roleArn: config.awsRoleArn,
            region: config.awsRegion,
            sessionDurationSeconds: config.awsSessionDuration,
            env: config.env,
            idToken,
            mask,
            fetch: fetchFn
          }),
          credentialsProviderLocation: `github oidc web identity: role ${config.awsRoleArn}${config.awsRegion === void 0 ? "" : ` in ${config.awsRegion}`}`
        });
      },
      dataKeys
    ),
    lazyKeySource(
      "hc_vault",
      [
        config.vaultRole === void 0 ? "vault token from the environment" : `github oidc jwt login with role ${config.vaultRole}`
      ],
      async () => {
        const { createVaultKeySource } = await import("./vault-6YMP7Y7B.js");
        return createVaultKeySource({
          env: cloudEnv,
          policy: vaultPolicy,
          mask,
          fetch: fetchFn,
          namespace: config.vaultNamespace,
          jwtLogin: config.vaultRole === void 0 ? void 0 : {
            role: config.vaultRole,
            authPath: config.vaultAuthPath,
            audience: config.vaultAudience,
            idToken
          }
        });
      },
      dataKeys
    ),
    lazyKeySource(
      "gcp_kms",
      [
        `gcp workload identity provider: ${config.gcpWorkloadIdentityProvider ?? "not set"}`,
        ...config.staticCredentials.gcp === void 0 ? [] : ["gcp credentials from decryption-secret (sops.gcp-kms)"]
      ],
      async () => {
        const { createGcpKmsKeySource } = await import("./gcp-kms-34OITUBD.js");
        return createGcpKmsKeySource({
          env: config.env,
          mask,
          workloadIdentityProvider: config.gcpWorkloadIdentityProvider,
          serviceAccount: config.gcpServiceAccount,
          allowedKeys: gcpAllowedKeys,
          staticCredentialsJson: config.staticCredentials.gcp?.json,
          idToken,
          fetch: fetchFn
        });
      },
      dataKeys
    ),
    lazyKeySource(
      "azure_kv",
      [
        `azure client ${config.azureClientId ?? "not set"}`,
        ...config.staticCredentials.azure === void 0 ? [] : ["azure credentials from decryption-secret (sops.azure-kv)"]
      ],
      async () => {
        const { createAzureKvKeySource } = await import("./azure-kv-HTYNWD5A.js");
        return createAzureKvKeySource({
          env: config.env,
          mask,
          clientId: config.azureClientId,
          tenantId: config.azureTenantId,
          allowedVaults: azureAllowedVaults,
          staticCredentials: config.staticCredentials.azure,
          idToken,
          fetch: fetchFn
        });
      },
      dataKeys
    )
  ];
}

// src/kustomize/build.ts
var import_yaml6 = __toESM(require_dist(), 1);
import { access, constants as constants2 } from "node:fs/promises";
import path5 from "node:path";

// src/kustomize/post-build.ts
var import_yaml5 = __toESM(require_dist(), 1);
var DECRYPT_ANNOTATION = "kustomize.toolkit.fluxcd.io/decrypt";
function isDecryptionDisabled(object) {
  const value = object.metadata?.annotations?.[DECRYPT_ANNOTATION];
  return typeof value === "string" && value.toLowerCase() === "disabled";
}
function describe2(object) {
  const kind = typeof object.kind === "string" ? object.kind : "object";
  const name = typeof object.metadata?.name === "string" ? object.metadata.name : "?";
  const ns = typeof object.metadata?.namespace === "string" ? `${object.metadata.namespace}/` : "";
  return `${kind} ${ns}${name}`;
}
function formatForDataKey(key) {
  if (key === ".dockerconfigjson" || key.endsWith(".dockerconfigjson")) return "json";
  return formatFromPath(key);
}
async function decryptAfterBuild(docs, options) {
  let changed = false;
  for (const [index, doc] of docs.entries()) {
    const object = doc.toJS();
    if (object === null || typeof object !== "object") continue;
    const name = describe2(object);
    const disabled = isDecryptionDisabled(object);
    if (!disabled && object.sops !== void 0) {
      options.log.warning(
        `${name} came out of kustomize still encrypted (a remote base?); decrypted after the build, without its MAC check`
      );
      try {
        const out = await decryptDocument(JSON.stringify(object), "json", "json", {
          keySources: options.keySources,
          registry: options.registry,
          ignoreMac: true,
          ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder }
        });
        docs[index] = new import_yaml5.Document(JSON.parse(Buffer.from(out).toString("utf8")));
        changed = true;
      } catch (error) {
        if (options.undecrypted === void 0 || !isNoKeyError(error)) {
          throw withContext(`decrypting ${name} after the build`, error);
        }
        let out;
        try {
          out = placeholderDocument(JSON.stringify(object), "json", "json", { where: name, manifest: true });
        } catch (placeholderError) {
          throw withContext(`decrypting ${name} after the build`, placeholderError);
        }
        docs[index] = new import_yaml5.Document(JSON.parse(Buffer.from(out).toString("utf8")));
        options.undecrypted.add(`${name} (still encrypted after the build)`, noKeyReason(error));
        changed = true;
      }
      continue;
    }
    if (!disabled && object.kind === "Secret" && typeof object.data === "object" && object.data !== null) {
      for (const [key, value] of Object.entries(object.data)) {
        if (typeof value !== "string") continue;
        const text3 = Buffer.from(value, "base64").toString("utf8");
        const input = detectSopsFormat(text3);
        if (input === void 0) continue;
        try {
          const out = await decryptDocument(text3, input, formatForDataKey(key), {
            keySources: options.keySources,
            registry: options.registry,
            wholeIsValue: true,
            ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder }
          });
          const encoded = Buffer.from(out).toString("base64");
          options.registry.add(encoded, { lines: false });
          doc.setIn(["data", key], encoded);
          changed = true;
        } catch (error) {
          if (options.undecrypted === void 0 || !isNoKeyError(error)) {
            throw withContext(`decrypting ${name} data key ${key}`, error);
          }
          try {
            placeholderDocument(text3, input, formatForDataKey(key), { where: name, wholeValueKey: key });
          } catch (placeholderError) {
            throw withContext(`decrypting ${name} data key ${key}`, placeholderError);
          }
          doc.setIn(["data", key], Buffer.from(undecryptedValueFor(key), "utf8").toString("base64"));
          options.undecrypted.add(`${name} data key ${key}`, noKeyReason(error));
          changed = true;
        }
      }
    }
    if (object.apiVersion === "v1" && object.kind === "Secret" && object.sops !== void 0) {
      throw new UserError("BAD_FORMAT", `${name} still carries sops metadata after the build`, {
        hint: `remove the ${DECRYPT_ANNOTATION}: disabled annotation, or do not ship this Secret encrypted`
      });
    }
  }
  return changed;
}

// src/kustomize/build.ts
async function isExecutable(file) {
  try {
    await access(file, constants2.X_OK);
    return true;
  } catch {
    return false;
  }
}
async function onPath(name, env) {
  for (const dir of (env["PATH"] ?? "").split(path5.delimiter)) {
    if (dir === "") continue;
    const candidate = path5.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return void 0;
}
async function versionOf(exec, command, args) {
  try {
    const result = await exec.run(command, args, { timeoutMs: 3e4 });
    const text3 = Buffer.from(result.stdout).toString("utf8");
    return /v?\d+\.\d+\.\d+[^\s"]*/.exec(text3)?.[0] ?? "unknown version";
  } catch {
    return "unknown version";
  }
}
async function resolveKustomize(explicit, deps) {
  if (explicit !== void 0) {
    if (!await isExecutable(explicit)) {
      throw new UserError("FILE_NOT_FOUND", `kustomize-path ${explicit} is not an executable file`);
    }
    const version = await versionOf(deps.exec, explicit, ["version"]);
    return { command: explicit, prefix: ["build"], description: `kustomize ${version} (${explicit})` };
  }
  const kustomize = await onPath("kustomize", deps.env);
  if (kustomize !== void 0) {
    const version = await versionOf(deps.exec, kustomize, ["version"]);
    return { command: kustomize, prefix: ["build"], description: `kustomize ${version} (${kustomize})` };
  }
  const kubectl = await onPath("kubectl", deps.env);
  if (kubectl !== void 0) {
    const version = await versionOf(deps.exec, kubectl, ["version", "--client"]);
    return {
      command: kubectl,
      prefix: ["kustomize"],
      description: `kubectl kustomize, kubectl ${version} (${kubectl})`
    };
  }
  throw new UserError("FILE_NOT_FOUND", "neither kustomize nor kubectl was found on PATH", {
    hint: "install kustomize, or pass --kustomize /path/to/kustomize (the kustomize-path input)"
  });
}
function kustomizeEnv(env) {
  const out = {};
  for (const [name, value] of Object.entries(env)) {
    if (/^(SOPS_|VAULT_TOKEN$|AWS_SECRET_ACCESS_KEY$|AWS_SESSION_TOKEN$|INPUT_)/.test(name)) continue;
    out[name] = value;
  }
  return out;
}
function renderDocuments(docs) {
  return docs.map((doc) => doc.toString({ lineWidth: 0 })).join("---\n");
}
async function buildTarget(options, deps) {
  const graph = await walkGraph(options.target, options.root === void 0 ? {} : { root: options.root });
  for (const remote of graph.remote)
    deps.host.info(`${options.target}: remote resource ${remote} is fetched by kustomize`);
  const staged = await stageGraph(graph, {
    keySources: deps.keySources,
    registry: deps.registry,
    ...options.maxFileSize === void 0 ? {} : { maxFileSize: options.maxFileSize },
    ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder },
    ...deps.stagingParent === void 0 ? {} : { parent: deps.stagingParent },
    ...deps.signals === void 0 ? {} : { signals: deps.signals },
    ...deps.undecrypted === void 0 ? {} : { undecrypted: deps.undecrypted }
  });
  let output;
  try {
    const args = [
      ...deps.tool.prefix,
      staged.target,
      ...options.enableHelm === true ? ["--enable-helm"] : [],
      ...options.loadRestrictor === void 0 ? [] : ["--load-restrictor", options.loadRestrictor]
    ];
    const result = await deps.exec.run(deps.tool.command, args, {
      cwd: staged.target,
      env: kustomizeEnv(deps.env)
    });
    if (result.exitCode !== 0) {
      const stderr = deps.registry.redact(result.stderr).split(staged.dir).join(graph.root).trim();
      const first = stderr.split("\n").find((line) => line.trim() !== "") ?? `exit code ${result.exitCode}`;
      throw new UserError("KUSTOMIZE_FAILED", `kustomize build ${options.target} failed: ${first}`, {
        report: stderr
      });
    }
    output = Buffer.from(result.stdout).toString("utf8");
  } finally {
    await staged.cleanup();
  }
  const docs = (0, import_yaml6.parseAllDocuments)(output).filter((doc) => doc.contents !== null);
  for (const doc of docs) {
    if (doc.errors.length > 0)
      throw new UserError(
        "KUSTOMIZE_FAILED",
        `kustomize printed YAML that does not parse for ${options.target}`
      );
  }
  let changed = await decryptAfterBuild(docs, {
    keySources: deps.keySources,
    registry: deps.registry,
    log: deps.host,
    ...deps.undecrypted === void 0 ? {} : { undecrypted: deps.undecrypted },
    ...options.decryptionOrder === void 0 ? {} : { decryptionOrder: options.decryptionOrder }
  });
  if (options.substitute !== void 0) {
    for (const doc of docs) {
      if (substituteDocument(doc, {
        vars: options.substitute.vars,
        strict: options.substitute.strict,
        isSecret: (text3) => deps.registry.touches(text3)
      })) {
        changed = true;
      }
    }
  }
  return {
    // Unchanged output is kept byte for byte as kustomize printed it.
    yaml: changed ? renderDocuments(docs) : output,
    objects: docs.map((doc) => doc.toJS()),
    tool: deps.tool.description,
    decrypted: staged.decrypted
  };
}

// src/kustomize/targets.ts
import { glob, readdir as readdir2, stat as stat2 } from "node:fs/promises";
import path6 from "node:path";
function isGlob(text3) {
  return /[*?[{]/.test(text3);
}
async function isBuildableDirectory(dir) {
  let entries2;
  try {
    if (!(await stat2(dir)).isDirectory()) return false;
    entries2 = await readdir2(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries2.some(
    (entry3) => KUSTOMIZATION_FILE_NAMES.includes(entry3.name) || !entry3.name.startsWith(".") && /\.(ya?ml|json)$/.test(entry3.name) && !entry3.isDirectory()
  );
}
async function expandTargets(patterns) {
  const seen = /* @__PURE__ */ new Set();
  const targets = [];
  for (const pattern of patterns) {
    if (!isGlob(pattern)) {
      if (!seen.has(path6.resolve(pattern))) targets.push(pattern);
      seen.add(path6.resolve(pattern));
      continue;
    }
    const matches = [];
    for await (const match of glob(pattern)) matches.push(match);
    const kept = [];
    for (const match of matches.sort()) {
      if (seen.has(path6.resolve(match)) || !await isBuildableDirectory(match)) continue;
      seen.add(path6.resolve(match));
      kept.push(match);
    }
    if (kept.length === 0 && !matches.some((m) => seen.has(path6.resolve(m)))) {
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

// src/private-file.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { open, rename, rm as rm2 } from "node:fs/promises";
import path7 from "node:path";
async function writePrivateFile(target, data) {
  const temp = path7.join(
    path7.dirname(target),
    `.${path7.basename(target)}.${randomBytes2(6).toString("hex")}.tmp`
  );
  try {
    const handle = await open(temp, "wx", 384);
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (cause) {
    await rm2(temp, { force: true });
    throw new UserError("FILE_NOT_FOUND", `cannot write ${target}`, { cause });
  }
}

// src/commands/build.ts
async function loadVariables(file, keySources, registry) {
  let text3;
  try {
    text3 = await readFile4(file, "utf8");
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `substitute-from ${file} cannot be read`, { cause });
  }
  const format = detectSopsFormat(text3);
  if (format !== void 0) {
    text3 = Buffer.from(await decryptDocument(text3, format, format, { keySources, registry })).toString(
      "utf8"
    );
  }
  if (/^\s*(apiVersion|kind)\s*:/m.test(text3)) {
    const vars = /* @__PURE__ */ new Map();
    for (const doc of (0, import_yaml7.parseAllDocuments)(text3)) {
      const object = doc.toJS();
      if (object === null) continue;
      const secret = object.kind === "Secret";
      if (!secret && object.kind !== "ConfigMap") {
        throw new UserError(
          "BAD_FORMAT",
          `substitute-from ${file} holds a ${String(object.kind)}; expected a ConfigMap or Secret`
        );
      }
      for (const [key, value] of Object.entries(object.data ?? {})) {
        const plain2 = secret ? Buffer.from(String(value), "base64").toString("utf8") : String(value);
        if (secret) registry.add(plain2);
        vars.set(key, plain2);
      }
      for (const [key, value] of Object.entries(object.stringData ?? {})) {
        if (secret) registry.add(String(value));
        vars.set(key, String(value));
      }
    }
    return vars;
  }
  const entries2 = text3.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
  return parseVariables(entries2, `substitute-from ${file}`);
}
async function renderManifests(config, deps, shared = {}) {
  const nameTarget = shared.nameTarget ?? ((target) => target);
  const registry = new SecretRegistry((value) => deps.host.setSecret(value));
  const keySources = shared.keySources ?? cacheKeySources(await createKeySources(config.keys, { host: deps.host, exec: deps.exec }));
  const tool = await resolveKustomize(config.kustomizePath, { exec: deps.exec, env: config.env });
  deps.host.info(`building with ${tool.description}`);
  let substitute;
  if (config.substitute.size > 0 || config.substituteFrom.length > 0 || config.substituteStrict) {
    const vars = /* @__PURE__ */ new Map();
    for (const file of config.substituteFrom) {
      for (const [k, v] of await loadVariables(file, keySources, registry)) vars.set(k, v);
    }
    for (const [k, v] of config.substitute) vars.set(k, v);
    substitute = { vars, strict: config.substituteStrict };
  }
  const targets = await expandTargets(config.paths);
  const results = await mapLimit(targets, availableParallelism2(), async (target) => {
    try {
      const result = await buildTarget(
        {
          target,
          maxFileSize: config.maxFileSize,
          enableHelm: config.enableHelm,
          ...config.root === void 0 ? {} : { root: config.root },
          ...config.loadRestrictor === void 0 ? {} : { loadRestrictor: config.loadRestrictor },
          ...config.keys.decryptionOrder === void 0 ? {} : { decryptionOrder: config.keys.decryptionOrder },
          ...substitute === void 0 ? {} : { substitute }
        },
        {
          host: deps.host,
          exec: deps.exec,
          keySources,
          registry,
          tool,
          env: config.env,
          ...shared.undecrypted === void 0 ? {} : { undecrypted: shared.undecrypted }
        }
      );
      deps.host.info(
        `${nameTarget(target)}: ${result.objects.length} objects, ${result.decrypted.length} SOPS files decrypted with MAC verified`
      );
      return result;
    } catch (error) {
      throw withContext(`building ${nameTarget(target)}`, error);
    }
  });
  return results.map((r) => r.yaml).filter((y) => y.trim() !== "").map((y) => y.endsWith("\n") ? y : `${y}
`).join("---\n");
}
async function runBuild(config, deps) {
  const yaml = await renderManifests(config, deps);
  let output = config.output;
  if (output === void 0 && config.stdoutIsLog) {
    output = path8.join(
      config.env["RUNNER_TEMP"] ?? tmpdir2(),
      `manifests-${randomBytes3(6).toString("hex")}.yaml`
    );
  }
  if (output === void 0) {
    deps.host.writeStdout(yaml);
    return;
  }
  await writePrivateFile(output, yaml);
  deps.host.setOutput("manifests-file", output);
}
var buildCommand = {
  name: "build",
  summary: "decrypt in a private root with every MAC verified, then kustomize build",
  usage: `build PATH... [--output FILE] [--kustomize PATH] [--enable-helm] [--load-restrictor R]
        [--substitute K=V]... [--substitute-from FILE]... [--substitute-strict] [--max-file-size BYTES]
        [--age-key-file FILE]... [--pgp-key-file FILE]... [--decryption-order age,pgp]`,
  flags: buildFlags,
  positionals: [{ name: "path", variadic: true }],
  parse: parseBuildConfig,
  async run(config, deps) {
    await deps.host.group("build", () => runBuild(config, deps));
    return 0;
  }
};

// src/config/kube.ts
var kubeFlags = {
  manifests: { type: "string" },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  "field-manager": { type: "string" },
  concurrency: { type: "string" },
  force: { type: "boolean" },
  prune: { type: "boolean" },
  applyset: { type: "string" },
  "applyset-namespace": { type: "string" }
};
var NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
function parseCount(read, name, fallback, max) {
  const raw = optional(read(name));
  if (raw === void 0) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UserError("USAGE", `${name} is "${raw}"; expected a whole number from 1 to ${max}`);
  }
  return value;
}
function parseDuration(read, name, fallbackMs) {
  const raw = optional(read(name));
  if (raw === void 0) return fallbackMs;
  if (/^\d+$/.test(raw)) return Number(raw) * 1e3;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(raw);
  if (match === null || raw === "")
    throw new UserError("USAGE", `${name} is "${raw}"; expected a duration like 90s, 5m or 1h`);
  const [, h, m, s] = match;
  return ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1e3;
}
function parseKubeInputs(read, env, command) {
  const manifests = optional(read("manifests"));
  const paths = lines(read("path"));
  if (manifests === void 0 && paths.length === 0) {
    throw new UserError("USAGE", `${command} needs a PATH to build, or --manifests FILE (rendered YAML)`);
  }
  if (manifests !== void 0 && paths.length > 0) {
    throw new UserError("USAGE", `${command} takes a PATH or --manifests, not both`);
  }
  const fieldManager = optional(read("field-manager")) ?? "kustomize-sops-deploy";
  if (fieldManager.length > 128) throw new UserError("USAGE", "field-manager is longer than 128 characters");
  const applysetName = optional(read("applyset"));
  const applysetNamespace = optional(read("applyset-namespace")) ?? "default";
  for (const [name, value] of [
    ["applyset", applysetName],
    ["applyset-namespace", applysetNamespace]
  ]) {
    if (value !== void 0 && !NAME.test(value))
      throw new UserError("USAGE", `${name} is "${value}"; expected a lowercase DNS name`);
  }
  const prune = parseBoolean(read, "prune");
  if (prune && applysetName === void 0) {
    throw new UserError("USAGE", "prune needs applyset: the name of the ApplySet parent Secret", {
      hint: "pass --applyset NAME [--applyset-namespace NS]"
    });
  }
  return {
    manifests,
    kubeconfig: optional(read("kubeconfig")),
    context: optional(read("context")),
    fieldManager,
    concurrency: parseCount(read, "concurrency", 8, 64),
    force: parseBoolean(read, "force"),
    prune,
    applySet: applysetName === void 0 ? void 0 : { name: applysetName, namespace: applysetNamespace },
    env
  };
}

// src/config/apply.ts
var applyFlags = {
  ...buildFlags,
  ...kubeFlags,
  wait: { type: "boolean" },
  timeout: { type: "string" }
};
function parseApplyConfig(read, env) {
  const kube = parseKubeInputs(read, env, "apply");
  return {
    command: "apply",
    kube,
    wait: parseBoolean(read, "wait"),
    timeoutMs: parseDuration(read, "timeout", 5 * 6e4),
    build: kube.manifests === void 0 ? parseBuildConfig(read, env, { stdoutIsLog: false }) : void 0
  };
}

// src/github/publish.ts
import { randomBytes as randomBytes4 } from "node:crypto";
import { tmpdir as tmpdir3 } from "node:os";
import path9 from "node:path";

// src/kube/diff.ts
var import_yaml8 = __toESM(require_dist(), 1);

// src/kube/applyset.ts
import { createHash as createHash3 } from "node:crypto";

// src/kube/client.ts
import http from "node:http";
import https from "node:https";
var KubeApiError = class extends UserError {
  status;
  /** metav1.Status reason, e.g. NotFound, Conflict, Invalid, AlreadyExists. */
  reason;
  /** The fields the server blamed (Status details causes), e.g. spec.selector. */
  fields;
  causes;
  constructor(status, reason, message, causes) {
    super("KUBE_API", message);
    this.status = status;
    this.reason = reason;
    this.causes = causes;
    this.fields = causes.flatMap((c) => c.field === void 0 || c.field === "" ? [] : [c.field]);
  }
};
var METADATA_ONLY = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json";
var DEFAULT_RETRY = { attempts: 6, baseDelayMs: 200, maxDelayMs: 5e3 };
var MAX_RETRY_AFTER_MS = 3e4;
var RETRIABLE_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "EAI_AGAIN"
]);
function loadKubeConfig(options, KubeConfigClass) {
  const config = new KubeConfigClass();
  try {
    if (options.kubeconfig !== void 0) config.loadFromFile(options.kubeconfig);
    else if (options.env["KUBECONFIG"] !== void 0 && options.env["KUBECONFIG"] !== "") {
      const files = options.env["KUBECONFIG"].split(process.platform === "win32" ? ";" : ":").filter(Boolean);
      const [first, ...rest] = files;
      if (first !== void 0) config.loadFromFile(first);
      for (const file of rest) {
        const more = new KubeConfigClass();
        more.loadFromFile(file);
        config.mergeConfig(more, true);
      }
    } else config.loadFromDefault();
  } catch (cause) {
    throw new UserError("USAGE", `cannot load the kubeconfig: ${cause.message}`, {
      cause,
      hint: "pass --kubeconfig FILE or set KUBECONFIG"
    });
  }
  if (options.context !== void 0) {
    if (config.getContextObject(options.context) === null) {
      throw new UserError("USAGE", `the kubeconfig has no context "${options.context}"`, {
        hint: `contexts: ${config.getContexts().map((c) => c.name).join(", ") || "(none)"}`
      });
    }
    config.setCurrentContext(options.context);
  }
  if (config.getCurrentCluster() === null) {
    throw new UserError("USAGE", "the kubeconfig has no current cluster", {
      hint: "pass --context NAME or set current-context in the kubeconfig"
    });
  }
  return config;
}
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
function retryAfterMs(value, now = Date.now()) {
  if (value === void 0 || value.trim() === "") return void 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.min(seconds * 1e3, MAX_RETRY_AFTER_MS));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return void 0;
  return Math.max(0, Math.min(date - now, MAX_RETRY_AFTER_MS));
}
function backoffMs(policy, attempt) {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return exp / 2 + Math.random() * (exp / 2);
}
function parseError(status, text3) {
  try {
    const body = JSON.parse(text3);
    if (body.kind === "Status") {
      return new KubeApiError(
        status,
        body.reason ?? "",
        body.message ?? `HTTP ${status}`,
        body.details?.causes ?? []
      );
    }
  } catch {
  }
  return new KubeApiError(status, "", `HTTP ${status}${text3 === "" ? "" : `: ${text3.slice(0, 200)}`}`, []);
}
async function createKubeClient(options) {
  const { KubeConfig: KubeConfigClass } = await import("./config-WIR7AUSO.js");
  const config = loadKubeConfig(options, KubeConfigClass);
  const cluster = config.getCurrentCluster();
  if (cluster === null) throw new UserError("USAGE", "the kubeconfig has no current cluster");
  const server = cluster.server.replace(/\/+$/, "");
  const base = new URL(server);
  const user = config.getCurrentUser();
  const dynamicAuth = user !== null && (user.exec !== void 0 || user.authProvider !== void 0);
  const tlsOptions = {};
  try {
    await config.applyToHTTPSOptions(tlsOptions);
  } catch (cause) {
    throw new UserError("USAGE", `cannot use the kubeconfig's credentials: ${cause.message}`, {
      cause
    });
  }
  const staticHeaders = { ...tlsOptions.headers };
  const isHttps = base.protocol === "https:";
  const agent = isHttps ? new https.Agent({
    keepAlive: true,
    maxSockets: options.maxSockets ?? 16,
    ...tlsOptions.ca === void 0 ? {} : { ca: tlsOptions.ca },
    ...tlsOptions.cert === void 0 ? {} : { cert: tlsOptions.cert },
    ...tlsOptions.key === void 0 ? {} : { key: tlsOptions.key },
    ...tlsOptions.rejectUnauthorized === void 0 ? {} : { rejectUnauthorized: tlsOptions.rejectUnauthorized },
    ...tlsOptions.servername === void 0 ? {} : { servername: tlsOptions.servername }
  }) : new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
  const retry = options.retry ?? DEFAULT_RETRY;
  async function authHeaders() {
    if (!dynamicAuth) return staticHeaders;
    const fresh = {};
    await config.applyToHTTPSOptions(fresh);
    return { ...fresh.headers };
  }
  function send(method, url, headers, payload) {
    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(
        url,
        {
          method,
          agent,
          headers: payload === void 0 ? headers : { ...headers, "content-length": Buffer.byteLength(payload) }
        },
        (res) => {
          const chunks = [];
          res.on("data", (chunk) => chunks.push(chunk));
          res.on("end", () => {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString("utf8")
            });
          });
          res.on("error", reject);
        }
      );
      req.setTimeout(
        6e4,
        () => req.destroy(Object.assign(new Error("request timed out"), { code: "ETIMEDOUT" }))
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
  async function request(method, path18, requestOptions = {}) {
    const url = new URL(base.pathname.replace(/\/$/, "") + path18, base);
    for (const [key, value] of Object.entries(requestOptions.query ?? {})) {
      if (value !== void 0) url.searchParams.set(key, value);
    }
    const payload = requestOptions.body === void 0 ? void 0 : JSON.stringify(requestOptions.body);
    let lastError;
    for (let attempt = 0; attempt < retry.attempts; attempt++) {
      const headers = {
        ...await authHeaders(),
        accept: requestOptions.accept ?? "application/json"
      };
      if (payload !== void 0) headers["content-type"] = requestOptions.contentType ?? "application/json";
      let response;
      try {
        response = await send(method, url, headers, payload);
      } catch (error2) {
        const code2 = error2.code ?? "";
        if (!RETRIABLE_CODES.has(code2) && error2.message !== "socket hang up") {
          throw new UserError(
            "KUBE_API",
            `cannot reach the Kubernetes API at ${server}: ${error2.message}`,
            { cause: error2 }
          );
        }
        lastError = error2;
        if (attempt + 1 < retry.attempts) await sleep(backoffMs(retry, attempt));
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        const type = response.headers["content-type"] ?? "application/json";
        return {
          status: response.status,
          body: response.text === "" || !type.startsWith("application/json") ? void 0 : JSON.parse(response.text)
        };
      }
      const error = parseError(response.status, response.text);
      if (response.status !== 429 && response.status < 500) throw error;
      lastError = error;
      if (attempt + 1 < retry.attempts) {
        const header = response.headers["retry-after"];
        await sleep(retryAfterMs(header) ?? backoffMs(retry, attempt));
      }
    }
    if (lastError instanceof KubeApiError) throw lastError;
    throw new UserError(
      "KUBE_API",
      `cannot reach the Kubernetes API at ${server} after ${retry.attempts} attempts: ${lastError.message}`,
      { cause: lastError }
    );
  }
  const groupVersions = /* @__PURE__ */ new Map();
  function discover(apiVersion) {
    let pending = groupVersions.get(apiVersion);
    if (pending === void 0) {
      const slash = apiVersion.indexOf("/");
      const group = slash < 0 ? "" : apiVersion.slice(0, slash);
      const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
      const path18 = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
      pending = request("GET", path18).then(
        ({ body }) => {
          const list = body;
          return (list.resources ?? []).filter((r) => !r.name.includes("/")).map((r) => ({ group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced }));
        },
        (error) => {
          if (error instanceof KubeApiError && error.status === 404) return void 0;
          groupVersions.delete(apiVersion);
          throw error;
        }
      );
      groupVersions.set(apiVersion, pending);
    }
    return pending;
  }
  const contextNamespace = config.getContextObject(config.getCurrentContext())?.namespace;
  return {
    server,
    namespace: contextNamespace === void 0 || contextNamespace === "" ? "default" : contextNamespace,
    request,
    async resourceFor(apiVersion, kind) {
      const resources = await discover(apiVersion);
      return resources?.find((r) => r.kind === kind);
    },
    resetDiscovery() {
      groupVersions.clear();
    },
    close() {
      agent.destroy();
    }
  };
}

// src/kube/normalize.ts
var SERVER_METADATA = [
  "managedFields",
  "resourceVersion",
  "uid",
  "generation",
  "creationTimestamp"
];
function metadataOf(object) {
  const metadata = object["metadata"];
  return isRecord(metadata) ? metadata : {};
}
function stringMap(object, field) {
  const value = metadataOf(object)[field];
  if (!isRecord(value)) return {};
  const out = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === "string") out[key] = v;
  return out;
}
function refOf(object) {
  const apiVersion = object["apiVersion"];
  const kind = object["kind"];
  const metadata = metadataOf(object);
  const name = metadata["name"];
  const namespace = metadata["namespace"];
  if (typeof apiVersion !== "string" || apiVersion === "" || typeof kind !== "string" || kind === "") {
    throw new UserError("BAD_FORMAT", "an object has no apiVersion or kind");
  }
  if (typeof name !== "string" || name === "") {
    throw new UserError("BAD_FORMAT", `a ${kind} has no metadata.name`);
  }
  return { apiVersion, kind, name, namespace: typeof namespace === "string" ? namespace : "" };
}
function groupOf(apiVersion) {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
function groupKindOf(ref) {
  const group = groupOf(ref.apiVersion);
  return group === "" ? ref.kind : `${ref.kind}.${group}`;
}
function describeRef(ref) {
  return ref.namespace === "" ? `${ref.kind}/${ref.name}` : `${ref.kind}/${ref.namespace}/${ref.name}`;
}
function identityKey(ref) {
  return `${groupOf(ref.apiVersion)}|${ref.kind}|${ref.namespace}|${ref.name}`;
}
function collectionPath(info, namespace) {
  const prefix = info.group === "" ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  return info.namespaced ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${info.resource}` : `${prefix}/${info.resource}`;
}
function objectPath(info, ref) {
  return `${collectionPath(info, ref.namespace)}/${encodeURIComponent(ref.name)}`;
}
function normalizeObject(object) {
  const copy = Object.fromEntries(
    Object.entries(structuredClone(object)).filter(([key]) => key !== "status")
  );
  const metadata = copy["metadata"];
  if (isRecord(metadata)) {
    const dropped = new Set(SERVER_METADATA);
    copy["metadata"] = Object.fromEntries(
      Object.entries(metadata).filter(
        ([key, value]) => !dropped.has(key) && !((key === "labels" || key === "annotations") && isRecord(value) && Object.keys(value).length === 0)
      )
    );
  }
  return copy;
}
function deepEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}
function stageOf(ref) {
  if (ref.kind === "CustomResourceDefinition" || ref.kind === "Namespace" || ref.kind === "ClusterRole")
    return 1;
  if (ref.kind.endsWith("Class")) return 2;
  return 3;
}
function toApplyForm(object) {
  if (object["kind"] !== "Secret" || !isRecord(object["stringData"])) return object;
  const { stringData, ...rest } = object;
  const data = isRecord(rest["data"]) ? { ...rest["data"] } : {};
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = Buffer.from(typeof value === "string" ? value : String(value), "utf8").toString("base64");
  }
  return { ...rest, data };
}

// src/kube/managed-fields.ts
function managedFieldsOf(object) {
  const entries2 = metadataOf(object)["managedFields"];
  return Array.isArray(entries2) ? entries2 : [];
}
function parseJson(text3) {
  try {
    return { ok: true, value: JSON.parse(text3) };
  } catch {
    return { ok: false };
  }
}
function matchesKey(item, key) {
  if (!isRecord(item) || !isRecord(key)) return false;
  return Object.entries(key).every(([field, value]) => deepEqual(item[field], value));
}
function liveIndexOf(member, live) {
  const parsed = parseJson(member.slice(2));
  if (!parsed.ok || !isRecord(parsed.value) || Object.keys(parsed.value).length === 0) return -1;
  const key = parsed.value;
  const found = live.flatMap((item, i) => matchesKey(item, key) ? [i] : []);
  return found.length === 1 ? found[0] ?? -1 : -1;
}
function isLeaf(set) {
  return Object.keys(set).length === 0;
}
function bodyMatchesLive(body, live, owned) {
  if (isRecord(body)) {
    if (!isRecord(live)) return false;
    if (isLeaf(owned)) return deepEqual(body, live);
    for (const [key, value] of Object.entries(body)) {
      const child = owned[`f:${key}`];
      if (!isRecord(child) || !bodyMatchesLive(value, live[key], child)) return false;
    }
    return true;
  }
  if (Array.isArray(body)) {
    if (!Array.isArray(live) || live.length !== body.length) return false;
    const members = Object.keys(owned);
    if (members.length === 0) return deepEqual(body, live);
    const kinds = new Set(members.map((m) => m.slice(0, 2)));
    if (kinds.size !== 1) return false;
    const kind = [...kinds][0];
    if (kind === "k:") {
      const byLiveIndex = /* @__PURE__ */ new Map();
      for (const member of members) {
        const index = liveIndexOf(member, live);
        const child = owned[member];
        if (index < 0 || !isRecord(child) || byLiveIndex.has(index)) return false;
        byLiveIndex.set(index, child);
      }
      return body.every((item, i) => {
        const child = byLiveIndex.get(i);
        return child !== void 0 && isRecord(item) && bodyMatchesLive(item, live[i], child);
      });
    }
    if (kind === "v:") {
      const values = members.map((m) => parseJson(m.slice(2)));
      return body.every(
        (item, i) => (item === null || typeof item !== "object") && deepEqual(item, live[i]) && values.some((v) => v.ok && deepEqual(v.value, item))
      );
    }
    if (kind === "i:") {
      return body.every((item, i) => {
        const child = owned[`i:${i}`];
        return isRecord(child) && bodyMatchesLive(item, live[i], child);
      });
    }
    return false;
  }
  if (body === null || body === void 0) return false;
  return body === live;
}
function ownedStillSet(owned, body, live) {
  for (const [member, child] of Object.entries(owned)) {
    if (!isRecord(child)) return false;
    if (member === ".") continue;
    const prefix = member.slice(0, 2);
    const rest = member.slice(2);
    let nextBody;
    let nextLive;
    if (prefix === "f:") {
      if (!isRecord(body) || !Object.hasOwn(body, rest)) return false;
      nextBody = body[rest];
      nextLive = isRecord(live) ? live[rest] : void 0;
    } else if (prefix === "k:") {
      if (!Array.isArray(body) || !Array.isArray(live)) return false;
      const index = liveIndexOf(member, live);
      if (index < 0 || index >= body.length) return false;
      nextBody = body[index];
      nextLive = live[index];
      const key = parseJson(rest);
      if (!key.ok || !isRecord(key.value) || !isRecord(nextBody)) return false;
      for (const [field, value] of Object.entries(key.value)) {
        if (Object.hasOwn(nextBody, field) && !deepEqual(nextBody[field], value)) return false;
      }
    } else if (prefix === "v:") {
      const value = parseJson(rest);
      if (!value.ok || !Array.isArray(body) || !body.some((item) => deepEqual(item, value.value)))
        return false;
      continue;
    } else if (prefix === "i:") {
      const index = Number(rest);
      if (!Array.isArray(body) || !Number.isInteger(index) || index < 0 || index >= body.length) return false;
      nextBody = body[index];
      nextLive = Array.isArray(live) ? live[index] : void 0;
    } else {
      return false;
    }
    if (!isLeaf(child) && !ownedStillSet(child, nextBody, nextLive)) return false;
  }
  return true;
}
function applyEntryOf(live, fieldManager) {
  const ours = managedFieldsOf(live).filter(
    (e) => e.manager === fieldManager && e.operation === "Apply" && (e.subresource ?? "") === ""
  );
  return ours.length === 1 ? ours[0] : void 0;
}
function comparableBody(body) {
  const metadata = metadataOf(body);
  const rest = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key === "name" || key === "namespace") continue;
    if (key === "creationTimestamp" && value === null) continue;
    rest[key] = value;
  }
  const out = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "apiVersion" || key === "kind") continue;
    if (key === "metadata") {
      if (Object.keys(rest).length > 0) out[key] = rest;
    } else out[key] = value;
  }
  return out;
}
function provablyUnchanged(body, live, fieldManager) {
  if (body["apiVersion"] !== live["apiVersion"] || body["kind"] !== live["kind"]) return false;
  const bodyMeta = metadataOf(body);
  const liveMeta = metadataOf(live);
  if (bodyMeta["name"] !== liveMeta["name"]) return false;
  if (bodyMeta["namespace"] !== void 0 && bodyMeta["namespace"] !== liveMeta["namespace"]) return false;
  if (liveMeta["deletionTimestamp"] !== void 0) return false;
  const entry3 = applyEntryOf(live, fieldManager);
  if (entry3 === void 0 || entry3.apiVersion !== body["apiVersion"]) return false;
  if (entry3.fieldsType !== "FieldsV1" || !isRecord(entry3.fieldsV1)) return false;
  const comparable2 = comparableBody(body);
  return bodyMatchesLive(comparable2, live, entry3.fieldsV1) && ownedStillSet(entry3.fieldsV1, comparable2, live);
}

// src/kube/ssa.ts
var FIELD_MANAGER = "kustomize-sops-deploy";
var SSA_ANNOTATION = "kustomize.toolkit.fluxcd.io/ssa";
var RECONCILE_ANNOTATION = "kustomize.toolkit.fluxcd.io/reconcile";
var PRUNE_ANNOTATION = "kustomize.toolkit.fluxcd.io/prune";
var CLIENT_SIDE_MANAGERS = [
  "kubectl-client-side-apply",
  "before-first-apply",
  "kubectl-create",
  "kubectl"
];
async function getLive(client, info, ref) {
  try {
    const { body } = await client.request("GET", objectPath(info, ref));
    return body;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return void 0;
    throw error;
  }
}
var LIST_THRESHOLD = 8;
var LIST_PAGE = "500";
function listKey(apiVersion, kind, namespace) {
  return `${apiVersion} ${kind} ${namespace}`;
}
function createLiveReader(client, refs) {
  const counts = /* @__PURE__ */ new Map();
  for (const ref of refs) {
    const namespaces = ref.namespace === "" ? ["", client.namespace] : [ref.namespace];
    for (const ns of namespaces) {
      const key = listKey(ref.apiVersion, ref.kind, ns);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const lists = /* @__PURE__ */ new Map();
  async function list(info, ref) {
    const byName2 = /* @__PURE__ */ new Map();
    let token;
    do {
      let body;
      try {
        ({ body } = await client.request("GET", collectionPath(info, ref.namespace), {
          query: { limit: LIST_PAGE, continue: token }
        }));
      } catch (error) {
        if (error instanceof KubeApiError && (error.status === 403 || error.status === 405)) return void 0;
        throw error;
      }
      for (const item of body.items ?? []) {
        const object = { apiVersion: ref.apiVersion, kind: info.kind, ...item };
        const name = metadataOf(object)["name"];
        if (typeof name === "string") byName2.set(name, object);
      }
      const next = body.metadata?.continue;
      token = next === void 0 || next === "" ? void 0 : next;
    } while (token !== void 0);
    return byName2;
  }
  return async (info, ref) => {
    const key = listKey(ref.apiVersion, ref.kind, ref.namespace);
    if ((counts.get(key) ?? 0) < LIST_THRESHOLD) return getLive(client, info, ref);
    let pending = lists.get(key);
    if (pending === void 0) {
      pending = list(info, ref);
      lists.set(key, pending);
      pending.catch(() => lists.delete(key));
    }
    const byName2 = await pending;
    if (byName2 === void 0) return getLive(client, info, ref);
    return byName2.get(ref.name);
  };
}
async function applyObject(client, info, ref, object, options) {
  const { body } = await client.request("PATCH", objectPath(info, ref), {
    body: object,
    contentType: "application/apply-patch+yaml",
    ...options.metadataOnly === true ? { accept: METADATA_ONLY } : {},
    query: {
      fieldManager: options.fieldManager,
      force: "true",
      fieldValidation: "Strict",
      dryRun: options.dryRun ? "All" : void 0
    }
  });
  return body;
}
function hasClientSideManagers(live) {
  return managedFieldsOf(live).some(
    (entry3) => (entry3.subresource ?? "") === "" && entry3.manager !== void 0 && CLIENT_SIDE_MANAGERS.includes(entry3.manager) && entry3.operation === "Update"
  );
}
function mergeFields(a, b) {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = typeof existing === "object" && existing !== null && typeof value === "object" && value !== null ? mergeFields(existing, value) : value;
  }
  return out;
}
function takeOverManagedFields(live, fieldManager) {
  const entries2 = managedFieldsOf(live);
  const apiVersion = live["apiVersion"];
  let taken;
  const kept = [];
  for (const entry3 of entries2) {
    const clientSide = (entry3.subresource ?? "") === "" && entry3.manager !== void 0 && CLIENT_SIDE_MANAGERS.includes(entry3.manager) && entry3.operation === "Update";
    if (clientSide) taken = mergeFields(taken ?? {}, entry3.fieldsV1 ?? {});
    else kept.push(entry3);
  }
  if (taken === void 0) return void 0;
  const ours = kept.find(
    (e) => e.manager === fieldManager && e.operation === "Apply" && (e.subresource ?? "") === ""
  );
  if (ours === void 0) {
    kept.push({
      manager: fieldManager,
      operation: "Apply",
      apiVersion: typeof apiVersion === "string" ? apiVersion : "v1",
      fieldsType: "FieldsV1",
      fieldsV1: taken,
      time: (/* @__PURE__ */ new Date()).toISOString().replace(/\.\d+Z$/, "Z")
    });
  } else {
    ours.fieldsV1 = mergeFields(ours.fieldsV1 ?? {}, taken);
  }
  return kept;
}
async function takeOverClientSideFields(client, info, live, fieldManager) {
  const managedFields = takeOverManagedFields(live, fieldManager);
  if (managedFields === void 0) return false;
  const ref = refOf(live);
  const resourceVersion = metadataOf(live)["resourceVersion"];
  await client.request("PATCH", objectPath(info, ref), {
    contentType: "application/json-patch+json",
    body: [
      { op: "test", path: "/metadata/resourceVersion", value: resourceVersion },
      { op: "replace", path: "/metadata/managedFields", value: managedFields }
    ]
  });
  return true;
}
async function deleteObject(client, info, ref) {
  try {
    await client.request("DELETE", objectPath(info, ref), {
      body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" }
    });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return false;
    throw error;
  }
}
async function waitForDeletion(client, info, ref, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (await getLive(client, info, ref) !== void 0) {
    if (Date.now() > deadline)
      throw new Error(`${describeRef(ref)} was not deleted within ${timeoutMs / 1e3} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
function skipReason(object, live) {
  const annotations = stringMap(object, "annotations");
  const liveAnnotations = live === void 0 ? {} : stringMap(live, "annotations");
  if (annotations[RECONCILE_ANNOTATION] === "disabled" || liveAnnotations[RECONCILE_ANNOTATION] === "disabled") {
    return `${RECONCILE_ANNOTATION}: disabled`;
  }
  const ssa = (annotations[SSA_ANNOTATION] ?? "").toLowerCase();
  if (ssa === "ignore" || (liveAnnotations[SSA_ANNOTATION] ?? "").toLowerCase() === "ignore")
    return `${SSA_ANNOTATION}: Ignore`;
  if (ssa === "ifnotpresent" && live !== void 0) return `${SSA_ANNOTATION}: IfNotPresent and it exists`;
  return void 0;
}
function immutableFields(error) {
  if (!(error instanceof KubeApiError) || error.status !== 422) return void 0;
  const blamed = error.causes.filter((c) => /immutable/i.test(c.message ?? ""));
  if (blamed.length === 0 && !/immutable/i.test(error.message)) return void 0;
  return blamed.flatMap((c) => c.field === void 0 ? [] : [c.field]);
}

// src/kube/plan.ts
function changeScope(objects) {
  const namespaces = /* @__PURE__ */ new Set();
  const definedKinds = /* @__PURE__ */ new Set();
  for (const object of objects) {
    if (object["kind"] === "Namespace") namespaces.add(refOf(object).name);
    if (object["kind"] === "CustomResourceDefinition") {
      const spec = object["spec"];
      if (typeof spec?.group === "string" && typeof spec.names?.kind === "string") {
        definedKinds.add(`${spec.group}/${spec.names.kind}`);
      }
    }
  }
  return { namespaces, definedKinds };
}
function describeApiError(error, ref) {
  if (error instanceof KubeApiError) {
    if (ref.kind === "Secret") {
      const fields = error.fields.length === 0 ? "" : ` (${error.fields.join(", ")})`;
      return `${error.reason || `HTTP ${error.status}`}${fields}`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
function withNamespace(object, namespace) {
  const metadata = metadataOf(object);
  if (metadata["namespace"] === namespace) return object;
  return { ...object, metadata: { ...metadata, namespace } };
}
async function planObject(context, input) {
  const { client } = context;
  const rendered = toApplyForm(input);
  const renderedRef = refOf(rendered);
  const info = await client.resourceFor(renderedRef.apiVersion, renderedRef.kind);
  const base = { info, live: void 0, merged: void 0, reason: void 0, takeover: false };
  if (info === void 0) {
    const pending = context.definedKinds.has(`${groupOf(renderedRef.apiVersion)}/${renderedRef.kind}`);
    if (pending) {
      const skip2 = skipReason(rendered, void 0);
      if (skip2 !== void 0)
        return { ...base, ref: renderedRef, object: rendered, action: "skip", reason: skip2 };
      return {
        ...base,
        ref: renderedRef,
        object: rendered,
        merged: rendered,
        action: "create",
        reason: "its CustomResourceDefinition is created by this change"
      };
    }
    return {
      ...base,
      ref: renderedRef,
      object: rendered,
      action: "error",
      reason: `the cluster does not serve ${renderedRef.kind} in ${renderedRef.apiVersion}; install its CustomResourceDefinition first or add it to the build`
    };
  }
  const namespace = info.namespaced ? renderedRef.namespace || client.namespace : "";
  const ref = { ...renderedRef, namespace };
  const object = info.namespaced ? withNamespace(rendered, namespace) : rendered;
  const live = await (context.readLive ?? ((i, r) => getLive(client, i, r)))(info, ref);
  const skip = skipReason(object, live);
  if (skip !== void 0) return { ...base, ref, object, live, action: "skip", reason: skip };
  const takeover = live !== void 0 && hasClientSideManagers(live);
  if (live !== void 0 && !takeover && provablyUnchanged(object, live, context.fieldManager)) {
    return { ...base, ref, object, live, merged: live, action: "unchanged" };
  }
  let merged;
  const metadataOnly = live === void 0 && context.keepCreated === false;
  try {
    merged = await applyObject(client, info, ref, object, {
      fieldManager: context.fieldManager,
      dryRun: true,
      metadataOnly
    });
    if (metadataOnly) merged = object;
  } catch (error) {
    if (live === void 0 && error instanceof KubeApiError && error.status === 404 && context.namespaces.has(namespace)) {
      return {
        ...base,
        ref,
        object,
        live,
        merged: object,
        action: "create",
        reason: `namespace ${namespace} is created by this change`
      };
    }
    const fields = immutableFields(error);
    if (fields !== void 0 && live !== void 0) {
      const named = fields.length === 0 ? "an immutable field" : fields.join(", ");
      if (context.force) {
        return {
          ...base,
          ref,
          object,
          live,
          merged: object,
          action: "recreate",
          reason: `immutable ${named} changed; recreated (--force)`
        };
      }
      return {
        ...base,
        ref,
        object,
        live,
        action: "error",
        reason: `${named} is immutable and would change; pass --force to delete and recreate the object`
      };
    }
    if (error instanceof KubeApiError) {
      return {
        ...base,
        ref,
        object,
        live,
        action: "error",
        reason: `dry run failed: ${describeApiError(error, ref)}`
      };
    }
    throw error;
  }
  if (live === void 0) return { ...base, ref, object, live, merged, action: "create", takeover };
  const same = deepEqual(normalizeObject(merged), normalizeObject(live));
  return {
    ...base,
    ref,
    object,
    live,
    merged,
    action: same && !takeover ? "unchanged" : "configure",
    takeover
  };
}
async function planObjects(context, objects, concurrency) {
  const readLive = createLiveReader(context.client, objects.map(refOf));
  return mapLimit2(objects, concurrency, (object) => planObject({ ...context, readLive }, object));
}
async function mapLimit2(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

// src/kube/applyset.ts
var APPLYSET_ID_LABEL = "applyset.kubernetes.io/id";
var APPLYSET_PART_OF_LABEL = "applyset.kubernetes.io/part-of";
var APPLYSET_TOOLING_ANNOTATION = "applyset.kubernetes.io/tooling";
var APPLYSET_GROUP_KINDS_ANNOTATION = "applyset.kubernetes.io/contains-group-kinds";
var APPLYSET_NAMESPACES_ANNOTATION = "applyset.kubernetes.io/additional-namespaces";
var APPLYSET_TOOLING = "kustomize-sops-deploy/v1";
function applySetId(parent) {
  const hash = createHash3("sha256").update(`${parent.name}.${parent.namespace}.Secret.`).digest("base64url");
  return `applyset-${hash}-v1`;
}
function labelMember(object, id) {
  const labels = stringMap(object, "labels");
  const existing = labels[APPLYSET_PART_OF_LABEL];
  if (existing !== void 0 && existing !== id) {
    throw new UserError(
      "USAGE",
      `${describeRef(refOf(object))} already has the ${APPLYSET_PART_OF_LABEL} label of another ApplySet`,
      {
        hint: "remove the label from the manifest; the ApplySet sets it"
      }
    );
  }
  const metadata = metadataOf(object);
  return { ...object, metadata: { ...metadata, labels: { ...labels, [APPLYSET_PART_OF_LABEL]: id } } };
}
function splitList(value) {
  return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}
var SECRETS = {
  group: "",
  version: "v1",
  kind: "Secret",
  resource: "secrets",
  namespaced: true
};
async function readApplySet(client, parent) {
  let body;
  try {
    body = (await client.request(
      "GET",
      `${collectionPath(SECRETS, parent.namespace)}/${encodeURIComponent(parent.name)}`
    )).body;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) {
      return { exists: false, groupKinds: /* @__PURE__ */ new Set(), namespaces: /* @__PURE__ */ new Set([parent.namespace]) };
    }
    throw error;
  }
  const labels = stringMap(body, "labels");
  const annotations = stringMap(body, "annotations");
  const where = `ApplySet parent Secret ${parent.namespace}/${parent.name}`;
  const tooling = annotations[APPLYSET_TOOLING_ANNOTATION];
  if (tooling === void 0 || tooling.split("/").slice(0, -1).join("/") !== APPLYSET_TOOLING.split("/")[0]) {
    throw new UserError(
      "USAGE",
      `${where} is managed by ${tooling === void 0 ? "no ApplySet tool" : `"${tooling}"`}, not kustomize-sops-deploy`,
      {
        hint: "choose another applyset name"
      }
    );
  }
  if (labels[APPLYSET_ID_LABEL] !== applySetId(parent)) {
    throw new UserError("USAGE", `${where} has a wrong ${APPLYSET_ID_LABEL} label`);
  }
  return {
    exists: true,
    groupKinds: new Set(splitList(annotations[APPLYSET_GROUP_KINDS_ANNOTATION])),
    namespaces: /* @__PURE__ */ new Set([parent.namespace, ...splitList(annotations[APPLYSET_NAMESPACES_ANNOTATION])])
  };
}
async function writeApplySet(client, parent, groupKinds, namespaces, fieldManager) {
  const extra = [...new Set(namespaces)].filter((ns) => ns !== parent.namespace && ns !== "").sort();
  const body = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: parent.name,
      namespace: parent.namespace,
      labels: { [APPLYSET_ID_LABEL]: applySetId(parent) },
      annotations: {
        [APPLYSET_TOOLING_ANNOTATION]: APPLYSET_TOOLING,
        [APPLYSET_GROUP_KINDS_ANNOTATION]: [...new Set(groupKinds)].sort().join(","),
        ...extra.length === 0 ? {} : { [APPLYSET_NAMESPACES_ANNOTATION]: extra.join(",") }
      }
    },
    type: "Opaque"
  };
  await applyObject(
    client,
    SECRETS,
    { apiVersion: "v1", kind: "Secret", name: parent.name, namespace: parent.namespace },
    body,
    {
      fieldManager,
      dryRun: false
    }
  );
}
function apiVersionFor(groupKind) {
  const dot = groupKind.indexOf(".");
  return dot < 0 ? { group: "", kind: groupKind } : { group: groupKind.slice(dot + 1), kind: groupKind.slice(0, dot) };
}
async function resolveGroupKind(client, groupKind) {
  const { group, kind } = apiVersionFor(groupKind);
  if (group === "") return client.resourceFor("v1", kind);
  const { body } = await client.request("GET", `/apis/${group}`).catch((error) => {
    if (error instanceof KubeApiError && error.status === 404) return { body: void 0 };
    throw error;
  });
  const version = body?.preferredVersion?.version;
  return version === void 0 ? void 0 : client.resourceFor(`${group}/${version}`, kind);
}
async function findPruneCandidates(client, parent, state, current) {
  const id = applySetId(parent);
  const kinds = /* @__PURE__ */ new Set([...state.groupKinds, ...current.groupKinds]);
  const namespaces = new Set([...state.namespaces, ...current.namespaces].filter((ns) => ns !== ""));
  const candidates = [];
  for (const groupKind of [...kinds].sort()) {
    const info = await resolveGroupKind(client, groupKind);
    if (info === void 0) continue;
    const paths = info.namespaced ? [...namespaces].sort().map((ns) => collectionPath(info, ns)) : [collectionPath(info, "")];
    for (const path18 of paths) {
      const { body } = await client.request("GET", path18, {
        query: { labelSelector: `${APPLYSET_PART_OF_LABEL}=${id}` }
      });
      const items = (body.items ?? []).map((item) => ({
        ...item,
        apiVersion: info.group === "" ? info.version : `${info.group}/${info.version}`,
        kind: info.kind
      }));
      for (const item of items) {
        const ref = refOf(item);
        if (current.keep.has(identityKey(ref))) continue;
        const disabled = stringMap(item, "annotations")[PRUNE_ANNOTATION] === "disabled";
        candidates.push({ ref, info, keptBecause: disabled ? `${PRUNE_ANNOTATION}: disabled` : void 0 });
      }
    }
  }
  return candidates;
}
async function pruneCandidates(client, candidates, concurrency = 8) {
  const doomed = candidates.filter((c) => c.keptBecause === void 0);
  const gone = await mapLimit2(doomed, concurrency, (c) => deleteObject(client, c.info, c.ref));
  return doomed.filter((_, i) => gone[i] === true).map((c) => c.ref);
}

// src/kube/mask.ts
var MASK = "***";
var MASK_BEFORE = "*** (before)";
var MASK_AFTER = "*** (after)";
var MASK_UNDECRYPTED = UNDECRYPTED_TEXT;
var LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
function secretValues(secret) {
  const values = /* @__PURE__ */ new Map();
  const data = secret["data"];
  if (isRecord(data)) {
    for (const [key, value] of Object.entries(data)) {
      values.set(key, typeof value === "string" ? Buffer.from(value, "base64") : Buffer.alloc(0));
    }
  }
  const stringData = secret["stringData"];
  if (isRecord(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      values.set(key, Buffer.from(typeof value === "string" ? value : "", "utf8"));
    }
  }
  return values;
}
function replaceValues(secret, token) {
  for (const field of ["data", "stringData"]) {
    const map = secret[field];
    if (!isRecord(map)) continue;
    for (const key of Object.keys(map)) map[key] = token(key);
  }
  const metadata = secret["metadata"];
  if (isRecord(metadata) && isRecord(metadata["annotations"]) && LAST_APPLIED in metadata["annotations"]) {
    metadata["annotations"][LAST_APPLIED] = MASK;
  }
}
function isSecret(object) {
  return object !== void 0 && object["kind"] === "Secret" && (object["apiVersion"] === "v1" || object["apiVersion"] === void 0);
}
function maskSecretPair(before, after) {
  if (!isSecret(before) && !isSecret(after)) return { before, after };
  const oldCopy = before === void 0 ? void 0 : structuredClone(before);
  const newCopy = after === void 0 ? void 0 : structuredClone(after);
  const oldValues = oldCopy === void 0 ? /* @__PURE__ */ new Map() : secretValues(oldCopy);
  const newValues = newCopy === void 0 ? /* @__PURE__ */ new Map() : secretValues(newCopy);
  const token = (key, side) => {
    const oldValue = oldValues.get(key);
    const newValue = newValues.get(key);
    const mine = side === "before" ? oldValue : newValue;
    if (mine !== void 0 && isUndecryptedBytes(mine)) return MASK_UNDECRYPTED;
    if (oldValue === void 0 || newValue === void 0 || oldValue.equals(newValue)) return MASK;
    if (isUndecryptedBytes(oldValue) || isUndecryptedBytes(newValue)) return MASK;
    return side === "before" ? MASK_BEFORE : MASK_AFTER;
  };
  if (oldCopy !== void 0) replaceValues(oldCopy, (key) => token(key, "before"));
  if (newCopy !== void 0) replaceValues(newCopy, (key) => token(key, "after"));
  return { before: oldCopy, after: newCopy };
}
function hasUndecryptedValues(object) {
  const visit2 = (value) => {
    if (typeof value === "string") return isUndecryptedString(value);
    if (Array.isArray(value)) return value.some(visit2);
    if (isRecord(value)) return Object.values(value).some(visit2);
    return false;
  };
  return object !== void 0 && visit2(object);
}
function storedForm(object) {
  if (!isSecret(object) || !isRecord(object["stringData"])) return object;
  const data = isRecord(object["data"]) ? { ...object["data"] } : {};
  for (const [key, value] of Object.entries(object["stringData"])) {
    data[key] = Buffer.from(typeof value === "string" ? value : "", "utf8").toString("base64");
  }
  const rest = Object.fromEntries(Object.entries(object).filter(([key]) => key !== "stringData"));
  return { ...rest, data };
}
function equalExceptUndecrypted(a, b) {
  if (a === b) return true;
  if (typeof a === "string" && isUndecryptedString(a)) return b !== void 0;
  if (typeof b === "string" && isUndecryptedString(b)) return a !== void 0;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => equalExceptUndecrypted(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && equalExceptUndecrypted(a[key], b[key]));
  }
  return false;
}
function sameExceptUndecrypted(a, b) {
  return equalExceptUndecrypted(storedForm(a), storedForm(b));
}

// src/kube/unified-diff.ts
function editScript(a, b) {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x2;
      if (k === -d || k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))
        x2 = v[offset + k + 1] ?? 0;
      else x2 = (v[offset + k - 1] ?? 0) + 1;
      let y2 = x2 - k;
      while (x2 < n && y2 < m && a[x2] === b[y2]) {
        x2++;
        y2++;
      }
      v[offset + k] = x2;
      if (x2 >= n && y2 >= m) {
        found = true;
        break;
      }
    }
  }
  const edits = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] ?? new Int32Array(0);
    const k = x - y;
    let prevK;
    if (k === -d || k !== d && (vd[offset + k - 1] ?? 0) < (vd[offset + k + 1] ?? 0)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = vd[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: " ", line: a[x - 1] ?? "" });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) edits.push({ op: "+", line: b[y - 1] ?? "" });
      else edits.push({ op: "-", line: a[x - 1] ?? "" });
    }
    x = prevX;
    y = prevY;
  }
  return edits.reverse();
}
function splitLines(text3) {
  if (text3 === "") return [];
  const lines2 = text3.split("\n");
  if (lines2.at(-1) === "") lines2.pop();
  return lines2;
}
function unifiedDiff(before, after, fromName, toName, context = 3) {
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = editScript(a, b);
  if (edits.every((e) => e.op === " ")) return "";
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  const positions = edits.map((edit) => {
    const pos = { a: aLine, b: bLine };
    if (edit.op !== "+") aLine++;
    if (edit.op !== "-") bLine++;
    return pos;
  });
  while (i < edits.length) {
    if (edits[i]?.op === " ") {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    for (; ; ) {
      while (end < edits.length && edits[end]?.op !== " ") end++;
      let next = end;
      while (next < edits.length && edits[next]?.op === " ") next++;
      if (next < edits.length && next - end <= 2 * context) end = next;
      else {
        end = Math.min(edits.length, end + context);
        break;
      }
    }
    const hunk = edits.slice(start, end);
    const first = positions[start] ?? { a: 1, b: 1 };
    const aCount = hunk.filter((e) => e.op !== "+").length;
    const bCount = hunk.filter((e) => e.op !== "-").length;
    out.push(
      `@@ -${aCount === 0 ? first.a - 1 : first.a},${aCount} +${bCount === 0 ? first.b - 1 : first.b},${bCount} @@`
    );
    for (const edit of hunk) out.push(`${edit.op}${edit.line}`);
    i = end;
  }
  return `${out.join("\n")}
`;
}

// src/kube/diff.ts
var UNDECRYPTED_REASON = "values not decrypted in this run";
function toYaml(object) {
  return object === void 0 ? "" : (0, import_yaml8.stringify)(object, { lineWidth: 0, sortMapEntries: false });
}
function renderPlanDiff(plan, cls) {
  const name = describeRef(plan.ref);
  const before = plan.live === void 0 ? void 0 : normalizeObject(plan.live);
  const after = plan.merged === void 0 ? void 0 : normalizeObject(plan.merged);
  const masked = maskSecretPair(before, after);
  if (cls === "created") return unifiedDiff("", toYaml(masked.after), "/dev/null", `${name} (after)`);
  if (cls === "deleted") return unifiedDiff(toYaml(masked.before), "", `${name} (before)`, "/dev/null");
  if (cls !== "configured") return "";
  return unifiedDiff(toYaml(masked.before), toYaml(masked.after), `${name} (live)`, `${name} (after)`);
}
var CLASS_OF = {
  create: "created",
  configure: "configured",
  recreate: "configured",
  unchanged: "unchanged",
  skip: "skipped",
  error: "failed"
};
function emptyCounts() {
  return { created: 0, configured: 0, unchanged: 0, deleted: 0, skipped: 0, failed: 0 };
}
function joinReasons(first, second) {
  return first === void 0 ? second : `${first}; ${second}`;
}
function summarizeDiff(entries2) {
  const counts = emptyCounts();
  for (const entry3 of entries2) counts[entry3.class]++;
  return { objects: entries2, counts, changed: counts.created + counts.configured + counts.deleted > 0 };
}
async function diffObjects(client, objects, options = {}) {
  const id = options.applySet === void 0 ? void 0 : applySetId(options.applySet);
  const members = id === void 0 ? objects : objects.map((o) => labelMember(o, id));
  const scope = changeScope(members);
  const context = {
    client,
    fieldManager: options.fieldManager ?? FIELD_MANAGER,
    force: options.force ?? false,
    ...scope
  };
  const plans = await planObjects(context, members, options.concurrency ?? 8);
  const entries2 = plans.map((plan) => {
    let cls = CLASS_OF[plan.action];
    const undecrypted = hasUndecryptedValues(plan.merged ?? plan.object);
    if (undecrypted && plan.action === "configure" && !plan.takeover && plan.live !== void 0 && plan.merged !== void 0 && sameExceptUndecrypted(normalizeObject(plan.live), normalizeObject(plan.merged))) {
      cls = "unchanged";
    }
    const reason = plan.reason ?? (plan.takeover ? "fields owned by client-side kubectl apply are taken over" : void 0);
    const note = options.reasons?.get(identityKey(plan.ref)) ?? (undecrypted ? UNDECRYPTED_REASON : void 0);
    return {
      ref: plan.ref,
      class: cls,
      reason: note === void 0 ? reason : joinReasons(reason, note),
      diff: renderPlanDiff(plan, cls),
      ...undecrypted ? { undecrypted: true } : {}
    };
  });
  if (options.prune === true && options.applySet !== void 0) {
    const state = await readApplySet(client, options.applySet);
    if (state.exists) {
      const candidates = await findPruneCandidates(client, options.applySet, state, {
        groupKinds: plans.map((p) => groupKindOf(p.ref)),
        namespaces: plans.map((p) => p.ref.namespace),
        keep: new Set(plans.map((p) => identityKey(p.ref)))
      });
      for (const candidate of candidates) {
        if (candidate.keptBecause !== void 0) {
          entries2.push({
            ref: candidate.ref,
            class: "skipped",
            reason: `not pruned: ${candidate.keptBecause}`,
            diff: ""
          });
          continue;
        }
        const live = (await client.request("GET", objectPath(candidate.info, candidate.ref))).body;
        entries2.push({
          ref: candidate.ref,
          class: "deleted",
          reason: "no longer rendered (prune)",
          diff: renderPlanDiff({ ref: candidate.ref, live, merged: void 0 }, "deleted")
        });
      }
    }
  }
  return summarizeDiff(entries2);
}
var VERB = {
  created: "created",
  configured: "configured",
  unchanged: "unchanged",
  deleted: "deleted",
  skipped: "skipped",
  failed: "failed"
};
function renderDiffText(report, options = {}) {
  const lines2 = [];
  for (const entry3 of report.objects) {
    if (entry3.class === "unchanged" && options.unchanged !== true && entry3.undecrypted !== true) continue;
    lines2.push(
      `${describeRef(entry3.ref)} ${VERB[entry3.class]}${entry3.reason === void 0 ? "" : ` (${entry3.reason})`}`
    );
  }
  const c = report.counts;
  lines2.push(
    `${c.created} created, ${c.configured} configured, ${c.deleted} deleted, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed`
  );
  if (report.undecrypted !== void 0) lines2.push(renderUndecryptedNote(report.undecrypted));
  const diffs = report.objects.filter((e) => e.diff !== "").map((e) => e.diff);
  return `${[...lines2, ...diffs.length === 0 ? [] : ["", ...diffs]].join("\n").replace(/\n*$/, "")}
`;
}
function renderUndecryptedNote(note) {
  const n = note.files.length;
  return `${n} SOPS ${n === 1 ? "file was" : "files were"} not decrypted in this run (${note.why}): ${note.files.join(", ")}; their values show as (encrypted; not decrypted in this run) and are not compared. Set require-decryption: true to fail instead.`;
}

// src/github/apply-report.ts
var APPLIED = /* @__PURE__ */ new Set([
  "created",
  "configured",
  "recreated",
  "unchanged",
  "deleted"
]);
var ORDER = [
  "failed",
  "not-applied",
  "created",
  "configured",
  "recreated",
  "deleted",
  "skipped",
  "unchanged"
];
function cell(text3) {
  return text3.replaceAll("|", "\\|").replaceAll("<", "&lt;").replaceAll("\n", " ");
}
function renderApplySummary(report, title) {
  const c = report.counts;
  const out = [
    `### apply ${cell(title)}: ${report.ok ? "succeeded" : "failed"}`,
    "",
    ORDER.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`).join(", ") || "no objects",
    ""
  ];
  if (report.error !== void 0) out.push(`**Error:** ${cell(report.error)}`, "");
  if (!report.ok) {
    const applied = report.objects.filter((o) => APPLIED.has(o.status)).length;
    out.push(`${applied} of ${report.objects.length} objects were applied; the rest were not.`, "");
  }
  out.push(
    report.ok ? "| Object | Result | Reason |" : "| Object | Result | Applied | Reason |",
    report.ok ? "|---|---|---|" : "|---|---|---|---|"
  );
  for (const status of ORDER) {
    for (const o of report.objects.filter((r) => r.status === status)) {
      const applied = report.ok ? "" : ` ${APPLIED.has(o.status) ? "yes" : "no"} |`;
      out.push(`| ${cell(describeRef(o.ref))} | ${o.status} |${applied} ${cell(o.reason ?? "")} |`);
    }
  }
  const notReady = (report.health ?? []).filter((h) => h.state !== "ready");
  if (notReady.length > 0) {
    out.push("", "#### Not ready", "", "| Object | State | Reason |", "|---|---|---|");
    for (const h of notReady) out.push(`| ${cell(describeRef(h.ref))} | ${h.state} | ${cell(h.reason)} |`);
  }
  return `${out.join("\n")}
`;
}

// src/github/comment.ts
var COMMENT_LIMIT = 65536;
function commentMarker(tag) {
  return `<!-- kustomize-sops-deploy:${tag.replaceAll("--", "- -")} -->`;
}
function fence(body) {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(longest + 1);
}
function renderSection(section) {
  const f = fence(section.body);
  const title = section.title.replaceAll("<", "&lt;");
  return `<details><summary>${title}</summary>

${f}${section.language ?? ""}
${section.body}
${f}

</details>
`;
}
function renderStickyComment(comment, limit = COMMENT_LIMIT) {
  const head = `${commentMarker(comment.tag)}
${comment.summary}

`;
  const rendered = comment.sections.map(renderSection);
  const more = (n) => n === 0 ? "" : `
_${n} more ${n === 1 ? "object is" : "objects are"} in the job summary._
`;
  let kept = rendered.length;
  const size = (k) => head.length + rendered.slice(0, k).reduce((sum, s) => sum + s.length, 0) + more(rendered.length - k).length;
  while (kept > 0 && size(kept) > limit) kept--;
  const body = head + rendered.slice(0, kept).join("") + more(rendered.length - kept);
  if (body.length > limit) {
    return `${body.slice(0, limit - 40)}

_(summary truncated)_
`.slice(0, limit);
  }
  return body;
}
async function upsertStickyComment(octokit, target, body) {
  const marker = commentMarker(target.tag);
  const existing = (await octokit.paginate(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100
  })).filter((c) => c.body?.startsWith(marker) === true);
  const [first, ...duplicates] = existing;
  for (const extra of duplicates) {
    await octokit.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: extra.id });
  }
  if (body === null) {
    if (first === void 0) return "unchanged";
    await octokit.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: first.id });
    return "deleted";
  }
  if (first === void 0) {
    await octokit.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body
    });
    return "created";
  }
  if (first.body === body) return "unchanged";
  await octokit.rest.issues.updateComment({
    owner: target.owner,
    repo: target.repo,
    comment_id: first.id,
    body
  });
  return "updated";
}

// src/github/diff-report.ts
var SUMMARY_BUDGET = 1024 * 1024 - 16 * 1024;
var COLUMNS = ["created", "configured", "deleted", "unchanged"];
var EXTRA = ["skipped", "failed"];
var SHOWN = /* @__PURE__ */ new Set(["created", "configured", "deleted", "failed"]);
function cell2(text3) {
  return text3.replaceAll("|", "\\|").replaceAll("<", "&lt;");
}
function renderDiffTable(report) {
  const columns = [...COLUMNS, ...EXTRA.filter((c) => report.counts[c] > 0)];
  const byKind = /* @__PURE__ */ new Map();
  for (const entry3 of report.objects) {
    const kind = entry3.ref.kind;
    const row = byKind.get(kind) ?? {
      created: 0,
      configured: 0,
      deleted: 0,
      unchanged: 0,
      skipped: 0,
      failed: 0
    };
    row[entry3.class]++;
    byKind.set(kind, row);
  }
  const lines2 = [`| Kind | ${columns.join(" | ")} |`, `|---|${columns.map(() => "--:|").join("")}`];
  for (const [kind, row] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
    lines2.push(`| ${cell2(kind)} | ${columns.map((c) => String(row[c])).join(" | ")} |`);
  }
  lines2.push(`| **Total** | ${columns.map((c) => `**${report.counts[c]}**`).join(" | ")} |`);
  return lines2.join("\n");
}
function headline(report, title) {
  const c = report.counts;
  const what = report.changed ? `${c.created} to create, ${c.configured} to configure, ${c.deleted} to delete` : report.undecrypted === void 0 ? "no changes" : "no changes in what could be decrypted";
  return `### ${cell2(title)}: ${what}${c.failed > 0 ? ` (${c.failed} failed)` : ""}`;
}
function code(text3) {
  return `\`${text3.replaceAll("`", "'")}\``;
}
function renderUndecryptedMarkdown(note) {
  const n = note.files.length;
  const shown = note.files.slice(0, 20).map(code).join(", ");
  const more = n > 20 ? ` and ${n - 20} more` : "";
  return `> [!NOTE]
> ${n} SOPS ${n === 1 ? "file was" : "files were"} not decrypted in this run: ${cell2(note.why)}. Their values show as \`(encrypted; not decrypted in this run)\` and are not compared. Set \`require-decryption: true\` to fail instead.
> Files: ${shown}${more}`;
}
function top(report, title) {
  const note = report.undecrypted === void 0 ? "" : `

${renderUndecryptedMarkdown(report.undecrypted)}`;
  return `${headline(report, title)}${note}

${renderDiffTable(report)}`;
}
function sectionOf(entry3) {
  const reason = entry3.reason === void 0 ? "" : ` (${entry3.reason})`;
  return {
    title: `${entry3.class}: ${describeRef(entry3.ref)}${reason}`,
    body: entry3.diff !== "" ? entry3.diff.replace(/\n$/, "") : entry3.undecrypted === true && entry3.class === "unchanged" ? "no change in what could be compared; its values were not decrypted in this run" : entry3.reason ?? entry3.class,
    language: entry3.diff === "" ? "" : "diff"
  };
}
function sections(report) {
  return report.objects.filter((e) => SHOWN.has(e.class) || e.undecrypted === true).map(sectionOf);
}
function renderDiffComment(report, tag, limit = COMMENT_LIMIT) {
  if (!report.changed && report.counts.failed === 0 && report.undecrypted === void 0) return null;
  return renderStickyComment(
    {
      tag,
      summary: top(report, `kustomize-sops-deploy diff ${tag}`),
      sections: sections(report)
    },
    limit
  );
}
function fence2(body) {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(longest + 1);
}
function renderDiffSummary(report, tag, budget = SUMMARY_BUDGET, restIn = "the diff-file output") {
  const head = `${top(report, `diff ${tag}`)}

`;
  const parts = [head];
  let used = Buffer.byteLength(head);
  const all = sections(report);
  let shown = 0;
  for (const section of all) {
    const f = fence2(section.body);
    const text3 = `<details><summary>${cell2(section.title)}</summary>

${f}${section.language ?? ""}
${section.body}
${f}

</details>

`;
    const bytes = Buffer.byteLength(text3);
    if (used + bytes > budget - 200) break;
    parts.push(text3);
    used += bytes;
    shown++;
  }
  const rest = all.length - shown;
  if (rest > 0) parts.push(`_${rest} more ${rest === 1 ? "object is" : "objects are"} in ${restIn}._
`);
  return parts.join("");
}
function diffOutputs(report) {
  const c = report.counts;
  return {
    changed: String(c.created + c.configured + c.deleted),
    created: String(c.created),
    configured: String(c.configured),
    deleted: String(c.deleted),
    unchanged: String(c.unchanged),
    "has-changes": String(report.changed)
  };
}

// src/github/lint-report.ts
function cell3(text3) {
  return text3.replaceAll("|", "\\|").replaceAll("<", "&lt;").replaceAll("\n", " ");
}
var MAX_LINT_ROWS = 1e3;
function renderLintSummary(result) {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const head = `### lint: ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}) in ${result.filesChecked} files checked`;
  if (result.findings.length === 0 && result.suppressed.length === 0) return `${head}
`;
  const out = [head, ""];
  if (result.findings.length > 0) {
    out.push("| File | Line | Severity | Rule | Finding |", "|---|--:|---|---|---|");
    for (const f of result.findings.slice(0, MAX_LINT_ROWS)) {
      out.push(`| ${cell3(f.file)} | ${f.line} | ${f.severity} | ${f.rule} | ${cell3(f.message)} |`);
    }
    if (result.findings.length > MAX_LINT_ROWS)
      out.push("", `_${result.findings.length - MAX_LINT_ROWS} more findings are in the annotations._`);
  }
  if (result.suppressed.length > 0)
    out.push("", `${result.suppressed.length} suppressed (each with its reason in the log).`);
  return `${out.join("\n")}
`;
}

// src/github/publish.ts
async function publishDiff(host, report, options) {
  for (const [name, value] of Object.entries(diffOutputs(report))) host.setOutput(name, value);
  const file = options.file ?? path9.join(options.tempDir ?? tmpdir3(), `diff-${randomBytes4(6).toString("hex")}.txt`);
  await writePrivateFile(file, renderDiffText(report));
  host.setOutput("diff-file", file);
  host.appendSummary(renderDiffSummary(report, options.tag));
  try {
    const result = await host.stickyComment(options.tag, (tag) => renderDiffComment(report, tag));
    if (result !== "skipped") host.info(`pull request comment ${options.tag}: ${result}`);
  } catch (error) {
    host.warning(`could not update the pull request comment: ${errorMessage(error)}`);
  }
}
function publishApply(host, report, title) {
  host.appendSummary(renderApplySummary(report, title));
  for (const [name, value] of Object.entries(applyOutputs(report))) host.setOutput(name, value);
}
function publishLint(host, result) {
  host.appendSummary(renderLintSummary(result));
}
function applyOutputs(report) {
  const c = report.counts;
  const configured = c.configured + c.recreated;
  const changed = c.created + configured + c.deleted;
  return {
    changed: String(changed),
    created: String(c.created),
    configured: String(configured),
    deleted: String(c.deleted),
    unchanged: String(c.unchanged),
    "has-changes": String(changed > 0)
  };
}

// src/kube/health.ts
function record2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}
function num(value, fallback = 0) {
  return typeof value === "number" ? value : fallback;
}
function conditions(status) {
  return Array.isArray(status["conditions"]) ? status["conditions"] : [];
}
function condition(status, type) {
  return conditions(status).find((c) => c.type === type);
}
function conditionText(c) {
  return [c.reason, c.message].filter((s) => s !== void 0 && s !== "").join(": ");
}
function computeHealth(object) {
  const kind = object["kind"];
  const metadata = metadataOf(object);
  const spec = record2(object["spec"]);
  const status = record2(object["status"]);
  const generation = num(metadata["generation"], 0);
  const observed = status["observedGeneration"];
  if (metadata["deletionTimestamp"] !== void 0) return { state: "in-progress", reason: "being deleted" };
  for (const type of ["Stalled", "Failed"]) {
    const c = condition(status, type);
    if (c?.status === "True" && kind !== "Job")
      return { state: "failed", reason: `${type}: ${conditionText(c)}` };
  }
  const generationPending = () => typeof observed === "number" && observed < generation ? `observedGeneration ${observed} < generation ${generation}` : observed === void 0 && ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(String(kind)) ? "the controller has not observed it yet" : void 0;
  switch (kind) {
    case "Deployment": {
      const pending = generationPending();
      if (pending !== void 0) return { state: "in-progress", reason: pending };
      const progressing = condition(status, "Progressing");
      if (progressing?.reason === "ProgressDeadlineExceeded")
        return { state: "failed", reason: `ProgressDeadlineExceeded: ${progressing.message ?? ""}` };
      const want = num(spec["replicas"], 1);
      for (const [field, label] of [
        ["updatedReplicas", "updated"],
        ["readyReplicas", "ready"],
        ["availableReplicas", "available"]
      ]) {
        const have = num(status[field]);
        if (have < want) return { state: "in-progress", reason: `${label} replicas ${have}/${want}` };
      }
      if (num(status["replicas"]) > want)
        return {
          state: "in-progress",
          reason: `${num(status["replicas"]) - want} old replicas pending termination`
        };
      return { state: "ready", reason: "" };
    }
    case "StatefulSet": {
      const pending = generationPending();
      if (pending !== void 0) return { state: "in-progress", reason: pending };
      const want = num(spec["replicas"], 1);
      const ready2 = num(status["readyReplicas"]);
      if (ready2 < want) return { state: "in-progress", reason: `ready replicas ${ready2}/${want}` };
      const strategy = record2(spec["updateStrategy"])["type"];
      if (strategy !== "OnDelete" && status["updateRevision"] !== void 0 && status["currentRevision"] !== status["updateRevision"]) {
        return { state: "in-progress", reason: `updated replicas ${num(status["updatedReplicas"])}/${want}` };
      }
      return { state: "ready", reason: "" };
    }
    case "DaemonSet": {
      const pending = generationPending();
      if (pending !== void 0) return { state: "in-progress", reason: pending };
      const want = num(status["desiredNumberScheduled"]);
      for (const [field, label] of [
        ["updatedNumberScheduled", "updated"],
        ["numberAvailable", "available"],
        ["numberReady", "ready"]
      ]) {
        const have = num(status[field]);
        if (have < want) return { state: "in-progress", reason: `${label} pods ${have}/${want}` };
      }
      return { state: "ready", reason: "" };
    }
    case "ReplicaSet": {
      const pending = generationPending();
      if (pending !== void 0) return { state: "in-progress", reason: pending };
      const want = num(spec["replicas"], 1);
      const ready2 = num(status["readyReplicas"]);
      const available = num(status["availableReplicas"]);
      if (ready2 < want) return { state: "in-progress", reason: `ready replicas ${ready2}/${want}` };
      if (available < want)
        return { state: "in-progress", reason: `available replicas ${available}/${want}` };
      return { state: "ready", reason: "" };
    }
    case "Job": {
      const failed = condition(status, "Failed");
      if (failed?.status === "True") return { state: "failed", reason: `Failed: ${conditionText(failed)}` };
      const complete = condition(status, "Complete");
      if (complete?.status === "True") return { state: "ready", reason: "" };
      return {
        state: "in-progress",
        reason: `succeeded ${num(status["succeeded"])}/${num(spec["completions"], 1)}`
      };
    }
    case "PersistentVolumeClaim": {
      const phase = status["phase"];
      if (phase === "Bound") return { state: "ready", reason: "" };
      if (phase === "Lost") return { state: "failed", reason: "phase Lost" };
      return { state: "in-progress", reason: `phase ${typeof phase === "string" ? phase : "unknown"}` };
    }
    case "Pod": {
      const phase = status["phase"];
      if (phase === "Failed") return { state: "failed", reason: "phase Failed" };
      if (phase === "Succeeded") return { state: "ready", reason: "" };
      break;
    }
    case "Service": {
      if (spec["type"] !== "LoadBalancer") return { state: "ready", reason: "" };
      const ingress = record2(status["loadBalancer"])["ingress"];
      if (Array.isArray(ingress) && ingress.length > 0) return { state: "ready", reason: "" };
      return { state: "in-progress", reason: "no load balancer address yet" };
    }
    case "CustomResourceDefinition": {
      const established = condition(status, "Established");
      if (established?.status === "True") return { state: "ready", reason: "" };
      return {
        state: "in-progress",
        reason: established === void 0 ? "not Established yet" : `not Established: ${conditionText(established)}`
      };
    }
    default:
      break;
  }
  const ready = condition(status, "Ready");
  if (ready !== void 0) {
    if (typeof observed === "number" && observed < generation) {
      return { state: "in-progress", reason: `observedGeneration ${observed} < generation ${generation}` };
    }
    if (ready.status === "True") return { state: "ready", reason: "" };
    return {
      state: "in-progress",
      reason: `Ready=${ready.status ?? "Unknown"}${conditionText(ready) === "" ? "" : `: ${conditionText(ready)}`}`
    };
  }
  return { state: "ready", reason: "" };
}
async function checkHealth(client, objects) {
  return Promise.all(
    objects.map(async (object) => {
      const rendered = refOf(object);
      const info = await client.resourceFor(rendered.apiVersion, rendered.kind);
      if (info === void 0) return { ref: rendered, state: "missing", reason: "kind not served" };
      const ref = { ...rendered, namespace: info.namespaced ? rendered.namespace || client.namespace : "" };
      const live = await getLive(client, info, ref);
      if (live === void 0) return { ref, state: "missing", reason: "not found" };
      return { ref, ...computeHealth(live) };
    })
  );
}
async function waitForHealth(client, objects, options) {
  const deadline = Date.now() + options.timeoutMs;
  for (; ; ) {
    const statuses = await checkHealth(client, objects);
    const failed = statuses.filter((s) => s.state === "failed");
    const waiting = statuses.filter((s) => s.state !== "ready");
    if (failed.length > 0) {
      throw new UserError(
        "NOT_READY",
        `${failed.length} object(s) failed: ${failed.map((s) => `${describeRef(s.ref)} (${s.reason})`).join("; ")}`,
        {
          report: statuses.filter((s) => s.state !== "ready").map((s) => `${describeRef(s.ref)}: ${s.state} ${s.reason}`).join("\n")
        }
      );
    }
    if (waiting.length === 0) return statuses;
    if (Date.now() >= deadline) {
      throw new UserError(
        "NOT_READY",
        `${waiting.length} object(s) not ready after ${Math.round(options.timeoutMs / 1e3)} s: ${waiting.map((s) => `${describeRef(s.ref)} (${s.reason})`).join("; ")}`,
        {
          report: waiting.map((s) => `${describeRef(s.ref)}: ${s.state} ${s.reason}`).join("\n"),
          hint: "raise --timeout or check the objects above"
        }
      );
    }
    await new Promise(
      (resolve) => setTimeout(resolve, Math.min(options.intervalMs ?? 1e3, Math.max(0, deadline - Date.now())))
    );
  }
}

// src/kube/apply.ts
var STATUS_OF = {
  create: "created",
  configure: "configured",
  recreate: "recreated",
  unchanged: "unchanged",
  skip: "skipped",
  error: "failed"
};
function emptyCounts2() {
  return {
    created: 0,
    configured: 0,
    recreated: 0,
    unchanged: 0,
    skipped: 0,
    deleted: 0,
    failed: 0,
    "not-applied": 0
  };
}
function finish(results, error, health) {
  const counts = emptyCounts2();
  for (const r of results) counts[r.status]++;
  return { objects: results, counts, ok: error === void 0, error, health };
}
function sameSet(a, b) {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
async function carryOut(client, plan, fieldManager, timeoutMs) {
  const info = plan.info;
  if (info === void 0) throw new Error(`${describeRef(plan.ref)}: kind not served`);
  if (plan.action === "recreate") {
    await deleteObject(client, info, plan.ref);
    await waitForDeletion(client, info, plan.ref, timeoutMs);
  } else if (plan.takeover && plan.live !== void 0) {
    await takeOverClientSideFields(client, info, plan.live, fieldManager);
  }
  await applyObject(client, info, plan.ref, plan.object, { fieldManager, dryRun: false, metadataOnly: true });
}
async function applyObjects(client, objects, options = {}) {
  const fieldManager = options.fieldManager ?? FIELD_MANAGER;
  const concurrency = options.concurrency ?? 8;
  const timeoutMs = options.timeoutMs ?? 5 * 6e4;
  const log = options.logger;
  const id = options.applySet === void 0 ? void 0 : applySetId(options.applySet);
  const members = objects.map((o) => {
    refOf(o);
    return id === void 0 ? o : labelMember(o, id);
  });
  const results = [];
  const notApplied = (from) => {
    for (const object of members.filter((o) => stageOf(refOf(o)) >= from)) {
      results.push({ ref: refOf(object), status: "not-applied", reason: void 0 });
    }
  };
  const state = options.applySet === void 0 ? void 0 : await readApplySet(client, options.applySet);
  let recorded = state === void 0 || !state.exists ? void 0 : { groupKinds: new Set(state.groupKinds), namespaces: new Set(state.namespaces) };
  const recordApplySet = async (parent, groupKinds, namespaces) => {
    const kinds = new Set(groupKinds);
    const spaces = /* @__PURE__ */ new Set([parent.namespace, ...namespaces.filter((ns) => ns !== "")]);
    if (recorded !== void 0 && sameSet(recorded.groupKinds, kinds) && sameSet(recorded.namespaces, spaces))
      return;
    await writeApplySet(client, parent, kinds, spaces, fieldManager);
    recorded = { groupKinds: kinds, namespaces: spaces };
  };
  const scope = changeScope(members);
  const context = { client, fieldManager, force: options.force ?? false, ...scope, keepCreated: false };
  const applied = [];
  const allPlans = [];
  for (const stage of [1, 2, 3]) {
    const inStage = members.filter((o) => stageOf(refOf(o)) === stage);
    if (inStage.length === 0 && stage !== 1) continue;
    let plans;
    try {
      plans = await planObjects(context, inStage, concurrency);
    } catch (error) {
      notApplied(stage);
      return finish(results, `stage ${stage}: ${errorMessage(error)}`);
    }
    allPlans.push(...plans);
    const failedPlans = plans.filter((p) => p.action === "error");
    if (failedPlans.length > 0) {
      for (const plan of plans) {
        results.push({
          ref: plan.ref,
          status: plan.action === "error" ? "failed" : "not-applied",
          reason: plan.reason
        });
      }
      notApplied(stage + 1);
      const first = failedPlans[0];
      return finish(
        results,
        `dry run failed for ${failedPlans.length} object(s) in stage ${stage}, nothing in it was written${first === void 0 ? "" : `: ${describeRef(first.ref)}: ${first.reason ?? ""}`}`
      );
    }
    const errors = [];
    const stageResults = await mapLimit2(plans, concurrency, async (plan) => {
      if (plan.action !== "create" && plan.action !== "configure" && plan.action !== "recreate") {
        return { ref: plan.ref, status: STATUS_OF[plan.action], reason: plan.reason };
      }
      try {
        await carryOut(client, plan, fieldManager, timeoutMs);
        log?.info(`${describeRef(plan.ref)} ${STATUS_OF[plan.action]}`);
        return { ref: plan.ref, status: STATUS_OF[plan.action], reason: plan.reason };
      } catch (error) {
        const reason = describeApiError(error, plan.ref);
        errors.push(`${describeRef(plan.ref)}: ${reason}`);
        return { ref: plan.ref, status: "failed", reason };
      }
    });
    results.push(...stageResults);
    for (const plan of plans) if (plan.action !== "skip") applied.push(plan.object);
    if (errors.length > 0) {
      notApplied(stage + 1);
      return finish(
        results,
        `${errors.length} object(s) failed to apply in stage ${stage}: ${errors[0] ?? ""}`
      );
    }
    if (stage === 1) {
      const crds = inStage.filter((o) => o["kind"] === "CustomResourceDefinition");
      if (crds.length > 0) {
        try {
          await waitForHealth(client, crds, { timeoutMs, intervalMs: 250 });
        } catch (error) {
          notApplied(2);
          return finish(results, `CustomResourceDefinitions not Established: ${errorMessage(error)}`);
        }
        client.resetDiscovery();
      }
      if (options.applySet !== void 0 && state !== void 0) {
        try {
          await recordApplySet(
            options.applySet,
            [...state.groupKinds, ...members.map((o) => groupKindOf(refOf(o)))],
            [
              ...state.namespaces,
              ...plans.map((p) => p.ref.namespace),
              ...members.map((o) => refOf(o).namespace)
            ]
          );
        } catch (error) {
          notApplied(2);
          return finish(results, `writing the ApplySet parent: ${errorMessage(error)}`);
        }
      }
    }
  }
  if (options.applySet !== void 0 && state !== void 0) {
    const currentKinds = allPlans.map((p) => groupKindOf(p.ref));
    const currentNamespaces = allPlans.map((p) => p.ref.namespace);
    try {
      if (options.prune === true) {
        const candidates = await findPruneCandidates(client, options.applySet, state, {
          groupKinds: currentKinds,
          namespaces: currentNamespaces,
          keep: new Set(allPlans.map((p) => identityKey(p.ref)))
        });
        const deleted = new Set((await pruneCandidates(client, candidates, concurrency)).map(identityKey));
        for (const candidate of candidates) {
          if (candidate.keptBecause !== void 0) {
            results.push({
              ref: candidate.ref,
              status: "skipped",
              reason: `not pruned: ${candidate.keptBecause}`
            });
          } else if (deleted.has(identityKey(candidate.ref))) {
            log?.info(`${describeRef(candidate.ref)} deleted`);
            results.push({ ref: candidate.ref, status: "deleted", reason: "no longer rendered (prune)" });
          }
        }
        const kept = candidates.filter((c) => c.keptBecause !== void 0);
        await recordApplySet(
          options.applySet,
          [...currentKinds, ...kept.map((c) => groupKindOf(c.ref))],
          [...currentNamespaces, ...kept.map((c) => c.ref.namespace)]
        );
      }
    } catch (error) {
      return finish(results, `prune: ${errorMessage(error)}`);
    }
  }
  if (options.wait === true) {
    try {
      const health = await waitForHealth(client, applied, { timeoutMs });
      return finish(results, void 0, health);
    } catch (error) {
      return finish(results, errorMessage(error));
    }
  }
  return finish(results, void 0);
}
var APPLIED2 = ["created", "configured", "recreated", "deleted"];
function applyFailure(report) {
  if (report.ok) return void 0;
  const named = (statuses) => report.objects.filter((o) => statuses.includes(o.status)).map((o) => describeRef(o.ref));
  const applied = named(APPLIED2);
  const failed = named(["failed"]);
  const notApplied = named(["not-applied"]);
  const list = (title, refs) => refs.length === 0 ? [] : [`${title}:`, ...refs.map((r) => `  ${r}`)];
  return new UserError(
    "APPLY_FAILED",
    `apply failed: ${(report.error ?? "see the report").replace(/\s*\n\s*/g, " ")}; ${applied.length} object(s) applied, ${failed.length} failed, ${notApplied.length} not applied`,
    {
      report: [
        ...list("applied", applied),
        ...list("failed", failed),
        ...list("not applied", notApplied)
      ].join("\n"),
      hint: "fix the objects named above and run apply again; objects already applied are left as they are"
    }
  );
}
function renderApplyText(report) {
  const lines2 = report.objects.map(
    (r) => `${describeRef(r.ref)} ${r.status}${r.reason === void 0 ? "" : ` (${r.reason})`}`
  );
  const c = report.counts;
  lines2.push(
    `${c.created} created, ${c.configured} configured, ${c.recreated} recreated, ${c.unchanged} unchanged, ${c.deleted} deleted, ${c.skipped} skipped, ${c.failed} failed, ${c["not-applied"]} not applied`
  );
  if (report.error !== void 0) lines2.push(`error: ${report.error}`);
  return `${lines2.join("\n")}
`;
}

// src/commands/kube-run.ts
import { readFile as readFile5 } from "node:fs/promises";

// src/kube/manifests.ts
var import_yaml9 = __toESM(require_dist(), 1);
function parseManifests(text3, source) {
  const objects = [];
  const documents = (0, import_yaml9.parseAllDocuments)(text3, { uniqueKeys: true });
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
function secretValues2(objects) {
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

// src/commands/kube-run.ts
var MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
async function loadManifests(file, host) {
  let text3;
  try {
    const data = await readFile5(file);
    if (data.byteLength > MAX_MANIFEST_BYTES) {
      throw new UserError(
        "TOO_LARGE",
        `${file} is ${data.byteLength} bytes; the limit is ${MAX_MANIFEST_BYTES}`
      );
    }
    text3 = data.toString("utf8");
  } catch (cause) {
    if (cause instanceof UserError) throw cause;
    throw new UserError("FILE_NOT_FOUND", `cannot read ${file}`, { cause });
  }
  const objects = parseManifests(text3, file);
  for (const value of secretValues2(objects)) host.setSecret(value);
  return objects;
}
async function loadObjects(inputs, build, deps, shared = {}) {
  if (build === void 0) {
    if (inputs.manifests === void 0) throw new UserError("USAGE", "no PATH and no --manifests given");
    return loadManifests(inputs.manifests, deps.host);
  }
  const yaml = await renderManifests(build, deps, shared);
  const objects = parseManifests(yaml, "the build output");
  for (const value of secretValues2(objects)) if (!isUndecryptedString(value)) deps.host.setSecret(value);
  return objects;
}
function openClient(inputs) {
  return createKubeClient({
    kubeconfig: inputs.kubeconfig,
    context: inputs.context,
    env: inputs.env,
    maxSockets: inputs.concurrency * 2
  });
}

// src/commands/apply.ts
var applyCommand = {
  name: "apply",
  summary: "server-side apply the manifests in stages, prune the ApplySet, and wait for health",
  usage: `apply PATH... | --manifests FILE [--kubeconfig F] [--context C] [--field-manager NAME] [--concurrency N] [--force]
        [--applyset NAME [--applyset-namespace NS] [--prune]] [--wait] [--timeout 5m]`,
  flags: applyFlags,
  positionals: [{ name: "path", variadic: true }],
  parse: parseApplyConfig,
  async run(config, deps) {
    const { host } = deps;
    const objects = await host.group("build", () => loadObjects(config.kube, config.build, deps));
    const client = await openClient(config.kube);
    try {
      const report = await host.group(
        "apply",
        () => applyObjects(client, objects, {
          fieldManager: config.kube.fieldManager,
          concurrency: config.kube.concurrency,
          force: config.kube.force,
          applySet: config.kube.applySet,
          prune: config.kube.prune,
          wait: config.wait,
          timeoutMs: config.timeoutMs
        })
      );
      host.writeStdout(renderApplyText(report));
      if (host.reportsToGithub) {
        publishApply(host, report, config.build?.paths.join(", ") ?? config.kube.manifests ?? "");
      }
      const failure = applyFailure(report);
      if (failure !== void 0) throw failure;
      return 0;
    } finally {
      client.close();
    }
  }
};

// src/commands/decrypt.ts
import { readFile as readFile6 } from "node:fs/promises";

// src/sops/extract.ts
function parseExtractPath(text3) {
  const out = [];
  const part = /\[(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\d+))\]/y;
  let at2 = 0;
  while (at2 < text3.length) {
    part.lastIndex = at2;
    const match = part.exec(text3);
    if (match === null) {
      throw new UserError(
        "USAGE",
        `--extract ${JSON.stringify(text3)} is not a path like ["data"]["password"]`,
        {
          hint: 'quote map keys ["key"] and leave list indices bare [0]'
        }
      );
    }
    if (match[1] !== void 0) out.push(match[1].replace(/\\(.)/g, "$1"));
    else if (match[2] !== void 0) out.push(match[2]);
    else out.push(Number(match[3]));
    at2 = part.lastIndex;
  }
  if (out.length === 0) throw new UserError("USAGE", "--extract is empty");
  return out;
}
function extractValue(branch, path18) {
  let current = branch;
  for (const component of path18) {
    if (typeof component === "string") {
      if (current.kind !== "map")
        throw new UserError("USAGE", `--extract: ["${component}"] is not a map key here`);
      const found = current.items.find(
        (item) => !isComment(item) && item.key === component
      )?.value;
      if (found === void 0)
        throw new UserError("USAGE", `--extract: component ["${component}"] not found`);
      current = found;
    } else {
      if (current.kind !== "list")
        throw new UserError("USAGE", `--extract: [${component}] is an index, but this is not a list`);
      const items = current.items.filter((item) => item.kind !== "comment");
      const found = items[component];
      if (found === void 0) throw new UserError("USAGE", `--extract: [${component}] is out of bounds`);
      current = found;
    }
  }
  return current;
}

// src/config/decrypt.ts
var decryptFlags = {
  ...keyFlags,
  "input-type": { type: "string" },
  "output-type": { type: "string" },
  output: { type: "string" },
  extract: { type: "string" },
  "ignore-mac": { type: "boolean" }
};
function parseDecryptConfig(read, env, shell) {
  const file = read("file").trim();
  if (file === "") throw new UserError("USAGE", "decrypt needs a FILE (or - for stdin)");
  const inputType = optional(read("input-type"));
  const outputType = optional(read("output-type"));
  const extract = optional(read("extract"));
  if (file === "-" && inputType === void 0) {
    throw new UserError("USAGE", "reading stdin needs --input-type", {
      hint: "pass --input-type yaml, json, dotenv, ini or binary"
    });
  }
  const output = optional(read("output"));
  if (output === void 0 && shell.stdoutIsLog) {
    throw new UserError(
      "USAGE",
      "decrypt needs the output input in the Action, so plaintext never reaches the job log",
      {
        hint: "set output: to a file path, e.g. ${{ runner.temp }}/secret.yaml"
      }
    );
  }
  return {
    command: "decrypt",
    file,
    inputType: inputType === void 0 ? void 0 : parseFormat(inputType, "--input-type"),
    outputType: outputType === void 0 ? void 0 : parseFormat(outputType, "--output-type"),
    output,
    extract: extract === void 0 ? void 0 : parseExtractPath(extract),
    ignoreMac: parseBoolean(read, "ignore-mac"),
    keys: parseKeys(read, env)
  };
}

// src/commands/decrypt.ts
var MAX_INPUT_BYTES = 64 * 1024 * 1024;
async function readInput(file, deps) {
  let data;
  try {
    data = file === "-" ? await deps.readStdin() : await readFile6(file);
  } catch (cause) {
    const code2 = cause.code;
    throw new UserError(
      "FILE_NOT_FOUND",
      code2 === "ENOENT" ? "no such file" : `cannot read the file (${code2 ?? "error"})`,
      {
        cause
      }
    );
  }
  if (data.byteLength > MAX_INPUT_BYTES) {
    throw new UserError("TOO_LARGE", `the file is ${data.byteLength} bytes; the limit is ${MAX_INPUT_BYTES}`);
  }
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
}
function bytesOfLeaf(value) {
  if (value.kind === "bytes") return value.value;
  if (value.kind === "str") return Buffer.from(value.value, "utf8");
  return void 0;
}
function emitExtractedValue(value, format) {
  if (format === "yaml") return emitYamlValue(value);
  if (format === "json") return emitJsonValue(value);
  if (format === "ini") return emitGoJsonValue(value);
  throw new UserError("UNSUPPORTED", `--extract of a ${value.kind} cannot be written as ${format}`, {
    hint: "pass --output-type yaml or json"
  });
}
function renderOutput(branches, format, extract) {
  const store = storeFor(format);
  const first = branches[0] ?? { kind: "map", items: [] };
  if (extract !== void 0) {
    const value = extractValue(first, extract);
    if (value.kind === "map") return Buffer.from(store.emitPlain([value]), "utf8");
    const raw = bytesOfLeaf(value);
    if (raw !== void 0) return raw;
    return Buffer.from(emitExtractedValue(value, format), "utf8");
  }
  if (format === "binary") {
    const data = first.items.find((item) => "key" in item && item.key === "data");
    if (data !== void 0 && "key" in data) {
      const raw = bytesOfLeaf(data.value);
      if (raw !== void 0) return raw;
    }
  }
  return Buffer.from(store.emitPlain(branches), "utf8");
}
async function runDecrypt(config, deps) {
  const name = config.file === "-" ? "stdin" : config.file;
  try {
    const text3 = await readInput(config.file, deps);
    const inputFormat = config.inputType ?? formatFromPath(config.file);
    const keySources = await createKeySources(config.keys, { host: deps.host, exec: deps.exec });
    const { branches } = await decryptText(text3, inputFormat, {
      keySources,
      ignoreMac: config.ignoreMac,
      mask: (value) => deps.host.setSecret(value),
      ...config.keys.decryptionOrder === void 0 ? {} : { decryptionOrder: config.keys.decryptionOrder }
    });
    const output = renderOutput(branches, config.outputType ?? inputFormat, config.extract);
    if (config.output === void 0) deps.host.writeStdout(output);
    else await writePrivateFile(config.output, output);
  } catch (error) {
    throw withContext(`decrypting ${name}`, error, config.file === "-" ? void 0 : config.file);
  }
}
var decryptCommand = {
  name: "decrypt",
  summary: "decrypt a sops file, byte-identical to sops -d",
  usage: `decrypt FILE [--input-type T] [--output-type T] [--output FILE] [--extract '["a"]["b"]'] [--ignore-mac]
        [--age-key-file FILE]... [--pgp-key-file FILE]... [--decryption-order age,pgp]
        [--vault-allowed-addresses URL]... [--aws-allowed-accounts ID]... [--aws-allowed-keys ARN]...
        [--aws-allowed-roles ARN]...`,
  flags: decryptFlags,
  positionals: [{ name: "file" }],
  parse: parseDecryptConfig,
  async run(config, deps) {
    await runDecrypt(config, deps);
    return 0;
  }
};

// src/github/git-auth.ts
function basicCredential(token) {
  return Buffer.from(`x-access-token:${token}`).toString("base64");
}
function serverUrlOf(env) {
  const url = env["GITHUB_SERVER_URL"]?.trim();
  return (url === void 0 || url === "" ? "https://github.com" : url).replace(/\/+$/, "");
}
function gitAuthEnv(auth, env) {
  const existing = Number(env["GIT_CONFIG_COUNT"] ?? "0");
  const first = Number.isSafeInteger(existing) && existing > 0 ? existing : 0;
  const entries2 = [
    [`http.${auth.serverUrl}/.extraheader`, `AUTHORIZATION: basic ${basicCredential(auth.token)}`],
    ["credential.helper", ""]
  ];
  const out = { GIT_CONFIG_COUNT: String(first + entries2.length) };
  for (const [i, [key, value]] of entries2.entries()) {
    out[`GIT_CONFIG_KEY_${first + i}`] = key;
    out[`GIT_CONFIG_VALUE_${first + i}`] = value;
  }
  return out;
}
function gitAuthFor(token, env) {
  const value = token?.trim();
  if (value === void 0 || value === "") return void 0;
  return { serverUrl: serverUrlOf(env), token: value };
}

// src/config/diff.ts
var diffFlags = {
  ...buildFlags,
  ...kubeFlags,
  against: { type: "string" },
  "require-decryption": { type: "boolean" }
};
var GIT_REF = /^[^-\s\\:?*[][^\s\\:?*[]*$/u;
function parseAgainst(read) {
  const raw = optional(read("against"));
  if (raw === void 0 || raw === "cluster") return void 0;
  if (!GIT_REF.test(raw) || /[\u0000-\u001f\u007f]/u.test(raw) || raw.length > 256) {
    throw new UserError("USAGE", `against is "${raw}"; expected cluster or a git ref such as main or HEAD~1`);
  }
  return raw;
}
function parseDiffConfig(read, env) {
  const kube = parseKubeInputs(read, env, "diff");
  const against = parseAgainst(read);
  if (against !== void 0 && kube.manifests !== void 0) {
    throw new UserError("USAGE", "against needs a PATH to build at the ref, not --manifests");
  }
  return {
    command: "diff",
    kube,
    // Built in memory for the diff: the manifests never go to stdout or a file.
    build: kube.manifests === void 0 ? parseBuildConfig(read, env, { stdoutIsLog: false }) : void 0,
    against,
    requireDecryption: parseBoolean(read, "require-decryption"),
    fetchAuth: against === void 0 ? void 0 : gitAuthFor(read("github-token"), env)
  };
}

// src/kube/adopt-hashed-names.ts
var NAME_HASH_ALPHABET = "2456789bcdfghkmt";
var NAME_HASH_LENGTH = 10;
var HASHED_NAME = new RegExp(`^(.+)-([${NAME_HASH_ALPHABET}]{${NAME_HASH_LENGTH}})$`);
var ADOPTED_HASH_REASON = "name hash taken from the live Secret: its values were not decrypted";
var UNKNOWN_HASH_REASON = "name hash unknown: values not decrypted";
var METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json";
var LIST_PAGE2 = "500";
var NAMES_SHOWN = 3;
function splitNameHash(name) {
  const match = HASHED_NAME.exec(name);
  if (match?.[1] === void 0 || match[2] === void 0) return void 0;
  return { base: match[1], hash: match[2] };
}
function escapeRegExp2(text3) {
  return text3.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function renderedNamespace(object) {
  const namespace = metadataOf(object)["namespace"];
  return typeof namespace === "string" ? namespace : "";
}
function isSecret2(object) {
  return object["kind"] === "Secret" && object["apiVersion"] === "v1";
}
function renameInObjects(objects, renames) {
  if (renames.length === 0) return [...objects];
  const targets = /* @__PURE__ */ new Map();
  for (const rename2 of renames) {
    const set = targets.get(rename2.from) ?? /* @__PURE__ */ new Set();
    set.add(rename2.to);
    targets.set(rename2.from, set);
  }
  return objects.map((object) => {
    const namespace = renderedNamespace(object);
    const mine = renames.filter(
      (r) => r.namespace === namespace || namespace === "" && targets.get(r.from)?.size === 1
    );
    if (mine.length === 0) return object;
    const patterns = mine.map((r) => ({
      ...r,
      // Name characters on either side would make it part of another name.
      pattern: new RegExp(`(?<![A-Za-z0-9.-])${escapeRegExp2(r.from)}(?![A-Za-z0-9.-])`, "g")
    }));
    const rename2 = (value) => {
      if (typeof value === "string") {
        let out = value;
        for (const p of patterns) out = out === p.from ? p.to : out.replace(p.pattern, p.to);
        return out;
      }
      if (Array.isArray(value)) return value.map(rename2);
      if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename2(v)]));
      return value;
    };
    const secret = isSecret2(object);
    return Object.fromEntries(
      Object.entries(object).map(([key, value]) => [
        key,
        secret && (key === "data" || key === "stringData") ? structuredClone(value) : rename2(value)
      ])
    );
  });
}
function isManagedBy(metadata, fieldManager) {
  const entries2 = metadata["managedFields"];
  return Array.isArray(entries2) && entries2.some((e) => isRecord(e) && e["manager"] === fieldManager);
}
async function listSecretMetadata(client, path18) {
  const items = [];
  let token;
  do {
    let body;
    try {
      ({ body } = await client.request("GET", path18, {
        query: { limit: LIST_PAGE2, continue: token },
        accept: METADATA_LIST
      }));
    } catch (error) {
      if (error instanceof KubeApiError && (error.status === 403 || error.status === 405)) return void 0;
      throw error;
    }
    for (const item of body.items ?? [])
      if (isRecord(item) && isRecord(item["metadata"])) items.push(item["metadata"]);
    const next = body.metadata?.continue;
    token = next === void 0 || next === "" ? void 0 : next;
  } while (token !== void 0);
  return items;
}
function quoteNames(names) {
  const shown = names.slice(0, NAMES_SHOWN).join(", ");
  return names.length > NAMES_SHOWN ? `${shown}, ...` : shown;
}
async function adoptHashedSecretNames(client, objects, fieldManager) {
  const pending = [];
  for (const object of objects) {
    if (!isSecret2(object) || !hasUndecryptedValues(object)) continue;
    const ref = refOf(object);
    const split = splitNameHash(ref.name);
    if (split === void 0) continue;
    pending.push({
      ref,
      base: split.base,
      namespace: ref.namespace === "" ? client.namespace : ref.namespace
    });
  }
  if (pending.length === 0) return { objects: [...objects], reasons: /* @__PURE__ */ new Map() };
  const info = await client.resourceFor("v1", "Secret");
  if (info === void 0) return { objects: [...objects], reasons: /* @__PURE__ */ new Map() };
  const lists = /* @__PURE__ */ new Map();
  const keyOf = (ref, name) => identityKey({ ...ref, name, namespace: ref.namespace === "" ? client.namespace : ref.namespace });
  const rendered = new Set(
    objects.filter(isSecret2).map((o) => refOf(o)).map((r) => keyOf(r, r.name))
  );
  const renames = [];
  const reasons = /* @__PURE__ */ new Map();
  for (const { ref, base, namespace } of pending) {
    let listed = lists.get(namespace);
    if (listed === void 0) {
      listed = listSecretMetadata(client, collectionPath(info, namespace));
      lists.set(namespace, listed);
    }
    const live = await listed;
    if (live === void 0) {
      reasons.set(
        keyOf(ref, ref.name),
        `${UNKNOWN_HASH_REASON}, and the live Secrets of ${namespace} cannot be listed`
      );
      continue;
    }
    const names = live.map((m) => m["name"]).filter((n) => typeof n === "string");
    if (names.includes(ref.name)) continue;
    const candidates = live.filter((metadata) => {
      const name = metadata["name"];
      return typeof name === "string" && splitNameHash(name)?.base === base && isManagedBy(metadata, fieldManager) && // A live name this build renders too belongs to that object.
      !rendered.has(keyOf(ref, name));
    }).map((metadata) => metadata["name"]).sort();
    const [only] = candidates;
    if (only !== void 0 && candidates.length === 1) {
      renames.push({ namespace: ref.namespace, from: ref.name, to: only });
      reasons.set(keyOf(ref, only), ADOPTED_HASH_REASON);
      continue;
    }
    reasons.set(
      keyOf(ref, ref.name),
      candidates.length === 0 ? `${UNKNOWN_HASH_REASON}, and no live Secret ${base}-<hash> in ${namespace} was applied by ${fieldManager}` : `${UNKNOWN_HASH_REASON}, and ${candidates.length} live Secrets could be it (${quoteNames(candidates)})`
    );
  }
  return { objects: renameInObjects(objects, renames), reasons };
}

// src/commands/diff-against.ts
import path11 from "node:path";

// src/kube/against-ref.ts
var import_yaml10 = __toESM(require_dist(), 1);
import { existsSync as existsSync2 } from "node:fs";
import { chmod as chmod2, mkdtemp as mkdtemp2, realpath as realpath2, rm as rm3, stat as stat3 } from "node:fs/promises";
import path10 from "node:path";
async function git(ctx, args) {
  let result;
  try {
    result = await ctx.exec.run("git", args, {
      cwd: ctx.cwd,
      // Never prompt for credentials in CI; a missing ref must fail, not hang.
      env: { ...ctx.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", LC_ALL: "C" },
      timeoutMs: 3e5
    });
  } catch (cause) {
    throw new UserError("UNSUPPORTED", "against needs git on PATH, and it cannot be started", { cause });
  }
  return {
    ok: result.exitCode === 0,
    out: Buffer.from(result.stdout).toString("utf8").trim(),
    err: result.stderr.trim().split("\n").at(-1) ?? ""
  };
}
async function repositoryRoot(target, exec, env) {
  let dir = path10.resolve(target);
  try {
    if (!(await stat3(dir)).isDirectory()) dir = path10.dirname(dir);
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `${target} does not exist`, { cause });
  }
  const top2 = await git({ exec, env, cwd: dir }, ["rev-parse", "--show-toplevel"]);
  if (!top2.ok || top2.out === "") {
    throw new UserError("USAGE", `against needs ${target} to be inside a git repository`);
  }
  return realpath2(top2.out);
}
async function resolveRef(repo, ref, exec, env, auth) {
  const ctx = { exec, env, cwd: repo };
  const verify = (name) => git(ctx, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${name}^{commit}`]);
  const found = await verify(ref);
  if (found.ok) return found.out;
  const fetched = await fetchMissingRef(ctx, ref, auth);
  for (const name of fetched.names) {
    const again = await verify(name);
    if (again.ok) return again.out;
  }
  throw new UserError("USAGE", `against: git ref "${ref}" is not in ${repo}${fetched.note}`, {
    hint: "name a branch, tag or commit that exists, or fetch it first (actions/checkout with fetch-depth: 0)"
  });
}
function splitAncestry(ref) {
  const match = /^(.*?)((?:[~^]\d*)*)$/.exec(ref);
  const base = match?.[1] ?? ref;
  const suffix = match?.[2] ?? "";
  let generations = 0;
  for (const [, op, n] of suffix.matchAll(/([~^])(\d*)/g)) {
    generations += op === "~" ? n === "" ? 1 : Number(n) : n === "0" ? 0 : 1;
  }
  return { base, suffix, generations };
}
async function fetchMissingRef(ctx, ref, auth) {
  if (!(await git(ctx, ["remote", "get-url", "origin"])).ok) return { names: [], note: "" };
  const shallow = (await git(ctx, ["rev-parse", "--is-shallow-repository"])).out === "true";
  const fetchCtx = auth === void 0 ? ctx : { ...ctx, env: { ...ctx.env, ...gitAuthEnv(auth, ctx.env) } };
  const fetch2 = (options, refspec) => git(fetchCtx, ["fetch", "--no-tags", "--quiet", ...options, "origin", "--end-of-options", refspec]);
  const { base, suffix, generations } = splitAncestry(ref);
  const failed = (err) => ({
    names: [],
    note: `, and fetching it from origin failed (${err || "no such ref"})`
  });
  const present = await git(ctx, [
    "rev-parse",
    "--verify",
    "--quiet",
    "--end-of-options",
    `${base}^{commit}`
  ]);
  if (present.ok) {
    if (!shallow || generations === 0) return { names: [], note: "" };
    const deepened = await fetch2([`--deepen=${generations}`], present.out);
    return deepened.ok ? { names: [ref], note: "" } : failed(deepened.err);
  }
  const depth = shallow ? [`--depth=${generations + 1}`] : [];
  if (/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(base)) {
    const bySha = await fetch2(depth, base);
    return bySha.ok ? { names: [ref], note: "" } : failed(bySha.err);
  }
  if (base.startsWith("refs/")) {
    const full = await fetch2(depth, `+${base}:${base}`);
    return full.ok ? { names: [ref], note: "" } : failed(full.err);
  }
  const name = base.replace(/^(?:origin\/|refs\/remotes\/origin\/)/, "");
  const branch = await fetch2(depth, `+refs/heads/${name}:refs/remotes/origin/${name}`);
  if (branch.ok) return { names: [ref, `origin/${name}${suffix}`], note: "" };
  const tag = await fetch2(depth, `+refs/tags/${name}:refs/tags/${name}`);
  if (tag.ok) return { names: [ref, `refs/tags/${name}${suffix}`], note: "" };
  return failed(tag.err || branch.err);
}
async function checkoutRef(repo, commit, exec, env) {
  const parent = await mkdtemp2(path10.join(privateRootParent(env), "ksd-against-"));
  await chmod2(parent, 448);
  const dir = path10.join(parent, "tree");
  const ctx = { exec, env, cwd: repo };
  let removed = false;
  const cleanup = async () => {
    if (removed) return;
    removed = true;
    await git(ctx, ["worktree", "remove", "--force", dir]);
    await rm3(parent, { recursive: true, force: true });
    await git(ctx, ["worktree", "prune"]);
  };
  const added = await git(ctx, ["worktree", "add", "--detach", "--quiet", dir, commit]);
  if (!added.ok) {
    await cleanup();
    throw new UserError("UNSUPPORTED", `against: cannot check out ${commit.slice(0, 12)} (${added.err})`);
  }
  return { dir, commit, cleanup };
}
function mapIntoTree(target, repo, tree) {
  const relative = path10.relative(repo, path10.resolve(target));
  if (relative.startsWith("..") || path10.isAbsolute(relative)) {
    throw new UserError("USAGE", `against: ${target} is outside the repository ${repo}`);
  }
  return path10.join(tree, relative);
}
function existsInTree(target) {
  return existsSync2(target);
}
function toYaml2(object) {
  return object === void 0 ? "" : (0, import_yaml10.stringify)(object, { lineWidth: 0, sortMapEntries: false });
}
function comparable(object) {
  return normalizeObject(toApplyForm(object));
}
function compareRendered(base, head, labels) {
  const before = /* @__PURE__ */ new Map();
  for (const object of base) before.set(identityKey(refOf(object)), object);
  const seen = /* @__PURE__ */ new Set();
  const entries2 = [];
  const render = (name, a, b) => {
    const masked = maskSecretPair(
      a === void 0 ? void 0 : comparable(a),
      b === void 0 ? void 0 : comparable(b)
    );
    return unifiedDiff(
      toYaml2(masked.before),
      toYaml2(masked.after),
      a === void 0 ? "/dev/null" : `${name} (${labels.base})`,
      b === void 0 ? "/dev/null" : `${name} (${labels.head})`
    );
  };
  for (const object of head) {
    const ref = refOf(object);
    const key = identityKey(ref);
    seen.add(key);
    const old = before.get(key);
    const name = describeRef(ref);
    const skip = skipReason(object, old);
    if (skip !== void 0) {
      entries2.push({ ref, class: "skipped", reason: skip, diff: "" });
      continue;
    }
    const unknown = hasUndecryptedValues(object) || hasUndecryptedValues(old);
    const marks = unknown ? { reason: UNDECRYPTED_REASON, undecrypted: true } : { reason: void 0 };
    if (old === void 0) {
      entries2.push({ ref, class: "created", ...marks, diff: render(name, void 0, object) });
      continue;
    }
    const same = unknown ? sameExceptUndecrypted(comparable(old), comparable(object)) : deepEqual(comparable(old), comparable(object));
    entries2.push({
      ref,
      class: same ? "unchanged" : "configured",
      ...marks,
      diff: same ? "" : render(name, old, object)
    });
  }
  for (const [key, object] of before) {
    if (seen.has(key)) continue;
    const ref = refOf(object);
    const deletedReason = "no longer rendered; apply deletes it only with prune";
    const unknown = hasUndecryptedValues(object);
    entries2.push({
      ref,
      class: "deleted",
      reason: unknown ? joinReasons(deletedReason, UNDECRYPTED_REASON) : deletedReason,
      ...unknown ? { undecrypted: true } : {},
      diff: render(describeRef(ref), object, void 0)
    });
  }
  return summarizeDiff(entries2);
}

// src/github/pull-request.ts
import { readFileSync } from "node:fs";
var PR_EVENTS = /* @__PURE__ */ new Set(["pull_request", "pull_request_target"]);
function record3(value) {
  return isRecord(value) ? value : void 0;
}
function fullName(repo) {
  const name = record3(repo)?.["full_name"];
  return typeof name === "string" ? name : void 0;
}
function pullRequestFromPayload(payload, repository) {
  const pr = record3(record3(payload)?.["pull_request"]);
  const number = pr?.["number"] ?? record3(payload)?.["number"];
  if (pr === void 0 || typeof number !== "number" || !Number.isSafeInteger(number)) return void 0;
  const base = fullName(record3(pr["base"])?.["repo"]) ?? repository;
  if (base === void 0) return void 0;
  const [owner, repo, ...rest] = base.split("/");
  if (owner === void 0 || repo === void 0 || rest.length > 0) return void 0;
  const head = fullName(record3(pr["head"])?.["repo"]);
  const fork = head === void 0 ? record3(pr["head"])?.["repo"] === null : head !== base;
  return { owner, repo, number, fork };
}
function pullRequestFromEnv(env) {
  const event2 = env["GITHUB_EVENT_NAME"];
  const file = env["GITHUB_EVENT_PATH"];
  if (event2 === void 0 || !PR_EVENTS.has(event2) || file === void 0 || file === "") return void 0;
  let payload;
  try {
    payload = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return void 0;
  }
  const pullRequest = pullRequestFromPayload(payload, env["GITHUB_REPOSITORY"]);
  return pullRequest === void 0 ? void 0 : { ...pullRequest, dependabot: env["GITHUB_ACTOR"] === "dependabot[bot]" };
}

// src/commands/undecrypted-note.ts
function undecryptedWhy(files, env) {
  const pullRequest = pullRequestFromEnv(env);
  if (pullRequest?.fork === true) {
    return "GitHub gives no secrets and no OIDC token to pull requests from forks";
  }
  if (pullRequest?.dependabot === true) {
    return "GitHub gives pull requests from Dependabot only Dependabot secrets, no Actions secrets";
  }
  const first = files[0]?.reason;
  return `no key configured for this run opens them${first === void 0 ? "" : `: ${first}`}`;
}
function noteUndecrypted(report, files, env, host) {
  if (files.length === 0) return report;
  const note = { files: files.map((f) => f.file), why: undecryptedWhy(files, env) };
  host.warning(renderUndecryptedNote(note));
  return { ...report, undecrypted: note };
}

// src/commands/diff-against.ts
async function buildObjects(config, deps, shared, source) {
  if (config.paths.length === 0) return [];
  const objects = parseManifests(await renderManifests(config, deps, shared), source);
  for (const value of secretValues2(objects)) if (!isUndecryptedString(value)) deps.host.setSecret(value);
  return objects;
}
async function diffAgainstRef(config, deps, options = {}) {
  const { build, against } = config;
  if (build === void 0 || against === void 0) {
    throw new UserError("USAGE", "against needs a PATH to build and a git ref");
  }
  const first = build.paths[0];
  if (first === void 0) throw new UserError("USAGE", "against needs a PATH to build");
  const repo = await repositoryRoot(first, deps.exec, build.env);
  const commit = await resolveRef(repo, against, deps.exec, build.env, config.fetchAuth);
  const keySources = cacheKeySources(
    await createKeySources(build.keys, { host: deps.host, exec: deps.exec })
  );
  const shared = {
    keySources,
    ...options.undecrypted === void 0 ? {} : { undecrypted: options.undecrypted }
  };
  const headBuild = buildObjects(build, deps, shared, "the working tree build");
  const baseBuild = (async () => {
    const tree = await checkoutRef(repo, commit, deps.exec, build.env);
    try {
      const basePaths = build.paths.map((p) => mapIntoTree(p, repo, tree.dir));
      const present = basePaths.filter((p) => existsInTree(p));
      for (const [i, p] of basePaths.entries()) {
        if (!present.includes(p))
          deps.host.info(`${build.paths[i] ?? p} does not exist at ${against}: all its objects are new`);
      }
      const baseConfig = {
        ...build,
        paths: present,
        root: build.root === void 0 ? tree.dir : mapIntoTree(build.root, repo, tree.dir)
      };
      const nameTarget = (target) => `${path11.relative(tree.dir, target).split(path11.sep).join("/") || "."} at ${against}`;
      return await buildObjects(baseConfig, deps, { ...shared, nameTarget }, `the build at ${against}`);
    } finally {
      await tree.cleanup();
    }
  })();
  const [head, base] = await Promise.allSettled([headBuild, baseBuild]);
  if (head.status === "rejected") throw head.reason;
  if (base.status === "rejected") throw base.reason;
  const report = compareRendered(base.value, head.value, { base: against, head: "working tree" });
  return { report, commit };
}
async function runDiffAgainst(config, deps) {
  const undecrypted = config.requireDecryption ? void 0 : new UndecryptedFiles();
  const found = await diffAgainstRef(config, deps, undecrypted === void 0 ? {} : { undecrypted });
  const { commit } = found;
  const report = noteUndecrypted(found.report, undecrypted?.list() ?? [], config.build?.env ?? {}, deps.host);
  deps.host.info(`compared with ${config.against ?? ""} (${commit.slice(0, 12)}); no cluster was read`);
  deps.host.writeStdout(renderDiffText(report));
  return report.changed ? 1 : 0;
}

// src/commands/diff.ts
var diffCommand = {
  name: "diff",
  summary: "show what apply would change in the cluster (Secrets compared decrypted, shown masked)",
  usage: `diff PATH... [--against REF] | --manifests FILE [--kubeconfig F] [--context C] [--field-manager NAME] [--concurrency N] [--force]
        [--applyset NAME [--applyset-namespace NS] [--prune]] [--require-decryption]`,
  flags: diffFlags,
  positionals: [{ name: "path", variadic: true }],
  parse: parseDiffConfig,
  async run(config, deps) {
    const { host } = deps;
    if (config.against !== void 0 && !host.reportsToGithub) return runDiffAgainst(config, deps);
    const undecrypted = config.requireDecryption ? void 0 : new UndecryptedFiles();
    const shared = undecrypted === void 0 ? {} : { undecrypted };
    let report;
    if (config.against === void 0) {
      const built = await host.group("build", () => loadObjects(config.kube, config.build, deps, shared));
      const client = await openClient(config.kube);
      try {
        report = await host.group("diff", async () => {
          const { objects, reasons } = undecrypted !== void 0 && undecrypted.size > 0 ? await adoptHashedSecretNames(client, built, config.kube.fieldManager) : { objects: built, reasons: void 0 };
          return diffObjects(client, objects, {
            ...reasons === void 0 ? {} : { reasons },
            fieldManager: config.kube.fieldManager,
            concurrency: config.kube.concurrency,
            force: config.kube.force,
            applySet: config.kube.applySet,
            prune: config.kube.prune
          });
        });
      } finally {
        client.close();
      }
    } else {
      const against = await host.group("build and diff", () => diffAgainstRef(config, deps, shared));
      host.info(`compared with ${config.against} (${against.commit.slice(0, 12)}); no cluster was read`);
      report = against.report;
    }
    report = noteUndecrypted(report, undecrypted?.list() ?? [], config.kube.env, host);
    host.writeStdout(renderDiffText(report));
    if (host.reportsToGithub) {
      await host.group(
        "report",
        () => publishDiff(host, report, {
          tag: config.build?.paths.join(", ") ?? config.kube.manifests ?? "diff",
          file: config.build?.output,
          tempDir: config.kube.env["RUNNER_TEMP"]
        })
      );
    }
    if (report.counts.failed > 0) return 2;
    return report.changed ? 1 : 0;
  }
};

// src/commands/lint.ts
import { existsSync as existsSync4 } from "node:fs";
import { readFile as readFile8, writeFile as writeFile2 } from "node:fs/promises";
import path17 from "node:path";

// src/lint/rules.ts
var RULES = [
  {
    id: "plaintext-secret",
    severity: "error",
    description: "A Kubernetes Secret has data or stringData and no sops metadata",
    hint: "encrypt it: sops --encrypt --encrypted-regex '^(data|stringData)$' --in-place FILE"
  },
  {
    id: "unencrypted-value",
    severity: "error",
    description: "A value that the file's own sops selection rules say must be encrypted is plaintext",
    hint: "a key was added or edited after encryption; edit the file with `sops FILE` so it is re-encrypted"
  },
  {
    id: "creation-rule-unencrypted",
    severity: "error",
    description: "A .sops.yaml creation rule matches the file, but the file is not encrypted",
    hint: "encrypt it with `sops --encrypt --in-place FILE`, or narrow the rule path_regex"
  },
  {
    id: "generator-plaintext",
    severity: "error",
    description: "A kustomize secretGenerator takes a secret from a literal or a plaintext file",
    hint: "move the value into a sops-encrypted env or file source and reference that instead"
  },
  {
    id: "sops-structure",
    severity: "error",
    description: "The sops metadata or an ENC[...] value is malformed, so the file cannot be decrypted",
    hint: "the file was edited or truncated by hand; restore it from version control or re-encrypt it"
  },
  {
    id: "private-key-material",
    severity: "warning",
    description: "A private key block or a well-known token shape is in an unencrypted file",
    hint: "remove it from the repository (and rotate it), or encrypt the file with sops"
  },
  {
    id: "unparseable-file",
    severity: "warning",
    description: "A file that looks like a manifest does not parse, so it was not checked",
    hint: "templates (Helm, envsubst) are expected here; otherwise fix the syntax"
  }
];
var byId = new Map(RULES.map((rule) => [rule.id, rule]));
function ruleInfo(id) {
  const rule = byId.get(id);
  if (rule === void 0) throw new Error(`unknown lint rule ${id}`);
  return rule;
}
function isRuleId(value) {
  return byId.has(value);
}
function finding(rule, at2, message, snippet) {
  const info = ruleInfo(rule);
  return {
    file: at2.file,
    line: at2.line,
    column: at2.column,
    rule,
    severity: info.severity,
    message,
    hint: info.hint,
    ...snippet === void 0 ? {} : { snippet }
  };
}

// src/lint/render.ts
var LINT_FORMATS = ["text", "json", "sarif", "github"];
var TOOL_URI = "https://github.com/kustomize-sops-deploy/kustomize-sops-deploy";
function plain(finding2) {
  const { file, line, column, rule, severity, message, hint } = finding2;
  return { file, line, column, rule, severity, message, hint };
}
function snippetLines(finding2) {
  if (finding2.snippet === void 0 || finding2.snippet === "") return [];
  const gutter = String(finding2.line);
  return [
    `  ${gutter} | ${finding2.snippet}`,
    `  ${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, finding2.column - 1))}^`
  ];
}
function renderText(result) {
  const out = [];
  for (const f of result.findings) {
    out.push(`${f.file}:${f.line}:${f.column}: ${f.severity} [${f.rule}] ${f.message}`, ...snippetLines(f));
    out.push(`  hint: ${f.hint}`, "");
  }
  for (const s of result.suppressed) {
    out.push(
      `${s.file}:${s.line}:${s.column}: suppressed [${s.rule}] ${s.message}`,
      `  reason: ${s.reason}`,
      ""
    );
  }
  const errors = result.findings.filter((f) => f.severity === "error").length;
  out.push(
    `${result.filesChecked} files checked: ${errors} ${errors === 1 ? "error" : "errors"}, ${result.findings.length - errors} warnings, ${result.suppressed.length} suppressed`
  );
  return `${out.join("\n")}
`;
}
function renderJson(result) {
  return `${JSON.stringify(
    {
      findings: result.findings.map(plain),
      suppressed: result.suppressed.map((s) => ({ ...plain(s), reason: s.reason }))
    },
    null,
    2
  )}
`;
}
function sarifResult(f, reason) {
  return {
    ruleId: f.rule,
    level: f.severity,
    message: { text: `${f.message}. ${f.hint}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: "%SRCROOT%" },
          region: { startLine: f.line, startColumn: f.column }
        }
      }
    ],
    ...reason === void 0 ? {} : { suppressions: [{ kind: "external", justification: reason }] }
  };
}
function renderSarif(result) {
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "kustomize-sops-deploy lint",
            informationUri: TOOL_URI,
            rules: RULES.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              help: { text: rule.hint },
              defaultConfiguration: { level: rule.severity }
            }))
          }
        },
        results: [
          ...result.findings.map((f) => sarifResult(f)),
          ...result.suppressed.map((s) => sarifResult(s, s.reason))
        ]
      }
    ]
  };
  return `${JSON.stringify(sarif, null, 2)}
`;
}
function escapeData(value) {
  return value.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}
function escapeProperty(value) {
  return escapeData(value).replaceAll(":", "%3A").replaceAll(",", "%2C");
}
function renderGithub(result) {
  const out = result.findings.map(
    (f) => `::${f.severity} file=${escapeProperty(f.file)},line=${f.line},col=${f.column},title=${escapeProperty(
      `lint: ${f.rule}`
    )}::${escapeData(`${f.message}. ${f.hint}`)}`
  );
  for (const s of result.suppressed) {
    out.push(`${s.file}:${s.line}:${s.column}: suppressed [${s.rule}] ${s.message} (reason: ${s.reason})`);
  }
  return out.length === 0 ? "" : `${out.join("\n")}
`;
}
function renderFindings(result, format) {
  switch (format) {
    case "text":
      return renderText(result);
    case "json":
      return renderJson(result);
    case "sarif":
      return renderSarif(result);
    case "github":
      return renderGithub(result);
  }
}

// src/config/lint.ts
var lintFlags = {
  format: { type: "string" },
  config: { type: "string" },
  "sarif-file": { type: "string" }
};
function parseLintConfig(read, _env, shell) {
  const format = optional(read("format")) ?? (shell.stdoutIsLog ? "github" : "text");
  if (!LINT_FORMATS.includes(format)) {
    throw new UserError("USAGE", `format is "${format}"; expected one of ${LINT_FORMATS.join(", ")}`);
  }
  const paths = lines(read("path"));
  return {
    command: "lint",
    paths: paths.length === 0 ? ["."] : paths,
    format,
    config: optional(read("config")),
    sarifFile: optional(read("sarif-file"))
  };
}

// src/lint/lint.ts
import { existsSync as existsSync3, readFileSync as readFileSync2, statSync } from "node:fs";
import path16 from "node:path";

// src/lint/sops-checks.ts
var KNOWN_TYPES = /* @__PURE__ */ new Set(["str", "int", "float", "bool", "time", "bytes", "comment"]);
function fieldText(raw, field) {
  for (const item of raw.items) {
    if (!isComment(item) && item.key === field) {
      const value = item.value;
      return value.kind === "str" || value.kind === "time" ? value.value : void 0;
    }
  }
  return void 0;
}
function checkMetadata(raw) {
  const problems = [];
  let metadata;
  try {
    metadata = parseMetadata(raw);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    problems.push({ field: void 0, message: error.message });
    return { metadata, problems };
  }
  if (metadata.mac === "") {
    problems.push({
      field: "mac",
      message: "sops metadata: mac is missing or empty, so the file cannot be verified"
    });
  } else {
    const macProblem = encProblem(metadata.mac);
    if (macProblem !== void 0)
      problems.push({ field: "mac", message: `sops metadata: mac: ${macProblem}` });
  }
  try {
    formatGoTime(fieldText(raw, "lastmodified") ?? metadata.lastModified, "seconds");
  } catch {
    problems.push({
      field: "lastmodified",
      message: "sops metadata: lastmodified is not an RFC 3339 timestamp, so the MAC cannot be checked"
    });
  }
  return { metadata, problems };
}
function encProblem(value) {
  try {
    const parsed = parseEncryptedValue(value);
    if (!KNOWN_TYPES.has(parsed.type)) return "the ENC[...] value has an unknown type";
    return void 0;
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
}

// src/lint/source-tree.ts
var import_yaml11 = __toESM(require_dist(), 1);
function parseSource(text3, format) {
  const lines2 = new import_yaml11.LineCounter();
  const docs = (0, import_yaml11.parseAllDocuments)(text3, { lineCounter: lines2, prettyErrors: false, uniqueKeys: false });
  if (!Array.isArray(docs)) return { documents: [], lines: lines2, text: text3 };
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== void 0)
      return { offset: error.pos[0], reason: error.code.toLowerCase().replaceAll("_", " ") };
  }
  let trees;
  try {
    trees = format === "json" ? [parseJsonDocument(text3)] : yamlStore.loadPlain(text3);
  } catch (error) {
    if (error instanceof UserError) return { offset: 0, reason: error.message };
    throw error;
  }
  const documents = trees.map((tree, index) => ({ index, tree, ast: docs[index]?.contents ?? null }));
  return { text: text3, lines: lines2, documents };
}
function isParseFailure(value) {
  return "reason" in value;
}
function startOf(node, fallback) {
  const range = node?.range;
  return range?.[0] ?? fallback;
}
function astChild(node, key) {
  if (!(0, import_yaml11.isMap)(node)) return void 0;
  for (const pair of node.items) {
    if ((0, import_yaml11.isPair)(pair) && (0, import_yaml11.isScalar)(pair.key) && String(pair.key.value) === key) {
      return { node: pair.value ?? null, offset: startOf(pair.key, startOf(node, 0)) };
    }
  }
  return void 0;
}
function walkLeaves(tree, ast, offset, visit2, path18 = [], outer = [], skipTopLevel) {
  if (tree.kind === "map") {
    const pairs = (0, import_yaml11.isMap)(ast) ? ast.items : [];
    let j = 0;
    let level = [];
    for (const item of tree.items) {
      if (!("key" in item)) {
        level.push(item.text);
        continue;
      }
      const pair = pairs[j++];
      if (path18.length === 0 && item.key === skipTopLevel) {
        level = [];
        continue;
      }
      const keyOffset = pair === void 0 ? offset : startOf(pair.key, offset);
      const valueAst = pair === void 0 ? null : pair.value ?? null;
      walkLeaves(item.value, valueAst, keyOffset, visit2, [...path18, item.key], [...outer, level]);
      level = [];
    }
    return;
  }
  if (tree.kind === "list") {
    const items = (0, import_yaml11.isSeq)(ast) ? ast.items : [];
    let j = 0;
    let level = [];
    for (const item of tree.items) {
      if (item.kind === "comment") {
        level.push(item.text);
        continue;
      }
      const node = items[j++];
      walkLeaves(item, node ?? null, startOf(node, offset), visit2, path18, [...outer, level]);
      level = [];
    }
    return;
  }
  if (tree.kind === "null" || tree.kind === "comment") return;
  visit2({ value: tree, path: path18, comments: outer, offset });
}
function positionOf(source, offset) {
  const pos = source.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}
function redactedLine(text3, lines2, offset) {
  const { line } = lines2.linePos(offset);
  const start = lines2.lineStarts[line - 1] ?? 0;
  let end = text3.indexOf("\n", start);
  if (end === -1) end = text3.length;
  const lineText2 = text3.slice(start, end).replace(/\r$/, "");
  const rel = Math.min(offset - start, lineText2.length);
  const prefix = lineText2.slice(0, rel);
  const rest = lineText2.slice(rel);
  const key = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s:#'"][^:#]*?)\s*:(?=\s|$)/.exec(rest);
  if (key !== null) {
    const after = rest.slice(key[0].length).trim();
    return `${prefix}${key[0]}${after === "" || after === "{" || after === "[" || after === "|" || after === ">" ? after === "" ? "" : ` ${after}` : " ***"}`;
  }
  return rest.trim() === "" ? prefix : `${prefix}***`;
}

// src/lint/suppress.ts
var import_yaml13 = __toESM(require_dist(), 1);
import path12 from "node:path";
var NO_REASON = "(no reason given)";
function parseIgnoreAnnotation(value) {
  const match = /^\s*([A-Za-z*][\w*,\s-]*?)\s*(?::\s*([\s\S]*))?$/.exec(value);
  if (match?.[1] === void 0) return [];
  const reason = match[2]?.trim() || NO_REASON;
  const names = match[1].split(",").map((n) => n.trim());
  if (names.includes("*")) return [{ rules: "*", reason }];
  const rules = names.filter(isRuleId);
  return rules.length === 0 ? [] : [{ rules, reason }];
}
function parseLintConfig2(text3, file) {
  let raw;
  try {
    raw = (0, import_yaml13.parse)(text3, { prettyErrors: false });
  } catch (cause) {
    throw new UserError("USAGE", `${file}: not valid YAML`, { cause });
  }
  const list = raw?.ignore ?? [];
  if (!Array.isArray(list)) throw new UserError("USAGE", `${file}: ignore should be a list`);
  const ignore = list.map((entry3, i) => {
    const fields = entry3 ?? {};
    const rule = fields["rule"] ?? "*";
    const glob2 = fields["path"] ?? "**";
    const reason = fields["reason"];
    const where = `${file}: ignore[${i}]`;
    if (typeof rule !== "string" || rule !== "*" && !isRuleId(rule)) {
      throw new UserError("USAGE", `${where}: rule is not a lint rule id`, {
        hint: "use one of the ids printed with each finding, or *"
      });
    }
    if (typeof glob2 !== "string") throw new UserError("USAGE", `${where}: path should be a glob string`);
    if (typeof reason !== "string" || reason.trim() === "") {
      throw new UserError("USAGE", `${where}: needs a reason`, { hint: "say why the finding is acceptable" });
    }
    return { rule, path: glob2, reason: reason.trim() };
  });
  return { baseDir: path12.dirname(file), ignore };
}
function waiverReason(finding2, absolute, waivers, config) {
  for (const waiver of waivers) {
    if (waiver.rules === "*" || waiver.rules.includes(finding2.rule)) return waiver.reason;
  }
  if (config === void 0) return void 0;
  const relative = path12.relative(config.baseDir, absolute).split(path12.sep).join("/");
  for (const entry3 of config.ignore) {
    if ((entry3.rule === "*" || entry3.rule === finding2.rule) && path12.matchesGlob(relative, entry3.path)) {
      return entry3.reason;
    }
  }
  return void 0;
}
function suppressed(finding2, reason) {
  return { ...finding2, reason };
}

// src/lint/check-manifest.ts
var IGNORE_ANNOTATION = "kustomize-sops-deploy/lint-ignore";
var TEMPLATE = /\{\{[\s\S]*\}\}|\$\{[^}]*\}|^\$[A-Za-z_][A-Za-z0-9_]*$/;
function isTemplate(value) {
  return TEMPLATE.test(value);
}
function entry(map, key) {
  if (map?.kind !== "map") return void 0;
  for (const item of map.items) if (!isComment(item) && item.key === key) return item.value;
  return void 0;
}
function text2(value) {
  return value?.kind === "str" ? value.value : void 0;
}
function holdsValue(value) {
  if (value.kind === "null" || value.kind === "comment") return false;
  if (value.kind === "str") return value.value !== "" && !isTemplate(value.value);
  return value.kind !== "map" && value.kind !== "list";
}
function objectName(tree) {
  const kind = text2(entry(tree, "kind"));
  if (kind === void 0) return "the document";
  const meta = entry(tree, "metadata");
  const name = text2(entry(meta, "name"));
  const namespace = text2(entry(meta, "namespace"));
  if (name === void 0) return kind;
  return `${kind} ${namespace === void 0 ? "" : `${namespace}/`}${name}`;
}
function waiversOf(tree) {
  const value = text2(entry(entry(entry(tree, "metadata"), "annotations"), IGNORE_ANNOTATION));
  return value === void 0 ? [] : parseIgnoreAnnotation(value);
}
function quoteKeys(keys) {
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(k));
  return keys.length > 5 ? `${shown.join(", ")} and ${keys.length - 5} more` : shown.join(", ");
}
var ManifestChecker = class {
  out = [];
  waivers = [];
  input;
  source;
  constructor(input, source) {
    this.input = input;
    this.source = source;
  }
  add(rule, offset, message) {
    const at2 = { file: this.input.file, ...positionOf(this.source, offset) };
    this.out.push({
      finding: finding(rule, at2, message, redactedLine(this.source.text, this.source.lines, offset)),
      waivers: this.waivers
    });
  }
  run() {
    const docs = this.source.documents;
    const first = docs[0];
    const fileMetadata = first === void 0 ? void 0 : entry(first.tree, "sops");
    let fileSelection;
    if (first !== void 0 && fileMetadata !== void 0) {
      fileSelection = this.checkBlock(first, fileMetadata);
    }
    for (const doc of docs) {
      this.waivers = waiversOf(doc.tree);
      const own = entry(doc.tree, "sops");
      if (fileMetadata !== void 0) {
        if (fileSelection !== void 0) this.checkEncrypted(doc, fileSelection);
      } else if (own !== void 0) {
        const selection = this.checkBlock(doc, own);
        if (selection !== void 0) this.checkEncrypted(doc, selection);
      } else {
        this.checkPlain(doc);
      }
    }
  }
  /** Rule `sops-structure` on a metadata block; returns the selection when it is known. */
  checkBlock(doc, raw) {
    this.waivers = waiversOf(doc.tree);
    const block = astChild(doc.ast, "sops");
    const at2 = block?.offset ?? 0;
    if (raw.kind !== "map") {
      this.add("sops-structure", at2, "the sops metadata entry is not a mapping");
      return void 0;
    }
    const { metadata, problems } = checkMetadata(raw);
    for (const problem of problems) {
      const fieldAt = problem.field === void 0 ? void 0 : astChild(block?.node ?? null, problem.field);
      this.add("sops-structure", fieldAt?.offset ?? at2, `${objectName(doc.tree)}: ${problem.message}`);
    }
    return metadata?.selection;
  }
  /** Rule `unencrypted-value`, and malformed ENC values. */
  checkEncrypted(doc, selection) {
    const name = objectName(doc.tree);
    this.walk(doc, (leaf) => {
      const encrypted = shouldBeEncrypted(selection, leaf.path, leaf.comments, false);
      const value = leaf.value;
      if (value.kind === "str" && value.value.startsWith("ENC[")) {
        const problem = encProblem(value.value);
        if (problem !== void 0)
          this.add("sops-structure", leaf.offset, `${name}: key ${keyPath(leaf)}: ${problem}`);
        return;
      }
      if (!encrypted) return;
      if (value.kind === "str" && value.value === "") return;
      this.add(
        "unencrypted-value",
        leaf.offset,
        `${name}: key ${keyPath(leaf)} is plaintext, but the file's ${selection.kind} rule says it must be encrypted`
      );
    });
  }
  checkPlain(doc) {
    const tree = doc.tree;
    const kind = text2(entry(tree, "kind"));
    const apiVersion = text2(entry(tree, "apiVersion"));
    let reported = false;
    if (kind === "Secret" && (apiVersion === void 0 || apiVersion === "v1")) {
      reported = this.checkSecret(doc);
    }
    const rule = this.input.creationRule;
    const otherObject = kind !== void 0 && apiVersion !== void 0 && kind !== "Secret";
    if (rule === void 0 || reported || otherObject) return;
    let first;
    this.walk(doc, (leaf) => {
      if (first === void 0 && holdsValue(leaf.value) && shouldBeEncrypted(rule.selection, leaf.path, leaf.comments, false)) {
        first = leaf;
      }
    });
    if (first === void 0) return;
    const regex = rule.pathRegex === void 0 ? "a catch-all rule" : `path_regex ${JSON.stringify(rule.pathRegex)}`;
    this.add(
      "creation-rule-unencrypted",
      first.offset,
      `${objectName(tree)}: .sops.yaml creation rule ${rule.number} (${regex}) matches this file, but it is not encrypted (key ${keyPath(first)} would be)`
    );
  }
  /** Rule `plaintext-secret`; returns whether it reported. */
  checkSecret(doc) {
    let reported = false;
    for (const field of ["data", "stringData"]) {
      const map = entry(doc.tree, field);
      if (map?.kind !== "map") continue;
      const keys = map.items.flatMap(
        (item) => !isComment(item) && holdsValue(item.value) ? [item.key] : []
      );
      const firstKey = keys[0];
      if (firstKey === void 0) continue;
      const fieldAst = astChild(doc.ast, field);
      const at2 = astChild(fieldAst?.node ?? null, firstKey)?.offset ?? fieldAst?.offset ?? 0;
      this.add(
        "plaintext-secret",
        at2,
        `${objectName(doc.tree)} has plaintext ${field} (${keys.length === 1 ? "key" : "keys"} ${quoteKeys(keys)}) and no sops metadata`
      );
      reported = true;
    }
    return reported;
  }
  walk(doc, visit2) {
    const rootOffset = doc.ast?.range?.[0] ?? 0;
    walkLeaves(doc.tree, doc.ast, rootOffset, visit2, [], [], "sops");
  }
};
function keyPath(leaf) {
  return JSON.stringify(leaf.path.join("."));
}
function checkManifest(input) {
  const source = parseSource(input.text, input.format);
  if (isParseFailure(source)) {
    const lines2 = input.text.slice(0, source.offset).split("\n");
    const at2 = { file: input.file, line: lines2.length, column: (lines2.at(-1)?.length ?? 0) + 1 };
    return [
      {
        finding: finding(
          "unparseable-file",
          at2,
          `the file does not parse as ${input.format.toUpperCase()} (${source.reason}); it was not checked`
        ),
        waivers: []
      }
    ];
  }
  const checker = new ManifestChecker(input, source);
  checker.run();
  return checker.out;
}

// src/lint/check-flat-file.ts
var MATCH_ALL = /* @__PURE__ */ new Set([".*", "^.*$", ".+", "^.+$", ".*$", "^.*"]);
function lineOfKey(lines2, format, section, key) {
  if (format === "dotenv") return lines2.find((l) => l.text.startsWith(`${key}=`)) ?? { number: 1, text: "" };
  let inSection = section === void 0;
  for (const line of lines2) {
    const trimmed = line.text.trim();
    if (trimmed.startsWith("[")) inSection = trimmed === `[${section ?? ""}]`;
    else if (inSection && new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*=`).test(trimmed))
      return line;
  }
  return { number: 1, text: "" };
}
function redact(line) {
  const eq = line.text.indexOf("=");
  return eq === -1 ? line.text : `${line.text.slice(0, eq + 1)}***`;
}
function leaves(branches, format) {
  const out = [];
  for (const branch of branches) {
    for (const item of branch.items) {
      if (isComment(item)) continue;
      if (format === "ini" && item.value.kind === "map") {
        for (const inner of item.value.items) {
          if (isComment(inner) || inner.value.kind !== "str") continue;
          out.push({
            path: [item.key, inner.key],
            section: item.key,
            key: inner.key,
            value: inner.value.value
          });
        }
      } else if (item.value.kind === "str") {
        out.push({ path: [item.key], section: void 0, key: item.key, value: item.value.value });
      }
    }
  }
  return out;
}
function checkFlatFile(input) {
  const out = [];
  const lines2 = input.text.split("\n").map((text3, i) => ({ number: i + 1, text: text3.replace(/\r$/, "") }));
  const add = (rule2, line, message, snippet = redact(line)) => {
    const column = format === "ini" ? line.text.length - line.text.trimStart().length + 1 : 1;
    out.push({
      finding: finding(rule2, { file: input.file, line: line.number, column }, message, snippet),
      waivers: []
    });
  };
  const format = input.format;
  const store = storeFor(format);
  let loaded;
  try {
    loaded = store.loadEncrypted(input.text);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    loaded = void 0;
  }
  if (loaded?.metadata != null) {
    const { metadata, problems } = checkMetadata(loaded.metadata);
    const sopsLine = format === "dotenv" ? lines2.find((l) => l.text.startsWith("sops_")) ?? lines2[0] : lines2.find((l) => /^\s*(\[sops\]|"sops"\s*:)/.test(l.text)) ?? lines2[0];
    for (const problem of problems)
      add("sops-structure", sopsLine ?? { number: 1, text: "" }, problem.message, "");
    if (metadata !== void 0 && format !== "binary") {
      checkLeaves(metadata.selection, true);
    }
    return out;
  }
  const rule = input.creationRule;
  if (rule === void 0) return out;
  if (format === "binary") {
    if (rule.pathRegex === void 0 || MATCH_ALL.has(rule.pathRegex) || input.text.trim() === "") return out;
    add(
      "creation-rule-unencrypted",
      { number: 1, text: "" },
      `.sops.yaml creation rule ${rule.number} (path_regex ${JSON.stringify(rule.pathRegex)}) matches this file, but it is not encrypted`,
      ""
    );
    return out;
  }
  checkLeaves(rule.selection, false);
  return out;
  function checkLeaves(selection, encryptedFile) {
    let branches;
    try {
      branches = encryptedFile ? loaded?.branches ?? [] : store.loadPlain(input.text);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return;
    }
    for (const leaf of leaves(branches, format)) {
      const line = lineOfKey(lines2, format, leaf.section, leaf.key);
      if (leaf.value.startsWith("ENC[")) {
        const problem = encProblem(leaf.value);
        if (problem !== void 0)
          add("sops-structure", line, `key ${JSON.stringify(leaf.path.join("."))}: ${problem}`);
        continue;
      }
      if (leaf.value === "" || !shouldBeEncrypted(selection, leaf.path, [], false)) continue;
      if (encryptedFile) {
        add(
          "unencrypted-value",
          line,
          `key ${JSON.stringify(leaf.path.join("."))} is plaintext, but the file's ${selection.kind} rule says it must be encrypted`
        );
      } else if (!isTemplate(leaf.value) && rule !== void 0) {
        const regex = rule.pathRegex === void 0 ? "a catch-all rule" : `path_regex ${JSON.stringify(rule.pathRegex)}`;
        add(
          "creation-rule-unencrypted",
          line,
          `.sops.yaml creation rule ${rule.number} (${regex}) matches this file, but it is not encrypted (key ${JSON.stringify(leaf.path.join("."))} would be)`
        );
        return;
      }
    }
  }
}

// src/lint/check-kustomization.ts
var import_yaml14 = __toESM(require_dist(), 1);
import { readFile as readFile7 } from "node:fs/promises";
import path13 from "node:path";
var KUSTOMIZATION_NAMES = /* @__PURE__ */ new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);
function entry2(map, key) {
  if (map?.kind !== "map") return void 0;
  for (const item of map.items) if (!isComment(item) && item.key === key) return item.value;
  return void 0;
}
function strings(value) {
  if (value?.kind === "str") return [value.value];
  if (value?.kind !== "list") return [];
  return value.items.map((item) => item.kind === "str" ? item.value : "");
}
function listItemOffsets(node, fallback) {
  if (!(0, import_yaml14.isSeq)(node)) return [];
  return node.items.map((item) => item?.range?.[0] ?? fallback);
}
function isSopsEncrypted(text3, file) {
  try {
    return storeFor(formatFromPath(file)).loadEncrypted(text3).metadata !== null;
  } catch (error) {
    if (error instanceof UserError) return false;
    throw error;
  }
}
function lineText(source, offset) {
  const { line } = source.lines.linePos(offset);
  const start = source.lines.lineStarts[line - 1] ?? 0;
  const end = source.text.indexOf("\n", start);
  return { start, text: source.text.slice(start, end === -1 ? source.text.length : end).replace(/\r$/, "") };
}
async function checkKustomization(file, absolute, text3) {
  const source = parseSource(text3, "yaml");
  if (isParseFailure(source)) return [];
  const out = [];
  const dir = path13.dirname(absolute);
  for (const doc of source.documents) {
    const generators = entry2(doc.tree, "secretGenerator");
    if (generators?.kind !== "list") continue;
    const generatorAst = astChild(doc.ast, "secretGenerator");
    const generatorNodes = (0, import_yaml14.isSeq)(generatorAst?.node) ? generatorAst.node.items : [];
    const gens = generators.items.filter((item) => item.kind !== "comment");
    for (const [i, gen] of gens.entries()) {
      const genAst = generatorNodes[i] ?? null;
      const fallback = generatorAst?.offset ?? 0;
      const name = (entry2(gen, "name")?.kind === "str" ? entry2(gen, "name").value : void 0) ?? `#${i + 1}`;
      const report = (offset, message, snippet) => {
        out.push({
          finding: finding(
            "generator-plaintext",
            { file, ...positionOf(source, offset) },
            `secretGenerator ${JSON.stringify(name)}: ${message}`,
            snippet
          ),
          waivers: []
        });
      };
      const literalsAst = astChild(genAst, "literals");
      const literalOffsets = listItemOffsets(literalsAst?.node ?? null, literalsAst?.offset ?? fallback);
      strings(entry2(gen, "literals")).forEach((literal, j) => {
        const eq = literal.indexOf("=");
        const key = eq === -1 ? literal : literal.slice(0, eq);
        const value = eq === -1 ? "" : literal.slice(eq + 1);
        if (value === "" || isTemplate(value)) return;
        const offset = literalOffsets[j] ?? literalsAst?.offset ?? fallback;
        const line = lineText(source, offset);
        const rel = line.text.indexOf("=", offset - line.start);
        const snippet = rel === -1 ? line.text : `${line.text.slice(0, rel + 1)}***`;
        report(offset, `literal ${JSON.stringify(key)} has a plaintext value in the kustomization`, snippet);
      });
      for (const field of ["envs", "env", "files"]) {
        const fieldAst = astChild(genAst, field);
        const offsets = listItemOffsets(fieldAst?.node ?? null, fieldAst?.offset ?? fallback);
        const sources = strings(entry2(gen, field));
        for (const [j, raw] of sources.entries()) {
          const relative = field === "files" && raw.includes("=") ? raw.slice(raw.indexOf("=") + 1) : raw;
          if (relative === "" || isTemplate(relative)) continue;
          const target = path13.resolve(dir, relative);
          let content;
          try {
            content = await readFile7(target, "utf8");
          } catch {
            continue;
          }
          if (content.trim() === "" || isSopsEncrypted(content, target)) continue;
          const offset = offsets[j] ?? fieldAst?.offset ?? fallback;
          report(
            offset,
            `${field} source ${JSON.stringify(relative)} is a plaintext file`,
            lineText(source, offset).text
          );
        }
      }
    }
  }
  return out;
}

// src/lint/check-text.ts
var SHAPES = [
  { name: "a private key block", pattern: "-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----" },
  { name: "an age secret key", pattern: "AGE-SECRET-KEY-(?:PQ-)?1[0-9A-Z]{50,}" },
  { name: "an AWS access key id", pattern: "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b" },
  { name: "a GitHub token", pattern: "\\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})" },
  { name: "a Slack token", pattern: "\\bxox[abprs]-[A-Za-z0-9-]{10,}" },
  { name: "a Google API key", pattern: "\\bAIza[0-9A-Za-z_-]{35}\\b" },
  { name: "a Stripe live key", pattern: "\\b[rs]k_live_[0-9A-Za-z]{24,}" }
];
var COMBINED = new RegExp(SHAPES.map((s) => `(${s.pattern})`).join("|"), "g");
var MAX_PER_FILE = 20;
function checkText(file, text3) {
  const out = [];
  COMBINED.lastIndex = 0;
  for (const match of text3.matchAll(COMBINED)) {
    if (out.length >= MAX_PER_FILE) break;
    const groups = match.slice(1);
    const shape = SHAPES[groups.findIndex((group) => group !== void 0)];
    const lineStart = text3.lastIndexOf("\n", match.index - 1) + 1;
    let lineEnd = text3.indexOf("\n", match.index);
    if (lineEnd === -1) lineEnd = text3.length;
    const line = text3.slice(0, match.index).split("\n").length;
    const snippet = (text3.slice(lineStart, match.index) + "***" + text3.slice(match.index + match[0].length, lineEnd)).replace(/\r$/, "");
    out.push(
      finding(
        "private-key-material",
        { file, line, column: match.index - lineStart + 1 },
        `the file contains ${shape?.name ?? "key material"} and is not encrypted`,
        // A PEM header line holds no secret itself, but token lines do: mask the match either way.
        snippet
      )
    );
  }
  return out;
}

// src/lint/sops-config.ts
var import_yaml15 = __toESM(require_dist(), 1);
import path14 from "node:path";
var SELECTION_KINDS2 = [
  "unencrypted_suffix",
  "encrypted_suffix",
  "unencrypted_regex",
  "encrypted_regex",
  "unencrypted_comment_regex",
  "encrypted_comment_regex"
];
function parseSopsConfig(text3, file) {
  let raw;
  try {
    raw = (0, import_yaml15.parse)(text3, { prettyErrors: false });
  } catch (cause) {
    throw new UserError("BAD_FORMAT", `${file}: not valid YAML`, { cause });
  }
  const list = raw?.creation_rules;
  if (list === void 0 || list === null) return { file, rules: [] };
  if (!Array.isArray(list)) throw new UserError("BAD_FORMAT", `${file}: creation_rules should be a list`);
  const rules = list.map((entry3, i) => {
    const fields = entry3 ?? {};
    const regex = fields["path_regex"];
    const selected = SELECTION_KINDS2.flatMap((kind) => {
      const value = fields[kind];
      return typeof value === "string" && value !== "" ? [{ kind, value }] : [];
    });
    if (selected.length > 1) {
      throw new UserError(
        "BAD_FORMAT",
        `${file}: creation rule ${i + 1} sets more than one of ${selected.map((s) => s.kind).join(", ")}`
      );
    }
    const pathRegex = typeof regex === "string" && regex !== "" ? regex : void 0;
    if (pathRegex !== void 0) compileGoRegexp(pathRegex, `${file}: creation rule ${i + 1} path_regex`);
    return {
      number: i + 1,
      pathRegex,
      selection: selected[0] ?? { kind: "unencrypted_suffix", value: "_unencrypted" }
    };
  });
  return { file, rules };
}
function matchCreationRule(config, absolutePath) {
  const dir = path14.dirname(config.file) + path14.sep;
  const candidate = absolutePath.startsWith(dir) ? absolutePath.slice(dir.length) : absolutePath;
  return config.rules.find(
    (rule) => rule.pathRegex === void 0 || compileGoRegexp(rule.pathRegex, "path_regex").test(candidate)
  );
}

// src/lint/walk-files.ts
import { readdir as readdir3, stat as stat4 } from "node:fs/promises";
import path15 from "node:path";
var SKIPPED_DIRS = /* @__PURE__ */ new Set([".git", "node_modules"]);
function skipped(relative) {
  return relative.split(/[\\/]/).some((segment) => SKIPPED_DIRS.has(segment));
}
async function gitFiles(root, exec) {
  let result;
  try {
    result = await exec.run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: root,
      timeoutMs: 6e4
    });
  } catch {
    return void 0;
  }
  if (result.exitCode !== 0) return void 0;
  const names = Buffer.from(result.stdout).toString("utf8").split("\0");
  return names.filter((name) => name !== "" && !skipped(name)).map((name) => path15.join(root, name));
}
async function walkDirectory2(root) {
  const out = [];
  const pending = [root];
  for (let dir = pending.pop(); dir !== void 0; dir = pending.pop()) {
    const entries2 = await readdir3(dir, { withFileTypes: true });
    for (const entry3 of entries2) {
      if (entry3.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry3.name)) pending.push(path15.join(dir, entry3.name));
      } else if (entry3.isFile()) {
        out.push(path15.join(dir, entry3.name));
      }
    }
  }
  return out.sort();
}
async function listFiles(target, exec) {
  let info;
  try {
    info = await stat4(target);
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `${target}: no such file or directory`, { cause });
  }
  if (info.isFile()) return [path15.resolve(target)];
  const root = path15.resolve(target);
  return await gitFiles(root, exec) ?? await walkDirectory2(root);
}

// src/lint/lint.ts
var MAX_LINT_BYTES = 4 * 1024 * 1024;
var MANIFEST_HINT = /Secret|sops/;
var ENCRYPTED_HINT = /^sops:|"sops"\s*:|^sops_mac=|^\[sops\]/m;
function onlyKubernetesObjects(text3) {
  return text3.split(/^---[^\n]*$/m).filter((doc) => /^[^#\s]/m.test(doc)).every((doc) => /^apiVersion:[ \t]*\S/m.test(doc) && /^kind:[ \t]*\S/m.test(doc));
}
var SopsConfigFinder = class {
  byDir = /* @__PURE__ */ new Map();
  find(dir) {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const candidate = path16.join(dir, ".sops.yaml");
    let found;
    if (existsSync3(candidate) && statSync(candidate).isFile()) {
      found = parseSopsConfig(readFileSync2(candidate, "utf8"), candidate);
    } else {
      const parent = path16.dirname(dir);
      found = parent === dir ? void 0 : this.find(parent);
    }
    this.byDir.set(dir, found);
    return found;
  }
};
function readText(file) {
  let data;
  try {
    if (statSync(file).size > MAX_LINT_BYTES) return void 0;
    data = readFileSync2(file);
  } catch {
    return void 0;
  }
  if (data.subarray(0, 8192).includes(0)) return void 0;
  return data.toString("utf8");
}
async function lintFile(absolute, display, text3, configs) {
  const base = path16.basename(absolute);
  if (base === ".sops.yaml" || base === ".ksd-lint.yaml") return [];
  const out = [];
  const encrypted = ENCRYPTED_HINT.test(text3);
  if (!encrypted) out.push(...checkText(display, text3).map((f) => ({ finding: f, waivers: [] })));
  if (KUSTOMIZATION_NAMES.has(base)) {
    out.push(...await checkKustomization(display, absolute, text3));
    return out;
  }
  const format = formatFromPath(absolute);
  const config = configs.find(path16.dirname(absolute));
  const creationRule = config === void 0 ? void 0 : matchCreationRule(config, absolute);
  if (format === "yaml" || format === "json") {
    const relevant = MANIFEST_HINT.test(text3);
    if (relevant || creationRule !== void 0 && !(format === "yaml" && onlyKubernetesObjects(text3))) {
      out.push(...checkManifest({ file: display, text: text3, format, creationRule }));
    }
  } else if (encrypted || creationRule !== void 0) {
    out.push(...checkFlatFile({ file: display, text: text3, format, creationRule }));
  }
  return out;
}
function compare(a, b) {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}
async function lintPaths(options) {
  const files = /* @__PURE__ */ new Set();
  for (const target of options.paths) {
    for (const file of await listFiles(path16.resolve(options.cwd, target), options.exec)) files.add(file);
  }
  const configs = new SopsConfigFinder();
  const findings = [];
  const waived = [];
  let filesChecked = 0;
  for (const absolute of [...files].sort()) {
    const text3 = readText(absolute);
    if (text3 === void 0) continue;
    filesChecked++;
    const display = path16.relative(options.cwd, absolute).split(path16.sep).join("/");
    for (const { finding: finding2, waivers } of await lintFile(absolute, display, text3, configs)) {
      const reason = waiverReason(finding2, absolute, waivers, options.config);
      if (reason === void 0) findings.push(finding2);
      else waived.push(suppressed(finding2, reason));
    }
  }
  return { findings: findings.sort(compare), suppressed: waived.sort(compare), filesChecked };
}

// src/commands/lint.ts
var DEFAULT_LINT_CONFIG = ".ksd-lint.yaml";
async function loadLintFile(config, cwd) {
  const file = path17.resolve(cwd, config.config ?? DEFAULT_LINT_CONFIG);
  if (config.config === void 0 && !existsSync4(file)) return void 0;
  let text3;
  try {
    text3 = await readFile8(file, "utf8");
  } catch (cause) {
    throw new UserError("FILE_NOT_FOUND", `--config ${config.config ?? file}: cannot read the file`, {
      cause
    });
  }
  return parseLintConfig2(text3, file);
}
async function runLint(config, deps, cwd = process.cwd()) {
  const result = await lintPaths({
    paths: config.paths,
    cwd,
    exec: deps.exec,
    config: await loadLintFile(config, cwd)
  });
  deps.host.writeStdout(renderFindings(result, config.format));
  if (config.sarifFile !== void 0)
    await writeFile2(path17.resolve(cwd, config.sarifFile), renderSarif(result));
  deps.host.setOutput("findings", String(result.findings.length));
  return result;
}
var lintCommand = {
  name: "lint",
  summary: "fail when a plaintext secret would merge (no keys needed)",
  usage: "lint [PATH...] [--format text|json|sarif|github] [--config FILE] [--sarif-file FILE]",
  flags: lintFlags,
  positionals: [{ name: "path", variadic: true }],
  parse: parseLintConfig,
  async run(config, deps) {
    const result = await runLint(config, deps);
    if (deps.host.reportsToGithub) publishLint(deps.host, result);
    return result.findings.some((f) => f.severity === "error") ? 1 : 0;
  }
};

// src/commands/index.ts
var commands = [decryptCommand, lintCommand, buildCommand, diffCommand, applyCommand];
function widen(command) {
  return command;
}
var byName = new Map(commands.map((c) => [c.name, widen(c)]));
function findCommand(name) {
  return byName.get(name);
}

// src/config.ts
function parseConfig(read, env, shell = { stdoutIsLog: false }) {
  const name = read("command").trim();
  const command = findCommand(name);
  if (command === void 0) {
    throw new UserError("USAGE", name === "" ? "no command given" : `unknown command "${name}"`, {
      hint: `use one of: ${commands.map((c) => c.name).join(", ")}`
    });
  }
  return command.parse(read, env, shell);
}

// src/host/node-exec.ts
import { spawn } from "node:child_process";
var nodeExec = {
  run(command, args, options = {}) {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env === void 0 ? process.env : { ...options.env },
        stdio: ["pipe", "pipe", "pipe"],
        timeout: options.timeoutMs
      });
      const out = [];
      const err = [];
      child.stdout.on("data", (chunk) => out.push(chunk));
      child.stderr.on("data", (chunk) => err.push(chunk));
      child.on("error", reject);
      child.on("close", (code2, signal) => {
        resolve({
          exitCode: code2 ?? (signal === null ? 1 : 128),
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err).toString("utf8")
        });
      });
      child.stdin.on("error", () => void 0);
      child.stdin.end(options.input ?? "");
    });
  }
};

// src/run.ts
var EXIT_ERROR = 2;
function reportError(host, error) {
  if (error instanceof UserError) {
    host.error(error.message, error.location);
    if (error.report !== void 0) host.info(error.report);
    if (error.hint !== void 0) host.info(`hint: ${error.hint}`);
    return;
  }
  host.error(
    `internal error (please report it): ${error instanceof Error ? error.stack ?? error.message : String(error)}`
  );
}
async function run(config, deps) {
  try {
    const command = findCommand(config.command);
    if (command === void 0) throw new Error(`no command ${config.command}`);
    return await command.run(config, deps);
  } catch (error) {
    reportError(deps.host, error);
    return EXIT_ERROR;
  }
}

// src/host/redactor.ts
var MIN_MASK_LENGTH2 = 4;
function maskableParts(value) {
  const parts = new Set([value, ...value.split(/\r?\n/)].map((p) => p.trim()));
  return [...parts].filter((p) => p.length >= MIN_MASK_LENGTH2);
}
var Redactor = class {
  #secrets = /* @__PURE__ */ new Set();
  #sorted;
  add(value) {
    for (const part of maskableParts(value)) this.#secrets.add(part);
    this.#sorted = void 0;
  }
  redact(text3) {
    if (this.#secrets.size === 0) return text3;
    this.#sorted ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    let out = text3;
    for (const secret of this.#sorted) out = out.split(secret).join("***");
    return out;
  }
};

export {
  require_dist,
  lines,
  optional,
  parseBoolean,
  STATIC_CREDENTIALS_INPUT,
  upsertStickyComment,
  basicCredential,
  serverUrlOf,
  gitAuthEnv,
  pullRequestFromEnv,
  commands,
  findCommand,
  parseConfig,
  nodeExec,
  EXIT_ERROR,
  reportError,
  run,
  maskableParts,
  Redactor
};
