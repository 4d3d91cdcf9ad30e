// What the request log keeps of a body: at most 8 KiB of UTF-8, cut on a character boundary, and no secret.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capBody, cutUtf8, isSecretKey, MAX_BODY_BYTES, redactBody, storedBody, tokenAnswer } from './bodies.ts';

const stored = (text: string) => {
  const notes: string[] = [];
  return { text: storedBody(capBody(text), 'The body', (n) => notes.push(n)), notes };
};

describe('request log bodies', () => {
  it('keeps a short body as it is, and an empty one as none', () => {
    assert.deepEqual(stored('{"reference":"order-1"}'), { text: '{"reference":"order-1"}', notes: [] });
    assert.deepEqual(stored(''), { text: null, notes: [] });
  });

  it('cuts a long body to 8 KiB on a character boundary, and notes it', () => {
    const ascii = `{"x":"${'a'.repeat(20_000)}"}`;
    const a = stored(ascii);
    assert.equal(Buffer.byteLength(a.text!), MAX_BODY_BYTES);
    assert.deepEqual(a.notes, [`The body is ${ascii.length} bytes long; the first ${MAX_BODY_BYTES} are kept.`]);
    // 3-byte characters: 8192 is not a multiple of 3, so the last whole character ends at 8190.
    const wide = '€'.repeat(5000);
    const w = stored(wide);
    assert.equal(w.text, '€'.repeat(2730));
    assert.equal(Buffer.byteLength(w.text!), 8190);
    assert.match(w.notes[0]!, /^The body is 15000 bytes long; the first 8190 are kept\.$/);
    // 4-byte characters (surrogate pairs) are never split.
    const emoji = 'x' + '😀'.repeat(3000);
    const e = cutUtf8(emoji)!;
    assert.equal(e.text, 'x' + '😀'.repeat(2047));
    assert.ok(!e.text.includes('\uFFFD'));
    assert.equal(cutUtf8('short'), null);
  });

  it('redacts secret-looking JSON properties at any depth, and leaves other bodies untouched', () => {
    assert.deepEqual(JSON.parse(redactBody('{"id":"w1","secret":"s3cr3t","nested":[{"client_secret":"pi_1_secret_2","Password":1234,"refresh_token":{"a":1}}],"idToken":"t","access_token":"at","token_type":"Bearer"}')), {
      id: 'w1',
      secret: '[redacted]',
      nested: [{ client_secret: '[redacted]', Password: '[redacted]', refresh_token: '[redacted]' }],
      idToken: '[redacted]',
      access_token: '[redacted]',
      token_type: 'Bearer',
    });
    const plain = '{ "redirectUrl": "http://localhost/?token=abc", "reference": "r" }';
    assert.equal(redactBody(plain), plain, 'no suspicious key: the text as sent');
    assert.ok(isSecretKey('webhookSecret') && isSecretKey('new-password') && !isSecretKey('token_type') && !isSecretKey('secretary_name'));
  });

  it('redacts the text of a JSON body too long or broken to parse, a cut value included', () => {
    const long = `{"secret":"whsec_abc","pad":"${'p'.repeat(10_000)}","password":"tail-secret`;
    const s = stored(long);
    assert.ok(!s.text!.includes('whsec_abc'));
    assert.ok(s.text!.startsWith('{"secret":"[redacted]"'));
    const cutInValue = stored(`{"pad":"${'p'.repeat(8150)}","client_secret":"pi_123_secret_456789"}`);
    assert.ok(!cutInValue.text!.includes('pi_123'), cutInValue.text!.slice(-60));
    assert.equal(redactBody('{"secret": 12345, "a": "b"'), '{"secret": "[redacted]", "a": "b"');
  });

  it('redacts form-encoded (Stripe) keys, nested ones included', () => {
    assert.equal(
      redactBody('amount=1000&client_secret=pi_1_secret_2&payment_method_data%5Bpassword%5D=hunter2&metadata[secret]=x&currency=nok'),
      'amount=1000&client_secret=%5Bredacted%5D&payment_method_data%5Bpassword%5D=%5Bredacted%5D&metadata[secret]=%5Bredacted%5D&currency=nok',
    );
  });

  it('keeps only token_type and expires_in of an access token answer', () => {
    assert.equal(tokenAnswer('{"token_type":"Bearer","expires_in":"3600","ext_expires_in":"3600","access_token":"eyJ.a.b"}'), '{"token_type":"Bearer","expires_in":"3600"}');
    assert.equal(tokenAnswer('not json'), null);
  });
});
