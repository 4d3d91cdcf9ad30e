// The server under test, in its own process so it does not share a CPU with the load generator.
//   node --import tsx bench/server-process.ts vipps [database]   full vipps-local on `database` (a
//                                                 postgres:// URL), else a fresh temporary SQLite database
//   node --import tsx bench/server-process.ts bare    one Fastify route with the same request validation
// Prints one JSON line {"url": ...} on stdout once listening; exits on SIGTERM, SIGINT or stdin closing.
import Fastify from 'fastify';
import { startServer } from '../src/index.ts';
import { CreatePaymentRequestSchema, type CreatePaymentBody } from '../src/faces/epayment/schemas.ts';

interface Running {
  url: string;
  close(): Promise<void>;
}

/** The framework's ceiling: body parsing and schema validation as in src/platform/app.ts, nothing else. */
async function startBare(): Promise<Running> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });
  // Same path as vipps-local's create payment, so both servers get byte-identical requests.
  app.post<{ Body: CreatePaymentBody }>('/epayment/v1/payments', { schema: { body: CreatePaymentRequestSchema } }, async (req, reply) =>
    reply.code(201).send({ reference: req.body.reference }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  let server: Running;
  const database = process.argv[3];
  if (mode === 'vipps') server = await startServer({ logLevel: 'silent', ...(database ? { database } : {}) });
  else if (mode === 'bare') server = await startBare();
  else throw new Error(`usage: server-process.ts vipps|bare (got ${mode ?? 'nothing'})`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0); // a clean exit, so --cpu-prof writes its profile
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('close', stop).resume();
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
