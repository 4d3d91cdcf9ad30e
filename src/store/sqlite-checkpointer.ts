// Moves SQLite's WAL checkpoints (the only part of a WAL-mode commit that syncs to disk) off the
// request path: a worker thread with its own connection checkpoints the file every 250 ms, so the
// event loop never stalls on an fsync. A checkpoint that fails is retried at the next round and
// reported (at most once a minute, so that a lasting failure does not flood the log).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
let lastReport = 0;
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) {
    // The next round retries; the parent hears of it.
    if (Date.now() - lastReport >= 60000) {
      lastReport = Date.now();
      parentPort.postMessage({ failed: String(err && err.message || err) });
    }
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, intervalMs = 250, onError: (err: Error) => void = () => undefined): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, intervalMs, driver } });
  worker.unref();
  worker.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && 'failed' in m) onError(new Error(`SQLite checkpoint of ${path} failed (retried every ${intervalMs} ms): ${String(m.failed)}`));
  });
  // An error thrown in the worker arrives cloned: a SqliteError comes as a plain { code } object.
  const describe = (err: unknown) => (err instanceof Error ? err.message : JSON.stringify(err));
  worker.on('error', (err: unknown) => onError(new Error(`SQLite checkpointer for ${path} stopped: ${describe(err)}`)));
  let exited = false;
  worker.once('exit', () => (exited = true));
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (exited) return resolve();
        worker.ref(); // wait for it to finish its last checkpoint
        worker.on('message', (m) => {
          if (m === 'stopped') void worker.terminate().then(() => resolve());
        });
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      });
      return stopped;
    },
  };
}
