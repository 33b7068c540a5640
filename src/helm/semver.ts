/**
 * Semantic versions and version constraints as the source-controller resolves a HelmRelease's
 * `spec.chart.spec.version` against a repository index (Masterminds/semver v3, through
 * fluxcd/pkg/version). Hand-written because the npm `semver` package is a different dialect:
 * it has no `,` (AND), no space-free `>=1,<2`, and matches prereleases by tuple where
 * Masterminds excludes every prerelease unless the constraint itself names one.
 *
 * What is implemented, Masterminds v3's rules:
 * - `||` separates alternatives; inside one, comparators are separated by `,` or blanks.
 * - Operators: none or `=`, `!=`, `>`, `<`, `>=` (`=>`), `<=` (`=<`), `~` (`~>`), `^`, and
 *   hyphen ranges `1.2 - 1.4.5`.
 * - Wildcards `x`, `X` and `*` in any position, and missing parts, make a range (`1.2` and
 *   `1.2.x` mean `>=1.2.0 <1.3.0`; `>1.2` means `>=1.3.0`; `<=1.2` means `<1.3.0`).
 * - A version with a prerelease matches only a comparator that has one itself.
 */

export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: readonly string[];
  /** As written, for messages and for the exact-match shortcut. */
  readonly original: string;
}

const STRICT =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * Parses a chart version as fluxcd/pkg/version's ParseVersion does: strict semver 2.0, with
 * an optional leading `v`. Returns undefined for anything else (the index entry is skipped).
 */
export function parseVersion(text: string): SemVer | undefined {
  const m = STRICT.exec(text);
  if (m === null) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4] === undefined ? [] : m[4].split('.'),
    original: text,
  };
}

function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
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

