import type { MqttProtocol } from './link/SyncLink.ts';

/** The YAML's `sync:` section, defaults filled in (docs/cloud-sync.md). Absent: the unit works offline only. */
export interface SyncConfig {
  /** Topic levels `cc/v1/{tenant}/{site}/{unit}`: `[A-Za-z0-9_-]`. */
  tenant: string;
  site: string;
  unit: string;
  /** Broker URLs (`mqtt://`, `mqtts://`), tried in turn. */
  brokers: string[];
  /** `auto`: MQTT 5, falling back to 3.1.1 when a broker refuses it. */
  protocol: MqttProtocol | 'auto';
  /** Default `ccgate-{tenant}-{site}-{unit}`. */
  clientId: string;
  username: string | null;
  /** The password, or a file holding it (first line), so the YAML need not carry a secret. */
  password: string | null;
  passwordFile: string | null;
  /** PEM files; a client certificate needs its key. */
  tls: { ca: string | null; cert: string | null; key: string | null; rejectUnauthorized: boolean };
  keepaliveSec: number;
  /** Live KPI snapshot on `…/kpi` every so often, ms. */
  kpiEveryMs: number;
  /** Event batches published and not yet acknowledged. */
  window: number;
  /** Events in one batch. */
  batchEvents: number;
  backoff: { initialMs: number; maxMs: number };
  commands: { maxBytes: number; campaignTargets: number; campaignsPerDay: number };
}
