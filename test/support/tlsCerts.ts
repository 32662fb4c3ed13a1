/**
 * Certificates for the TLS tests, made with the openssl CLI in a temporary
 * folder: a CA with a server certificate (localhost, 127.0.0.1) and a client
 * certificate, an unrelated CA with its own client certificate (the "wrong"
 * client), and a server certificate whose validity starts tomorrow (a unit
 * whose clock is behind it). EC P-256 keys: a few milliseconds each.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsCerts {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A CA the server does not trust, and a client certificate it signed. */
  wrongCaFile: string;
  wrongClientCertFile: string;
  wrongClientKeyFile: string;
  /** Signed by caFile for localhost/127.0.0.1, valid only from `futureStart` on. */
  futureServerCertFile: string;
  futureServerKeyFile: string;
  futureStart: Date;
  dispose(): void;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`, { cause: e });
  }
}

function ecKey(dir: string, name: string): string {
  const file = join(dir, `${name}.key`);
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', file], dir);
  return file;
}

function selfSignedCa(dir: string, name: string, cn: string): { cert: string; key: string } {
  const key = ecKey(dir, name);
  const cert = join(dir, `${name}.crt`);
  openssl(['req', '-x509', '-new', '-key', key, '-sha256', '-days', '365', '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', cert], dir);
  return { cert, key };
}

/** A leaf signed by `ca` through `openssl ca`, which (unlike `x509 -req` in OpenSSL 3.0) takes an explicit -startdate. */
function leaf(dir: string, ca: { cert: string; key: string }, name: string, cn: string, kind: 'server' | 'client', startdate?: Date): { cert: string; key: string } {
  const key = ecKey(dir, name);
  const csr = join(dir, `${name}.csr`);
  openssl(['req', '-new', '-key', key, '-subj', `/CN=${cn}`, '-out', csr], dir);
  const db = join(dir, `db-${name}`);
  mkdirSync(db);
  writeFileSync(join(db, 'index.txt'), '');
  writeFileSync(join(db, 'serial'), '1000\n');
  const ext = kind === 'server'
    ? ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyAgreement', 'extendedKeyUsage=serverAuth', 'subjectAltName=DNS:localhost,IP:127.0.0.1']
    : ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyAgreement', 'extendedKeyUsage=clientAuth'];
  const conf = join(db, 'ca.cnf');
  writeFileSync(conf, [
    '[ca]', 'default_ca = test_ca',
    '[test_ca]', `database = ${join(db, 'index.txt')}`, `new_certs_dir = ${db}`, `serial = ${join(db, 'serial')}`, `certificate = ${ca.cert}`, `private_key = ${ca.key}`,
    'default_md = sha256', 'policy = any', 'unique_subject = no', 'copy_extensions = none', 'x509_extensions = leaf_ext',
    '[any]', 'commonName = supplied',
    '[leaf_ext]', ...ext,
  ].join('\n') + '\n');
  const cert = join(dir, `${name}.crt`);
  const args = ['ca', '-batch', '-notext', '-config', conf, '-in', csr, '-out', cert];
  if (startdate) {
    const end = new Date(startdate.getTime() + 30 * 86_400_000);
    args.push('-startdate', asn1Time(startdate), '-enddate', asn1Time(end));
  } else {
    args.push('-days', '30');
  }
  openssl(args, dir);
  return { cert, key };
}

/** YYYYMMDDHHMMSSZ (GeneralizedTime, which `openssl ca -startdate` accepts). */
function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export function makeTlsCerts(): TlsCerts {
  const dir = mkdtempSync(join(tmpdir(), 'ccgate-tls-'));
  const ca = selfSignedCa(dir, 'ca', 'ccgate test CA');
  const server = leaf(dir, ca, 'server', 'localhost', 'server');
  const client = leaf(dir, ca, 'client', 'unit-test', 'client');
  const wrongCa = selfSignedCa(dir, 'wrong-ca', 'unrelated CA');
  const wrongClient = leaf(dir, wrongCa, 'wrong-client', 'unit-test', 'client');
  const futureStart = new Date(Date.now() + 86_400_000);
  futureStart.setUTCMilliseconds(0);
  const future = leaf(dir, ca, 'future-server', 'localhost', 'server', futureStart);
  return {
    dir,
    caFile: ca.cert,
    serverCertFile: server.cert,
    serverKeyFile: server.key,
    clientCertFile: client.cert,
    clientKeyFile: client.key,
    wrongCaFile: wrongCa.cert,
    wrongClientCertFile: wrongClient.cert,
    wrongClientKeyFile: wrongClient.key,
    futureServerCertFile: future.cert,
    futureServerKeyFile: future.key,
    futureStart,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
