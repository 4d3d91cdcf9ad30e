#!/usr/bin/env node
// Builds the package's compiled output: dist/ (JavaScript and declarations) from src/, tests left out.
// Run by `npm install` of the repository (the `prepare` script) and by `npm run build`.
//
// tsc rewrites the sources' relative `.ts` imports to `.js` in JavaScript but not in declarations
// (TypeScript 5.9), so the declarations' specifiers are rewritten here; files tsc does not emit
// (the Stripe.js script served by the Stripe face) are copied beside their module.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const dist = join(root, 'dist');

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('vipps-local build: tsc failed');
  process.exit(tsc.status ?? 1);
}

// `from './x.ts'`, `import('./x.ts')` and `import './x.ts'` with a relative specifier.
const TS_SPECIFIER = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.ts(['"])/g;
let declarations = 0;
for (const file of walk(dist)) {
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(file, 'utf8');
  const rewritten = text.replace(TS_SPECIFIER, '$1$2.js$3');
  if (rewritten !== text) writeFileSync(file, rewritten);
  declarations++;
}

let assets = 0;
for (const file of walk(src)) {
  if (file.endsWith('.ts')) continue;
  const target = join(dist, relative(src, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
  assets++;
}
console.log(`vipps-local build: dist/ written (${declarations} declaration files, ${assets} assets copied)`);
