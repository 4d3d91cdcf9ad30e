// logFormat (pretty | json) from the config file, VIPPS_LOCAL_LOG_FORMAT and --log-format (flags
// win); the CLI logs readable lines at info by default, programmatic servers keep JSON.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyConfigFile, ConfigError, defaultConfig, resolveConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'vipps-local-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(content: unknown): string {
  const path = join(dir, `${Math.random()}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('logFormat', () => {
  it('the CLI logs pretty lines at level info by default', () => {
    const config = resolveConfig([], {});
    assert.equal(config.logFormat, 'pretty');
    assert.equal(config.logLevel, 'info');
  });
  it('programmatic defaults are unchanged: JSON at warn (startServer sets silent itself)', () => {
    assert.equal(defaultConfig().logFormat, 'json');
    assert.equal(defaultConfig().logLevel, 'warn');
  });
  it('is read from the config file, the environment and --log-format, the flag winning', () => {
    assert.equal(resolveConfig(['--config', configFile({ logFormat: 'json' })], {}).logFormat, 'json');
    assert.equal(applyConfigFile(defaultConfig(), { logFormat: 'pretty' }).logFormat, 'pretty');
    assert.equal(resolveConfig([], { VIPPS_LOCAL_LOG_FORMAT: 'json' }).logFormat, 'json');
    assert.equal(resolveConfig(['--config', configFile({ logFormat: 'json' })], { VIPPS_LOCAL_LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
    assert.equal(resolveConfig(['--log-format', 'json'], { VIPPS_LOCAL_LOG_FORMAT: 'pretty' }).logFormat, 'json');
    assert.equal(resolveConfig(['--log-format=json'], {}).logFormat, 'json');
  });
  it('refuses a format it does not know, from any source', () => {
    assert.throws(() => resolveConfig(['--log-format', 'yaml'], {}), (e: Error) => e instanceof ConfigError && /--log-format \(VIPPS_LOCAL_LOG_FORMAT\) must be one of pretty, json, got "yaml"/.test(e.message));
    assert.throws(() => resolveConfig([], { VIPPS_LOCAL_LOG_FORMAT: 'text' }), ConfigError);
    assert.throws(() => resolveConfig(['--config', configFile({ logFormat: 'text' })], {}), ConfigError);
  });
  it('--log-level still sets the level under either format', () => {
    assert.equal(resolveConfig(['--log-level', 'warn', '--log-format', 'json'], {}).logLevel, 'warn');
    assert.equal(resolveConfig([], { LOG_LEVEL: 'error' }).logLevel, 'error');
  });
});
