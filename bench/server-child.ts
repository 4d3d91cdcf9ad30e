// The server under test as a child process (bench/server-process.ts), shared by both benchmarks.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds } from './process-cpu.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Server {
  url: string;
  /** CPU seconds the server process has used so far (user + system); NaN where /proc is missing. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * `vipps` with its default configuration on `database` (else a fresh temporary SQLite file), or the
 * `bare` route; `root` is the checkout to run (another one for an A/B comparison, bench/ab.ts).
 */
export async function spawnServer(mode: 'vipps' | 'bare', database?: string, root = ROOT): Promise<Server> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/server-process.ts', mode, ...(database ? [database] : [])], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the ${mode} server exited (code ${code}) before listening`)));
  });
  return {
    url,
    cpuSeconds: () => processCpuSeconds(child.pid),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A positive number from an environment variable, or the fallback. */
export function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
}
