// The dashboard's stylesheet: inline, system fonts, no images; dense tables on a desktop, stacked
// cards on a phone.
export const DASHBOARD_STYLES = `
:root {
  --brand: #ff5b24; --brand-dark: #d9430d; --ink: #1d1a2b; --muted: #6d6a7c; --line: #e7e4df; --bg: #f6f5f3; --card: #fff;
  --ok: #12875a; --ok-soft: #e5f5ee; --bad: #c02f2f; --bad-soft: #fdecec; --warn: #8a5d00; --warn-soft: #fff4d6; --info-soft: #eef1fb;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--bg); -webkit-text-size-adjust: 100%;
}
* { box-sizing: border-box; }
body { margin: 0; font-size: 14px; line-height: 1.45; }
a { color: var(--brand-dark); }
h1 { font-size: 22px; margin: 0 0 4px; letter-spacing: -.01em; }
h2 { font-size: 16px; margin: 0 0 10px; }
p { margin: 0; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #faf9f7; border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; margin: 6px 0 0; max-height: 320px; overflow: auto; }
.muted { color: var(--muted); }
.nav { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 18px; padding: 12px 20px; background: var(--ink); color: #fff; }
.nav a { color: #fff; text-decoration: none; font-weight: 600; opacity: .8; }
.nav a[aria-current="page"], .nav a:hover { opacity: 1; text-decoration: underline; text-underline-offset: 4px; }
.brand { display: flex; align-items: center; gap: 8px; font-weight: 800; font-size: 16px; margin-right: 10px; }
.brand-mark { display: grid; place-items: center; width: 26px; height: 26px; border-radius: 8px; background: var(--brand); color: #fff; font-weight: 900; }
.nav .clock { margin-left: auto; font-size: 12.5px; opacity: .75; }
main { max-width: 1280px; margin: 0 auto; padding: 18px 20px 48px; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 16px; margin-top: 16px; }
.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; }
.filters label { display: flex; flex-direction: column; gap: 3px; font-size: 12px; font-weight: 600; color: var(--muted); }
.faults-form { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin-top: 6px; font-size: 12px; }
.faults-form input[name="delayMs"] { width: 7em; padding: 4px 6px; }
input, select, button { font: inherit; }
input, select { padding: 7px 9px; border: 1px solid #d6d2cc; border-radius: 8px; background: #fff; color: var(--ink); min-width: 0; }
.btn { display: inline-block; padding: 7px 14px; border-radius: 8px; border: 1px solid #d6d2cc; background: #fff; color: var(--ink); font-weight: 600; cursor: pointer; text-decoration: none; }
.btn:hover { border-color: #b9b4ad; }
.btn-primary { background: var(--brand); border-color: var(--brand); color: #fff; }
.btn-primary:hover { background: var(--brand-dark); }
.btn-danger { color: var(--bad); }
.table-wrap { overflow-x: auto; margin-top: 12px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 700; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td .ref { font-weight: 600; overflow-wrap: anywhere; }
tr:hover td { background: #fcfbfa; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 700; white-space: nowrap; background: #eeece9; color: var(--muted); }
.badge-AUTHORIZED, .badge-delivered, .badge-ok { background: var(--ok-soft); color: var(--ok); }
.badge-ABORTED, .badge-TERMINATED, .badge-failed, .badge-bad { background: var(--bad-soft); color: var(--bad); }
.badge-CREATED, .badge-pending, .badge-warn { background: var(--warn-soft); color: var(--warn); }
.alert { border-radius: 10px; padding: 10px 12px; margin-top: 12px; }
.alert-error { background: var(--bad-soft); color: #7f1d1d; }
.alert-ok { background: var(--ok-soft); color: #0b5b3c; }
.alert-info { background: var(--info-soft); }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px 18px; margin-top: 10px; }
.summary dt { font-size: 12px; color: var(--muted); font-weight: 600; }
.summary dd { margin: 0; overflow-wrap: anywhere; }
.actions { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
.actions form { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; }
.actions .explain { flex-basis: 100%; font-size: 12.5px; color: var(--muted); }
.timeline { list-style: none; margin: 0; padding: 0; }
.timeline > li { position: relative; padding: 10px 0 10px 22px; border-bottom: 1px solid var(--line); }
.timeline > li::before { content: ""; position: absolute; left: 4px; top: 16px; width: 9px; height: 9px; border-radius: 50%; background: #c8c3bc; }
.timeline > li.kind-event::before { background: var(--brand); }
.timeline > li.kind-request::before { background: #4b63c4; }
.timeline > li.kind-delivery::before { background: #7a4bc4; }
.timeline > li.kind-shopper::before { background: var(--ok); }
.timeline .head { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.timeline .when { color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; min-width: 150px; }
.timeline .kind { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.timeline .title { font-weight: 600; overflow-wrap: anywhere; }
.timeline details { margin-top: 4px; }
.timeline summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
.checklist { list-style: none; margin: 12px 0 0; padding: 0; }
.check-item { padding: 10px 0 10px 12px; border-bottom: 1px solid var(--line); border-left: 3px solid #c8c3bc; }
.check-item.check-pass { border-left-color: var(--ok); }
.check-item.check-fail { border-left-color: var(--bad); background: #fffafa; }
.check-item .head { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; margin-bottom: 4px; }
.check-item .title { font-weight: 600; }
.evidence-block { margin-top: 6px; }
.evidence-more summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
.bodies { margin-top: 6px; }
.bodies summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
.body-part { margin-top: 6px; }
.body-label { font-size: 12px; font-weight: 600; color: var(--muted); }
td .bodies pre { max-width: 640px; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin-top: 6px; font-size: 12.5px; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; overflow-wrap: anywhere; }
.attempts { margin: 6px 0 0; padding-left: 18px; font-size: 12.5px; }
.pager { display: flex; gap: 12px; align-items: center; margin-top: 12px; }
.grid-2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.sign-in { max-width: 420px; margin: 60px auto; }
.sign-in form { display: flex; flex-direction: column; gap: 10px; margin-top: 14px; }
@media (max-width: 760px) {
  main { padding: 12px 12px 40px; }
  .grid-2 { grid-template-columns: 1fr; }
  .nav .clock { margin-left: 0; flex-basis: 100%; }
  table.cards thead { display: none; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards tr { border: 1px solid var(--line); border-radius: 10px; margin-bottom: 10px; padding: 6px 8px; background: #fff; }
  table.cards td { border: 0; padding: 3px 2px; text-align: left; }
  table.cards td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: 12px; font-weight: 600; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Arial, sans-serif; }
  table.cards td:empty { display: none; }
  .timeline .when { min-width: 0; }
}
`;
