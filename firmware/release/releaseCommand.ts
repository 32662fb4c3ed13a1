/**
 * `ccgate release build|sign|verify|keygen`: make a release bundle from this
 * installation (built dist/, production dependencies as installed, so for
 * this machine's arch and Node ABI), sign it with an ed25519 key, check a
 * bundle as a unit would, and make a key pair. See docs/releases.md.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, str, type CommandEnv } from '../cli/args.ts';
import { numberFlag, UsageError } from '../cli/usage.ts';
import { bundleName, manifestFor, stageRelease, writeBundle } from './buildRelease.ts';
import { currentTarget, isValidVersion, serializeManifest } from './manifest.ts';
import { isReleaseError } from './ReleaseError.ts';
import { signBundle } from './signBundle.ts';
import { generateKeyFiles, loadPrivateKey, signManifest } from './signing.ts';
import { TrustStore } from './trustStore.ts';
import { unitPaths } from './unitPaths.ts';
import { verifyBundle } from './verifyBundle.ts';

export const RELEASE_USAGE = `Usage: ccgate release build [--out DIR] [--version V] [--seq N] [--key PRIVATE.pem] [--json]
       ccgate release sign BUNDLE --key PRIVATE.pem
       ccgate release verify BUNDLE (--trust FILE | --root DIR) [--json]
       ccgate release keygen --out PREFIX

  build    a bundle of this installation (run npm ci and npm run build first): dist/, bin/, the
           package files, fonts, units, the udev rule and the production dependencies, for this
           machine's os, arch and Node ABI; ccgate-<version>-<os>-<arch>.tar.gz in --out (default .)
  sign     sign the bundle's manifest with an ed25519 private key (manifest.sig)
  verify   check a bundle as a unit does: signature by a trusted key, target, every file's hash
  keygen   a new key pair: PREFIX.key (private, mode 0600) and PREFIX.pub
  --version V   the release's version (default: package.json's)
  --seq N       the release's sequence number; a unit refuses a lower one than it runs (default 1)
  --trust FILE  the trust store to verify against (a unit's /etc/ccgate/release-keys.json)
  --root DIR    verify against DIR/etc/ccgate/release-keys.json
`;

const PKG_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/dist\/$/, '/');
const OPTIONS = {
  out: { type: 'string' },
  version: { type: 'string' },
  seq: { type: 'string' },
  key: { type: 'string' },
  trust: { type: 'string' },
  root: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function releaseCommand(args: string[], env: CommandEnv): Promise<number> {
  const command = 'release';
  const { values, positionals } = parse(command, args, OPTIONS, 2);
  if (values.help === true) {
    env.io.out(RELEASE_USAGE);
    return 0;
  }
  const [action, target] = positionals;
  const json = values.json === true;
  try {
    switch (action) {
      case 'build': {
        const version = str(values.version) ?? packageVersion();
        if (!isValidVersion(version)) throw new UsageError(`--version: expected a version usable as a folder name (1.4.2), got ${JSON.stringify(version)}`, command);
        const raw = str(values.seq);
        const seq = raw === undefined ? 1 : numberFlag(command, 'seq', raw, { integer: true });
        const stage = mkdtempSync(join(tmpdir(), 'ccgate-release-'));
        try {
          const staged = stageRelease(PKG_ROOT, stage);
          const m = manifestFor(staged, { version, seq });
          const keyPath = str(values.key);
          const sig = keyPath === undefined ? null : signManifest(serializeManifest(m), loadPrivateKey(env.path(keyPath)));
          const out = join(env.path(str(values.out) ?? '.'), bundleName(m));
          await writeBundle(out, staged, m, sig);
          const files = Object.keys(m.files).length;
          if (json) env.io.out(JSON.stringify({ bundle: out, version, seq, target: m.target, files, signedBy: sig?.keyId ?? null }) + '\n');
          else env.io.out(`built ${out}: ${version} (seq ${seq}) for ${m.target.os}/${m.target.arch} Node ABI ${m.target.nodeAbi}, ${files} files${sig ? `, signed by ${sig.keyId}` : ', not signed yet (ccgate release sign)'}\n`);
          return 0;
        } finally {
          rmSync(stage, { recursive: true, force: true });
        }
      }
      case 'sign': {
        if (target === undefined) throw new UsageError('release sign: expected BUNDLE', command);
        const keyPath = str(values.key);
        if (keyPath === undefined) throw new UsageError('release sign: --key PRIVATE.pem is required', command);
        const r = await signBundle(env.path(target), loadPrivateKey(env.path(keyPath)));
        env.io.out(`signed ${target} (${r.manifest.version}) with key ${r.signature.keyId}\n`);
        return 0;
      }
      case 'verify': {
        if (target === undefined) throw new UsageError('release verify: expected BUNDLE', command);
        const trustPath = str(values.trust) ?? (str(values.root) === undefined ? undefined : unitPaths(env.path(str(values.root) ?? '/')).trustStore);
        if (trustPath === undefined) throw new UsageError('release verify: --trust FILE or --root DIR is required', command);
        const v = await verifyBundle(env.path(target), { trust: TrustStore.load(env.path(trustPath)), target: currentTarget() });
        const m = v.manifest;
        if (json) env.io.out(JSON.stringify({ ok: true, version: m.version, seq: m.seq, target: m.target, files: Object.keys(m.files).length }) + '\n');
        else env.io.out(`ok: ${m.version} (seq ${m.seq}) for ${m.target.os}/${m.target.arch} Node ABI ${m.target.nodeAbi}, ${Object.keys(m.files).length} files, signature and hashes good\n`);
        return 0;
      }
      case 'keygen': {
        const prefix = str(values.out);
        if (prefix === undefined) throw new UsageError('release keygen: --out PREFIX is required', command);
        mkdirSync(dirname(env.path(prefix)), { recursive: true });
        const k = generateKeyFiles(env.path(prefix));
        env.io.out(`key ${k.keyId}: private ${k.privateKeyPath} (keep it off the units), public ${k.publicKeyPath}\n`);
        return 0;
      }
      default:
        throw new UsageError(`release: expected build, sign, verify or keygen, got ${JSON.stringify(action ?? '')}`, command);
    }
  } catch (e) {
    // --json callers get the refusal on stdout too; the CLI reports it on stderr with exit 1.
    if (json && isReleaseError(e)) env.io.out(JSON.stringify({ ok: false, code: e.code, reason: e.message }) + '\n');
    throw e;
  }
}

function packageVersion(): string {
  return (JSON.parse(readPackage()) as { version: string }).version;
}

function readPackage(): string {
  return readFileSync(join(PKG_ROOT, 'package.json'), 'utf8');
}
