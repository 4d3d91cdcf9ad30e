#!/usr/bin/env node
// The `vipps-local` command: the compiled CLI (dist/, built by `npm install` of the repository
// through its `prepare` script, or `npm run build`).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = join(root, 'dist', 'cli.js');
if (!existsSync(entry)) {
  process.stderr.write('vipps-local: dist/ is missing: run `npm run build` (or `npm install`, which builds it) in the repository first.\n');
  process.exit(1);
}

// In a checkout of the repository (the package ships no src/), say when the sources changed after the build.
const src = join(root, 'src');
if (existsSync(src)) {
  const built = statSync(entry).mtimeMs;
  const newer = (dir) => readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? newer(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && statSync(join(dir, e.name)).mtimeMs > built));
  if (newer(src)) process.stderr.write('vipps-local: src/ changed since dist/ was built: this runs the build. `npm run build` to refresh it, or `npm run dev` to run the sources.\n');
}

await import(pathToFileURL(entry).href);
