// The dashboard's one script (sent with the page's CSP nonce; no page data is written into it).
// A page whose <main> has [data-live] listens to /dashboard/events; on a change it fetches itself
// again and swaps the [data-live] section in place, unless the operator is busy in a form there;
// a <details data-key> the operator opened stays open. It also refreshes each time the stream
// opens, for changes made before it listened.
// [data-confirm] buttons ask before they submit.
export const DASHBOARD_SCRIPT = `
(function () {
  'use strict';
  var live = document.querySelector('[data-live]');
  if (live && window.EventSource && window.fetch && window.DOMParser) {
    var busy = false, again = false;
    var refresh = function () {
      if (busy) { again = true; return; }
      var focused = document.activeElement;
      if (focused && focused !== document.body && live.contains(focused) && /^(INPUT|SELECT|TEXTAREA)$/.test(focused.tagName)) { again = true; setTimeout(refresh, 1500); return; }
      busy = true;
      fetch(location.href, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'text/html', 'x-dashboard-refresh': '1' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (text) {
          if (text === null) return;
          var fresh = new DOMParser().parseFromString(text, 'text/html').querySelector('[data-live]');
          if (fresh && fresh.innerHTML !== live.innerHTML) {
            var open = {};
            Array.prototype.forEach.call(live.querySelectorAll('details[open][data-key]'), function (d) { open[d.getAttribute('data-key')] = true; });
            live.innerHTML = fresh.innerHTML;
            Array.prototype.forEach.call(live.querySelectorAll('details[data-key]'), function (d) { if (open[d.getAttribute('data-key')] === true) d.open = true; });
            live.setAttribute('data-refreshed', String(Number(live.getAttribute('data-refreshed') || '0') + 1));
          }
        })
        .catch(function () {})
        .then(function () { busy = false; if (again) { again = false; setTimeout(refresh, 250); } });
    };
    var source = new EventSource(live.getAttribute('data-live') || '/dashboard/events');
    source.addEventListener('change', refresh);
    // What changed between the page's render and the stream's (re)connection was never announced:
    // refresh once each time the stream opens.
    source.addEventListener('open', refresh);
    window.addEventListener('pagehide', function () { source.close(); });
  }
  document.addEventListener('submit', function (e) {
    var button = e.submitter || null;
    var ask = (button && button.getAttribute('data-confirm')) || (e.target && e.target.getAttribute && e.target.getAttribute('data-confirm'));
    if (ask && !window.confirm(ask)) e.preventDefault();
  });
})();
`;
