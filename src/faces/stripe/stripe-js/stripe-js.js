/*
 * vipps-local Stripe.js — a stand-in for https://js.stripe.com/v3 that talks to vipps-local.
 *
 * Load it with a blocking <script src="http://<vipps-local>/stripe-js/v3"></script> before any code
 * that uses Stripe: it defines window.Stripe while it runs, so @stripe/stripe-js's loadStripe finds
 * it and never injects the real script (STRIPE-NOTES §5.1).
 *
 * What it covers: Stripe(pk, options), elements() with the Payment Element, confirmPayment,
 * retrievePaymentIntent, confirmCardPayment, handleNextAction and Embedded Checkout. Calls are
 * CORS-simple form requests (key and _stripe_version in the form, no custom headers), like Stripe.js's
 * own (STRIPE-NOTES §3.1, §5.3), so a merchant page on another origin needs no preflight.
 *
 * Plain ES2019, no build step, no external assets. Nothing from the server is ever written as HTML:
 * the DOM is built with createElement and textContent.
 */
(function () {
  'use strict';

  if (typeof window === 'undefined' || typeof document === 'undefined') return;

  /** The release train @stripe/stripe-js@10 expects: anything else makes loadStripe warn. */
  var RELEASE_TRAIN = 'endive';
  /** The version the Vipps docs pin; `apiVersion: 'vipps_preview=v1'` alone means this one. */
  var VIPPS_PREVIEW_VERSION = '2026-02-25.preview';
  /** Where vipps-local is: the origin this script was loaded from, not the merchant's page. */
  var API_BASE = scriptOrigin();

  // ---------------------------------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------------------------------

  function scriptOrigin() {
    // currentScript is null only when run outside a <script> (eval by a loader): then look for the tag.
    var script = document.currentScript || document.querySelector('script[src*="/stripe-js/v3"]');
    try {
      if (script && script.src) return new URL(script.src, window.location.href).origin;
    } catch (e) {
      /* fall through: an unparsable src means we were inlined */
    }
    // Inlined or injected without src: the page itself is served by vipps-local.
    return window.location.origin;
  }

  /** Stripe.js throws IntegrationError for programming mistakes (wrong arguments), synchronously. */
  function integrationError(message) {
    var err = new Error(message);
    err.name = 'IntegrationError';
    return err;
  }

  function validationError(message, code, param) {
    var error = { type: 'validation_error', message: message };
    if (code) error.code = code;
    if (param) error.param = param;
    return error;
  }

  function unsupported(name) {
    return function () {
      return Promise.resolve({
        error: { type: 'invalid_request_error', message: name + ' is not supported by vipps-local' },
      });
    };
  }

  /** A promise that never settles: after a full-page navigation nothing should run on. */
  function navigateAway(url) {
    window.location.assign(url);
    return new Promise(function () {});
  }

  function isObject(value) {
    return value !== null && typeof value === 'object';
  }

  /**
   * `apiVersion` as Stripe-Version text. The Vipps docs write `vipps_preview=v1` alone; a version
   * that starts with a beta (name=value) gets the preview date in front of it.
   */
  function normalizeApiVersion(apiVersion) {
    if (apiVersion === undefined || apiVersion === null || apiVersion === '') return undefined;
    if (typeof apiVersion !== 'string') throw integrationError('Invalid value for Stripe(): apiVersion should be a string. You specified: ' + typeof apiVersion + '.');
    var text = apiVersion.trim();
    var first = text.split(';')[0].trim();
    return first.indexOf('=') >= 0 ? VIPPS_PREVIEW_VERSION + '; ' + text : text;
  }

  /** Stripe's form encoding: nested objects as a[b][c], arrays indexed a[0] (STRIPE-NOTES §3.1). */
  function encodeForm(params) {
    var pairs = [];
    function add(key, value) {
      if (value === undefined || typeof value === 'function') return;
      if (value === null) {
        pairs.push(encodeURIComponent(key) + '=');
      } else if (Array.isArray(value)) {
        value.forEach(function (item, i) {
          add(key + '[' + i + ']', item);
        });
      } else if (isObject(value)) {
        Object.keys(value).forEach(function (k) {
          add(key + '[' + k + ']', value[k]);
        });
      } else {
        pairs.push(encodeURIComponent(key) + '=' + encodeURIComponent(String(value)));
      }
    }
    Object.keys(params).forEach(function (k) {
      add(k, params[k]);
    });
    // Brackets stay readable, as Stripe.js and stripe-node send them.
    return pairs.join('&').replace(/%5B/g, '[').replace(/%5D/g, ']');
  }

  /** `pi_123` from `pi_123_secret_abc`; Stripe.js rejects anything not of that form. */
  function intentIdOf(clientSecret, method) {
    var at = typeof clientSecret === 'string' ? clientSecret.indexOf('_secret_') : -1;
    if (at < 4 || clientSecret.slice(0, 3) !== 'pi_') {
      throw integrationError(
        'Invalid value for ' + method + ': clientSecret should be a client secret of the form ${id}_secret_${secret}. You specified: ' + String(clientSecret) + '.',
      );
    }
    return clientSecret.slice(0, at);
  }

  function resolveContainer(target, what) {
    var node = typeof target === 'string' ? document.querySelector(target) : target;
    if (!node || typeof node.appendChild !== 'function') {
      throw integrationError(
        typeof target === 'string'
          ? 'The selector you specified (' + target + ') applies to no DOM elements that are currently on the page. Make sure the element exists on the page before calling mount().'
          : 'Invalid DOM element. Make sure to call mount() of the ' + what + ' with a valid DOM element or selector.',
      );
    }
    return node;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === undefined || value === null || value === false) return;
        if (name === 'text') node.textContent = value;
        else if (name === 'className') node.className = value;
        else node.setAttribute(name, value === true ? '' : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  function removeChildren(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** on/off/once for elements: handlers get the payload; one throwing handler does not stop the others. */
  function emitter() {
    var handlers = {};
    return {
      on: function (event, handler) {
        if (typeof handler !== 'function') throw integrationError('When adding an event listener, the handler must be a function.');
        (handlers[event] = handlers[event] || []).push({ fn: handler, once: false });
      },
      once: function (event, handler) {
        if (typeof handler !== 'function') throw integrationError('When adding an event listener, the handler must be a function.');
        (handlers[event] = handlers[event] || []).push({ fn: handler, once: true });
      },
      off: function (event, handler) {
        if (!handlers[event]) return;
        handlers[event] = handler
          ? handlers[event].filter(function (h) {
              return h.fn !== handler;
            })
          : [];
      },
      emit: function (event, payload) {
        var list = handlers[event] || [];
        handlers[event] = list.filter(function (h) {
          return !h.once;
        });
        list.forEach(function (h) {
          try {
            h.fn(payload);
          } catch (err) {
            // Report like an uncaught error, without breaking the element.
            setTimeout(function () {
              throw err;
            });
          }
        });
      },
    };
  }

  // ---------------------------------------------------------------------------------------------
  // The API: CORS-simple form requests to vipps-local
  // ---------------------------------------------------------------------------------------------

  /**
   * Resolves `{ body }` for a 2xx, `{ error }` otherwise: the API's own error object, or
   * api_connection_error when vipps-local cannot be reached.
   */
  function apiRequest(ctx, method, path, params) {
    var fields = Object.assign({}, params || {}, { key: ctx.key });
    if (ctx.apiVersion) fields._stripe_version = ctx.apiVersion;
    if (ctx.stripeAccount) fields._stripe_account = ctx.stripeAccount;
    var form = encodeForm(fields);
    var url = API_BASE + path;
    var init = { method: method, credentials: 'omit' };
    if (method === 'GET') {
      url += '?' + form;
    } else {
      // x-www-form-urlencoded is a CORS-safelisted content type: no preflight.
      init.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
      init.body = form;
    }
    return fetch(url, init).then(
      function (res) {
        return res.text().then(function (text) {
          var json = null;
          try {
            json = JSON.parse(text);
          } catch (e) {
            /* not JSON: reported below */
          }
          if (res.ok && isObject(json)) return { body: json };
          if (isObject(json) && isObject(json.error)) return { error: json.error };
          return { error: { type: 'api_error', message: 'Unexpected response from vipps-local (HTTP ' + res.status + ') for ' + method + ' ' + path + '.' } };
        });
      },
      function (err) {
        return {
          error: {
            type: 'api_connection_error',
            message: 'Could not connect to vipps-local at ' + API_BASE + ' (' + (err && err.message ? err.message : String(err)) + ').',
          },
        };
      },
    );
  }

  function retrieveIntent(ctx, clientSecret, method) {
    var id = intentIdOf(clientSecret, method);
    return apiRequest(ctx, 'GET', '/v1/payment_intents/' + encodeURIComponent(id), { client_secret: clientSecret });
  }

  function confirmIntent(ctx, clientSecret, params, method) {
    var id = intentIdOf(clientSecret, method);
    return apiRequest(ctx, 'POST', '/v1/payment_intents/' + encodeURIComponent(id) + '/confirm', Object.assign({}, params, { client_secret: clientSecret }));
  }

  /** The return_url with Stripe's parameters appended, keeping its own query (STRIPE-NOTES §2.2). */
  function returnUrlFor(returnUrl, intent, clientSecret, status, pmType) {
    var url = new URL(returnUrl, window.location.href);
    url.searchParams.set('payment_intent', intent.id);
    url.searchParams.set('payment_intent_client_secret', intent.client_secret || clientSecret);
    if (pmType) url.searchParams.set('redirect_pm_type', pmType);
    url.searchParams.set('redirect_status', status);
    return url.toString();
  }

  function redirectUrlOf(intent) {
    var next = intent && intent.next_action;
    return next && next.type === 'redirect_to_url' && next.redirect_to_url && next.redirect_to_url.url ? next.redirect_to_url.url : null;
  }

  var SETTLED = { succeeded: true, requires_capture: true, processing: true };

  /**
   * What a confirm's answer means for the page, as Stripe.js does it: a redirect is followed, a
   * settled intent either goes to return_url ('always') or resolves, a decline resolves its error.
   */
  function afterConfirm(result, options) {
    if (result.error) return result;
    var intent = result.body;
    var redirectTo = redirectUrlOf(intent);
    if (intent.status === 'requires_action' && redirectTo && options.handleActions !== false) return navigateAway(redirectTo);
    if (SETTLED[intent.status]) {
      if (options.redirect === 'always' && options.returnUrl) return navigateAway(returnUrlFor(options.returnUrl, intent, options.clientSecret, 'succeeded', options.pmType));
      return { paymentIntent: intent };
    }
    if (intent.status === 'requires_payment_method' && isObject(intent.last_payment_error)) {
      return { error: Object.assign({ payment_intent: intent }, intent.last_payment_error) };
    }
    if (intent.status === 'requires_action' && options.handleActions !== false) {
      var type = intent.next_action && intent.next_action.type;
      return { error: { type: 'invalid_request_error', message: 'The next action "' + type + '" is not supported by vipps-local.', payment_intent: intent } };
    }
    return { paymentIntent: intent };
  }

  // ---------------------------------------------------------------------------------------------
  // Styles: injected once; appearance variables become CSS custom properties on each element
  // ---------------------------------------------------------------------------------------------

  var STYLE_ID = 'vipps-local-stripe-js-styles';
  var CSS = [
    '.vl-pe{--vl-primary:#ff5b24;--vl-bg:#fff;--vl-text:#1f1f1f;--vl-muted:#5c5c66;--vl-danger:#c5221f;--vl-border:#d6d6de;--vl-radius:6px;',
    'font-family:var(--vl-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--vl-text);font-size:15px;line-height:1.4}',
    '.vl-pe *{box-sizing:border-box}',
    '.vl-pe fieldset{border:0;margin:0;padding:0;min-width:0}',
    '.vl-pe legend{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    '.vl-pe-loading{color:var(--vl-muted);padding:12px 0}',
    '.vl-pe-option{display:flex;align-items:center;gap:10px;padding:12px 14px;cursor:pointer;background:var(--vl-bg);border:1px solid var(--vl-border);border-radius:var(--vl-radius)}',
    '.vl-pe-option:has(input:checked){border-color:var(--vl-primary);box-shadow:0 0 0 1px var(--vl-primary)}',
    '.vl-pe-option input{accent-color:var(--vl-primary);margin:0}',
    '.vl-pe-badge{display:inline-block;min-width:38px;padding:2px 6px;border-radius:4px;font-size:11px;font-weight:700;text-align:center;color:#fff;background:var(--vl-muted)}',
    '.vl-pe-badge::before{content:attr(data-badge)}',
    '.vl-pe-badge[data-type=vipps]{background:#ff5b24}',
    '.vl-pe-badge[data-type=card]{background:#1a1f71}',
    '.vl-pe-accordion .vl-pe-item+.vl-pe-item{margin-top:8px}',
    '.vl-pe-tabs .vl-pe-tablist{display:flex;flex-wrap:wrap;gap:8px}',
    '.vl-pe-tabs .vl-pe-option{flex:1 1 120px;flex-direction:column;align-items:flex-start;gap:6px}',
    '.vl-pe-panel{padding:12px 14px 4px;color:var(--vl-muted)}',
    '.vl-pe-tabs .vl-pe-panel{padding:12px 0 4px}',
    '.vl-pe-field{display:block;margin:0 0 10px;color:var(--vl-text);font-size:14px}',
    '.vl-pe-field input{display:block;width:100%;margin-top:4px;padding:10px 12px;font:inherit;color:var(--vl-text);background:var(--vl-bg);border:1px solid var(--vl-border);border-radius:var(--vl-radius)}',
    '.vl-pe-field input:focus{outline:2px solid var(--vl-primary);outline-offset:0;border-color:var(--vl-primary)}',
    '.vl-pe-field input[aria-invalid=true]{border-color:var(--vl-danger)}',
    '.vl-pe-row{display:flex;gap:10px}.vl-pe-row .vl-pe-field{flex:1}',
    '.vl-pe-error{color:var(--vl-danger);font-size:14px;margin-top:8px}.vl-pe-error:empty{display:none}',
    '.vl-pe-night{--vl-bg:#30313d;--vl-text:#e6e6e6;--vl-muted:#a3a3b3;--vl-border:#4a4b5c}',
  ].join('\n');

  function injectStyles() {
    if (document.getElementById(STYLE_ID)) return;
    var style = el('style', { id: STYLE_ID });
    style.textContent = CSS;
    (document.head || document.documentElement).appendChild(style);
  }

  /** The Appearance API's common variables; the rest is accepted and ignored. */
  var APPEARANCE_VARIABLES = {
    colorPrimary: '--vl-primary',
    colorBackground: '--vl-bg',
    colorText: '--vl-text',
    colorTextSecondary: '--vl-muted',
    colorDanger: '--vl-danger',
    fontFamily: '--vl-font',
    borderRadius: '--vl-radius',
  };

  function applyAppearance(root, appearance) {
    var theme = appearance && appearance.theme;
    root.classList.toggle('vl-pe-night', theme === 'night');
    var variables = (appearance && appearance.variables) || {};
    Object.keys(APPEARANCE_VARIABLES).forEach(function (name) {
      if (typeof variables[name] === 'string') root.style.setProperty(APPEARANCE_VARIABLES[name], variables[name]);
      else root.style.removeProperty(APPEARANCE_VARIABLES[name]);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Payment method presentation
  // ---------------------------------------------------------------------------------------------

  var METHODS = {
    vipps: {
      label: 'Vipps',
      badge: 'Vipps',
      explanation: 'After you submit, you will be redirected to Vipps to approve the payment.',
    },
    card: { label: 'Card', badge: 'CARD' },
    mobilepay: { label: 'MobilePay', badge: 'MP', explanation: 'After you submit, you will be redirected to MobilePay to approve the payment.' },
  };

  function methodOf(type) {
    if (METHODS[type]) return METHODS[type];
    var name = String(type).replace(/_/g, ' ');
    return {
      label: name.charAt(0).toUpperCase() + name.slice(1),
      badge: name.slice(0, 4).toUpperCase(),
      explanation: 'After you submit, you will be redirected to complete the payment.',
    };
  }

  function layoutOf(layout) {
    var type = typeof layout === 'string' ? layout : isObject(layout) ? layout.type : undefined;
    return type === 'accordion' ? 'accordion' : 'tabs'; // 'auto' and unknown values: tabs, as Stripe's default
  }

  // ---------------------------------------------------------------------------------------------
  // Card fields: read and checked on the page, sent only in the confirm request
  // ---------------------------------------------------------------------------------------------

  function digitsOf(text) {
    return String(text || '').replace(/\D/g, '');
  }

  function luhnValid(number) {
    var sum = 0;
    for (var i = 0; i < number.length; i++) {
      var d = Number(number.charAt(number.length - 1 - i));
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    return sum % 10 === 0;
  }

  /** `{ month, year }` from "MM / YY", "MM/YYYY" or "MMYY"; null when incomplete. */
  function parseExpiry(text) {
    var parts = String(text || '').split('/');
    var month, year;
    if (parts.length === 2) {
      month = digitsOf(parts[0]);
      year = digitsOf(parts[1]);
    } else {
      var d = digitsOf(text);
      month = d.slice(0, 2);
      year = d.slice(2);
    }
    if (!month || (year.length !== 2 && year.length !== 4)) return null;
    return { month: Number(month), year: year.length === 2 ? 2000 + Number(year) : Number(year) };
  }

  /** The card's API fields, or a validation error in Stripe.js's words. */
  function readCard(fields) {
    var number = digitsOf(fields.number.value);
    var cvc = digitsOf(fields.cvc.value);
    var expiry = parseExpiry(fields.expiry.value);
    if (number.length < 12) return { error: validationError('Your card number is incomplete.', 'incomplete_number', 'number'), field: 'number' };
    if (number.length > 19 || !luhnValid(number)) return { error: validationError('Your card number is invalid.', 'invalid_number', 'number'), field: 'number' };
    if (!expiry) return { error: validationError("Your card's expiration date is incomplete.", 'incomplete_expiry', 'exp_month'), field: 'expiry' };
    if (expiry.month < 1 || expiry.month > 12) return { error: validationError("Your card's expiration month is invalid.", 'invalid_expiry_month', 'exp_month'), field: 'expiry' };
    var now = new Date();
    if (expiry.year < now.getFullYear() || (expiry.year === now.getFullYear() && expiry.month < now.getMonth() + 1)) {
      return { error: validationError("Your card's expiration date is in the past.", 'invalid_expiry_year_past', 'exp_year'), field: 'expiry' };
    }
    if (cvc.length < 3 || cvc.length > 4) return { error: validationError("Your card's security code is incomplete.", 'incomplete_cvc', 'cvc'), field: 'cvc' };
    return { card: { number: number, exp_month: expiry.month, exp_year: expiry.year, cvc: cvc } };
  }

  var uid = 0;
  function nextId(prefix) {
    uid += 1;
    return prefix + '-' + uid;
  }

  function cardForm() {
    var number = el('input', { name: 'cardnumber', autocomplete: 'cc-number', inputmode: 'numeric', placeholder: '1234 1234 1234 1234', maxlength: '23', spellcheck: 'false' });
    var expiry = el('input', { name: 'exp-date', autocomplete: 'cc-exp', inputmode: 'numeric', placeholder: 'MM / YY', maxlength: '9' });
    var cvc = el('input', { name: 'cvc', autocomplete: 'cc-csc', inputmode: 'numeric', placeholder: 'CVC', maxlength: '4' });
    var root = el('div', { className: 'vl-pe-card' }, [
      el('label', { className: 'vl-pe-field' }, [el('span', { text: 'Card number' }), number]),
      el('div', { className: 'vl-pe-row' }, [
        el('label', { className: 'vl-pe-field' }, [el('span', { text: 'Expiration date (MM / YY)' }), expiry]),
        el('label', { className: 'vl-pe-field' }, [el('span', { text: 'Security code (CVC)' }), cvc]),
      ]),
    ]);
    return { root: root, fields: { number: number, expiry: expiry, cvc: cvc } };
  }

  // ---------------------------------------------------------------------------------------------
  // The Payment Element
  // ---------------------------------------------------------------------------------------------

  function createPaymentElement(group, initialOptions) {
    var events = emitter();
    var options = Object.assign({}, initialOptions);
    var state = {
      container: null, // the merchant's node
      root: null, // our node inside it
      intent: null,
      types: [],
      selected: null,
      card: null,
      errorNode: null,
      loaded: null, // promise of the intent retrieval for the current mount
      destroyed: false,
    };
    var radioName = nextId('vl-pe-method');

    function payload() {
      var type = state.selected;
      var complete = type === 'card' ? state.card && !readCard(state.card.fields).error : !!type;
      var empty =
        type === 'card' && state.card
          ? !state.card.fields.number.value && !state.card.fields.expiry.value && !state.card.fields.cvc.value
          : false;
      return { elementType: 'payment', empty: !!empty, complete: !!complete, collapsed: !type, value: { type: type || '' } };
    }

    function showError(message) {
      if (state.errorNode) state.errorNode.textContent = message || '';
    }

    /** Shows `type`'s panel (null: all closed); a choice by the shopper is a 'change'. */
    function select(type, byUser) {
      var changed = state.selected !== type;
      state.selected = type;
      if (!state.root) return;
      var radios = state.root.querySelectorAll('input[type=radio]');
      for (var i = 0; i < radios.length; i++) radios[i].checked = radios[i].value === type;
      var panels = state.root.querySelectorAll('.vl-pe-panel');
      for (var j = 0; j < panels.length; j++) panels[j].hidden = panels[j].getAttribute('data-type') !== type;
      if (changed) showError('');
      if (byUser && changed) events.emit('change', payload());
    }

    function panelFor(type) {
      var method = methodOf(type);
      var panel = el('div', { className: 'vl-pe-panel', 'data-type': type, id: nextId('vl-pe-panel') });
      if (type === 'card') {
        state.card = cardForm();
        panel.appendChild(state.card.root);
        panel.addEventListener('input', function (e) {
          e.target.removeAttribute('aria-invalid');
          showError('');
          events.emit('change', payload());
        });
      } else {
        panel.appendChild(el('p', { text: method.explanation, style: 'margin:0' }));
      }
      return panel;
    }

    function optionFor(type, panel) {
      var method = methodOf(type);
      var labelId = nextId('vl-pe-label');
      // Named by the method's label alone: the badge is decoration (drawn from data-badge by CSS).
      var radio = el('input', { type: 'radio', name: radioName, value: type, 'aria-controls': panel.id, 'aria-labelledby': labelId });
      radio.addEventListener('change', function () {
        if (radio.checked) select(type, true);
      });
      return el('label', { className: 'vl-pe-option', 'data-type': type }, [
        radio,
        el('span', { className: 'vl-pe-badge', 'data-type': type, 'data-badge': method.badge, 'aria-hidden': 'true' }),
        el('span', { className: 'vl-pe-label', id: labelId, text: method.label }),
      ]);
    }

    /** Builds the method choice for the intent's payment_method_types. */
    function render() {
      var root = state.root;
      removeChildren(root);
      var layout = layoutOf(options.layout);
      root.className = 'vl-pe vl-pe-' + layout;
      applyAppearance(root, group.appearance());
      state.card = null;
      var fieldset = el('fieldset', null, [el('legend', { text: 'Payment method' })]);
      var tablist = layout === 'tabs' ? el('div', { className: 'vl-pe-tablist' }) : null;
      var panels = [];
      if (tablist) fieldset.appendChild(tablist);
      state.types.forEach(function (type) {
        var panel = panelFor(type);
        var option = optionFor(type, panel);
        if (tablist) {
          tablist.appendChild(option);
          panels.push(panel);
        } else {
          fieldset.appendChild(el('div', { className: 'vl-pe-item', 'data-type': type }, [option, panel]));
        }
      });
      panels.forEach(function (p) {
        fieldset.appendChild(p);
      });
      root.appendChild(fieldset);
      state.errorNode = el('div', { className: 'vl-pe-error', role: 'alert' });
      root.appendChild(state.errorNode);
      // Stripe opens the first method unless the accordion is to start collapsed.
      var collapsed = isObject(options.layout) && options.layout.defaultCollapsed === true;
      var previous = state.selected;
      select(previous && state.types.indexOf(previous) >= 0 ? previous : collapsed ? null : state.types[0] || null, false);
    }

    function renderLoadError(error) {
      removeChildren(state.root);
      state.root.appendChild(el('div', { className: 'vl-pe-error', role: 'alert', text: 'The payment form could not be loaded: ' + error.message }));
    }

    function load() {
      var root = state.root;
      var loader = group.loader();
      if (loader !== 'never') {
        root.appendChild(el('div', { className: 'vl-pe-loading', role: 'status', text: 'Loading payment methods…' }));
        events.emit('loaderstart', { elementType: 'payment' });
      }
      return group.intent().then(function (result) {
        if (state.root !== root) return result; // unmounted meanwhile
        if (result.error) {
          renderLoadError(result.error);
          events.emit('loaderror', { elementType: 'payment', error: result.error });
          return result;
        }
        state.intent = result.body;
        state.types = (result.body.payment_method_types || []).slice();
        render();
        events.emit('ready', { elementType: 'payment' });
        return result;
      });
    }

    function assertAlive() {
      if (state.destroyed) throw integrationError('This Element has already been destroyed. Please create a new one.');
    }

    var element = {
      mount: function (target) {
        assertAlive();
        if (state.container) throw integrationError('This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.');
        var container = resolveContainer(target, 'Payment Element');
        injectStyles();
        state.container = container;
        state.root = el('div', { className: 'vl-pe', 'data-vipps-local': 'payment-element' });
        state.root.addEventListener('focusin', function (e) {
          if (!state.root.contains(e.relatedTarget)) events.emit('focus', { elementType: 'payment' });
        });
        state.root.addEventListener('focusout', function (e) {
          if (!state.root.contains(e.relatedTarget)) events.emit('blur', { elementType: 'payment' });
        });
        state.root.addEventListener('keydown', function (e) {
          if (e.key === 'Escape') events.emit('escape', { elementType: 'payment' });
        });
        container.appendChild(state.root);
        state.loaded = load();
      },
      unmount: function () {
        if (!state.container) return;
        if (state.root && state.root.parentNode) state.root.parentNode.removeChild(state.root);
        state.container = null;
        state.root = null;
        state.errorNode = null;
        state.loaded = null;
      },
      destroy: function () {
        element.unmount();
        state.destroyed = true;
        group._forget(element);
      },
      on: function (event, handler) {
        events.on(event, handler);
        return element;
      },
      once: function (event, handler) {
        events.once(event, handler);
        return element;
      },
      off: function (event, handler) {
        events.off(event, handler);
        return element;
      },
      update: function (changes) {
        assertAlive();
        Object.assign(options, changes || {});
        if (state.root && state.intent) render();
      },
      collapse: function () {
        if (layoutOf(options.layout) === 'accordion') select(null, true);
        return element;
      },
      focus: function () {
        var target = state.root && (state.root.querySelector('input[type=radio]:checked') || state.root.querySelector('input'));
        if (target) target.focus();
      },
      blur: function () {
        if (state.root && state.root.contains(document.activeElement)) document.activeElement.blur();
      },
      clear: function () {
        if (state.card) {
          state.card.fields.number.value = '';
          state.card.fields.expiry.value = '';
          state.card.fields.cvc.value = '';
        }
        if (state.root && state.intent) render();
      },

      // Used by elements.submit() and confirmPayment; not part of Stripe's API.
      _collect: function () {
        if (!state.loaded) return Promise.resolve({ error: validationError('The Payment Element is not mounted. Call element.mount() before confirming.', 'element_not_mounted') });
        return state.loaded.then(function (result) {
          if (result.error) return { error: result.error };
          if (!state.selected) {
            var none = validationError('Please select a payment method.', 'incomplete_payment_method');
            showError(none.message);
            return { error: none };
          }
          if (state.selected !== 'card') return { type: state.selected, data: { type: state.selected } };
          var card = readCard(state.card.fields);
          if (card.error) {
            state.card.fields[card.field].setAttribute('aria-invalid', 'true');
            showError(card.error.message);
            return { error: card.error };
          }
          return { type: 'card', data: { type: 'card', card: card.card } };
        });
      },
      _reload: function () {
        if (!state.root) return Promise.resolve({});
        removeChildren(state.root);
        state.loaded = load();
        return state.loaded;
      },
      _restyle: function () {
        if (state.root && state.intent) applyAppearance(state.root, group.appearance());
      },
    };
    return element;
  }

  // ---------------------------------------------------------------------------------------------
  // Elements (the group)
  // ---------------------------------------------------------------------------------------------

  function createElements(ctx, options) {
    var opts = Object.assign({}, options);
    if (opts.clientSecret !== undefined) intentIdOf(opts.clientSecret, 'elements()');
    var created = {}; // type → element
    var intentPromise = null;

    var internal = {
      appearance: function () {
        return opts.appearance;
      },
      loader: function () {
        return opts.loader || 'auto';
      },
      /** The PaymentIntent, retrieved once and shared by the group's elements. */
      intent: function () {
        if (!opts.clientSecret) {
          return Promise.resolve({
            error: validationError('vipps-local needs a clientSecret in stripe.elements({ clientSecret }): the deferred-intent mode (mode, amount, currency) is not supported.'),
          });
        }
        if (!intentPromise) intentPromise = retrieveIntent(ctx, opts.clientSecret, 'elements()');
        return intentPromise;
      },
      _forget: function (element) {
        Object.keys(created).forEach(function (type) {
          if (created[type] === element) delete created[type];
        });
      },
    };

    var elements = {
      create: function (type, elementOptions) {
        if (type !== 'payment') {
          throw integrationError('elements.create(\'' + type + '\') is not supported by vipps-local: only the Payment Element (\'payment\') is.');
        }
        if (created[type]) throw integrationError('Can only create one Element of type ' + type + '.');
        created[type] = createPaymentElement(internal, elementOptions);
        return created[type];
      },
      getElement: function (type) {
        return created[type] || null;
      },
      /** Checks what the shopper entered, as Stripe's elements.submit() does before confirming. */
      submit: function () {
        var payment = created.payment;
        if (!payment) return Promise.resolve({ error: validationError('elements.submit() needs a mounted Payment Element.', 'element_not_mounted') });
        return payment._collect().then(function (collected) {
          return collected.error ? { error: collected.error } : { selectedPaymentMethod: collected.type };
        });
      },
      /** Retrieves the intent again (after the server changed it) and re-renders. */
      fetchUpdates: function () {
        intentPromise = null;
        var payment = created.payment;
        var done = payment ? payment._reload() : internal.intent();
        return done.then(function (result) {
          return result && result.error ? { error: result.error } : {};
        });
      },
      update: function (changes) {
        if (changes && changes.clientSecret !== undefined && changes.clientSecret !== opts.clientSecret) {
          throw integrationError('elements.update(): clientSecret cannot be changed. Create a new Elements group instead.');
        }
        Object.assign(opts, changes || {});
        if (created.payment) created.payment._restyle();
      },
      on: function () {}, // Elements-level events (update-end) never fire here
      off: function () {},
      _clientSecret: function () {
        return opts.clientSecret;
      },
    };
    return elements;
  }

  // ---------------------------------------------------------------------------------------------
  // Embedded Checkout: an iframe of vipps-local's embedded Checkout page
  // ---------------------------------------------------------------------------------------------

  /** Stripe allows one embedded checkout per page; so does vipps-local. */
  var activeEmbeddedCheckout = null;

  function createEmbeddedCheckout(options) {
    var opts = options || {};
    if (activeEmbeddedCheckout) return Promise.reject(integrationError('You cannot have multiple embedded checkout items.'));
    if (opts.clientSecret && opts.fetchClientSecret) return Promise.reject(integrationError('createEmbeddedCheckoutPage: pass either clientSecret or fetchClientSecret, not both.'));
    if (!opts.clientSecret && typeof opts.fetchClientSecret !== 'function') {
      return Promise.reject(integrationError('createEmbeddedCheckoutPage: a clientSecret or a fetchClientSecret function is required.'));
    }
    var token = {};
    activeEmbeddedCheckout = token; // claimed now: a second call while fetching must fail too
    var release = function () {
      if (activeEmbeddedCheckout === token) activeEmbeddedCheckout = null;
    };
    var secret = opts.clientSecret ? Promise.resolve(opts.clientSecret) : Promise.resolve().then(opts.fetchClientSecret);
    return secret.then(
      function (clientSecret) {
        if (typeof clientSecret !== 'string' || clientSecret.indexOf('_secret_') < 0 || clientSecret.slice(0, 3) !== 'cs_') {
          release();
          throw integrationError('createEmbeddedCheckoutPage: the client secret should be a Checkout Session client secret (cs_…_secret_…). You specified: ' + String(clientSecret) + '.');
        }
        return embeddedCheckoutPage(clientSecret, opts, release);
      },
      function (err) {
        release();
        throw err;
      },
    );
  }

  function embeddedCheckoutPage(clientSecret, opts, release) {
    var iframe = null;
    var destroyed = false;

    function onMessage(event) {
      if (!iframe || event.source !== iframe.contentWindow || event.origin !== API_BASE || !isObject(event.data)) return;
      if (event.data.type === 'vipps-local:checkout-complete' && typeof opts.onComplete === 'function') opts.onComplete();
      // The page may tell its height so that the frame fits without a scroll bar.
      if (event.data.type === 'vipps-local:checkout-resize' && typeof event.data.height === 'number' && event.data.height > 0) {
        iframe.style.height = Math.ceil(event.data.height) + 'px';
      }
    }

    var page = {
      mount: function (target) {
        if (destroyed) throw integrationError('This embedded checkout has been destroyed. Create a new one.');
        if (iframe) throw integrationError('This embedded checkout is already mounted. Call unmount() first.');
        var container = resolveContainer(target, 'embedded checkout');
        iframe = el('iframe', {
          src: API_BASE + '/stripe/checkout/embedded?client_secret=' + encodeURIComponent(clientSecret),
          title: 'Secure checkout',
          allow: 'payment *',
          name: 'embedded-checkout',
          'data-vipps-local': 'embedded-checkout',
          style: 'display:block;width:100%;min-height:640px;border:0;background:transparent',
        });
        window.addEventListener('message', onMessage);
        container.appendChild(iframe);
      },
      unmount: function () {
        if (!iframe) return;
        window.removeEventListener('message', onMessage);
        if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
        iframe = null;
      },
      destroy: function () {
        page.unmount();
        destroyed = true;
        release();
      },
    };
    return page;
  }

  // ---------------------------------------------------------------------------------------------
  // Stripe(publishableKey, options)
  // ---------------------------------------------------------------------------------------------

  function checkKey(key) {
    if (typeof key !== 'string' || key === '') throw integrationError('Please call Stripe() with your publishable key. You used an empty string.');
    if (/^(sk|rk)_/.test(key)) throw integrationError('You should not use your secret key with Stripe.js. Please pass a publishable key instead.');
  }

  /** The element or payment_method_data a confirm sends: { type, data } or { error }. */
  function paymentMethodFrom(elements, confirmParams) {
    var given = confirmParams && confirmParams.payment_method_data;
    var payment = elements && elements.getElement('payment');
    if (!payment) {
      if (given || (confirmParams && confirmParams.payment_method)) return Promise.resolve({ type: given && given.type, data: given });
      return Promise.resolve({ error: validationError('Nothing to confirm with: mount a Payment Element or pass confirmParams.payment_method_data.') });
    }
    return payment._collect().then(function (collected) {
      if (collected.error) return collected;
      // billing_details and the like from confirmParams complete what the element collected.
      return { type: collected.type, data: Object.assign({}, given || {}, collected.data) };
    });
  }

  function Stripe(publishableKey, options) {
    checkKey(publishableKey);
    var opts = options || {};
    var ctx = {
      key: publishableKey,
      apiVersion: normalizeApiVersion(opts.apiVersion),
      stripeAccount: opts.stripeAccount,
      locale: opts.locale,
      betas: typeof opts.betas === 'string' ? [opts.betas] : opts.betas || [],
    };
    var stripe = Object.create(Stripe.prototype);

    stripe.elements = function (elementsOptions) {
      return createElements(ctx, elementsOptions);
    };

    stripe.retrievePaymentIntent = function (clientSecret) {
      return retrieveIntent(ctx, clientSecret, 'retrievePaymentIntent').then(function (result) {
        return result.error ? { error: result.error } : { paymentIntent: result.body };
      });
    };

    stripe.confirmPayment = function (confirmOptions) {
      var o = confirmOptions || {};
      var elements = o.elements;
      var clientSecret = o.clientSecret || (elements && elements._clientSecret && elements._clientSecret());
      if (!clientSecret) throw integrationError('Invalid value for confirmPayment: elements (created with a clientSecret) or clientSecret should be specified.');
      intentIdOf(clientSecret, 'confirmPayment');
      var redirect = o.redirect === 'if_required' ? 'if_required' : 'always';
      var confirmParams = Object.assign({}, o.confirmParams);
      if (redirect === 'always' && !confirmParams.return_url) {
        return Promise.resolve({ error: validationError("stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`.", null, 'return_url') });
      }
      return paymentMethodFrom(elements, confirmParams).then(function (method) {
        if (method.error) return { error: method.error };
        var params = Object.assign({}, confirmParams);
        if (method.data) params.payment_method_data = method.data;
        return confirmIntent(ctx, clientSecret, params, 'confirmPayment').then(function (result) {
          return afterConfirm(result, { redirect: redirect, returnUrl: confirmParams.return_url, clientSecret: clientSecret, pmType: method.type });
        });
      });
    };

    /**
     * Card payments: data.payment_method is a pm_ id, or { card: <Payment Element> | {number,…},
     * billing_details }; data.payment_method_data is sent as it is.
     */
    stripe.confirmCardPayment = function (clientSecret, data, confirmOptions) {
      intentIdOf(clientSecret, 'confirmCardPayment');
      var d = Object.assign({}, data);
      var handleActions = !(confirmOptions && confirmOptions.handleActions === false);
      var pm = d.payment_method;
      delete d.payment_method;
      var method;
      if (typeof pm === 'string') {
        d.payment_method = pm;
        method = Promise.resolve({});
      } else if (isObject(pm) && pm.card && typeof pm.card._collect === 'function') {
        method = pm.card._collect().then(function (collected) {
          if (collected.error) return collected;
          if (collected.type !== 'card') return { error: validationError('confirmCardPayment needs the card payment method selected in the Payment Element.') };
          return { data: Object.assign({ billing_details: pm.billing_details }, collected.data) };
        });
      } else if (isObject(pm) && isObject(pm.card)) {
        method = Promise.resolve({ data: { type: 'card', card: pm.card, billing_details: pm.billing_details } });
      } else {
        method = Promise.resolve({});
      }
      return method.then(function (m) {
        if (m.error) return { error: m.error };
        if (m.data) d.payment_method_data = m.data;
        return confirmIntent(ctx, clientSecret, d, 'confirmCardPayment').then(function (result) {
          return afterConfirm(result, { redirect: 'if_required', handleActions: handleActions, pmType: 'card' });
        });
      });
    };

    /** Follows a redirect_to_url next action; resolves the intent when there is nothing to do. */
    stripe.handleNextAction = function (nextOptions) {
      var clientSecret = nextOptions && nextOptions.clientSecret;
      return retrieveIntent(ctx, clientSecret, 'handleNextAction').then(function (result) {
        if (result.error) return { error: result.error };
        var redirectTo = redirectUrlOf(result.body);
        if (result.body.status === 'requires_action' && redirectTo) return navigateAway(redirectTo);
        return { paymentIntent: result.body };
      });
    };
    stripe.handleCardAction = function (clientSecret) {
      return stripe.handleNextAction({ clientSecret: clientSecret });
    };

    // Present because react-stripe-js's isStripe guard checks them; vipps-local has no tokens or
    // stand-alone PaymentMethods for the browser.
    stripe.createPaymentMethod = unsupported('createPaymentMethod');
    stripe.createToken = unsupported('createToken');
    stripe.createSource = unsupported('createSource');
    stripe.createConfirmationToken = unsupported('createConfirmationToken');
    stripe.confirmSetup = unsupported('confirmSetup');
    stripe.confirmCardSetup = unsupported('confirmCardSetup');
    stripe.retrieveSetupIntent = unsupported('retrieveSetupIntent');

    stripe.createEmbeddedCheckoutPage = createEmbeddedCheckout;
    stripe.initEmbeddedCheckout = createEmbeddedCheckout; // the name before @stripe/stripe-js 9 (STRIPE-NOTES V10)

    // Called by @stripe/stripe-js and react-stripe-js for Stripe's telemetry: nothing to record here.
    stripe._registerWrapper = function () {};
    stripe.registerAppInfo = function () {};

    return stripe;
  }

  Stripe.version = RELEASE_TRAIN;
  window.Stripe = Stripe;
})();
