/**
 * Helm's `--set` parser (helm.sh/helm/v4/pkg/strvals), the part helm-controller uses for a
 * valuesFrom entry's `targetPath`: it parses `<targetPath>=<value>` into the values, so the
 * value is typed (`true`, `false`, `null`, integers) unless it was quoted, and a comma in it
 * starts another `key=value` assignment, exactly as on helm's command line. Hand-written: it is
 * the one piece of helm's Go code the rendering needs outside the helm binary.
 *
 * Supported: dotted keys, list indexes `a[0]`, `\` escapes, and `{a,b}` list values. Not
 * supported (refused with an error): nested list indexes `a[0][1]`.
 */

type Values = Record<string, unknown>;

function isValues(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** strvals' typedVal: `true`, `false`, `null` and integers without a leading zero are typed. */
function typed(text: string, asString: boolean): unknown {
  if (asString) return text;
  if (text.toLowerCase() === 'true') return true;
  if (text.toLowerCase() === 'false') return false;
  if (text.toLowerCase() === 'null') return null;
  if (text === '0') return 0;
  if (/^[-+]?[1-9]\d*$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}

/** Splits at unescaped `sep` characters, removing the escapes. */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\' && i + 1 < text.length) {
      current += text[i + 1] ?? '';
      i++;
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/** Splits `key=value` assignments at commas that are outside `{...}` and not escaped. */
function splitAssignments(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\' && i + 1 < text.length) {
      current += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth = Math.max(0, depth - 1);
    if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function setPath(values: Values, path: string, value: unknown): void {
  const keys = splitUnescaped(path, '.');
  let node = values;
  keys.forEach((rawKey, i) => {
    const last = i === keys.length - 1;
    const m = /^(.*)\[(\d+)\]$/.exec(rawKey);
    if (rawKey.includes('[') && m === null) throw new Error(`unsupported key ${JSON.stringify(rawKey)}`);
    const key = m?.[1] ?? rawKey;
    if (key === '') throw new Error(`key ${JSON.stringify(path)} has an empty part`);
    if (m !== null) {
      const index = Number(m[2]);
      const existing = node[key];
      const array: unknown[] = Array.isArray(existing) ? existing : [];
      while (array.length <= index) array.push(null);
      node[key] = array;
      if (last) {
        array[index] = value;
      } else {
        const child = array[index];
        const next = isValues(child) ? child : {};
        array[index] = next;
        node = next;
      }
      return;
    }
    if (last) {
      node[key] = value;
      return;
    }
    const child = node[key];
    const next = isValues(child) ? child : {};
    node[key] = next;
    node = next;
  });
}

/**
 * Parses `path=value[,key=value...]` into `values` as strvals.ParseInto does (values typed),
 * or as ParseIntoString does when `asString` (every value a string). Throws a plain Error.
 */
export function parseInto(text: string, values: Values, asString: boolean): void {
  for (const assignment of splitAssignments(text)) {
    const eq = assignment.search(/(?<!\\)=/);
    if (eq < 0) throw new Error(`key ${JSON.stringify(assignment)} has no value`);
    const key = assignment.slice(0, eq);
    const raw = assignment.slice(eq + 1);
    const value =
      raw.startsWith('{') && raw.endsWith('}')
        ? splitUnescaped(raw.slice(1, -1), ',').map((item) => typed(item, asString))
        : typed(splitUnescaped(raw, '\u0000').join(''), asString);
    setPath(values, key, value);
  }
}
