// `vipps-local` (and `npm start`): without a command, or with `start`, runs the platform until
// interrupted (cli/start.ts). The other commands talk to a running vipps-local (cli/program.ts).
import { runCommand, COMMANDS } from './cli/program.ts';
import { start } from './cli/start.ts';

const argv = process.argv.slice(2);
if (argv[0] !== undefined && COMMANDS.has(argv[0])) process.exitCode = await runCommand(argv);
else await start(argv[0] === 'start' ? argv.slice(1) : argv);
