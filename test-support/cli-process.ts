// `vipps-local` as a user runs it (`node --import tsx src/cli.ts ...`), in a process of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StartedCli {
  child: ChildProcess;
  url: string;
  /** The `name: value` lines it printed (client_id, client_secret, subscription_key, msn, ...). */
  lines: Record<string, string>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** Resolves once the CLI has printed its ready curl line; rejects with `{ code, err }` if it exits first. */
export function startCli(args: string[], env: Record<string, string> = {}): Promise<StartedCli> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      if (!/curl -s -X POST/.test(out)) return;
      const lines = Object.fromEntries(out.split('\n').map((l) => /^(\w+): (.+)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1]!, m[2]!]));
      resolve({ child, lines, url: /running at (\S+)/.exec(out)![1]!, exited });
    });
    child.once('exit', (code) => reject(Object.assign(new Error(`vipps-local exited (${code}) before it was ready: ${err}${out}`), { code, err })));
  });
}
