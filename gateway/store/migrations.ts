import type Database from 'better-sqlite3';
import type { Logger } from '../core/Logger.ts';
import { StoreError } from '../core/errors.ts';

/**
 * Schema migrations for {@link SqliteStore}, tracked in `PRAGMA user_version`.
 *
 * Policy — migrations only ever ADD:
 *  - allowed: `CREATE TABLE`, `ALTER TABLE … ADD COLUMN` (nullable, or NOT NULL with a DEFAULT, which SQLite
 *    enforces anyway), `CREATE INDEX`;
 *  - never: drop or rename a table or column, change a type, add a CHECK or NOT NULL to an existing column.
 *
 * Why: a gateway may be rolled back to an older release after a newer one has migrated its database (failed
 * upgrade, field downgrade). Because every newer migration only adds, the older code still finds every table and
 * column it knows, with the same meaning, so it opens a database whose `user_version` is higher than
 * {@link SCHEMA_VERSION} with a warning instead of refusing to start (which would take the call centre down).
 * Older code never lowers `user_version`, names its columns explicitly (so added columns are ignored on read) and
 * updates rows with `ON CONFLICT DO UPDATE` of its own columns (so values in added columns survive).
 *
 * Enum-like columns (status, phase, kind) deliberately have no CHECK constraints: a newer release may add a value,
 * and an add-only migration could not widen the CHECK.
 */
export interface Migration {
  /** 1, 2, 3, … with no gaps; the database's `user_version` after this migration has run. */
  readonly version: number;
  /** SQL run with `exec` inside one transaction together with the `user_version` bump. */
  readonly up: string;
}

/** Every migration in order. Append only; never edit a released entry. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE events (
        seq  INTEGER PRIMARY KEY,          -- gap-free, assigned by the store (not AUTOINCREMENT)
        at   INTEGER NOT NULL,             -- epoch ms
        type TEXT    NOT NULL,
        data TEXT    NOT NULL              -- JSON of the whole GatewayEvent
      );
      CREATE INDEX events_at ON events (at);

      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE agents (
        id TEXT PRIMARY KEY, state TEXT NOT NULL, pauseReason TEXT, loggedInAt INTEGER,
        idleSince INTEGER NOT NULL, callsToday INTEGER NOT NULL, callsDay TEXT NOT NULL, missedInRow INTEGER NOT NULL
      );

      CREATE TABLE calls (
        id TEXT PRIMARY KEY, direction TEXT NOT NULL, trunkId TEXT NOT NULL, legId TEXT NOT NULL,
        number TEXT NOT NULL, callerKind TEXT NOT NULL, dialled TEXT NOT NULL, startedAt INTEGER NOT NULL,
        endedAt INTEGER, phase TEXT NOT NULL, queue TEXT, agent TEXT,
        callbackId TEXT, campaignId TEXT, targetId TEXT
      );
      CREATE INDEX calls_endedAt ON calls (endedAt);

      CREATE TABLE entries (
        id TEXT PRIMARY KEY, queue TEXT NOT NULL, kind TEXT NOT NULL, callId TEXT, callbackId TEXT,
        priority INTEGER NOT NULL, joinedAt INTEGER NOT NULL, seq INTEGER NOT NULL, enteredAt INTEGER NOT NULL,
        origPosition INTEGER NOT NULL, stickyAgent TEXT, stickyUntil INTEGER
      );

      CREATE TABLE callbacks (
        id TEXT PRIMARY KEY, queue TEXT NOT NULL, number TEXT NOT NULL, priority INTEGER NOT NULL,
        joinedAt INTEGER NOT NULL, requestedAt INTEGER NOT NULL, expiresAt INTEGER NOT NULL, status TEXT NOT NULL,
        attempts INTEGER NOT NULL, notBefore INTEGER NOT NULL, originCallId TEXT NOT NULL,
        origPosition INTEGER NOT NULL, finishedAt INTEGER
      );
      CREATE INDEX callbacks_status ON callbacks (status);
      -- One active callback per caller and queue, enforced by the database as well as by the core.
      CREATE UNIQUE INDEX callbacks_active_unique ON callbacks (queue, number)
        WHERE status IN ('pending', 'dialling');

      CREATE TABLE contacts (
        number TEXT PRIMARY KEY, agent TEXT NOT NULL, queue TEXT NOT NULL, endedAt INTEGER NOT NULL,
        dropped INTEGER NOT NULL             -- boolean 0/1
      );

      CREATE TABLE surveys (
        id INTEGER PRIMARY KEY,             -- insertion order only; surveys are append-only
        callId TEXT NOT NULL, queue TEXT NOT NULL, agent TEXT NOT NULL, score INTEGER, at INTEGER NOT NULL
      );

      CREATE TABLE campaigns (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, prompt TEXT NOT NULL, status TEXT NOT NULL,
        createdAt INTEGER NOT NULL, maxConcurrent INTEGER NOT NULL, callsPerMinute INTEGER NOT NULL,
        schedule TEXT, attempts INTEGER NOT NULL, retryGapMs INTEGER NOT NULL, ringTimeoutMs INTEGER NOT NULL,
        agentQueue TEXT
      );

      CREATE TABLE targets (
        id TEXT PRIMARY KEY, campaignId TEXT NOT NULL, number TEXT NOT NULL, ord INTEGER NOT NULL,
        status TEXT NOT NULL, attempts INTEGER NOT NULL, notBefore INTEGER NOT NULL, result TEXT, message TEXT
      );
      CREATE INDEX targets_campaign_ord ON targets (campaignId, ord);
    `,
  },
  {
    version: 2,
    up: `
      -- The SMS outbox: a row is committed before anything is sent, and only ever moves forward in status.
      CREATE TABLE sms (
        id TEXT PRIMARY KEY, "to" TEXT NOT NULL, text TEXT NOT NULL, purpose TEXT NOT NULL, language TEXT NOT NULL,
        status TEXT NOT NULL, attempts INTEGER NOT NULL, notBefore INTEGER NOT NULL, createdAt INTEGER NOT NULL,
        updatedAt INTEGER NOT NULL, trunkId TEXT,
        refs TEXT NOT NULL,                 -- JSON array of message references
        error TEXT, delivery TEXT, callId TEXT, callbackId TEXT, campaignId TEXT, targetId TEXT
      );
      CREATE INDEX sms_status ON sms (status);
      CREATE INDEX sms_to_created ON sms ("to", createdAt);
      CREATE INDEX sms_call ON sms (callId);

      CREATE TABLE opt_outs (number TEXT PRIMARY KEY, at INTEGER NOT NULL, word TEXT NOT NULL);

      -- One summary row per call, for 'ccgate history'; pruned after history.keepDays.
      CREATE TABLE call_history (
        callId TEXT PRIMARY KEY, number TEXT NOT NULL, direction TEXT NOT NULL, kind TEXT NOT NULL,
        startedAt INTEGER NOT NULL, endedAt INTEGER, language TEXT,
        ivrPath TEXT NOT NULL,              -- JSON array of 'menu:digits'
        queue TEXT, waitMs INTEGER, agent TEXT, talkMs INTEGER, outcome TEXT NOT NULL,
        callbacks TEXT NOT NULL,            -- JSON array of {id, status, attempts}
        surveyScore INTEGER, surveyChannel TEXT,
        sms TEXT NOT NULL                   -- JSON array of {id, purpose, status}
      );
      CREATE INDEX call_history_number ON call_history (number, startedAt);
      CREATE INDEX call_history_started ON call_history (startedAt);

      -- NULL in rows written before SMS surveys: those came in by DTMF.
      ALTER TABLE surveys ADD COLUMN channel TEXT;
    `,
  },
  {
    version: 3,
    up: `
      -- The runtime VIP list, seeded from the YAML; a removed VIP stays as a tombstone (removed = 1).
      CREATE TABLE vips (
        number TEXT PRIMARY KEY,            -- canonical (gateway/numbers/)
        given TEXT NOT NULL, priority INTEGER NOT NULL, name TEXT,
        source TEXT NOT NULL,               -- config | api | cloud
        updatedAt INTEGER NOT NULL,
        removed INTEGER NOT NULL            -- boolean 0/1
      );

      -- Commands from the cloud and their acks, so a redelivered command is not applied twice; pruned by age.
      CREATE TABLE cloud_commands (id TEXT PRIMARY KEY, kind TEXT NOT NULL, receivedAt INTEGER NOT NULL, ack TEXT NOT NULL);
      CREATE INDEX cloud_commands_received ON cloud_commands (receivedAt);
    `,
  },
  {
    version: 4,
    up: `
      -- The SMS that wait, by when they may go: the sender reads only those due, however many are held to a
      -- later time (quiet hours, a day's cap). Partial: a sent SMS leaves it. The WHERE must match the
      -- store's queries word for word, or SQLite will not use it.
      CREATE INDEX sms_open_due ON sms (notBefore) WHERE status IN ('pending', 'held', 'submitting');
    `,
  },
];

/** The schema version this code writes: the last migration's version. */
export const SCHEMA_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;

