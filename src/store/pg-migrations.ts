// Schema versions for PostgreSQL, applied in order on start (pg-store.ts: one transaction under an
// advisory lock, so instances starting together apply each version once). Never edit an applied
// migration: add one. Versions are numbered independently of SQLite's.
//
// Same tables and meaning as sqlite-migrations.ts. Money and times are bigint (epoch ms, minor
// units), read back as numbers; the payment document is jsonb so operators can query it.
export const PG_MIGRATIONS: Array<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE payments (
        msn text NOT NULL,
        reference text NOT NULL,
        state text NOT NULL,
        due_at bigint,
        version integer NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (msn, reference)
      );
      CREATE INDEX payments_due ON payments (due_at) WHERE due_at IS NOT NULL;
      -- The phone-app simulator lists a user's payments; payments without a phone add no entry.
      CREATE INDEX payments_customer_phone ON payments ((data->>'customerPhone'), ((data->>'createdAt')::bigint))
        WHERE (data->>'customerPhone') IS NOT NULL;
      CREATE TABLE payment_events (
        msn text NOT NULL,
        reference text NOT NULL,
        seq integer NOT NULL,
        psp_reference text NOT NULL,
        name text NOT NULL,
        currency text NOT NULL,
        amount bigint NOT NULL,
        ts bigint NOT NULL,
        success boolean NOT NULL,
        idempotency_key text,
        PRIMARY KEY (msn, reference, seq)
      );
      CREATE TABLE idempotency (
        msn text NOT NULL,
        operation text NOT NULL,
        idem_key text NOT NULL,
        request_hash text NOT NULL,
        outcome text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (msn, operation, idem_key)
      );
      CREATE INDEX idempotency_created ON idempotency (created_at);

      CREATE TABLE webhooks (
        id text PRIMARY KEY,
        client_id text NOT NULL,
        msn text,
        url text NOT NULL,
        events jsonb NOT NULL,
        secret text NOT NULL,
        created_at bigint NOT NULL,
        faults jsonb NOT NULL
      );
      CREATE INDEX webhooks_owner ON webhooks (client_id, msn);
      -- The outbox: written in the same transaction as the payment change it announces.
      CREATE TABLE webhook_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        webhook_id text NOT NULL,
        msn text NOT NULL,
        reference text NOT NULL,
        event_type text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at bigint NOT NULL,
        created_at bigint NOT NULL,
        delivered_at bigint,
        claimed_by text,
        claimed_until bigint
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_group ON webhook_deliveries (webhook_id, msn, reference, id);
      CREATE TABLE webhook_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id bigint NOT NULL,
        attempt integer NOT NULL,
        at bigint NOT NULL,
        status_code integer,
        error text,
        latency_ms integer NOT NULL,
        response_excerpt text,
        note text
      );
      CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
    `,
  },
  {
    // Writes travel in batches with the next read or the COMMIT (pg-store.ts); a write that must
    // touch exactly one row (a new payment, an update from the expected version) checks that in
    // the statement itself and fails the batch with its own SQLSTATE.
    version: 2,
    sql: `
      CREATE FUNCTION vl_expect_one(p_rows bigint, p_sqlstate text, p_message text) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        IF p_rows <> 1 THEN
          RAISE EXCEPTION USING ERRCODE = p_sqlstate, MESSAGE = p_message;
        END IF;
      END
      $$;
    `,
  },
  {
    // The outbox claim asks for due deliveries ORDER BY next_attempt_at, id LIMIT n. With the due
    // index on next_attempt_at alone, PostgreSQL checked the per-payment order rule for every due
    // row and then sorted: with a backlog of ~10,000 it stalled delivery altogether (10 registrations
    // at 150 events/s with synchronous_commit off). An index in the claim's order lets it stop
    // after n claimable rows.
    version: 3,
    sql: `
      CREATE INDEX webhook_deliveries_due_order ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending';
      DROP INDEX webhook_deliveries_due;
    `,
  },
  {
    // One engine, many faces (issue 12), and idempotency scoped by the face (issue 11); the same
    // changes as SQLite migration 7:
    // - payments get an id of their own (the primary key; time-ordered text made by the store) and
    //   (msn, reference) becomes a unique lookup; events are keyed by (payment_id, seq);
    // - captures, refunds and releases are rows (payment_adjustments), backfilled from the events;
    // - idempotency records are keyed by (scope, key) and hold the face's stored response; refusals
    //   of captures, refunds and cancels did not keep their reference and are dropped;
    // - outbox rows carry format, target, url, secret, faults and subject: the claim joins nothing.
    version: 4,
    sql: `
      ALTER TABLE payments ADD COLUMN id text;
      UPDATE payments SET id = 'm' || substr(md5(msn || '/' || reference), 1, 23);
      UPDATE payments SET data = jsonb_set(data, '{id}', to_jsonb(id));
      ALTER TABLE payments ALTER COLUMN id SET NOT NULL;
      ALTER TABLE payments DROP CONSTRAINT payments_pkey;
      ALTER TABLE payments ADD PRIMARY KEY (id);
      ALTER TABLE payments ADD CONSTRAINT payments_reference UNIQUE (msn, reference);

      CREATE TABLE payment_events_v4 (
        payment_id text NOT NULL,
        seq integer NOT NULL,
        psp_reference text NOT NULL,
        name text NOT NULL,
        currency text NOT NULL,
        amount bigint NOT NULL,
        ts bigint NOT NULL,
        success boolean NOT NULL,
        idempotency_key text,
        PRIMARY KEY (payment_id, seq)
      );
      INSERT INTO payment_events_v4 (payment_id, seq, psp_reference, name, currency, amount, ts, success, idempotency_key)
        SELECT p.id, e.seq, e.psp_reference, e.name, e.currency, e.amount, e.ts, e.success, e.idempotency_key
        FROM payment_events e JOIN payments p ON p.msn = e.msn AND p.reference = e.reference;
      DROP TABLE payment_events;
      ALTER TABLE payment_events_v4 RENAME TO payment_events;
      ALTER INDEX payment_events_v4_pkey RENAME TO payment_events_pkey;

      CREATE TABLE payment_adjustments (
        payment_id text NOT NULL,
        seq integer NOT NULL,
        kind text NOT NULL,
        amount bigint NOT NULL,
        currency text NOT NULL,
        at bigint NOT NULL,
        idempotency_key text,
        origin text NOT NULL,
        psp_reference text NOT NULL,
        PRIMARY KEY (payment_id, seq)
      );
      INSERT INTO payment_adjustments (payment_id, seq, kind, amount, currency, at, idempotency_key, origin, psp_reference)
        SELECT payment_id, seq, CASE name WHEN 'CAPTURED' THEN 'capture' WHEN 'REFUNDED' THEN 'refund' ELSE 'cancel' END,
               amount, currency, ts, idempotency_key, 'platform', psp_reference
        FROM payment_events WHERE name IN ('CAPTURED', 'REFUNDED', 'CANCELLED', 'TERMINATED');

      CREATE TABLE idempotency_v4 (
        scope text NOT NULL,
        idem_key text NOT NULL,
        request_hash text NOT NULL,
        response text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (scope, idem_key)
      );
      INSERT INTO idempotency_v4 (scope, idem_key, request_hash, response, created_at)
        SELECT scope, idem_key, request_hash, outcome, created_at FROM (
          SELECT idem_key, request_hash, outcome, created_at,
                 CASE WHEN operation IN ('capture', 'refund', 'cancel')
                      THEN 'epayment/' || operation || '/' || msn || '/' || (outcome::jsonb #>> '{value,reference}')
                      ELSE 'epayment/' || operation || '/' || msn END AS scope
          FROM idempotency
        ) placed WHERE scope IS NOT NULL;
      DROP TABLE idempotency;
      ALTER TABLE idempotency_v4 RENAME TO idempotency;
      ALTER INDEX idempotency_v4_pkey RENAME TO idempotency_pkey;
      CREATE INDEX idempotency_created ON idempotency (created_at);

      ALTER TABLE webhook_deliveries RENAME COLUMN webhook_id TO target_id;
      ALTER TABLE webhook_deliveries ADD COLUMN format text NOT NULL DEFAULT 'vipps-webhook';
      ALTER TABLE webhook_deliveries ALTER COLUMN format DROP DEFAULT;
      ALTER TABLE webhook_deliveries ADD COLUMN url text;
      ALTER TABLE webhook_deliveries ADD COLUMN secret text NOT NULL DEFAULT '';
      ALTER TABLE webhook_deliveries ALTER COLUMN secret DROP DEFAULT;
      ALTER TABLE webhook_deliveries ADD COLUMN faults jsonb NOT NULL DEFAULT '{}';
      ALTER TABLE webhook_deliveries ALTER COLUMN faults DROP DEFAULT;
      ALTER TABLE webhook_deliveries ADD COLUMN subject text;
      UPDATE webhook_deliveries d SET url = w.url, secret = w.secret, faults = w.faults FROM webhooks w WHERE w.id = d.target_id;
      UPDATE webhook_deliveries d SET subject = coalesce((SELECT p.id FROM payments p WHERE p.msn = d.msn AND p.reference = d.reference), d.msn || '/' || d.reference);
      ALTER TABLE webhook_deliveries ALTER COLUMN subject SET NOT NULL;
      DROP INDEX webhook_deliveries_group;
      CREATE INDEX webhook_deliveries_group ON webhook_deliveries (target_id, subject, id);

      CREATE TABLE module_migrations (module text NOT NULL, version integer NOT NULL, applied_at bigint NOT NULL, PRIMARY KEY (module, version));
    `,
  },
  {
    // Fair claims (issue 16): the claim walks the targets that have pending rows and takes each
    // one's oldest due rows, so a long backlog of one target is not scanned to reach another's.
    version: 5,
    sql: `
      CREATE INDEX webhook_deliveries_pending_target ON webhook_deliveries (target_id, next_attempt_at, id) WHERE status = 'pending';
    `,
  },
  {
    // The dashboard's payment list (issue 17): newest first (ids are time-ordered), filtered by sales
    // unit, state, reference or customer, paged from a cursor: each index serves one filter in that order.
    version: 6,
    sql: `
      CREATE INDEX payments_list_msn ON payments (msn, id);
      CREATE INDEX payments_list_state ON payments (state, id);
      CREATE INDEX payments_list_reference ON payments (reference, id);
      CREATE INDEX payments_list_customer ON payments ((data->>'customerPhone'), id) WHERE (data->>'customerPhone') IS NOT NULL;
      CREATE INDEX webhook_deliveries_list_reference ON webhook_deliveries (reference, id);
    `,
  },
];
