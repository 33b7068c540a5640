/**
 * Test-only certificates for servers the tests start: a throwaway CA and the leaf
 * certificates it signs, made with the `openssl` CLI (Node cannot create X.509 certificates),
 * plus plain key pairs from node:crypto. Everything is written into the caller's run folder
 * and lives only as long as that run.
 */
import { execFile } from 'node:child_process';
import { generateKeyPair, randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const generateKeyPairAsync = promisify(generateKeyPair);

/** A certificate and its private key, as PEM files. */
export interface CertFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface Subject {
  readonly commonName: string;
  /** Kubernetes reads these as the user's groups, e.g. `system:masters`. */
  readonly organizations?: readonly string[];
}

/** What a leaf certificate is for; a server certificate names the hosts it answers for. */
export type CertUsage =
  | { readonly kind: 'client' }
  | { readonly kind: 'server'; readonly dnsNames: readonly string[]; readonly ips: readonly string[] };

/** Long enough for any test run, short enough that a leaked file is soon useless. */
const VALID_DAYS = '7';

/**
 * openssl's own config file would decide extensions (and differs between distributions), so
 * each certificate gets a complete config of its own.
 */
function opensslConfig(subject: Subject, extensions: readonly string[]): string {
  const dn = [...(subject.organizations ?? []).map((o, i) => `${i}.O = ${o}`), `CN = ${subject.commonName}`];
  return ['[req]', 'prompt = no', 'distinguished_name = dn', '[dn]', ...dn, '[ext]', ...extensions, ''].join(
    '\n',
  );
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(
      `openssl ${args[0] ?? ''} failed: ${stderr.trim() || String(error)} (is openssl installed?)`,
    );
  }
}

/** Creates a self-signed CA as `<dir>/<name>.crt` and `<dir>/<name>.key`. */
export async function createCa(dir: string, name: string, commonName: string): Promise<CertFiles> {
  const configFile = path.join(dir, `${name}.cnf`);
  writeFileSync(
    configFile,
    opensslConfig({ commonName }, [
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, keyCertSign, cRLSign, digitalSignature',
      'subjectKeyIdentifier = hash',
    ]),
  );
  const files = { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) };
  await openssl([
    'req',
    '-x509',
    '-new',
    '-config',
    configFile,
    '-extensions',
    'ext',
    ...EC_KEY,
    '-keyout',
    files.keyFile,
    '-out',
    files.certFile,
    '-days',
    VALID_DAYS,
  ]);
  chmodSync(files.keyFile, 0o600);
  return files;
}

/** Issues a leaf certificate signed by `ca` as `<dir>/<name>.crt` and `<dir>/<name>.key`. */
export async function issueCert(
  dir: string,
  name: string,
  ca: CertFiles,
  subject: Subject,
  usage: CertUsage,
): Promise<CertFiles> {
  const extensions = [
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
  ];
  if (usage.kind === 'server') {
    const names = [...usage.dnsNames.map((d) => `DNS:${d}`), ...usage.ips.map((ip) => `IP:${ip}`)];
    extensions.push('extendedKeyUsage = serverAuth', `subjectAltName = ${names.join(', ')}`);
  } else {
    extensions.push('extendedKeyUsage = clientAuth');
  }
  const configFile = path.join(dir, `${name}.cnf`);
  writeFileSync(configFile, opensslConfig(subject, extensions));
  const files = { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) };
  const csrFile = path.join(dir, `${name}.csr`);
  await openssl(['req', '-new', '-config', configFile, ...EC_KEY, '-keyout', files.keyFile, '-out', csrFile]);
  chmodSync(files.keyFile, 0o600);
  await openssl([
    'x509',
    '-req',
    '-in',
    csrFile,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    VALID_DAYS,
    '-extfile',
    configFile,
    '-extensions',
    'ext',
    '-out',
    files.certFile,
  ]);
  return files;
}

/** An RSA key pair as `<dir>/<name>.key` (PKCS#8) and `<dir>/<name>.pub` (SPKI), e.g. for service-account tokens. */
export async function createRsaKeyPair(
  dir: string,
  name: string,
): Promise<{ readonly privateKeyFile: string; readonly publicKeyFile: string }> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const privateKeyFile = path.join(dir, `${name}.key`);
  const publicKeyFile = path.join(dir, `${name}.pub`);
  writeFileSync(privateKeyFile, privateKey, { mode: 0o600 });
  writeFileSync(publicKeyFile, publicKey);
  return { privateKeyFile, publicKeyFile };
}
