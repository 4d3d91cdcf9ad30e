// The pages' stylesheet: inline, system fonts only, no images (the product works offline).
export const STYLES = `
:root {
  --brand: #ff5b24; --brand-dark: #e2470f; --brand-soft: #fff1eb;
  --ink: #1d1a2b; --muted: #6d6a7c; --line: #ebe8e4; --bg: #f5f3f0; --card: #fff;
  --ok: #12875a; --ok-soft: #e5f5ee; --bad: #cc3636; --bad-soft: #fdecec; --warn: #9a6700; --warn-soft: #fff6dc;
  --radius: 18px; --shadow: 0 1px 2px rgba(29,26,43,.06), 0 8px 28px rgba(29,26,43,.08);
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--bg); -webkit-text-size-adjust: 100%;
}
* { box-sizing: border-box; }
html, body { margin: 0; min-height: 100%; }
body { line-height: 1.45; font-size: 16px; }
h1, h2, h3, p { margin: 0; }
a { color: var(--brand-dark); }
.muted { color: var(--muted); }
.small { font-size: 14px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

/* Buttons and fields */
.btn { display: inline-flex; align-items: center; justify-content: center; gap: 8px; width: 100%; min-height: 50px;
  padding: 12px 20px; border: 0; border-radius: 999px; font: inherit; font-weight: 650; font-size: 17px;
  text-decoration: none; cursor: pointer; transition: background .15s, transform .05s; }
.btn:active { transform: scale(.985); }
.btn:focus-visible, input:focus-visible, select:focus-visible, .card-option:focus-within { outline: 3px solid rgba(255,91,36,.35); outline-offset: 2px; }
.btn-primary { background: var(--brand); color: #fff; }
.btn-primary:hover { background: var(--brand-dark); }
.btn-secondary { background: #fff; color: var(--ink); box-shadow: inset 0 0 0 1.5px var(--line); }
.btn-secondary:hover { box-shadow: inset 0 0 0 1.5px #d5d1cc; }
.btn-quiet { background: transparent; color: var(--muted); min-height: 40px; font-weight: 600; font-size: 15px; }
.btn-quiet:hover { color: var(--ink); }
.btn[disabled] { opacity: .6; cursor: progress; }
label { font-weight: 600; font-size: 14px; }
.field { display: flex; border: 1.5px solid #d9d5d0; border-radius: 14px; background: #fff; overflow: hidden; }
.field:focus-within { border-color: var(--brand); }
.field select, .field input { border: 0; font: inherit; font-size: 18px; padding: 13px 12px; background: transparent; color: inherit; min-width: 0; }
.field select { border-right: 1.5px solid #ece9e5; padding-right: 6px; font-weight: 600; }
.field input { flex: 1; width: 100%; letter-spacing: .02em; }
.field input:focus, .field select:focus { outline: none; }
.check { display: flex; gap: 10px; align-items: center; font-weight: 500; font-size: 15px; cursor: pointer; }
.check input { width: 20px; height: 20px; accent-color: var(--brand); }
.alert { border-radius: 12px; padding: 12px 14px; font-size: 15px; }
.alert-error { background: var(--bad-soft); color: #8f1f1f; }
.alert-info { background: var(--warn-soft); color: #6b4a00; }
.stack > * + * { margin-top: 14px; }
.stack-lg > * + * { margin-top: 22px; }

/* Merchant, amount, order lines */
.avatar { flex: none; display: grid; place-items: center; width: 46px; height: 46px; border-radius: 50%;
  background: linear-gradient(135deg, #2f2b45, #4b4566); color: #fff; font-weight: 700; font-size: 19px; }
.merchant { display: flex; align-items: center; gap: 12px; }
.merchant-name { font-weight: 700; font-size: 17px; overflow-wrap: anywhere; }
.amount { font-size: 40px; font-weight: 750; letter-spacing: -.02em; font-variant-numeric: tabular-nums; }
.description { font-size: 17px; overflow-wrap: anywhere; white-space: pre-line; }
.lines { list-style: none; margin: 0; padding: 0; border-top: 1px solid var(--line); }
.stack-lg > .lines { margin-top: 22px; }
.lines li { display: flex; justify-content: space-between; gap: 12px; padding: 10px 0; border-bottom: 1px solid var(--line); font-size: 15px; }
.lines li span:first-child { overflow-wrap: anywhere; }
.lines li span:last-child { white-space: nowrap; font-variant-numeric: tabular-nums; }
.timer { display: inline-flex; align-items: center; gap: 8px; font-size: 15px; color: var(--muted); }
.timer b { color: var(--ink); font-variant-numeric: tabular-nums; }
.timer::before { content: ""; width: 9px; height: 9px; border-radius: 50%; background: var(--brand); box-shadow: 0 0 0 4px var(--brand-soft); }
.badge { display: inline-block; padding: 3px 10px; border-radius: 999px; font-size: 12.5px; font-weight: 700; letter-spacing: .01em; white-space: nowrap; }
.badge-AUTHORIZED { background: var(--ok-soft); color: var(--ok); }
.badge-ABORTED, .badge-TERMINATED { background: var(--bad-soft); color: var(--bad); }
.badge-EXPIRED { background: #eeece9; color: var(--muted); }
.badge-CREATED, .badge-PENDING { background: var(--warn-soft); color: var(--warn); }

/* Result symbols */
.symbol { display: grid; place-items: center; width: 84px; height: 84px; border-radius: 50%; margin: 0 auto; font-size: 42px; font-weight: 800; }
.symbol-ok { background: var(--ok-soft); color: var(--ok); }
.symbol-bad { background: var(--bad-soft); color: var(--bad); }
.symbol-wait { background: var(--warn-soft); color: var(--warn); }
.symbol-muted { background: #eeece9; color: var(--muted); }
.symbol svg { width: 44px; height: 44px; }
.center { text-align: center; }
.spinner { width: 44px; height: 44px; border-radius: 50%; border: 4px solid var(--brand-soft); border-top-color: var(--brand); animation: spin 1s linear infinite; }
.center .spinner { margin: 0 auto; }
@keyframes spin { to { transform: rotate(360deg); } }
@keyframes pulse { 0%, 100% { box-shadow: 0 0 0 0 rgba(255,91,36,.35); } 50% { box-shadow: 0 0 0 18px rgba(255,91,36,0); } }

/* Landing page */
.topbar { display: flex; align-items: center; justify-content: space-between; padding: 16px 24px; }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 800; font-size: 19px; letter-spacing: -.01em; text-decoration: none; color: var(--ink); }
.brand-mark { display: grid; place-items: center; width: 34px; height: 34px; border-radius: 10px; background: var(--brand); color: #fff; font-size: 20px; font-weight: 900; }
.brand small { font-weight: 600; color: var(--muted); font-size: 15px; }
.env { font-size: 12.5px; font-weight: 700; color: var(--warn); background: var(--warn-soft); padding: 5px 11px; border-radius: 999px; }
.landing-main { max-width: 920px; margin: 0 auto; padding: 8px 20px 40px; }
.sheet { display: grid; grid-template-columns: 1fr 1.1fr; background: var(--card); border-radius: 26px; box-shadow: var(--shadow); overflow: hidden; }
.summary { padding: 36px; background: linear-gradient(180deg, #fbfaf8, #f7f5f2); border-right: 1px solid var(--line); }
.step { padding: 40px 40px 32px; display: flex; flex-direction: column; justify-content: center; min-height: 460px; }
.step h1 { font-size: 26px; letter-spacing: -.01em; }
.sheet > * { min-width: 0; }
.sheet.single { grid-template-columns: 1fr; max-width: 520px; margin: 0 auto; }
.lang-switch { text-align: center; color: var(--muted); font-size: 13px; margin: 12px 0 20px; }
.lang-switch a { color: inherit; }
.footnote { text-align: center; color: var(--muted); font-size: 13px; margin-top: 22px; }
.qr-frame { text-align: center; }
.qr-image { width: 100%; max-width: 280px; height: auto; aspect-ratio: 1; background: #fff; border-radius: 12px; box-shadow: inset 0 0 0 1px var(--line); image-rendering: pixelated; }
.qr-sheet .field input { font-size: 14px; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; letter-spacing: 0; }
.phone-art { width: 74px; height: 120px; margin: 0 auto; border-radius: 16px; border: 4px solid var(--ink); position: relative; background: #fff; animation: pulse 2s ease-in-out infinite; }
.phone-art::before { content: ""; position: absolute; top: 6px; left: 50%; width: 22px; height: 5px; margin-left: -11px; border-radius: 3px; background: var(--ink); }
.phone-art::after { content: "v"; position: absolute; inset: 34px 16px auto; height: 34px; border-radius: 9px; background: var(--brand); color: #fff; font-weight: 900; display: grid; place-items: center; font-size: 20px; }
@media (max-width: 760px) {
  .topbar { padding: 12px 16px; }
  .landing-main { padding: 0 12px 28px; }
  .sheet { grid-template-columns: 1fr; border-radius: 22px; }
  .summary { padding: 22px 22px 18px; border-right: 0; border-bottom: 1px solid var(--line); }
  .summary .amount { font-size: 34px; }
  .summary .lines, .summary .order-ref, .summary .amount-label { display: none; }
  .summary.stack-lg > * + * { margin-top: 14px; }
  .step { padding: 24px 22px 22px; min-height: 0; }
  .step h1 { font-size: 23px; }
}

/* Phone-app simulator */
.app-body { display: flex; flex-direction: column; align-items: center; justify-content: center; min-height: 100vh; padding: 28px 16px;
  background: radial-gradient(1200px 600px at 50% -10%, #ffe3d6 0%, transparent 60%), var(--bg); }
.device { width: 392px; height: 812px; max-height: calc(100vh - 70px); min-height: 640px; border-radius: 54px; padding: 12px; background: #15131f;
  box-shadow: 0 30px 70px rgba(29,26,43,.28), inset 0 0 0 2px #34304a; }
.screen { position: relative; height: 100%; border-radius: 43px; overflow: hidden; background: var(--bg); display: flex; flex-direction: column; }
.statusbar { flex: none; display: flex; justify-content: space-between; align-items: center; padding: 14px 28px 6px; font-size: 14px; font-weight: 700; }
.island { width: 104px; height: 28px; border-radius: 20px; background: #15131f; }
.signal { display: flex; gap: 3px; align-items: flex-end; height: 12px; }
.signal i { width: 4px; border-radius: 1px; background: var(--ink); }
.signal i:nth-child(1) { height: 5px; } .signal i:nth-child(2) { height: 8px; } .signal i:nth-child(3) { height: 11px; }
.app-scroll { flex: 1; overflow-y: auto; padding: 10px 18px 24px; }
.app-top { display: flex; align-items: center; justify-content: space-between; gap: 10px; min-height: 44px; }
.app-title { font-size: 24px; font-weight: 800; letter-spacing: -.01em; }
.back { display: inline-flex; align-items: center; gap: 4px; color: var(--ink); text-decoration: none; font-weight: 600; font-size: 16px; }
.panel { background: var(--card); border-radius: var(--radius); padding: 18px; box-shadow: 0 1px 2px rgba(29,26,43,.05); }
.section-title { font-size: 13px; font-weight: 750; letter-spacing: .05em; text-transform: uppercase; color: var(--muted); margin: 22px 4px 8px; }
.request { display: flex; align-items: center; gap: 12px; padding: 14px; background: var(--card); border-radius: var(--radius); text-decoration: none; color: inherit;
  box-shadow: 0 1px 2px rgba(29,26,43,.05), inset 0 0 0 2px var(--brand); }
.request + .request { margin-top: 10px; }
.request .grow { flex: 1; min-width: 0; }
.request .grow > *, .history .grow > *, .user-btn .grow > * { display: block; }
.nowrap { white-space: nowrap; }
.request .what { font-size: 14px; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.request .right { text-align: right; }
.request .price { font-weight: 750; white-space: nowrap; }
.request .open { font-size: 13px; color: var(--brand-dark); font-weight: 700; }
.history { background: var(--card); border-radius: var(--radius); overflow: hidden; }
.history a { display: flex; align-items: center; gap: 12px; padding: 12px 14px; text-decoration: none; color: inherit; }
.history a + a { border-top: 1px solid var(--line); }
.history .avatar { width: 38px; height: 38px; font-size: 15px; }
.history .grow { flex: 1; min-width: 0; }
.history .name { font-weight: 650; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.history .when { font-size: 13px; color: var(--muted); }
.history .right { text-align: right; font-size: 15px; font-weight: 650; white-space: nowrap; }
.history .category { font-size: 13px; font-weight: 650; color: var(--brand-dark); }
.avatar-img { object-fit: cover; background: #fff; box-shadow: inset 0 0 0 1px var(--line); }
/* Order Management: category, receipt, barcode */
.order-head { display: flex; align-items: center; gap: 12px; font-size: 17px; }
.order-image { width: 46px; height: 46px; border-radius: 12px; object-fit: cover; }
.receipt .lines li .small { white-space: normal; }
.receipt-group { font-size: 13px; font-weight: 750; letter-spacing: .05em; text-transform: uppercase; color: var(--muted); margin: 14px 0 6px; }
.receipt-totals { margin-top: 10px; }
.receipt-total { font-weight: 750; }
.receipt-bottom { margin-top: 10px; color: var(--muted); }
.barcode { margin: 14px 0 0; text-align: center; }
.barcode svg { width: 100%; max-width: 260px; max-height: 120px; height: auto; }
.receipt .lines + .lines { border-top: 0; }
.lines-box .order-details { padding: 0; box-shadow: none; margin-top: 10px; }
.barcode-text { margin-top: 14px; text-align: center; }
.empty { padding: 18px; text-align: center; color: var(--muted); font-size: 15px; background: var(--card); border-radius: var(--radius); }
.cards { display: grid; gap: 8px; }
.card-option { display: flex; align-items: center; gap: 12px; padding: 10px 14px; border-radius: 14px; background: #fff; cursor: pointer; box-shadow: inset 0 0 0 1.5px var(--line); }
.card-option:has(input:checked) { box-shadow: inset 0 0 0 2px var(--brand); background: #fffaf7; }
.card-option input { accent-color: var(--brand); width: 18px; height: 18px; margin: 0; }
.card-chip { flex: none; width: 42px; height: 28px; border-radius: 6px; display: grid; place-items: center; color: #fff; font-size: 10px; font-weight: 800; letter-spacing: .03em; }
.card-chip.Visa { background: linear-gradient(135deg, #1a1f71, #2b4bb8); }
.card-chip.Mastercard { background: linear-gradient(135deg, #2b2b2b, #5a5a5a); }
.card-option .grow { flex: 1; min-width: 0; }
.card-option .num { font-weight: 650; font-variant-numeric: tabular-nums; }
.card-option .note { font-size: 13px; color: var(--muted); }
.card-option .note.fails { color: var(--bad); }
.pay-hero { text-align: center; padding: 22px 18px; }
.pay-hero .merchant { justify-content: center; flex-direction: column; gap: 8px; }
.pay-hero .avatar { width: 60px; height: 60px; font-size: 25px; }
.pay-hero .amount { margin-top: 10px; }
.pay-hero .description { color: var(--muted); font-size: 16px; margin-top: 4px; }
details.lines-box summary { cursor: pointer; font-weight: 650; font-size: 15px; padding: 4px 0; }
details.lines-box .lines { margin-top: 8px; }
.consent { font-size: 14px; }
.consent ul { margin: 6px 0 0; padding-left: 18px; }
.actions { position: sticky; bottom: 0; z-index: 2; display: grid; grid-template-columns: 1fr 1.6fr; gap: 10px; margin: 18px -18px -24px; padding: 12px 18px 22px;
  background: var(--bg); box-shadow: 0 -1px 0 var(--line), 0 -10px 24px rgba(245,243,240,.95); }
.app-scroll > * + .panel, .app-scroll > * + details.panel { margin-top: 12px; }
details.more-cards { margin-top: 8px; }
details.more-cards summary { cursor: pointer; font-size: 14px; font-weight: 650; color: var(--muted); padding: 8px 4px; }
details.more-cards .cards { margin-top: 4px; }
.result-merchant { display: flex; justify-content: center; text-align: left; }
.result-actions { margin-top: 16px; }
.device-note { margin-top: 16px; color: var(--muted); font-size: 13px; text-align: center; }
.login-logo { display: grid; place-items: center; width: 72px; height: 72px; margin: 28px auto 10px; border-radius: 22px; background: var(--brand); color: #fff; font-weight: 900; font-size: 40px; }
.users { display: grid; gap: 8px; }
.users + p { margin-top: 14px; }
.login-logo + .stack + form { margin-top: 22px; }
.user-btn { display: flex; align-items: center; gap: 12px; width: 100%; padding: 12px 14px; border: 0; border-radius: 14px; background: #fff; font: inherit; text-align: left; cursor: pointer; box-shadow: inset 0 0 0 1.5px var(--line); }
.user-btn:hover { box-shadow: inset 0 0 0 1.5px var(--brand); }
.user-btn .avatar { width: 38px; height: 38px; font-size: 15px; background: linear-gradient(135deg, var(--brand), #ff8a5c); }
.user-btn .grow { flex: 1; }
.user-btn .num { font-size: 13px; color: var(--muted); }
.open-link { display: flex; gap: 8px; }
.open-link input { flex: 1; min-width: 0; border: 1.5px solid #d9d5d0; border-radius: 12px; padding: 10px 12px; font: inherit; font-size: 15px; }
.open-link .btn { width: auto; min-height: 44px; font-size: 15px; padding: 8px 16px; }
@media (max-width: 480px) {
  .app-body { padding: 0; justify-content: flex-start; background: var(--bg); }
  .device { width: 100%; height: auto; min-height: 100vh; max-height: none; border-radius: 0; padding: 0; background: none; box-shadow: none; }
  .screen { border-radius: 0; min-height: 100vh; }
  .statusbar, .device-note { display: none; }
  .app-scroll { padding-top: 14px; overflow: visible; }
  .actions { padding-bottom: max(16px, env(safe-area-inset-bottom)); }
}
`;
