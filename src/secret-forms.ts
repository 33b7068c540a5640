/**
 * The escaped forms a secret takes when a tool quotes it. kustomize and the apiserver quote
 * values in Go (`%q`: `pw\"x\"`), JSON bodies escape them (Go's encoding/json also turns
 * `<`, `>` and `&` into `\u003c`...), and YAML emitters double-quote (`\t`, `\x01`, `\_`)
 * or single-quote (`it''s`) a scalar that needs it. A registry that masks only the raw text
 * would let each of these through, so masking.ts registers every form listed here.
 *
 * Hand-written: each is a few lines, and what matters is fidelity to the emitters we meet
 * (Go's strconv.Quote, encoding/json, yaml.v3 and the `yaml` package), not a general library.
 */

/** Go's strconv.IsPrint, near enough: letters, marks, numbers, punctuation, symbols, ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const hex = (code: number, width: number): string => code.toString(16).padStart(width, '0');

const GO_SHORT: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** The inside of Go's strconv.Quote(value). */
export function goQuoted(value: string): string {
  let out = '';
  for (const char of value) {
    const short = GO_SHORT[char];
    const code = char.codePointAt(0) ?? 0;
    if (short !== undefined) out += short;
    else if (GO_PRINTABLE.test(char)) out += char;
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x10000) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out;
}

/** The inside of JSON.stringify(value). */
export function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** The inside of Go's json.Marshal(value), which also escapes HTML characters and U+2028/9. */
export function goJsonEscaped(value: string): string {
  return jsonEscaped(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${hex(char.codePointAt(0) ?? 0, 4)}`);
}

const YAML_SHORT: Readonly<Record<string, string>> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\u0085': '\\N',
  '\u00a0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

/** The inside of a YAML double-quoted scalar (yaml.v3 and the `yaml` package escape alike). */
export function yamlDoubleQuoted(value: string): string {
  let out = '';
  for (const char of value) {
    const short = YAML_SHORT[char];
    const code = char.codePointAt(0) ?? 0;
    if (short !== undefined) out += short;
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else out += char;
  }
  return out;
}

/** The inside of a YAML single-quoted scalar. */
export function yamlSingleQuoted(value: string): string {
  return value.replaceAll("'", "''");
}

/**
 * Printable ASCII that no form above escapes: not `"`, `\\`, `'`, `<`, `>` or `&` (space and
 * every other printable ASCII character is Go-printable and left alone by JSON and YAML).
 * Most values (every base64 `data` value) are this, and have no other form.
 */
const UNESCAPED = /^[ !#-%(-;=?-[\]-~]*$/;

/** Every escaped form of `value` that differs from it (each at most once). */
export function escapedForms(value: string): string[] {
  if (UNESCAPED.test(value)) return [];
  const forms = new Set([
    goQuoted(value),
    jsonEscaped(value),
    goJsonEscaped(value),
    yamlDoubleQuoted(value),
    yamlSingleQuoted(value),
  ]);
  forms.delete(value);
  return [...forms];
}
