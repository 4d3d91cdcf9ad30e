// The request body's text, kept on the request for the request log: every content parser that reads
// a string body (JSON, a Stripe form) hands it over here. Only a reference is kept; nothing is copied.
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The request body's text as a content parser read it, for the request log; null when there was
     * none or the parser keeps none (the access token call's). Decorated by the request log.
     */
    bodyText: string | null;
  }
}

/** For a content parser: keeps the body's text for the request log. */
export function keepBodyText(req: FastifyRequest, body: unknown): void {
  if (typeof body === 'string') req.bodyText = body;
}
