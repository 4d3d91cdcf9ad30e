// The mechanism on its own, in a bare Fastify app with a face of its own: the header, the debug log
// line (at info the request log's line per request names them: platform/logging/), req.leniencies, strict mode, and how paths are compared.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { lenientFace, pathLeniencies } from './lenient-face.ts';
import { formatWarning, type Leniency } from './leniency.ts';

const Body = Type.Object({ name: Type.String(), size: Type.Optional(Type.Integer()) }, { additionalProperties: false });

async function buildApp(strict: boolean, lines: Array<Record<string, any>>): Promise<{ app: FastifyInstance; seen: Array<Leniency[] | null> }> {
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)));
      cb();
    },
  });
  const seen: Array<Leniency[] | null> = [];
  const app = Fastify({
    logger: { level: 'debug', stream },
    routerOptions: { caseSensitive: strict, ignoreTrailingSlash: !strict },
    // As platform/app.ts: validation never repairs a body.
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });
  await app.register(
    async (scope) => {
      lenientFace(scope, { strict, jsonBodies: true });
      scope.addHook('onResponse', async (req) => {
        seen.push(req.leniencies);
      });
      scope.post('/v1/things/:id', { schema: { body: Body } }, async (req) => ({ id: (req.params as { id: string }).id, body: req.body }));
    },
    { prefix: '/face' },
  );
  return { app, seen };
}

