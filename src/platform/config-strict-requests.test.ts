// strictRequests from the config file, VIPPS_LOCAL_STRICT_REQUESTS and --strict-requests (flags win).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, resolveConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'vipps-local-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(content: unknown): string {
  const path = join(dir, `${Math.random()}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('strictRequests', () => {
  it('is off by default', () => assert.equal(resolveConfig([], {}).strictRequests, false));
  it('is read from the config file', () => assert.equal(resolveConfig(['--config', configFile({ strictRequests: true })], {}).strictRequests, true));
  it('is turned on by VIPPS_LOCAL_STRICT_REQUESTS=1 and off by =0 (over the file)', () => {
    assert.equal(resolveConfig([], { VIPPS_LOCAL_STRICT_REQUESTS: '1' }).strictRequests, true);
    assert.equal(resolveConfig(['--config', configFile({ strictRequests: true })], { VIPPS_LOCAL_STRICT_REQUESTS: '0' }).strictRequests, false);
  });
  it('is turned on by --strict-requests, which wins over the environment', () => {
    assert.equal(resolveConfig(['--strict-requests'], { VIPPS_LOCAL_STRICT_REQUESTS: '0' }).strictRequests, true);
  });
  it('refuses a value of VIPPS_LOCAL_STRICT_REQUESTS that is not a boolean, and a config value that is not one', () => {
    assert.throws(() => resolveConfig([], { VIPPS_LOCAL_STRICT_REQUESTS: 'maybe' }), ConfigError);
    assert.throws(() => resolveConfig(['--config', configFile({ strictRequests: 'yes' })], {}), ConfigError);
  });
});
