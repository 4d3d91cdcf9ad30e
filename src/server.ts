// Starting and stopping a listening server, with its background work (deadline sweeper).
import { buildPlatform, type Platform } from './platform/app.ts';
import type { Config } from './platform/config.ts';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  platform: Platform;
  close(): Promise<void>;
}

export async function listen(config: Config): Promise<RunningServer> {
  const platform = await buildPlatform(config);
  try {
    await platform.app.listen({ host: config.host, port: config.port });
  } catch (err) {
    // Nothing may stay open behind a server that never listened (the store, the delivery worker's timers).
    await platform.close().catch(() => undefined);
    throw err;
  }
  const port = (platform.app.server.address() as { port: number }).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  platform.setBaseUrl(url);
  platform.startDelivery();

  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      await platform.engine.settleDuePayments();
    } catch (err) {
      platform.app.log.error({ err }, 'deadline sweep failed');
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(sweep, config.sweepIntervalMs);
  timer.unref();
  const pruneTimer = setInterval(() => void pruneRetained(platform, config.idempotencyRetentionHours), 3600_000);
  pruneTimer.unref();

  let closed = false;
  return {
    url,
    port,
    platform,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      clearInterval(pruneTimer);
      await platform.close();
    },
  };
}

/** Hourly: idempotency records and request log entries older than the retention (platform clock). */
export async function pruneRetained(platform: Platform, retentionHours: number): Promise<void> {
  const before = platform.clock.now() - retentionHours * 3600_000;
  await Promise.all([
    platform.store.pruneIdempotency(before).catch((err) => platform.app.log.error({ err }, 'idempotency pruning failed')),
    platform.requestLog.prune(before).catch((err) => platform.app.log.error({ err }, 'request log pruning failed')),
  ]);
}
