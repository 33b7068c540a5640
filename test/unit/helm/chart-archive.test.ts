import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readChartArchive } from '../../../src/helm/chart-archive.ts';
import { errorMessage } from '../../../src/errors.ts';

const run = promisify(execFile);
const LONG = `${'deep/'.repeat(30)}values-long-name.yaml`;

/** A chart folder with a long path and a symlink, packed by the real GNU tar in `format`. */
async function archive(format: 'pax' | 'gnu' | 'ustar'): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ksd-chart-archive-'));
  const chart = path.join(dir, 'demo');
  await mkdir(path.join(chart, 'templates'), { recursive: true });
  await writeFile(path.join(chart, 'Chart.yaml'), 'name: demo\nversion: 1.0.0\n');
  await writeFile(path.join(chart, 'templates', 'cm.yaml'), 'kind: ConfigMap\n');
  await writeFile(path.join(chart, 'empty.txt'), '');
  if (format !== 'ustar') {
    await mkdir(path.dirname(path.join(chart, LONG)), { recursive: true });
    await writeFile(path.join(chart, LONG), 'a: 1\n');
  }
  await symlink('/etc/passwd', path.join(chart, 'link.yaml'));
  const file = path.join(dir, 'demo.tgz');
  await run('tar', ['-czf', file, `--format=${format}`, '-C', dir, 'demo']);
  return readFile(file);
}

describe('readChartArchive', () => {
  for (const format of ['pax', 'gnu', 'ustar'] as const) {
    it(`reads the regular files of a ${format} archive by path, long names included, links skipped`, async () => {
      const files = readChartArchive(await archive(format), 'test chart');
      const expected = ['demo/Chart.yaml', 'demo/empty.txt', 'demo/templates/cm.yaml'];
      if (format !== 'ustar') expected.push(`demo/${LONG}`);
      assert.deepEqual([...files.keys()].sort(), expected.sort());
      assert.equal(files.get('demo/Chart.yaml')?.toString('utf8'), 'name: demo\nversion: 1.0.0\n');
      assert.equal(files.get('demo/empty.txt')?.length, 0);
    });
  }

  it('refuses what is not a gzip, and a tar whose entry runs past its end', () => {
    assert.throws(
      () => readChartArchive(Buffer.from('not gzip'), 'x.tgz'),
      /x\.tgz: the chart archive is not a gzip/,
    );
    const header = Buffer.alloc(512);
    header.write('demo/a.yaml', 0);
    header.write('00000001000\0', 124); // 512 bytes claimed, none there
    header.write('0', 156);
    assert.throws(
      () => readChartArchive(gzipSync(header), 'x.tgz'),
      (e) => /truncated or not a tar file/.test(errorMessage(e)),
    );
  });
});
