// The shopper pages in Norwegian, Danish, Finnish and English: picked by Accept-Language (Norwegian
// without one, as the real landing page), overridden with ?lang= (remembered in a cookie), told in
// <html lang>, Content-Language and Vary; and one payment clicked through in Norwegian.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DESKTOP, PHONE, saveScreenshot, useBrowser } from '../../test-support/browser.ts';
import { useServer } from '../../test-support/server.ts';
import { useShop } from '../../test-support/shop.ts';
import { ADA, createPayment, openPage, signIn, stateOf } from '../../test-support/shopper-steps.ts';

/** A text only that language's landing page and sign-in screen show. */
const EXPECT = {
  nb: { landing: 'Husk nummeret mitt', app: 'Logg inn i Vipps' },
  da: { landing: 'Husk mit nummer', app: 'Log ind på Vipps' },
  fi: { landing: 'Muista numeroni', app: 'Kirjaudu Vippsiin' },
  en: { landing: 'Remember my number', app: 'Log in to Vipps' },
} as const;
type Lang = keyof typeof EXPECT;
const LANGS = Object.keys(EXPECT) as Lang[];

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { res, body: await res.text() };
}

function assertLanguage(res: Response, body: string, lang: Lang, where: 'landing' | 'app') {
  assert.equal(res.status, 200, body.slice(0, 300));
  assert.match(body, new RegExp(`<html lang="${lang}">`), `<html lang> is ${lang}`);
  assert.equal(res.headers.get('content-language'), lang);
  assert.match(res.headers.get('vary') ?? '', /Accept-Language/);
  assert.ok(body.includes(EXPECT[lang][where]), `${where} page in ${lang} shows "${EXPECT[lang][where]}"`);
  for (const other of LANGS.filter((l) => l !== lang)) assert.ok(!body.includes(EXPECT[other][where]), `no ${other} text on the ${lang} page`);
}

