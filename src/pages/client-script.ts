// The one small, dependency-free script every page carries (with the page's CSP nonce). It is
// driven by data- attributes, so no page data is ever written into script text.
//
// - [data-countdown][data-deadline]: a live m:ss countdown against the server's clock
//   (body[data-now]); at zero the page reloads so that the server can show what happened.
// - body[data-live="payment"][data-token][data-version]: server-sent events for the payment, with
//   polling of /payment/status as fallback; a new version reloads the page.
// - body[data-live="inbox"]: server-sent events for the signed-in user; #inbox is refreshed in place.
// - body[data-sent-marker]: remembers in this tab that the number was entered (landing page).
// - body[data-back-check]: on the landing page, coming back after entering the number cancels.
// - [data-return-url][data-return-delay]: the best-effort return to the merchant.
// - form[data-once]: a form is sent once (double clicks do not pay twice).
// - input[data-pay-label]: choosing it relabels button[data-pay-button] (Express: the total with that delivery).
// - button[data-copy="<field id>"]: copies that field's text (the clipboard API; else the field is selected
//   for the old copy command), then says data-copied or data-copy-failed for a moment (QR page).
export const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var body = document.body, data = body.dataset;
  var offset = Number(data.now || Date.now()) - Date.now();
  var serverNow = function () { return Date.now() + offset; };
  // Once a form is on its way, its answer decides the next page: no live reload may cancel it.
  var reloading = false, submitting = false;
  function reload() { if (!reloading && !submitting) { reloading = true; location.reload(); } }

  document.addEventListener('change', function (e) {
    var t = e.target, button = document.querySelector('[data-pay-button]');
    if (button && t && t.getAttribute && t.hasAttribute('data-pay-label')) button.textContent = t.getAttribute('data-pay-label');
  });

  function fmt(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h > 0 ? h + ':' + String(m).padStart(2, '0') : String(m)) + ':' + String(r).padStart(2, '0');
  }
  function tick() {
    var els = document.querySelectorAll('[data-countdown]');
    for (var i = 0; i < els.length; i++) {
      var left = Number(els[i].getAttribute('data-deadline')) - serverNow();
      els[i].textContent = fmt(left);
      if (left <= 0 && els[i].hasAttribute('data-reload-at-zero')) reload();
    }
  }
  tick();
  setInterval(tick, 1000);

  function onChange(check) {
    var source = null;
    if (window.EventSource) {
      source = new EventSource(data.events);
      source.addEventListener('change', check);
      source.addEventListener('open', check);
    }
    setInterval(check, Number(data.poll || 3000));
    window.addEventListener('pagehide', function () { if (source) source.close(); });
  }

  if (data.live === 'payment') {
    onChange(function () {
      fetch(data.status, { cache: 'no-store', credentials: 'same-origin' }).then(function (r) { return r.ok ? r.json() : null; }).then(function (s) {
        if (!s) return;
        offset = s.now - Date.now();
        if (String(s.version) !== data.version || s.view !== data.view) reload();
        tick();
      }).catch(function () {});
    });
  }

  if (data.live === 'inbox') {
    var inbox = document.getElementById('inbox'), last = inbox ? inbox.innerHTML : '';
    onChange(function () {
      fetch(data.fragment, { cache: 'no-store', credentials: 'same-origin' }).then(function (r) {
        if (r.status === 401) { reload(); return null; }
        offset = Number(r.headers.get('x-server-now') || serverNow()) - Date.now();
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (html !== null && html !== undefined && html !== last && inbox) { inbox.innerHTML = html; last = html; tick(); }
      }).catch(function () {});
    });
  }

  var markerKey = data.token ? 'vl-sent:' + data.token : null;
  if (markerKey && data.sentMarker) { try { sessionStorage.setItem(markerKey, '1'); } catch (e) {} }
  if (markerKey && data.backCheck) {
    window.addEventListener('pageshow', function () {
      var sent = false;
      try { sent = sessionStorage.getItem(markerKey) === '1'; } catch (e) {}
      if (sent) {
        try { sessionStorage.removeItem(markerKey); } catch (e) {}
        var form = document.getElementById('back-cancel');
        if (form) { submitting = true; form.submit(); }
      } else if (data.waitUrl) {
        location.replace(data.waitUrl);
      }
    });
  }

  var ret = document.querySelector('[data-return-url]');
  if (ret) {
    var url = ret.getAttribute('data-return-url');
    if (url && !/^\\s*(javascript|data|vbscript):/i.test(url)) {
      setTimeout(function () { location.assign(url); }, Number(ret.getAttribute('data-return-delay') || 1500));
    }
  }

  var once = document.querySelectorAll('form[data-once]');
  for (var j = 0; j < once.length; j++) {
    once[j].addEventListener('submit', function (e) {
      var f = e.currentTarget;
      if (f.getAttribute('data-sent')) { e.preventDefault(); return; }
      f.setAttribute('data-sent', '1');
      submitting = true;
      setTimeout(function () {
        var all = document.querySelectorAll('button[type="submit"]');
        for (var k = 0; k < all.length; k++) all[k].disabled = true;
      }, 0);
    });
  }

  document.addEventListener('click', function (e) {
    var b = e.target && e.target.closest ? e.target.closest('button[data-copy]') : null;
    var field = b ? document.getElementById(b.getAttribute('data-copy')) : null;
    if (!field) return;
    var label = b.getAttribute('data-label') || b.textContent;
    b.setAttribute('data-label', label);
    function say(ok) {
      b.textContent = b.getAttribute(ok ? 'data-copied' : 'data-copy-failed') || label;
      b.setAttribute('data-copy-state', ok ? 'copied' : 'failed');
      setTimeout(function () { b.textContent = label; }, 2000);
    }
    function selectAndCopy() {
      field.focus();
      field.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (err) {}
      say(ok);
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(field.value).then(function () { say(true); }, selectAndCopy);
    else selectAndCopy();
  });
})();
`;