describe('lenientFace', () => {
  const lines: Array<Record<string, any>> = [];
  let lenient: Awaited<ReturnType<typeof buildApp>>;
  let strict: Awaited<ReturnType<typeof buildApp>>;
  before(async () => {
    lenient = await buildApp(false, lines);
    strict = await buildApp(true, []);
  });
  after(async () => {
    await lenient.app.close();
    await strict.app.close();
  });

  it('reports each leniency in the header, one debug log line, and on the request', async () => {
    lines.length = 0;
    const res = await lenient.app.inject({ method: 'POST', url: '/Face/V1/Things/AbC-12/', headers: { 'content-type': 'text/json' }, payload: '{"name": 2486791679658155992, "colour": "red", "size": null}' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(JSON.parse(res.body), { id: 'AbC-12', body: { name: '2486791679658155992' } }, 'the parameter keeps its case');
    const expected: Leniency[] = [
      { kind: 'path-case', field: '/Face/V1/Things/AbC-12/', detail: 'The route is /face/v1/things/:id; paths match case-insensitively.' },
      { kind: 'path-trailing-slash', field: '/Face/V1/Things/AbC-12/', detail: 'The route is /face/v1/things/:id, without the trailing slash.' },
      { kind: 'json-content-type', field: 'Content-Type', detail: 'text/json was read as application/json.' },
      { kind: 'number-as-string', field: 'name', detail: 'The number 2486791679658155992 was read as the string "2486791679658155992".' },
      { kind: 'unknown-property', field: 'colour', detail: 'Not part of the API; ignored.' },
      { kind: 'null-as-absent', field: 'size', detail: 'null for an optional field that is not nullable; treated as absent.' },
    ];
    assert.deepEqual(res.headers['vipps-local-warning'], expected.map(formatWarning));
    assert.deepEqual(lenient.seen.at(-1), expected);
    const logged = lines.filter((l) => Array.isArray(l.leniencies));
    assert.equal(logged.length, 1, 'one log line for the request');
    assert.equal(logged[0]!.level, 20, 'at debug');
    assert.deepEqual(logged[0]!.leniencies, expected);
    assert.equal(
      logged[0]!.msg,
      'read leniently: POST /face/v1/things/:id → 200: path-case /Face/V1/Things/AbC-12/, path-trailing-slash /Face/V1/Things/AbC-12/, json-content-type Content-Type, number-as-string name, unknown-property colour, null-as-absent size',
    );
  });

  it('a request that needs no leniency has no header, no log line and no leniencies', async () => {
    lines.length = 0;
    const res = await lenient.app.inject({ method: 'POST', url: '/face/v1/things/x', payload: { name: 'n', size: 3 } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['vipps-local-warning'], undefined);
    assert.equal(lenient.seen.at(-1), null);
    assert.equal(lines.filter((l) => l.leniencies).length, 0);
  });

  it('an error answer carries the leniencies that led to it', async () => {
    const res = await lenient.app.inject({ method: 'POST', url: '/face/v1/things/x', payload: { nam: 'typo' } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.headers['vipps-local-warning'], ['unknown-property;field="nam";detail="Not part of the API; ignored."']);
  });

  it('strict: every leniency is the error it was, and nothing is reported', async () => {
    const cases = [
      { url: '/Face/v1/things/x', payload: '{"name":"n"}', type: 'application/json', status: 404 },
      { url: '/face/v1/things/x/', payload: '{"name":"n"}', type: 'application/json', status: 404 },
      { url: '/face/v1/things/x', payload: '{"name":"n"}', type: 'text/json', status: 415 },
      { url: '/face/v1/things/x', payload: '{"name":1}', type: 'application/json', status: 400 },
      { url: '/face/v1/things/x', payload: '{"name":"n","x":1}', type: 'application/json', status: 400 },
      { url: '/face/v1/things/x', payload: '{"name":"n","size":null}', type: 'application/json', status: 400 },
    ];
    for (const c of cases) {
      const res = await strict.app.inject({ method: 'POST', url: c.url, headers: { 'content-type': c.type }, payload: c.payload });
      assert.equal(res.statusCode, c.status, `${c.url} ${c.payload}: ${res.body}`);
      assert.equal(res.headers['vipps-local-warning'], undefined);
    }
    assert.ok(strict.seen.every((l) => l === null));
  });

  it('prototype pollution is refused on both parse paths (400), and nothing is polluted', async () => {
    for (const payload of [
      '{"name":"n","__proto__":{"polluted":true}}',
      '{"name":"n","__proto__":{"polluted":true},"size":1.0}',
      '{"name":"n","\\u005f_proto__":{"polluted":true},"size":2486791679658155992}',
      '{"name":"n","constructor":{"prototype":{"polluted":true}}}',
      '{"name":"n","constructor":{"prototype":{"polluted":true}},"size":1e0}',
    ]) {
      const res = await lenient.app.inject({ method: 'POST', url: '/face/v1/things/x', headers: { 'content-type': 'application/json' }, payload });
      assert.equal(res.statusCode, 400, `${payload}: ${res.body}`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }
  });

  it('an empty body is no body; invalid JSON is 400 as before', async () => {
    assert.equal((await lenient.app.inject({ method: 'POST', url: '/face/v1/things/x', headers: { 'content-type': 'application/json' }, payload: '' })).statusCode, 400);
    assert.equal((await lenient.app.inject({ method: 'POST', url: '/face/v1/things/x', headers: { 'content-type': 'application/json' }, payload: '{"name": 1.5,' })).statusCode, 400);
  });
});

describe('pathLeniencies', () => {
  const route = '/epayment/v1/payments/:reference/capture';
  const kinds = (url: string) => pathLeniencies(url, route)?.map((l) => l.kind) ?? [];
  it('the route as registered, any parameter, a query: none', () => {
    assert.deepEqual(kinds('/epayment/v1/payments/AbC-123/capture'), []);
    assert.deepEqual(kinds('/epayment/v1/payments/x/capture?x=/Y/'), []);
  });
  it('percent-encoding alone is no difference', () => assert.deepEqual(kinds('/epayment/v1/%70ayments/x/capture'), []));
  it('another case in a static part', () => assert.deepEqual(kinds('/ePayment/v1/payments/x/Capture'), ['path-case']));
  it('a trailing slash', () => assert.deepEqual(kinds('/epayment/v1/payments/x/capture/'), ['path-trailing-slash']));
  it('both', () => assert.deepEqual(kinds('/EPAYMENT/V1/PAYMENTS/x/CAPTURE/?a=1'), ['path-case', 'path-trailing-slash']));
});

describe('formatWarning', () => {
  it('is an RFC 8941 list member: token, then string parameters in printable ASCII', () => {
    assert.equal(formatWarning({ kind: 'unknown-property', field: 'a"b\\c', detail: 'x' }), 'unknown-property;field="a\\"b\\\\c";detail="x"');
    assert.equal(formatWarning({ kind: 'unknown-property', field: 'størrelse 100%', detail: 'x' }), 'unknown-property;field="st%C3%B8rrelse 100%25";detail="x"');
    assert.equal(formatWarning({ kind: 'unknown-property', field: '\ud800\n', detail: 'x' }), 'unknown-property;field="%EF%BF%BD%0A";detail="x"');
    assert.equal(formatWarning({ kind: 'unknown-property', field: 'k'.repeat(500), detail: 'x' }), `unknown-property;field="${'k'.repeat(197)}...";detail="x"`);
  });
});