describe('shopper pages in four languages', { timeout: 60_000 }, () => {
  const t = useServer();
  const shop = useShop();
  const b = useBrowser();

  const headerFor: Record<Lang, string> = { nb: 'nb-NO,nb;q=0.9,en;q=0.5', da: 'da-DK,da;q=0.9,en;q=0.5', fi: 'fi-FI,fi;q=0.9,en;q=0.5', en: 'en-US,en;q=0.9' };

  for (const lang of LANGS) {
    it(`Accept-Language ${headerFor[lang]} → the landing page and the simulator in ${lang}`, async () => {
      const { redirectUrl } = await createPayment(t.api);
      const landing = await get(redirectUrl, { 'accept-language': headerFor[lang] });
      assertLanguage(landing.res, landing.body, lang, 'landing');
      const app = await get(`${t.server.url}/app`, { 'accept-language': headerFor[lang] });
      assertLanguage(app.res, app.body, lang, 'app');
    });
  }

  it('no Accept-Language, or only languages we do not speak → Norwegian', async () => {
    const { redirectUrl } = await createPayment(t.api);
    const none = await get(redirectUrl);
    assertLanguage(none.res, none.body, 'nb', 'landing');
    assert.ok(none.body.includes('Betal med Vipps') && none.body.includes('Testmiljø'));
    const french = await get(`${t.server.url}/app`, { 'accept-language': 'fr-FR,fr;q=0.9,de;q=0.8' });
    assertLanguage(french.res, french.body, 'nb', 'app');
  });

  it('q-values decide: da;q=0.9 beats en;q=0.5, and q=0 refuses a language', async () => {
    const { redirectUrl } = await createPayment(t.api);
    const da = await get(redirectUrl, { 'accept-language': 'en;q=0.5, da;q=0.9' });
    assertLanguage(da.res, da.body, 'da', 'landing');
    const fi = await get(redirectUrl, { 'accept-language': 'en;q=0, fi;q=0.1' });
    assertLanguage(fi.res, fi.body, 'fi', 'landing');
  });

  it('?lang=fi overrides the browser and is remembered in a cookie; ?lang=auto forgets it', async () => {
    const { redirectUrl } = await createPayment(t.api);
    const chosen = await get(`${redirectUrl}&lang=fi`, { 'accept-language': 'en' });
    assertLanguage(chosen.res, chosen.body, 'fi', 'landing');
    const set = chosen.res.headers.getSetCookie().find((c) => c.startsWith('vl_lang='));
    assert.ok(set, 'vl_lang cookie set');
    assert.match(set, /^vl_lang=fi; Path=\/; SameSite=Lax; Max-Age=\d+; HttpOnly$/);
    const cookie = 'vl_lang=fi';
    const app = await get(`${t.server.url}/app`, { 'accept-language': 'en', cookie });
    assertLanguage(app.res, app.body, 'fi', 'app');
    const auto = await get(`${t.server.url}/app?lang=auto`, { 'accept-language': 'en', cookie });
    assertLanguage(auto.res, auto.body, 'en', 'app');
    assert.match(auto.res.headers.getSetCookie().join('\n'), /vl_lang=; .*Max-Age=0/);
    const unknown = await get(`${t.server.url}/app?lang=sv`, { 'accept-language': 'da' });
    assertLanguage(unknown.res, unknown.body, 'da', 'app');
  });

  it('the language links lead to the same page in each language, and merchant text is still escaped', async () => {
    const { redirectUrl } = await createPayment(t.api, { paymentDescription: '<b>Sokker</b> & "mer"' });
    const { body } = await get(redirectUrl);
    assert.ok(body.includes('&lt;b&gt;Sokker&lt;/b&gt; &amp; &quot;mer&quot;'), 'description escaped');
    const token = new URL(redirectUrl).searchParams.get('token')!;
    const links = [...body.matchAll(/<a href="([^"]+)" lang="(\w+)"/g)].map((m) => [m[2], m[1]!.replaceAll('&amp;', '&')]);
    assert.deepEqual(links.map(([l]) => l), ['da', 'fi', 'en']);
    for (const [, href] of links) {
      const url = new URL(href!, t.server.url);
      assert.equal(url.pathname, '/landing');
      assert.equal(url.searchParams.get('token'), token);
    }
    assert.match(body, /<b lang="nb" aria-current="true">Norsk<\/b>/);
  });

  it('the not-found and refused pages follow the language too', async () => {
    const missing = await get(`${t.server.url}/landing?token=nope`, { 'accept-language': 'da' });
    assert.equal(missing.res.status, 404);
    assert.match(missing.body, /<html lang="da">/);
    assert.ok(missing.body.includes('Betalingen blev ikke fundet'));
    const refused = await fetch(`${t.server.url}/app/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'fi', 'sec-fetch-site': 'cross-site' },
      body: 'csrf=x&prefix=47&phone=12345678',
    });
    assert.equal(refused.status, 403);
    const text = await refused.text();
    assert.match(text, /<html lang="fi">/);
    assert.ok(text.includes('Pyyntö hylättiin'), text.slice(0, 500));
  });

  it('Chromium in Norwegian: a refused number, then the number, the app and Betal, and back to the shop', async () => {
    const { reference, redirectUrl } = await createPayment(t.api, { returnUrl: shop.returnUrl('norsk-1') });
    const desktop = await openPage(b.browser, { ...DESKTOP, locale: 'nb-NO' });
    const { page } = desktop;
    await page.goto(redirectUrl);
    assert.equal(await page.getAttribute('html', 'lang'), 'nb');
    assert.equal(await page.textContent('h1'), 'Betal med Vipps');
    assert.equal(await page.textContent('[data-testid=next]'), 'Neste');
    await saveScreenshot(page, 'norwegian-landing');
    await page.fill('[data-testid=phone]', '12');
    await page.click('[data-testid=next]');
    assert.match((await page.textContent('[data-testid=error]')) ?? '', /^Dette er ikke et gyldig mobilnummer\./);
    await page.fill('[data-testid=phone]', '123 45 678');
    await page.click('[data-testid=next]');
    await page.waitForSelector('[data-testid=waiting]');
    assert.equal(await page.textContent('h1'), 'Sjekk telefonen din');
    assert.equal(await page.textContent('[data-testid=open-vipps]'), 'Åpne Vipps');

    const phone = await openPage(b.browser, { ...PHONE, locale: 'nb-NO' });
    await phone.page.goto(`${t.server.url}/app`);
    assert.equal(await phone.page.textContent('h1'), 'Logg inn i Vipps');
    await signIn(phone.page, t.server.url, ADA);
    assert.equal(await phone.page.textContent('[data-testid=greeting]'), 'Hei, Ada');
    await phone.page.click(`[data-testid=request][data-reference="${reference}"]`);
    assert.equal(await phone.page.textContent('[data-testid=pay]'), 'Betal 499,00\u00a0kr');
    assert.equal(await phone.page.textContent('[data-testid=reject]'), 'Avvis');
    await phone.page.click('[data-testid=pay]');
    await phone.page.waitForSelector('[data-testid=result][data-state=AUTHORIZED]');
    assert.equal(await phone.page.textContent('[data-testid=result-title]'), 'Betalingen er godkjent');
    assert.match((await phone.page.textContent('[data-testid=back-to-browser]')) ?? '', /^Gå tilbake til nettleseren/);
    await saveScreenshot(phone.page, 'norwegian-phone-approved');

    await page.waitForURL(`${shop.url}/return**`);
    assert.equal(await stateOf(t.api, reference), 'AUTHORIZED');
    await desktop.context.close();
    await phone.context.close();
  });

  it('Chromium in Finnish on a desktop: the simulator in its phone frame, with the language links under it', async () => {
    const { page, context } = await openPage(b.browser, { ...DESKTOP, locale: 'fi-FI' });
    await page.goto(`${t.server.url}/app`);
    assert.equal(await page.textContent('h1'), 'Kirjaudu Vippsiin');
    await page.click('[data-testid=lang-da]');
    assert.equal(await page.textContent('h1'), 'Log ind på Vipps');
    assert.equal(await page.getAttribute('html', 'lang'), 'da');
    await page.goto(`${t.server.url}/app`);
    assert.equal(await page.textContent('h1'), 'Log ind på Vipps', 'the choice is remembered');
    await saveScreenshot(page, 'danish-app-desktop');
    await context.close();
  });
});
