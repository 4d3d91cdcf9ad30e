// The Webhooks face's repository: its `webhooks` table (created by the core's first migrations),
// queried in the dialect-neutral SQL of store.ts on either store, inside a unit of work (`in(tx)`)
// or outside one. Who receives a sales unit's events is asked on every payment event and changes
// rarely, so the answer is remembered until a registration changes here or the store says what it
// remembers may be stale (a rollback, another connection's commit).
import { NO_FAULTS, type SqlStore, type SqlTx, type Store, type WebhookFaults } from '../../store/store.ts';
import { sqlJson, type Json } from '../../store/rows.ts';
import type { WebhookOwner, WebhookRegistration } from './registration.ts';

interface WebhookRow {
  id: string;
  client_id: string;
  msn: string | null;
  url: string;
  events: Json<string[]>;
  secret: string;
  created_at: number;
  faults: Json<Partial<WebhookFaults>>;
}

function toWebhook(r: WebhookRow): WebhookRegistration {
  return {
    id: r.id,
    clientId: r.client_id,
    msn: r.msn,
    url: r.url,
    events: sqlJson(r.events),
    secret: r.secret,
    createdAt: r.created_at,
    faults: { ...NO_FAULTS, ...sqlJson(r.faults) },
  };
}

const COLUMNS = 'id, client_id, msn, url, events, secret, created_at, faults';
/** `msn = ?` for one sales unit, `msn IS NULL` for merchant-wide ones: values are never spliced. */
const scopeOf = (msn: string | null) => (msn === null ? { clause: 'msn IS NULL', values: [] } : { clause: 'msn = ?', values: [msn] });

export interface WebhookRepository {
  /** Registrations of one merchant (clientId) for one sales unit (or, with null, for all of them). */
  list(owner: WebhookOwner): Promise<WebhookRegistration[]>;
  /** Registrations that receive events of sales unit `msn`: its own and its merchant's all-unit ones. */
  receiving(clientId: string, msn: string): Promise<WebhookRegistration[]>;
  insert(registration: WebhookRegistration): Promise<void>;
  /** Deletes a registration of that owner; returns whether it existed. */
  delete(owner: WebhookOwner, id: string): Promise<boolean>;
  get(id: string): Promise<WebhookRegistration | null>;
  setFaults(id: string, faults: WebhookFaults): Promise<boolean>;
}

export interface WebhookStore {
  /** The repository on a unit of work's transaction. */
  in(sql: SqlTx): WebhookRepository;
  /** Outside a unit of work (the operator's reads). */
  get(id: string): Promise<WebhookRegistration | null>;
  /** Every registration, oldest first (kept across a reset by the test-suite helpers). */
  all(): Promise<WebhookRegistration[]>;
}

/** One repository per store: what it remembers must be forgotten whoever writes a registration. */
const perStore = new WeakMap<Store, WebhookStore>();

export function webhookStore(store: Store): WebhookStore {
  let found = perStore.get(store);
  if (!found) perStore.set(store, (found = openWebhookStore(store)));
  return found;
}

/** What the repositories of one store share: the remembered receivers, and whether remembering is safe. */
interface Shared {
  remembered: Map<string, WebhookRegistration[]>;
  mayRemember: boolean;
}

function openWebhookStore(store: Store): WebhookStore {
  store.resetsTable('webhooks');
  const remembered = new Map<string, WebhookRegistration[]>();
  const shared: Shared = { remembered, mayRemember: store.onStale(() => remembered.clear()) };
  return {
    in: (sql) => new SqlWebhookRepository(sql, shared),
    get: (id) => byId(store.sql, id),
    all: () => read(store.sql, `SELECT ${COLUMNS} FROM webhooks ORDER BY created_at, id`, []),
  };
}

const read = async (sql: SqlTx | SqlStore, text: string, values: unknown[]) => (await sql.query<WebhookRow>(text, values)).map(toWebhook);
const byId = (sql: SqlTx | SqlStore, id: string) => read(sql, `SELECT ${COLUMNS} FROM webhooks WHERE id = ?`, [id]).then((r) => r[0] ?? null);

/** The repository on one transaction. (A class: one is made per payment event, and a prototype's methods cost nothing to make.) */
class SqlWebhookRepository implements WebhookRepository {
  constructor(
    private readonly sql: SqlTx,
    private readonly shared: Shared,
  ) {}

  list(owner: WebhookOwner): Promise<WebhookRegistration[]> {
    const scope = scopeOf(owner.msn);
    return read(this.sql, `SELECT ${COLUMNS} FROM webhooks WHERE client_id = ? AND ${scope.clause} ORDER BY created_at, id`, [owner.clientId, ...scope.values]);
  }

  async receiving(clientId: string, msn: string): Promise<WebhookRegistration[]> {
    const key = `${clientId}\n${msn}`;
    let found = this.shared.remembered.get(key);
    if (!found) {
      found = await read(this.sql, `SELECT ${COLUMNS} FROM webhooks WHERE client_id = ? AND (msn = ? OR msn IS NULL) ORDER BY created_at, id`, [clientId, msn]);
      if (this.shared.mayRemember) this.shared.remembered.set(key, found);
    }
    return found;
  }

  async insert(w: WebhookRegistration): Promise<void> {
    this.shared.remembered.clear();
    await this.sql.execute(`INSERT INTO webhooks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [w.id, w.clientId, w.msn, w.url, w.events, w.secret, w.createdAt, w.faults]);
  }

  async delete(owner: WebhookOwner, id: string): Promise<boolean> {
    this.shared.remembered.clear();
    const scope = scopeOf(owner.msn);
    const gone = await this.sql.query<{ id: string }>(`DELETE FROM webhooks WHERE id = ? AND client_id = ? AND ${scope.clause} RETURNING id`, [id, owner.clientId, ...scope.values]);
    return gone.length === 1;
  }

  get(id: string): Promise<WebhookRegistration | null> {
    return byId(this.sql, id);
  }

  async setFaults(id: string, faults: WebhookFaults): Promise<boolean> {
    this.shared.remembered.clear();
    const changed = await this.sql.query<{ id: string }>('UPDATE webhooks SET faults = ? WHERE id = ? RETURNING id', [faults, id]);
    return changed.length === 1;
  }
}
