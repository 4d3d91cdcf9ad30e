import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signWebhook } from './webhook-signature.ts';

describe('webhook signature', () => {
  it('reproduces the platform published test vector exactly', () => {
    const headers = signWebhook(
      'https://webhook.site/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63',
      '{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world"}',
      new Date('Thu, 30 Mar 2023 08:38:32 GMT'),
      'A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==',
    );
    assert.equal(headers['x-ms-date'], 'Thu, 30 Mar 2023 08:38:32 GMT');
    assert.equal(headers['x-ms-content-sha256'], 'lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=');
    assert.equal(headers.authorization, 'HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=');
  });

  it('signs the query and a non-default port as part of path and host', () => {
    const a = signWebhook('http://127.0.0.1:9000/hook?x=1', '{}', new Date(0), 's');
    const b = signWebhook('http://127.0.0.1:9001/hook?x=1', '{}', new Date(0), 's');
    const c = signWebhook('http://127.0.0.1:9000/hook?x=2', '{}', new Date(0), 's');
    assert.notEqual(a.authorization, b.authorization);
    assert.notEqual(a.authorization, c.authorization);
  });
});
