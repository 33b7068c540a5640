/**
 * `decrypt` shapes its output as `sops -d` does: by the `.sops.yaml` `stores` indents found
 * from the working directory up (or `--config`), and by `--indent` over them. Before, our
 * output always had the stores' defaults, so a repository with `stores: {yaml: {indent: 2}}`
 * (xunholy/k8s-gitops has one) got 4-space YAML where sops -d printed 2. Checked byte for byte
 * against the real sops 3.13 in the same folder.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { runDecrypt } from '../../src/commands/decrypt-run.ts';
import { parseDecryptConfig } from '../../src/config/decrypt.ts';
import { createMemoryHost } from '../../src/host/memory-host.ts';
import { commandDeps } from '../support/command-deps.ts';
import { newAgeKey, runSops, sopsEncrypt, type AgeKey } from '../support/tools.ts';

let age: AgeKey;
let yamlFile: string;
let jsonFile: string;

const YAML = 'top:\n    nested:\n        list:\n            - a\n            - b: c\n    value: x\n';
const JSON_TEXT = '{"top": {"nested": {"list": ["a", {"b": "c"}]}, "value": "x"}}\n';

before(async () => {
  age = await newAgeKey();
  yamlFile = await sopsEncrypt(YAML, 'doc.yaml', ['--age', age.recipient]);
  jsonFile = await sopsEncrypt(JSON_TEXT, 'doc.json', ['--age', age.recipient]);
});

async function ours(cwd: string, file: string, extra: Record<string, string>): Promise<string> {
  const inputs: Record<string, string> = { file, 'age-key-file': age.file, ...extra };
  const config = parseDecryptConfig(
    (name) => inputs[name] ?? '',
    { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home' },
    { stdoutIsLog: false },
  );
  const host = createMemoryHost();
  await runDecrypt(config, commandDeps(host), cwd);
  return Buffer.concat(host.stdout).toString('utf8');
}

async function theirs(cwd: string, file: string, args: readonly string[]): Promise<string> {
  // sops finds .sops.yaml from its working directory, like ours: run it from `cwd`.
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { tool } = await import('../support/tools.ts');
  const { stdout } = await promisify(execFile)(
    await tool('sops'),
    // --indent is one of sops's global flags: it goes before the command.
    [
      '--disable-version-check',
      ...args.filter((a, i) => a === '--indent' || args[i - 1] === '--indent'),
      'decrypt',
      ...args.filter((a, i) => a !== '--indent' && args[i - 1] !== '--indent'),
      file,
    ],
    { cwd, env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent-home', SOPS_AGE_KEY_FILE: age.file } },
  );
  return stdout;
}

describe('decrypt output is indented as sops -d indents it', () => {
  const cases: readonly {
    readonly name: string;
    readonly config?: string;
    readonly json?: boolean;
    readonly flags?: Record<string, string>;
    readonly sopsArgs?: readonly string[];
  }[] = [
    { name: 'no .sops.yaml: the stores defaults' },
    { name: 'stores.yaml.indent 2', config: 'stores:\n  yaml:\n    indent: 2\n' },
    { name: 'stores.json.indent 2', config: 'stores:\n  json:\n    indent: 2\n', json: true },
    {
      name: '--indent 6 over the config',
      config: 'stores:\n  yaml:\n    indent: 2\n',
      flags: { indent: '6' },
      sopsArgs: ['--indent', '6'],
    },
    { name: '--indent 0 on JSON', json: true, flags: { indent: '0' }, sopsArgs: ['--indent', '0'] },
    {
      name: '--extract of a map, with stores.yaml.indent 2',
      config: 'stores:\n  yaml:\n    indent: 2\n',
      flags: { extract: '["top"]' },
      sopsArgs: ['--extract', '["top"]'],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'ksd-decrypt-indent-'));
      const cwd = path.join(dir, 'sub');
      await mkdir(cwd);
      // In the parent: found from the working directory up, as sops looks.
      if (c.config !== undefined) await writeFile(path.join(dir, '.sops.yaml'), c.config);
      const file = c.json === true ? jsonFile : yamlFile;
      const expected = await theirs(cwd, file, c.sopsArgs ?? []);
      assert.equal(await ours(cwd, file, c.flags ?? {}), expected);
      if (c.config !== undefined || c.flags?.['indent'] !== undefined) {
        // The case is one where the layout differs from the defaults (so the test can fail).
        assert.notEqual(
          expected,
          (await runSops(['decrypt', file], { SOPS_AGE_KEY_FILE: age.file })).toString(),
        );
      }
    });
  }
});
