// Server-sent events: one long response per watching page. The stream only says "something
// changed"; the page then asks for what it may see (status JSON or an HTML fragment).
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 20_000;

export interface EventStreamLimits {
  /** Open streams per client address. */
  perClient: number;
  /** Open streams in all. */
  total: number;
}

export interface EventStreams {
  /**
   * Answers `req` with an event stream; `subscribe` gets the function that signals a change and
   * returns its cleanup. Over a limit it opens nothing and says which limit (the caller answers 429).
   */
  open(req: FastifyRequest, reply: FastifyReply, subscribe: (changed: () => void) => () => void): { refused: string } | null;
  /** Ends every open stream (server shutdown). */
  closeAll(): void;
  readonly size: number;
}

export function createEventStreams(limits: EventStreamLimits): EventStreams {
  const open = new Set<ServerResponse>();
  const perClient = new Map<string, number>();
  return {
    get size() {
      return open.size;
    },
    open(req, reply, subscribe) {
      const client = req.ip;
      const ofClient = perClient.get(client) ?? 0;
      if (ofClient >= limits.perClient) return { refused: `This client already has ${ofClient} live update streams open (at most ${limits.perClient}). Close some pages; they fall back to polling.` };
      if (open.size >= limits.total) return { refused: `vipps-local already has ${open.size} live update streams open (at most ${limits.total}). The page falls back to polling.` };
      perClient.set(client, ofClient + 1);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      res.write('retry: 2000\n\n');
      open.add(res);
      // Several changes in one tick make one message.
      let queued = false;
      const changed = () => {
        if (queued || res.writableEnded) return;
        queued = true;
        setImmediate(() => {
          queued = false;
          if (!res.writableEnded) res.write('event: change\ndata: {}\n\n');
        });
      };
      const unsubscribe = subscribe(changed);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      let cleaned = false;
      const cleanup = () => {
        if (cleaned) return;
        cleaned = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
        const left = (perClient.get(client) ?? 1) - 1;
        if (left > 0) perClient.set(client, left);
        else perClient.delete(client);
      };
      req.raw.on('close', cleanup);
      res.on('close', cleanup);
      return null;
    },
    closeAll() {
      for (const res of [...open]) res.end();
      open.clear();
    },
  };
}
