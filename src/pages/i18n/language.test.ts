// Which language the shopper pages pick from Accept-Language, and that every catalogue is complete.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LANGUAGES, negotiateLanguage } from './language.ts';
import { ENGLISH, MESSAGES } from './messages.ts';

describe('Accept-Language negotiation', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'nb'],
    ['', 'nb'],
    ['nb-NO,nb;q=0.9,en;q=0.8', 'nb'],
    ['no', 'nb'],
    ['nn-NO', 'nb'],
    ['da-DK,da;q=0.9', 'da'],
    ['fi-FI', 'fi'],
    ['en-US,en;q=0.9', 'en'],
    ['en-GB', 'en'],
    ['EN', 'en'],
    ['fr-FR,fr;q=0.9', 'nb'],
    ['sv-SE,sv;q=0.9', 'nb'],
    ['*', 'nb'],
    ['fr, en;q=0.5', 'en'],
    ['en;q=0.5, da;q=0.9', 'da'],
    ['da;q=0.7, fi;q=0.7', 'da'],
    ['fi;q=0, en;q=0.1', 'en'],
    ['en;q=0', 'nb'],
    ['en;q=abc, fi;q=0.2', 'fi'],
    ['de-DE, nn;q=0.3, en;q=0.2', 'nb'],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${expected}`, () => assert.equal(negotiateLanguage(header), expected));
  }
});

describe('message catalogues', () => {
  it('every language has every text, none empty, and its own tag', () => {
    for (const lang of LANGUAGES) {
      const t = MESSAGES[lang];
      assert.equal(t.tag, lang);
      assert.deepEqual(Object.keys(t).sort(), Object.keys(ENGLISH).sort(), lang);
      for (const [key, value] of Object.entries(t)) {
        if (typeof value === 'string') assert.ok(value.length > 0, `${lang}.${key}`);
      }
    }
  });

  it('the other languages are translated, not English copied', () => {
    for (const lang of ['nb', 'da', 'fi'] as const) {
      const t = MESSAGES[lang];
      for (const key of ['payWithVipps', 'enterPhone', 'approvedTitle', 'logInTitle', 'noRequests', 'total'] as const) {
        assert.notEqual(t[key], ENGLISH[key], `${lang}.${key}`);
      }
    }
  });
});