/** Outcome of {@link migrate}: `user_version` before and after. */
export interface MigrationResult {
  from: number;
  to: number;
  /** The database was written by a newer release; nothing was run. */
  newer: boolean;
}

/**
 * Bring `db` up to the last of `migrations`, each in its own transaction with its `user_version` bump, so a crash
 * mid-way leaves the database at a consistent earlier version. Idempotent. A database newer than the code is
 * left untouched and a warning logged (see the policy above).
 *
 * Must be called outside any transaction (`exec` of BEGIN is done by better-sqlite3's `transaction()`).
 *
 * @throws StoreError `STORE_FAILED` if `migrations` is not numbered 1, 2, 3, … or a migration fails.
 */
export function migrate(
  db: Database.Database,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreError('STORE_FAILED', `migration #${i} has version ${m.version}, expected ${i + 1}`, {
        op: 'migrate',
        version: m.version,
      });
    }
  });
  const known = migrations.length;
  const from = userVersion(db);
  if (from > known) {
    logger.warn(
      { found: from, known },
      'database schema is newer than this release (rolled back?); opening it anyway, added tables/columns are ignored',
    );
    return { from, to: from, newer: true };
  }
  for (const m of migrations.slice(from)) {
    try {
      db.transaction(() => {
        db.exec(m.up);
        // Integer from our own table, not user input: safe to interpolate (PRAGMA takes no parameters).
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } catch (e) {
      throw new StoreError('STORE_FAILED', `migration to version ${m.version} failed`, {
        op: 'migrate',
        version: m.version,
      }, e);
    }
    logger.info({ version: m.version }, 'schema migrated');
  }
  return { from, to: Math.max(from, known), newer: false };
}

/** The database's `PRAGMA user_version`. */
export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
