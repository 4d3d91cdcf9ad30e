// The package says Node >= 20.12 (package.json engines): every package the lock file installs must
// agree, or `npm ci` warns EBADENGINE and the package may fail on the Node versions we promise.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const semver = require('semver') as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null };
const root = new URL('..', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };

test('every package in the lock file runs on the oldest Node the package promises, and on this one', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version;
  assert.equal(oldest, '20.12.0');
  const refusing: string[] = [];
  let checked = 0;
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (!path || !range) continue;
    checked++;
    for (const version of [oldest, process.versions.node]) {
      if (!semver.satisfies(version, range)) refusing.push(`${path.replace(/^node_modules\//, '')}@${entry.version} wants node ${range} (not ${version})`);
    }
  }
  assert.ok(checked > 50, `the lock file names engines for ${checked} packages`);
  assert.deepEqual(refusing, []);
});
