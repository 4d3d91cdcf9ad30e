// Server-sent events: one long response per watching page. The stream only says "something
// changed"; the page then asks for what it may see (status JSON or an HTML fragment).
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 20_000;

export interface EventStreams {
  /** Answers `req` with an event stream; `subscribe` gets the function that signals a change and returns its cleanup. */
  open(req: FastifyRequest, reply: FastifyReply, subscribe: (changed: () => void) => () => void): void;
  /** Ends every open stream (server shutdown). */
  closeAll(): void;
  readonly size: number;
}

export function createEventStreams(): EventStreams {
  const open = new Set<ServerResponse>();
  return {
    get size() {
      return open.size;
    },
    open(req, reply, subscribe) {
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
      const cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      };
      req.raw.on('close', cleanup);
      res.on('close', cleanup);
    },
    closeAll() {
      for (const res of [...open]) res.end();
      open.clear();
    },
  };
}
