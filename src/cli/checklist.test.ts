// `vipps-local checklist`, run as the CLI runs it (runCommand), against a real vipps-local and a real merchant
// integration: the printed table, the JSON, and the exit code a CI gates on.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { useServer } from '../../test-support/server.ts';
import { WebhookReceiver } from '../../test-support/webhook-receiver.ts';
import { ChecklistShop, deliveriesSettled } from '../../test-support/checklist-shop.ts';
import type { Checklist } from '../checklist/checklist.ts';
import { runCommand } from './program.ts';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('vipps-local checklist', () => {
  const t = useServer({ webhookPollIntervalMs: 20 });
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await WebhookReceiver.start();
  });
  after(async () => {
    await receiver?.close();
  });
  beforeEach(async () => {
    await t.server.reset();
  });

  const run = async (options: { msn?: string; operatorToken?: string; json?: boolean; url?: string } = {}) => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), interrupted: () => new Promise<void>(() => {}) };
    const argv = ['checklist', '--msn', options.msn ?? t.server.credentials.msn, '--url', options.url ?? t.server.url, ...(options.operatorToken ? ['--operator-token', options.operatorToken] : []), ...(options.json ? ['--json'] : [])];
    const code = await runCommand(argv, io);
    return { code, text: lines.join('\n') + '\n' };
  };

  test('an integration that does everything right exits 0 with a ✔ line per item', async () => {
    await new ChecklistShop(t.server, receiver).run();
    await deliveriesSettled(t.server);
    const { code, text } = await run();
    assert.equal(code, 0, text);
    const lines = text.split('\n');
    assert.match(lines[0]!, new RegExp(`^Go-live check for sales unit ${t.server.credentials.msn} `));
    const items = lines.filter((l) => /^[✔✘·] /.test(l));
    assert.equal(items.length, 13);
    assert.ok(items.every((l) => l.startsWith('✔ ')), text);
    assert.ok(items.some((l) => /^✔ Test references ended CAPTURED, REFUNDED and CANCELLED +— Found CAPTURED captured-/.test(l)), text);
    assert.match(text, /Passed: 13 passed, 0 failed, 0 not seen\./);
  });

  test('an integration that skips Order Management exits 1, naming the item', async () => {
    await new ChecklistShop(t.server, receiver, 'order-management').run();
    await deliveriesSettled(t.server);
    const { code, text } = await run({ operatorToken: t.server.operatorToken });
    assert.equal(code, 1, text);
    assert.match(text, /^✘ Receipts or categories sent through Order Management +— No receipt or category was sent/m);
    assert.match(text, /Failed: 12 passed, 1 failed, 0 not seen\./);
  });

  test('--json prints the endpoint\'s JSON, and the exit code still says whether an item failed', async () => {
    const { code, text } = await run({ json: true });
    assert.equal(code, 1, 'nothing done: the endpoints item fails');
    const list = JSON.parse(text) as Checklist;
    assert.equal(list.passed, false);
    assert.equal(list.items.find((i) => i.id === 'endpoints')!.status, 'fail');
    assert.equal(list.items.find((i) => i.id === 'polling')!.status, 'not_seen');
  });

  test('an error answer exits 2 with its message: an unknown sales unit, a wrong operator token', async () => {
    const unknown = await run({ msn: '99999999' });
    assert.equal(unknown.code, 2);
    assert.match(unknown.text, /answered 404: No sales unit 99999999 is configured\./);
    const wrong = await run({ operatorToken: 'not-the-token' });
    assert.equal(wrong.code, 2);
    assert.match(wrong.text, /refused the call .*Is it the operator_token this vipps-local printed\?/);
  });

  test('a vipps-local that cannot be reached exits 2, saying so', async () => {
    const { code, text } = await run({ url: `http://127.0.0.1:${await closedPort()}` });
    assert.equal(code, 2);
    assert.match(text, /cannot reach vipps-local at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });
});
