/**
 * yaml-simple.ts against the general YAML path: whatever the shortcut accepts, it must read
 * exactly as parseBranchesGenerally does (same tree, and no tree where the general path
 * fails). Checked on the YAML fixtures, on sops-written files, and on generated documents
 * and near misses (lines re-indented, cut or swapped).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseBranchesGenerally } from '../../../../src/sops/stores/yaml.ts';
import { parseSimpleYaml } from '../../../../src/sops/stores/yaml-simple.ts';
import { seededRandom } from '../../../support/seeded-random.ts';

type Outcome = { readonly ok: true; readonly tree: unknown } | { readonly ok: false };

function general(text: string): Outcome {
  try {
    return { ok: true, tree: parseBranchesGenerally(text) };
  } catch {
    return { ok: false };
  }
}

/** Checks one text; true when the shortcut took it. */
function agrees(text: string): boolean {
  const simple = parseSimpleYaml(text);
  if (simple === undefined) return false;
  const expected = general(text);
  assert.ok(expected.ok, `the shortcut read a text the general path refuses:\n${text}`);
  assert.deepEqual(simple, expected.tree, text);
  return true;
}

const SOPS_FILE = `apiVersion: v1
kind: Secret
metadata:
    name: secret-0
type: Opaque
data:
    key0: ENC[AES256_GCM,data:+UgrHiuf1IUuh8TUk/U+QDf+Kg1GkYQJKnyJYNGasFEBlN0Wn4uuJDjxWLrQCfAPFM8Owah//xIHdo7CExQPKUOWkL8=,iv:lMXSQe7+iVndzr7eKvb32WYnZ1lHCyUogZIPI73K4xM=,tag:u/ZFdUcW8QmB3nBWHxIC1g==,type:str]
    key1: ENC[AES256_GCM,data:qukWYygW3b5RLF2GP5i6P/SZZruzO4zKAysxH6+ZReXmknQU1cQsGnsJlkiYxUJdSfk+eMi84qfNZfl4xvukOyEPk0Y=,iv:LhX3R2JPXiWnUddWfkmnsILZFOwdXPEwKNqWohi3vug=,tag:d44gmlTSYeXjCL3mZ/t2Nw==,type:str]
sops:
    age:
        - enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSB3R0ltclhOaEMyMG5KQ0dE
            wxJmNd6h6+OxOyWn88X2TpZxZsi6+voBUnTA+tkpV/Gno2r2lJpSOw==
            -----END AGE ENCRYPTED FILE-----
          recipient: age1pmhcncupyke89afz8rzv5y6shprggk3nka0hlz75krsss5u0g4hq6skh4x
    encrypted_regex: ^(data|stringData)$
    lastmodified: "2026-12-04T17:19:54Z"
    mac: ENC[AES256_GCM,data:PABYLCH5kyamrxwJVJJUi0DU227vfzugqd0TPu1K2FCxDNuGccCyUVBVESNxg90w0TbpcoRAHX+9DryCI/sWgUq6eMs0tiLhQVpbvkNdo1S9/6Drbbt+os7lsHrHfON2NqKYiAQCGqwi0Xp+NA5+nr7ftbBL6+q99FAFYwU2Okc=,iv:EvNXr4XkgOIoLlMasEUZXpzqJtbz+r9y3wLxaUXYUK8=,tag:+ilTExJsxi6riITRzCNZ0w==,type:str]
    unencrypted_suffix: _unencrypted
    version: 3.13.3
`;

test('a file as sops writes it takes the shortcut and reads as the general path reads it', () => {
  assert.ok(agrees(SOPS_FILE));
  // Two-space indentation and an indentless sequence, as kubectl and editors write them.
  assert.ok(
    agrees(
      'kind: Secret\nmetadata:\n  name: x\n  labels:\n    a: b\nstringData:\n  k: v\nsops:\n  age:\n  - enc: |\n      line\n    recipient: r\n  version: 3.13.3\n',
    ),
  );
});

test('the YAML and store fixtures read alike on both paths', () => {
  let taken = 0;
  for (const sub of ['yaml', 'stores/yaml', 'conformance']) {
    const dir = new URL(`../../../fixtures/${sub}/`, import.meta.url);
    let files: string[];
    try {
      files = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const file of files.filter((f) => /\.ya?ml$/.test(f))) {
      if (agrees(readFileSync(new URL(file, dir), 'utf8'))) taken++;
    }
  }
  assert.ok(taken > 0, 'no fixture took the shortcut');
});

