import { z } from 'zod';
import type { SyncConfig } from '../../gateway/sync/SyncConfig.ts';
import { expected } from './messages.ts';
import { duration, obj, oneOf, SECOND, text, whole } from './fields.ts';

const levelError = expected('1-64 letters, digits, _ or - (one MQTT topic level)');
const level = z.string({ error: levelError }).regex(/^[A-Za-z0-9_-]{1,64}$/, { error: levelError });

const brokerError = expected(`a broker URL such as 'mqtts://broker.example.com:8883' (mqtt:// or mqtts://)`);
const broker = z.string({ error: brokerError }).refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'mqtt:' || u.protocol === 'mqtts:') && u.hostname !== '';
  } catch {
    return false;
  }
}, { error: brokerError });

const path = (what: string) => text(what).nullable().default(null);

/**
 * `sync:`: the cloud link over MQTT. Optional; without it the unit keeps
 * everything locally and nothing is published.
 */
export const syncSection = obj({
  tenant: level,
  site: level,
  unit: level,
  brokers: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(broker, { error: brokerError }).min(1, { error: expected('at least one broker URL') })),
  protocol: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), oneOf(['auto', '5', '3.1.1'])).default('auto'),
  clientId: text('an MQTT client id').max(128).optional(),
  username: text('a user name').nullable().default(null),
  password: text('a password').nullable().default(null),
  passwordFile: path('a file holding the password'),
  tls: obj({
    ca: path('a PEM file of the CA'),
    cert: path('a PEM file of the client certificate'),
    key: path('a PEM file of the client key'),
    rejectUnauthorized: z.boolean({ error: expected('true or false') }).default(true),
  }).prefault({}),
  keepaliveSec: whole(5, 3600).default(30),
  kpiEveryMs: duration(true).default(10 * SECOND),
  window: whole(1, 1000).default(8),
  batchEvents: whole(1, 1000).default(100),
  backoff: obj({ initialMs: duration(true).default(SECOND), maxMs: duration(true).default(60 * SECOND) }).prefault({}),
  commands: obj({
    maxBytes: whole(256, 1_048_576).default(64 * 1024),
    // A campaign places calls that cost money: the cloud's are bounded.
    campaignTargets: whole(1, 100_000).default(1000),
    campaignsPerDay: whole(0, 1000).default(20),
  }).prefault({}),
})
  .superRefine((s, ctx) => {
    if ((s.tls.cert === null) !== (s.tls.key === null)) ctx.addIssue({ code: 'custom', path: ['tls', s.tls.cert === null ? 'cert' : 'key'], message: 'expected a client certificate and its key together (tls.cert and tls.key)' });
    if (s.password !== null && s.passwordFile !== null) ctx.addIssue({ code: 'custom', path: ['passwordFile'], message: 'expected either password or passwordFile, not both' });
    if (s.backoff.maxMs < s.backoff.initialMs) ctx.addIssue({ code: 'custom', path: ['backoff', 'maxMs'], message: `expected at least backoff.initialMs (${s.backoff.initialMs})` });
  })
  .transform((s): SyncConfig => ({ ...s, clientId: s.clientId ?? `ccgate-${s.tenant}-${s.site}-${s.unit}` }))
  .nullable()
  .default(null);
