// Content negotiation: which of two answers wins under an Accept header.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prefers } from './accept.ts';

describe('Accept negotiation', () => {
  it("browsers' page requests prefer the page; their image requests, curl and ties keep the image", () => {
    const page = (accept: string | undefined, image = 'image/png') => prefers(accept, 'text/html', image);
    assert.equal(page('text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8'), true);
    assert.equal(page('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'image/svg+xml'), true);
    assert.equal(page('image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8'), false);
    assert.equal(page('image/avif,image/webp,*/*'), false);
    assert.equal(page('*/*'), false);
    assert.equal(page(undefined), false);
    assert.equal(page(''), false);
    assert.equal(page('image/png, text/html'), false);
    assert.equal(page('text/html;q=0.5, image/png;q=0.9'), false);
    assert.equal(page('image/png;q=0.1, text/html'), true);
    assert.equal(page('text/*, image/*;q=0.2'), true);
  });
});
