// Content negotiation: the q of a media type under an Accept header, and which of two answers wins.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prefers, qualityOf } from './accept.ts';

describe('Accept negotiation', () => {
  it('the most specific matching range gives the q', () => {
    assert.equal(qualityOf('text/html;q=0.5, text/*;q=0.9, */*;q=0.1', 'text/html'), 0.5);
    assert.equal(qualityOf('text/html;q=0.5, text/*;q=0.9, */*;q=0.1', 'text/plain'), 0.9);
    assert.equal(qualityOf('text/html;q=0.5, text/*;q=0.9, */*;q=0.1', 'image/png'), 0.1);
    assert.equal(qualityOf('image/*', 'text/html'), 0);
    assert.equal(qualityOf('IMAGE/PNG; Q=0.3', 'image/png'), 0.3);
    assert.equal(qualityOf('image/png;q=abc', 'image/png'), 0);
  });

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
  });
});
