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
];
