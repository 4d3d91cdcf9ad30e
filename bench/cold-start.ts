// Cold start, side by side: the compiled CLI (`npm start`: node bin/vipps-local.js → dist/) against
// running the sources through tsx (`npm run dev`, what `npm start` was before issue 18), from process
// start to the first 200 of the health endpoint; and startServer() from the compiled package, the
// first call in a fresh process and a later one, on SQLite in memory and on a temporary file.
// Aims (issue 18): the CLI under 0.5 s, startServer() under 100 ms on SQLite in memory.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixed } from './format.ts';
import { median } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 5;

/** Milliseconds from spawning `args` to the first 200 of /vipps-local/v1/health. */
async function toFirst200(args: string[], dir: string, n: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...args, '--port', '0', '--database', join(dir, `cold-${n}.sqlite`)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /running at (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before it listened: ${out}`)));
    });
    for (;;) {
      const res = await fetch(`${url}/vipps-local/v1/health`).catch(() => undefined);
      if (res?.status === 200) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const STARTSERVER_SCRIPT = `
const { startServer } = await import(process.argv[1]);
const out = {};
for (const [name, options] of [['memory', { database: ':memory:' }], ['file', {}], ['memory2', { database: ':memory:' }], ['file2', {}]]) {
  const t = performance.now();
  const vl = await startServer(options);
  out[name] = performance.now() - t;
  await vl.close();
}
console.log(JSON.stringify(out));
`;

function startServerTimes(): Record<string, number> {
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', STARTSERVER_SCRIPT, join(ROOT, 'dist/index.js')], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`startServer timing failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as Record<string, number>;
}

export async function runColdStartBench(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) {
    console.log('Cold start: building dist/ first (npm run build)');
    spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'vipps-local-cold-'));
  try {
    const compiled: number[] = [];
    const tsx: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      compiled.push(await toFirst200([join(ROOT, 'bin/vipps-local.js')], dir, 2 * i));
      tsx.push(await toFirst200(['--import', 'tsx', join(ROOT, 'src/cli.ts')], dir, 2 * i + 1));
    }
    const times = Array.from({ length: RUNS }, () => startServerTimes());
    const med = (k: string) => median(times.map((t) => t[k]!));
    console.log(`Cold start (median of ${RUNS}; process start to the first 200 of /vipps-local/v1/health):`);
    console.log(`  npm start, compiled (node bin/vipps-local.js)   ${fixed(median(compiled), 0).padStart(5)} ms   aim < 500 ms   ${median(compiled) < 500 ? 'PASS' : 'ABOVE'}`);
    console.log(`  the sources through tsx (npm run dev; before)  ${fixed(median(tsx), 0).padStart(5)} ms   (×${fixed(median(tsx) / median(compiled), 1)} the compiled start)`);
    console.log(`startServer() from dist/ (median of ${RUNS} fresh processes; the import not counted):`);
    console.log(`  SQLite in memory, first call in the process    ${fixed(med('memory'), 0).padStart(5)} ms   aim < 100 ms   ${med('memory') < 100 ? 'PASS' : 'ABOVE'}`);
    console.log(`  SQLite in memory, a later call                 ${fixed(med('memory2'), 0).padStart(5)} ms`);
    console.log(`  temporary SQLite file, first / later           ${fixed(med('file'), 0).padStart(5)} / ${fixed(med('file2'), 0)} ms`);
    console.log('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runColdStartBench();
