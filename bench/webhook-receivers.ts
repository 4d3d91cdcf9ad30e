// Webhook receivers for the benchmark, in their own process so that they share a CPU with neither
// the server under test nor the load generator.
//   node --import tsx bench/webhook-receivers.ts <count>
// Starts <count> HTTP servers on 127.0.0.1, each answering every POST with 204, and prints one JSON
// line {"urls": [...]}. Then answers JSON-line commands on stdin, one JSON line each on stdout:
//   {"cmd":"count"}                      → {"arrivals": n}
//   {"cmd":"stats","from":ms,"to":ms}    → see Stats below
// Latency of a delivery: from the payment change (the payload's `timestamp`) to the moment this
// receiver sends its 2xx, both read from the same system clock.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { percentile } from './stats.ts';

export interface Stats {
  /** Everything received so far, and how many distinct (receiver, pspReference, name) that was. */
  arrivals: number;
  distinct: number;
  /** Deliveries answered within [from, to]. */
  answeredInWindow: number;
  /** Deliveries of events that happened within [from, to], and their latencies. */
  ofWindowEvents: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU seconds this process has used. */
  cpuSeconds: number;
}

const count = Number(process.argv[2] ?? '1');
const eventAt: number[] = [];
const answeredAt: number[] = [];
const seen = new Set<string>();

async function startReceiver(index: number): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timestamp: string; pspReference: string; name: string };
      res.writeHead(204).end();
      eventAt.push(Date.parse(body.timestamp));
      answeredAt.push(Date.now());
      seen.add(`${index}/${body.pspReference}/${body.name}`);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/${index}`;
}

function stats(from: number, to: number): Stats {
  let answeredInWindow = 0;
  const latencies: number[] = [];
  for (let i = 0; i < answeredAt.length; i++) {
    if (answeredAt[i]! >= from && answeredAt[i]! <= to) answeredInWindow++;
    if (eventAt[i]! >= from && eventAt[i]! <= to) latencies.push(answeredAt[i]! - eventAt[i]!);
  }
  const sorted = Float64Array.from(latencies).sort();
  const cpu = process.cpuUsage();
  return {
    arrivals: answeredAt.length,
    distinct: seen.size,
    answeredInWindow,
    ofWindowEvents: latencies.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : NaN,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

async function main(): Promise<void> {
  const urls = await Promise.all(Array.from({ length: count }, (_, i) => startReceiver(i)));
  process.stdout.write(`${JSON.stringify({ urls })}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const cmd = JSON.parse(line) as { cmd: string; from?: number; to?: number };
    const answer = cmd.cmd === 'stats' ? stats(cmd.from!, cmd.to!) : { arrivals: answeredAt.length };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  });
  lines.on('close', () => process.exit(0));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
