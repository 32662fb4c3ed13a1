/**
 * `ccgate keys list|trust|sign-op|apply`: the release keys a unit trusts.
 * The first key is trusted at installation (`keys trust`, refused once the
 * store holds a key); after that a key is added or revoked only by an
 * operation signed with a key the unit already trusts (`keys sign-op` on
 * the release manager's machine, `keys apply` on the unit).
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, str, type CommandEnv } from '../cli/args.ts';
import { UsageError } from '../cli/usage.ts';
import { keyIdOf, loadPrivateKey, loadPublicKey, publicKeyPem } from './signing.ts';
import { parseOp, signOp, TrustStore } from './trustStore.ts';
import { unitPaths } from './unitPaths.ts';

export const KEYS_USAGE = `Usage: ccgate keys list [--root DIR] [--json]
       ccgate keys trust PUB.pem [--comment TEXT] [--root DIR]
       ccgate keys sign-op add PUB.pem [--comment TEXT] --key PRIVATE.pem --out OP.json
       ccgate keys sign-op revoke KEYID --key PRIVATE.pem --out OP.json
       ccgate keys apply OP.json [--root DIR]

  list      the keys the unit trusts (DIR/etc/ccgate/release-keys.json) and those it revoked
  trust     trust a first key (installation); refused once the unit trusts a key
  sign-op   an addition or revocation signed with a key the units trust (run where the key is)
  apply     apply a signed operation on the unit; applying one twice changes nothing
  --root DIR   the unit's root (default /)
`;

const OPTIONS = {
  root: { type: 'string' },
  key: { type: 'string' },
  out: { type: 'string' },
  comment: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function keysCommand(args: string[], env: CommandEnv): Promise<number> {
  const command = 'keys';
  const { values, positionals } = parse(command, args, OPTIONS, 3);
  if (values.help === true) {
    env.io.out(KEYS_USAGE);
    return Promise.resolve(0);
  }
  const store = () => TrustStore.load(unitPaths(env.path(str(values.root) ?? '/')).trustStore);
  const [action, a, b] = positionals;
  switch (action) {
    case 'list': {
      const s = store();
      if (values.json === true) env.io.out(JSON.stringify({ keys: s.keys.map((k) => ({ id: k.id, comment: k.comment, addedBy: k.addedBy })), revoked: s.revoked }) + '\n');
      else {
        if (s.keys.length === 0) env.io.out(`no trusted keys in ${s.path}: this unit accepts no release (ccgate keys trust PUB.pem)\n`);
        for (const k of s.keys) env.io.out(`${k.id}  ${k.comment}  (added by ${k.addedBy})\n`);
        for (const r of s.revoked) env.io.out(`${r}  revoked\n`);
      }
      return 0;
    }
    case 'trust': {
      if (a === undefined) throw new UsageError('keys trust: expected PUB.pem', command);
      const k = store().bootstrap(loadPublicKey(env.path(a)), str(values.comment) ?? a);
      env.io.out(`trusting ${k.id}\n`);
      return 0;
    }
    case 'sign-op': {
      const keyPath = str(values.key);
      const out = str(values.out);
      if (keyPath === undefined || out === undefined) throw new UsageError('keys sign-op: --key PRIVATE.pem and --out OP.json are required', command);
      const signer = loadPrivateKey(env.path(keyPath));
      const signerId = keyIdOf(createPublicKey(signer));
      let op;
      if (a === 'add' && b !== undefined) op = signOp({ op: 'add', key: { publicKey: publicKeyPem(loadPublicKey(env.path(b))), comment: str(values.comment) ?? b } }, signer, signerId);
      else if (a === 'revoke' && b !== undefined) op = signOp({ op: 'revoke', keyId: b }, signer, signerId);
      else throw new UsageError('keys sign-op: expected add PUB.pem or revoke KEYID', command);
      writeFileSync(env.path(out), JSON.stringify(op, null, 2) + '\n');
      env.io.out(`wrote ${out}: ${a} signed by ${signerId}\n`);
      return 0;
    }
    case 'apply': {
      if (a === undefined) throw new UsageError('keys apply: expected OP.json', command);
      const path = env.path(a);
      const op = parseOp(readFileSync(path, 'utf8'), path);
      const r = store().apply(op);
      env.io.out(r === 'replayed' ? `${op.opId} was applied before: nothing changed\n` : `applied ${op.op} ${op.opId}\n`);
      return 0;
    }
    default:
      throw new UsageError(`keys: expected list, trust, sign-op or apply, got ${JSON.stringify(action ?? '')}`, command);
  }
}
