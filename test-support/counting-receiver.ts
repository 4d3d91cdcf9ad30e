// A webhook receiver for the proofs (crash, several instances): counts how often each event arrives.
import { createServer, type Server } from 'node:http';

export interface CountingReceiver {
  url: string;
  /** How many times each event (eventId) arrived. */
  arrivals: Map<string, number>;
  total: () => number;
  close(): Promise<void>;
}

/** One event of one payment: what must arrive exactly once. */
export const eventId = (reference: string, pspReference: string, name: string) => `${reference} ${pspReference} ${name}`;

export async function startCountingReceiver(): Promise<CountingReceiver> {
  const arrivals = new Map<string, number>();
  let total = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { reference: string; pspReference: string; name: string };
        const id = eventId(body.reference, body.pspReference, body.name);
        arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
        total++;
        res.writeHead(200).end('ok');
      } catch {
        res.writeHead(400).end('not json');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/vipps-webhook`,
    arrivals,
    total: () => total,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
