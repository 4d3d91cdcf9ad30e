// Schema versions for SQLite, applied in order on start. Never edit an applied migration: add one.
export const SQLITE_MIGRATIONS: Array<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      -- Few b-trees per write: payment tokens name their payment (domain/payment-token.ts), so
      -- there is no token index; events, small rows, live in one WITHOUT ROWID b-tree. Payments
      -- and idempotency rows are large, where rowid tables split pages less (measured).
      CREATE TABLE payments (
        msn TEXT NOT NULL,
        reference TEXT NOT NULL,
        state TEXT NOT NULL,
        due_at INTEGER,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (msn, reference)
      );
      CREATE INDEX payments_due ON payments (due_at) WHERE due_at IS NOT NULL;
      CREATE TABLE payment_events (
        msn TEXT NOT NULL,
        reference TEXT NOT NULL,
        seq INTEGER NOT NULL,
        psp_reference TEXT NOT NULL,
        name TEXT NOT NULL,
        currency TEXT NOT NULL,
        amount INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        success INTEGER NOT NULL,
        idempotency_key TEXT,
        PRIMARY KEY (msn, reference, seq)
      ) WITHOUT ROWID;
      CREATE TABLE idempotency (
        msn TEXT NOT NULL,
        operation TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        outcome TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (msn, operation, idem_key)
      );
      CREATE INDEX idempotency_created ON idempotency (created_at);

      CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        msn TEXT,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        faults TEXT NOT NULL
      );
      CREATE INDEX webhooks_owner ON webhooks (client_id, msn);
      -- The outbox: written in the same transaction as the payment change it announces.
      CREATE TABLE webhook_deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        webhook_id TEXT NOT NULL,
        msn TEXT NOT NULL,
        reference TEXT NOT NULL,
        event_type TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        claimed_by TEXT,
        claimed_until INTEGER
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_group ON webhook_deliveries (webhook_id, msn, reference, id);
      CREATE TABLE webhook_attempts (
        id INTEGER PRIMARY KEY,
        delivery_id INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        at INTEGER NOT NULL,
        status_code INTEGER,
        error TEXT,
        latency_ms INTEGER NOT NULL,
        response_excerpt TEXT,
        note TEXT
      );
      CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
    `,
  },
  {
    // The phone-app simulator lists a user's payments. An expression index over the stored
    // document: no new column, and payments without a phone (most) add no index entry.
    version: 2,
    sql: `
      CREATE INDEX payments_customer_phone ON payments (json_extract(data, '$.customerPhone'), json_extract(data, '$.createdAt'))
        WHERE json_extract(data, '$.customerPhone') IS NOT NULL;
    `,
  },
  {
    // Less work per write (measured on create-payment): the phone moves from an expression over the
    // document (SQLite parsed the JSON on every insert and update) to a column, and pruning
    // idempotency records no longer needs an index of their own (sqlite-store.ts, pruneIdempotency).
    version: 3,
    sql: `
      ALTER TABLE payments ADD COLUMN customer_phone TEXT;
      ALTER TABLE payments ADD COLUMN created_at INTEGER;
      UPDATE payments SET customer_phone = json_extract(data, '$.customerPhone'), created_at = json_extract(data, '$.createdAt');
      DROP INDEX payments_customer_phone;
      CREATE INDEX payments_phone ON payments (customer_phone, created_at) WHERE customer_phone IS NOT NULL;
      DROP INDEX idempotency_created;
    `,
  },
  {
    // Idempotency keys are random (UUIDs), so every new record lands on a random page of the key
    // index. An index of 6-byte hashes instead of (msn, operation, key) text is a quarter the size:
    // fewer pages to read and write per request (measured: ~12% more creates per second with UUID
    // keys). Lookups compare the full key in the row; two keys with one hash are just two rows.
    // vl_key_hash is registered by sqlite-store.ts. The copy keeps rowid (time) order for pruning.
    version: 4,
    sql: `
      CREATE TABLE idempotency_v4 (
        msn TEXT NOT NULL,
        operation TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        outcome TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        key_hash INTEGER NOT NULL
      );
      INSERT INTO idempotency_v4 (msn, operation, idem_key, request_hash, outcome, created_at, key_hash)
        SELECT msn, operation, idem_key, request_hash, outcome, created_at, vl_key_hash(msn, operation, idem_key) FROM idempotency ORDER BY rowid;
      DROP TABLE idempotency;
      ALTER TABLE idempotency_v4 RENAME TO idempotency;
      CREATE INDEX idempotency_key ON idempotency (key_hash);
    `,
  },
  {
    // Events are keyed by their payment's id instead of (msn, reference): an event's id is
    // payment id * 65536 + seq, so a payment's events are neighbours and a new payment's first event
    // is appended at the end of a rowid table (measured: 3.6 → 1.6 pages written per commit for
    // events). Payments get a declared id (INTEGER PRIMARY KEY) because an implicit rowid may be
    // renumbered by VACUUM. The copy keeps each payment's rowid as its id.
    version: 5,
    sql: `
      CREATE TABLE payments_v5 (
        id INTEGER PRIMARY KEY,
        msn TEXT NOT NULL,
        reference TEXT NOT NULL,
        state TEXT NOT NULL,
        due_at INTEGER,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        customer_phone TEXT,
        created_at INTEGER,
        UNIQUE (msn, reference)
      );
      INSERT INTO payments_v5 (id, msn, reference, state, due_at, version, data, customer_phone, created_at)
        SELECT rowid, msn, reference, state, due_at, version, data, customer_phone, created_at FROM payments ORDER BY rowid;
      CREATE TABLE payment_events_v5 (
        id INTEGER PRIMARY KEY,
        psp_reference TEXT NOT NULL,
        name TEXT NOT NULL,
        currency TEXT NOT NULL,
        amount INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        success INTEGER NOT NULL,
        idempotency_key TEXT
      );
      INSERT INTO payment_events_v5 (id, psp_reference, name, currency, amount, ts, success, idempotency_key)
        SELECT p.id * 65536 + e.seq, e.psp_reference, e.name, e.currency, e.amount, e.ts, e.success, e.idempotency_key
        FROM payment_events e JOIN payments_v5 p ON p.msn = e.msn AND p.reference = e.reference;
      DROP TABLE payment_events;
      DROP TABLE payments;
      ALTER TABLE payments_v5 RENAME TO payments;
      ALTER TABLE payment_events_v5 RENAME TO payment_events;
      CREATE INDEX payments_due ON payments (due_at) WHERE due_at IS NOT NULL;
      CREATE INDEX payments_phone ON payments (customer_phone, created_at) WHERE customer_phone IS NOT NULL;
    `,
  },
  {
    // The key index is written behind (sqlite-idempotency.ts): records are appended, and their
    // (key hash, id) pairs go into idempotency_keys in sorted batches, so a create no longer writes
    // a random index leaf (measured: ~16% of a create's CPU). Records get a declared id (INTEGER
    // PRIMARY KEY), which the index points to and VACUUM keeps. Every record copied here is indexed.
    version: 6,
    sql: `
      CREATE TABLE idempotency_v6 (
        id INTEGER PRIMARY KEY,
        msn TEXT NOT NULL,
        operation TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        outcome TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        key_hash INTEGER NOT NULL
      );
      INSERT INTO idempotency_v6 (id, msn, operation, idem_key, request_hash, outcome, created_at, key_hash)
        SELECT rowid, msn, operation, idem_key, request_hash, outcome, created_at, key_hash FROM idempotency ORDER BY rowid;
      DROP TABLE idempotency;
      ALTER TABLE idempotency_v6 RENAME TO idempotency;
      CREATE TABLE idempotency_keys (key_hash INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY (key_hash, row)) WITHOUT ROWID;
      INSERT INTO idempotency_keys (key_hash, row) SELECT key_hash, id FROM idempotency ORDER BY key_hash, id;
      INSERT INTO settings (key, value) SELECT 'idempotency_keys_upto', coalesce(max(id), 0) FROM idempotency;
    `,
  },
  {
    // One engine, many faces (issue 12), and idempotency scoped by the face (issue 11):
    // - payments are found by their id (the rowid, as text in the document) or by (msn, reference);
    // - captures, refunds and releases are rows of their own (payment_adjustments), keyed like events
    //   (payment id * 65536 + the seq of the event that made them), backfilled from the events;
    // - idempotency records are keyed by a scope the face chooses (`epayment/capture/<msn>/<reference>`)
    //   and hold the face's stored response. ePayment keys of create stay per sales unit; keys of
    //   capture, refund and cancel become per payment. A refusal of a capture, refund or cancel did not
    //   keep its reference, so it cannot be placed in its new scope and is dropped (decisions.md);
    // - outbox rows carry what their delivery needs (format, target, url, secret, faults, subject),
    //   so the claim joins no face's table. A deleted registration's past rows have no url.
    version: 7,
    sql: `
      UPDATE payments SET data = json_set(data, '$.id', CAST(id AS TEXT));

      CREATE TABLE payment_adjustments (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        amount INTEGER NOT NULL,
        currency TEXT NOT NULL,
        at INTEGER NOT NULL,
        idempotency_key TEXT,
        origin TEXT NOT NULL,
        psp_reference TEXT NOT NULL
      );
      INSERT INTO payment_adjustments (id, kind, amount, currency, at, idempotency_key, origin, psp_reference)
        SELECT id, CASE name WHEN 'CAPTURED' THEN 'capture' WHEN 'REFUNDED' THEN 'refund' ELSE 'cancel' END,
               amount, currency, ts, idempotency_key, 'platform', psp_reference
        FROM payment_events WHERE name IN ('CAPTURED', 'REFUNDED', 'CANCELLED', 'TERMINATED') ORDER BY id;

      CREATE TABLE idempotency_v7 (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        key_hash INTEGER NOT NULL
      );
      INSERT INTO idempotency_v7 (id, scope, idem_key, request_hash, response, created_at, key_hash)
        SELECT id, scope, idem_key, request_hash, outcome, created_at, vl_key_hash(scope, idem_key) FROM (
          SELECT id, idem_key, request_hash, outcome, created_at,
                 CASE WHEN operation IN ('capture', 'refund', 'cancel')
                      THEN 'epayment/' || operation || '/' || msn || '/' || json_extract(outcome, '$.value.reference')
                      ELSE 'epayment/' || operation || '/' || msn END AS scope
          FROM idempotency
        ) WHERE scope IS NOT NULL ORDER BY id;
      DROP TABLE idempotency;
      ALTER TABLE idempotency_v7 RENAME TO idempotency;
      DELETE FROM idempotency_keys;
      INSERT INTO idempotency_keys (key_hash, row) SELECT key_hash, id FROM idempotency ORDER BY key_hash, id;
      INSERT INTO settings (key, value) SELECT 'idempotency_keys_upto', coalesce(max(id), 0) FROM idempotency WHERE true
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;

      CREATE TABLE webhook_deliveries_v7 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        format TEXT NOT NULL,
        target_id TEXT NOT NULL,
        url TEXT,
        secret TEXT NOT NULL,
        faults TEXT NOT NULL,
        subject TEXT NOT NULL,
        msn TEXT NOT NULL,
        reference TEXT NOT NULL,
        event_type TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        claimed_by TEXT,
        claimed_until INTEGER
      );
      INSERT INTO webhook_deliveries_v7 (id, format, target_id, url, secret, faults, subject, msn, reference, event_type, payload,
                                         status, attempts, next_attempt_at, created_at, delivered_at, claimed_by, claimed_until)
        SELECT d.id, 'vipps-webhook', d.webhook_id, w.url, coalesce(w.secret, ''), coalesce(w.faults, '{}'),
               coalesce(CAST(p.id AS TEXT), d.msn || '/' || d.reference), d.msn, d.reference, d.event_type, d.payload,
               d.status, d.attempts, d.next_attempt_at, d.created_at, d.delivered_at, d.claimed_by, d.claimed_until
        FROM webhook_deliveries d
        LEFT JOIN webhooks w ON w.id = d.webhook_id
        LEFT JOIN payments p ON p.msn = d.msn AND p.reference = d.reference
        ORDER BY d.id;
      DROP TABLE webhook_deliveries;
      ALTER TABLE webhook_deliveries_v7 RENAME TO webhook_deliveries;
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_group ON webhook_deliveries (target_id, subject, id);

      CREATE TABLE module_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (module, version));
    `,
  },
  {
    // Fair claims (issue 16): the claim walks the targets that have pending rows and takes each
    // one's oldest due rows, so a long backlog of one target is not scanned to reach another's.
    version: 8,
    sql: `
      CREATE INDEX webhook_deliveries_pending_target ON webhook_deliveries (target_id, next_attempt_at, id) WHERE status = 'pending';
    `,
  },
  {
    // The dashboard's payment list (issue 17): newest first (rowid order), filtered by sales unit,
    // state, reference or customer. Each index ends in the rowid, so a filtered page walks the
    // index backwards from its cursor and stops after one page, however many payments there are.
    version: 9,
    sql: `
      CREATE INDEX payments_list_msn ON payments (msn, id);
      CREATE INDEX payments_list_state ON payments (state, id);
      CREATE INDEX payments_list_reference ON payments (reference, id);
      CREATE INDEX payments_list_customer ON payments (customer_phone, id) WHERE customer_phone IS NOT NULL;
      CREATE INDEX webhook_deliveries_list_reference ON webhook_deliveries (reference, id);
    `,
  },
];
