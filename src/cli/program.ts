// The commands beside `start`, on commander: each talks to a running vipps-local over HTTP.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { processIo, type CommandIo } from './command-io.ts';
import { checklistCommand } from './checklist.ts';
import { deliveriesCommand } from './deliveries-command.ts';
import { listenCommand } from './listen-command.ts';
import { paymentAction, type PaymentAction } from './payment-commands.ts';
import { paymentsCommand } from './payments-command.ts';
import { RemoteError, remoteFrom, type Remote } from './remote.ts';
export { COMMANDS, COMMANDS_HELP } from './commands.ts';

/** Exit codes: 0 done, 1 refused (or a go-live item failed), 2 usage or vipps-local unreachable. */
const EXIT_USAGE = 2;

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('a whole number from 1 to 1000');
  return n;
};

/** The commands, wired to `io`; `run` receives each command's exit code. */
function program(io: CommandIo, run: (work: (remote: Remote) => Promise<number>, options: { url?: string; operatorToken?: string }) => void): Command {
  const root = new Command('vipps-local')
    .description('a local Vipps MobilePay platform (without a command: start it; see vipps-local --help)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .showHelpAfterError();
  const remoteOptions = (c: Command) =>
    c
      .addOption(new Option('--url <url>', 'the running vipps-local').env('VIPPS_LOCAL_URL'))
      .addOption(new Option('--operator-token <token>', "the operator_token it printed (needed when it doesn't listen on loopback)").env('VIPPS_LOCAL_OPERATOR_TOKEN'));

  for (const [name, does] of [
    ['approve', 'approve a payment as the shopper would in the app'],
    ['reject', 'reject a payment as the shopper would in the app (it becomes ABORTED)'],
    ['expire', "let a waiting payment's deadline pass (moves the platform clock to just past it)"],
  ] as const) {
    const c = remoteOptions(root.command(name).description(does).argument('<reference>', 'the payment reference').option('--msn <msn>', 'its sales unit (when several are configured)'));
    if (name !== 'expire') c.option('--phone <number>', 'the test user who acts (default: the payment’s customer or the default test user)');
    if (name === 'approve') c.option('--card <id>', 'the test card to pay with, e.g. visa-0151 to be declined');
    c.action((reference: string, opts) => run((remote) => paymentAction(remote, name as PaymentAction, reference, opts, io), opts));
  }

  remoteOptions(root.command('payments').description('the newest payments as a table (amounts in major units)'))
    .option('--msn <msn>', 'only this sales unit')
    .option('--state <state>', 'only this state (CREATED, AUTHORIZED, ABORTED, EXPIRED, TERMINATED, ...)')
    .option('--reference <reference>', 'only this reference')
    .option('--limit <n>', 'how many (1-1000, default 20)', positiveInt)
    .option('--json', 'the list as JSON')
    .action((opts) => run((remote) => paymentsCommand(remote, opts, io), opts));

  remoteOptions(root.command('deliveries').description('the webhook delivery log, oldest first; --follow prints each delivery and attempt as it happens'))
    .option('--msn <msn>', 'only this sales unit')
    .option('--reference <reference>', 'only this payment')
    .option('--webhook <id>', 'only this registration')
    .option('--limit <n>', 'how many (1-1000, default 50)', positiveInt)
    .option('--follow', 'keep printing new deliveries and attempts until Ctrl-C')
    .option('--json', 'the log as JSON')
    .action((opts) => run((remote) => deliveriesCommand(remote, opts, io), opts));

  remoteOptions(root.command('listen').description('register a webhook that forwards to URL, print its secret and each delivery until Ctrl-C (then delete it)'))
    .requiredOption('--forward-to <url>', 'where vipps-local sends the webhooks, e.g. http://localhost:3000/webhook')
    .option('--events <names>', 'comma-separated event names (default: every ePayment event)', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--msn <msn>', 'the sales unit (default: the default merchant’s)')
    .addOption(new Option('--client-id <id>', "the merchant's client_id (default: the default merchant's)").env('VIPPS_CLIENT_ID'))
    .addOption(new Option('--client-secret <secret>').env('VIPPS_CLIENT_SECRET'))
    .addOption(new Option('--subscription-key <key>').env('VIPPS_SUBSCRIPTION_KEY'))
    .action((opts) => run((remote) => listenCommand(remote, opts, io), opts));

  remoteOptions(root.command('checklist').description("the go-live check of a sales unit, from what its integration did: exit 0 passed, 1 an item failed, 2 no answer"))
    .requiredOption('--msn <msn>', 'the sales unit (merchant serial number)')
    .option('--json', 'the check as JSON')
    .action((opts) => run((remote) => checklistCommand(remote, opts, io), opts));
  return root;
}

/** Runs one command line (argv without node and the script); resolves with its exit code. */
export async function runCommand(argv: string[], io: CommandIo = processIo(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let pending: Promise<number> = Promise.resolve(0);
  const run = (work: (remote: Remote) => Promise<number>, options: { url?: string; operatorToken?: string }) => {
    pending = (async () => work(remoteFrom(options, env)))();
  };
  try {
    await program(io, run).parseAsync(argv, { from: 'user' });
    return await pending;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    if (err instanceof RemoteError) {
      io.err(`vipps-local: ${err.message}`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
