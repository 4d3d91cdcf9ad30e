// The document around every dashboard page: navigation, the platform clock, the inline stylesheet
// and script (with the CSP nonce of securityHeaders), and the same headers as the shopper pages.
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { html, trusted, type SafeHtml } from '../html.ts';
import { securityHeaders } from '../layout.ts';
import { DASHBOARD_SCRIPT } from './dashboard-script.ts';
import { DASHBOARD_STYLES } from './dashboard-styles.ts';
import { isoTime } from './view-parts.ts';

export type Section = 'payments' | 'webhooks' | 'requests' | 'checklist' | 'clock' | 'none';

export interface DashboardPage {
  title: string;
  section: Section;
  /** Platform time the page was made at. */
  now: number;
  content: SafeHtml;
  /** The page refreshes its [data-live] section on server-sent events. */
  live?: boolean;
}

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%231d1a2b'/%3E%3Ctext x='16' y='23' font-family='Arial' font-weight='900' font-size='20' fill='%23ff5b24' text-anchor='middle'%3Ev%3C/text%3E%3C/svg%3E";

const LINKS: Array<[Exclude<Section, 'none'>, string, string]> = [
  ['payments', '/', 'Payments'],
  ['webhooks', '/dashboard/webhooks', 'Webhooks'],
  ['requests', '/dashboard/requests', 'Request log'],
  ['checklist', '/dashboard/checklist', 'Go-live check'],
  ['clock', '/dashboard/clock', 'Clock & faults'],
];

function nav(section: Section, now: number): SafeHtml {
  return html`<nav class="nav" aria-label="Dashboard">
  <span class="brand"><span class="brand-mark">v</span>vipps-local</span>
  ${LINKS.map(([key, href, label]) => html`<a href="${href}"${key === section ? trusted(' aria-current="page"') : ''}>${label}</a>`)}
  <span class="clock" data-testid="platform-clock">Platform time ${isoTime(now)}</span>
</nav>`;
}

export function dashboardDocument(page: DashboardPage, nonce: string): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${page.title} · vipps-local</title>
<link rel="icon" href="${FAVICON}">
<style nonce="${nonce}">${trusted(DASHBOARD_STYLES)}</style>
</head>
<body>
${page.section === 'none' ? '' : nav(page.section, page.now)}
<main${page.live ? trusted(' data-live="/dashboard/events"') : ''}>
${page.content}
</main>
<script nonce="${nonce}">${trusted(DASHBOARD_SCRIPT)}</script>
</body>
</html>`.value;
}

export function sendDashboard(reply: FastifyReply, page: DashboardPage, status = 200): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  securityHeaders(reply, nonce);
  return reply.code(status).type('text/html; charset=utf-8').send(dashboardDocument(page, nonce));
}