const SCALARS = [
  'value',
  'two words',
  'ENC[AES256_GCM,data:q+/=,iv:AAAA,tag:BBBB==,type:str]',
  'nginx:1.27',
  'http://example.com/a?b=c',
  '^(data|stringData)$',
  '3.13.3',
  '1',
  '-1',
  '0x1F',
  '0o17',
  '017',
  '1e3',
  '1_000',
  '.5',
  '.inf',
  '-.Inf',
  '.nan',
  'true',
  'False',
  'yes',
  'on',
  'y',
  'null',
  'Null',
  '~',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2026-12-04T17:19:54Z',
  '99999999999999999999',
  '"quoted"',
  '"2026-12-04T17:19:54Z"',
  '""',
  "''",
  "'single'",
  "'it''s'",
  '"a\\nb"',
  '"a"b"',
  'a: b',
  'a:',
  'a :b',
  '- x',
  '-x',
  '?x',
  ':x',
  '@x',
  '%x',
  '`x',
  '!x',
  '&a x',
  '*a',
  '[a, b]',
  '{a: b}',
  '|',
  '|-',
  '>',
  '<<',
  '=',
  'a,b',
  'a]',
  'x ',
  "x'y",
  'x"y',
];

const KEYS = [
  'a',
  'key0',
  'apiVersion',
  'app.kubernetes.io/part-of',
  'a b',
  'a-b',
  '1',
  'true',
  'null',
  '<<',
  '"q"',
  "'q'",
  'a:b',
  '-a',
  '?a',
  'y',
  '~',
];

interface Gen {
  readonly next: () => number;
  readonly pick: <T>(items: readonly T[]) => T;
}

/** A block mapping at `indent` as lines; sometimes with a few odd choices. */
function genMap(g: Gen, indent: number, step: number, depth: number, first?: string): string[] {
  const lines: string[] = [];
  const count = 1 + Math.floor(g.next() * 4);
  for (let i = 0; i < count; i++) {
    const key = g.next() < 0.85 ? `k${Math.floor(g.next() * 6)}` : g.pick(KEYS);
    const prefix = i === 0 && first !== undefined ? first : ' '.repeat(indent);
    const kind = depth > 3 ? 0 : g.next();
    if (kind < 0.55) {
      lines.push(`${prefix}${key}: ${g.pick(SCALARS)}`);
    } else if (kind < 0.65) {
      const chomp = g.next() < 0.5 ? '|' : '|-';
      lines.push(`${prefix}${key}: ${chomp}`);
      const inner = indent + step;
      for (let j = 0, n = 1 + Math.floor(g.next() * 3); j < n; j++) {
        lines.push(`${' '.repeat(inner + (g.next() < 0.2 ? 1 : 0))}${g.pick(SCALARS)}`);
      }
    } else if (kind < 0.8) {
      lines.push(`${prefix}${key}:`);
      lines.push(...genMap(g, indent + step, step, depth + 1));
    } else if (kind < 0.9) {
      lines.push(`${prefix}${key}:`);
      lines.push(...genList(g, g.next() < 0.5 ? indent : indent + step, step, depth + 1));
    } else {
      lines.push(`${prefix}${key}:`);
    }
  }
  return lines;
}

function genList(g: Gen, indent: number, step: number, depth: number): string[] {
  const lines: string[] = [];
  for (let i = 0, n = 1 + Math.floor(g.next() * 3); i < n; i++) {
    const dash = `${' '.repeat(indent)}- `;
    if (g.next() < 0.5 && depth <= 3) lines.push(...genMap(g, indent + 2, step, depth + 1, dash));
    else lines.push(`${dash}${g.pick(SCALARS)}`);
  }
  return lines;
}

/** A near miss: one line re-indented, cut, duplicated or swapped with the next. */
function mutate(g: Gen, lines: readonly string[]): string[] {
  const out = [...lines];
  const at = Math.floor(g.next() * out.length);
  const line = out[at] ?? '';
  const roll = g.next();
  if (roll < 0.3) out[at] = ` ${line}`;
  else if (roll < 0.5) out[at] = line.replace(/^ {1,2}/, '');
  else if (roll < 0.6) out.splice(at, 1);
  else if (roll < 0.7) out.splice(at, 0, line);
  else if (roll < 0.8 && at + 1 < out.length) [out[at], out[at + 1]] = [out[at + 1] ?? '', line];
  else if (roll < 0.9) out[at] = `${line}:`;
  else out[at] = line.replace(': ', ':  ');
  return out;
}

test('generated documents and near misses: the shortcut agrees with the general path', () => {
  const next = seededRandom(17);
  const g: Gen = { next, pick: (items) => items[Math.floor(next() * items.length)]! };
  let taken = 0;
  const total = 6000;
  for (let i = 0; i < total; i++) {
    const step = g.pick([2, 4, 3]);
    let lines = genMap(g, 0, step, 0);
    if (g.next() < 0.4) lines = mutate(g, lines);
    if (agrees(`${lines.join('\n')}\n`)) taken++;
  }
  // Enough of them take the shortcut for the comparison to mean something.
  assert.ok(taken > total / 10, `only ${taken} of ${total} took the shortcut`);
});
