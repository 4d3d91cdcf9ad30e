// `vipps-local` (and `npm start`): without a command, or with `start`, runs the platform until
// interrupted (cli/start.ts). The other commands talk to a running vipps-local (cli/program.ts).
// Each path loads only its own modules: a start loads no command's code, a command not the server.
import { COMMANDS } from './cli/commands.ts';

const argv = process.argv.slice(2);
if (argv[0] !== undefined && COMMANDS.has(argv[0])) {
  const { runCommand } = await import('./cli/program.ts');
  process.exitCode = await runCommand(argv);
} else {
  const { start } = await import('./cli/start.ts');
  await start(argv[0] === 'start' ? argv.slice(1) : argv);
}