/** Semver precedence (build metadata ignored): negative, zero or positive. */
export function compareVersions(a: SemVer, b: SemVer): number {
  return (
    Math.sign(a.major - b.major) ||
    Math.sign(a.minor - b.minor) ||
    Math.sign(a.patch - b.patch) ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

/** A comparator's version, where `wild` is the first part given as a wildcard or left out. */
interface Bound {
  readonly version: SemVer;
  /** 0: major is wild (`*`), 1: minor, 2: patch, 3: fully given. */
  readonly given: 0 | 1 | 2 | 3;
}

type Test = (v: SemVer) => boolean;

const LOOSE =
  /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function isWild(part: string | undefined): boolean {
  return part === undefined || part === 'x' || part === 'X' || part === '*';
}

function parseBound(text: string): Bound {
  const m = LOOSE.exec(text);
  if (m === null) throw new Error(`improper constraint: ${text}`);
  const parts = [m[1], m[2], m[3]];
  let given: 0 | 1 | 2 | 3 = 3;
  for (let i = 0; i < 3; i++) {
    if (isWild(parts[i])) {
      given = i as 0 | 1 | 2;
      break;
    }
  }
  const num = (i: number): number => (i < given ? Number(parts[i]) : 0);
  return {
    version: {
      major: num(0),
      minor: num(1),
      patch: num(2),
      prerelease: m[4] === undefined ? [] : m[4].split('.'),
      original: text,
    },
    given,
  };
}

function version(major: number, minor: number, patch: number, prerelease: readonly string[] = []): SemVer {
  return { major, minor, patch, prerelease, original: `${String(major)}.${String(minor)}.${String(patch)}` };
}

/** The first version above every version the bound's given parts cover (`1.2` → `1.3.0`). */
function nextAfter(b: Bound): SemVer {
  const v = b.version;
  if (b.given === 0) return version(Number.MAX_SAFE_INTEGER, 0, 0);
  if (b.given === 1) return version(v.major + 1, 0, 0);
  if (b.given === 2) return version(v.major, v.minor + 1, 0);
  return version(v.major, v.minor, v.patch + 1);
}

const ge = (v: SemVer, w: SemVer): boolean => compareVersions(v, w) >= 0;
const lt = (v: SemVer, w: SemVer): boolean => compareVersions(v, w) < 0;

function inRange(b: Bound): Test {
  const low = b.version;
  const high = nextAfter(b);
  return (v) => ge(v, low) && (b.given === 0 || lt(v, high));
}

function tilde(b: Bound): Test {
  const v = b.version;
  // `~1` and `~1.x` allow the whole major; `~1.2` and `~1.2.3` the minor.
  const high = b.given <= 1 ? version(v.major + 1, 0, 0) : version(v.major, v.minor + 1, 0);
  return (x) => ge(x, v) && (b.given === 0 || lt(x, high));
}

function caret(b: Bound): Test {
  const v = b.version;
  let high: SemVer;
  if (b.given === 0) return (x) => ge(x, v);
  if (v.major > 0 || b.given === 1) high = version(v.major + 1, 0, 0);
  else if (v.minor > 0 || b.given === 2) high = version(0, v.minor + 1, 0);
  else high = version(0, 0, v.patch + 1);
  return (x) => ge(x, v) && lt(x, high);
}

function comparator(op: string, b: Bound): Test {
  switch (op) {
    case '':
    case '=':
      return b.given === 3 ? (v) => compareVersions(v, b.version) === 0 : inRange(b);
    case '!=': {
      const t = comparator('=', b);
      return (v) => !t(v);
    }
    case '>':
      return b.given === 3 ? (v) => compareVersions(v, b.version) > 0 : (v) => ge(v, nextAfter(b));
    case '>=':
    case '=>':
      return (v) => ge(v, b.version);
    case '<':
      return (v) => lt(v, b.version);
    case '<=':
    case '=<':
      return b.given === 3 ? (v) => compareVersions(v, b.version) <= 0 : (v) => lt(v, nextAfter(b));
    case '~':
    case '~>':
      return tilde(b);
    case '^':
      return caret(b);
    default:
      throw new Error(`improper constraint operator: ${op}`);
  }
}

/** One comparator with the prerelease rule around it. */
function guarded(op: string, text: string): Test {
  const b = parseBound(text);
  const test = comparator(op, b);
  const allowsPrerelease = b.version.prerelease.length > 0;
  return (v) => (v.prerelease.length > 0 && !allowsPrerelease ? false : test(v));
}

const COMPARATOR = /^(!=|>=|=>|<=|=<|~>|[=<>~^])?\s*(\S+)$/;

function parseGroup(group: string): Test[] {
  const tests: Test[] = [];
  // Hyphen ranges first: `1.2 - 1.4.5` is `>=1.2 <=1.4.5`.
  const text = group.replace(/(\S+)\s+-\s+(\S+)/g, '>=$1 <=$2');
  // Operators may be followed by blanks (`>= 1.2`): glue them to their version.
  const tokens = text
    .replace(/(!=|>=|=>|<=|=<|~>|[=<>~^])\s+/g, '$1')
    .split(/[\s,]+/)
    .filter((t) => t !== '');
  if (tokens.length === 0) throw new Error(`improper constraint: ${group}`);
  for (const token of tokens) {
    const m = COMPARATOR.exec(token);
    if (m?.[2] === undefined) throw new Error(`improper constraint: ${token}`);
    tests.push(guarded(m[1] ?? '', m[2]));
  }
  return tests;
}

/** A parsed constraint; throws a plain Error naming the bad part (callers add context). */
export class Constraint {
  readonly #groups: readonly (readonly Test[])[];
  readonly text: string;

  constructor(text: string) {
    this.text = text;
    this.#groups = text.split('||').map((g) => parseGroup(g.trim()));
  }

  check(v: SemVer): boolean {
    return this.#groups.some((group) => group.every((test) => test(v)));
  }
}

/** The versions of an index entry list, as the source-controller orders and filters them. */
export interface Candidate {
  readonly version: string;
  /** The index's `created` time, which breaks ties between versions equal but for build metadata. */
  readonly created?: string | undefined;
}

/**
 * Picks the chart version the source-controller would: an exact string match first; else
 * the highest version satisfying the constraint (`""` and `*` mean the latest stable
 * release), later `created` first among equals. Undefined when none matches.
 */
export function selectVersion<T extends Candidate>(candidates: readonly T[], wanted: string): T | undefined {
  if (wanted !== '') {
    const exact = candidates.find((c) => c.version === wanted);
    if (exact !== undefined) return exact;
  }
  const constraint = new Constraint(wanted === '' ? '*' : wanted);
  const matched: { readonly v: SemVer; readonly c: T }[] = [];
  for (const c of candidates) {
    const v = parseVersion(c.version);
    if (v !== undefined && constraint.check(v)) matched.push({ v, c });
  }
  matched.sort(
    (a, b) => compareVersions(b.v, a.v) || Date.parse(b.c.created ?? '') - Date.parse(a.c.created ?? '') || 0,
  );
  return matched[0]?.c;
}
