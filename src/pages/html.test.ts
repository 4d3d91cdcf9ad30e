import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, isSafeHref, trusted } from './html.ts';

describe('HTML escaping', () => {
  it('escapes the characters that can end text or an attribute', () => {
    assert.equal(escapeHtml(`<script>alert("x")</script> & 'y' \`z\``), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &#96;z&#96;');
  });

  it('interpolated values are escaped, in text and in attributes', () => {
    const evil = '"><img src=x onerror=alert(1)>';
    assert.equal(html`<p title="${evil}">${evil}</p>`.value, '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>');
  });

  it('nested fragments and arrays of fragments are kept, their values escaped once', () => {
    const items = ['<a>', 'b&c'].map((x) => html`<li>${x}</li>`);
    assert.equal(html`<ul>${items}</ul>`.value, '<ul><li>&lt;a&gt;</li><li>b&amp;c</li></ul>');
  });

  it('null, undefined and false render nothing; numbers render as text', () => {
    assert.equal(html`[${null}${undefined}${false}${0}${42}]`.value, '[042]');
  });

  it('a string that looks like markup stays text unless this code marks it trusted', () => {
    assert.equal(html`${'<b>'}`.value, '&lt;b&gt;');
    assert.equal(html`${trusted('<b>')}`.value, '<b>');
  });

  it('only http(s), app schemes and site paths are safe link targets', () => {
    assert.ok(isSafeHref('https://shop.example/return?x=1'));
    assert.ok(isSafeHref('http://localhost:3000/return'));
    assert.ok(isSafeHref('myshop://order/1'));
    assert.ok(isSafeHref('/app'));
    for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'data:text/html,x', '//evil.example', 'vbscript:x', 'not a url']) {
      assert.equal(isSafeHref(bad), false, bad);
    }
  });
});
