// The sign-in form for the operator token, when vipps-local listens beyond loopback (or a token was
// sent and was wrong). The token becomes an HttpOnly, SameSite=Strict session cookie (dashboard-access.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.ts';
import type { DashboardContext } from './dashboard-context.ts';
import { sendDashboard } from './dashboard-layout.ts';
import { csrfField } from './payment-page.ts';

export const SIGN_IN_PATH = '/dashboard/sign-in';
export const SIGN_IN_SCOPE = 'dashboard-sign-in';

export function signInPage(ctx: DashboardContext, req: FastifyRequest, reply: FastifyReply, error?: string, status = 200): FastifyReply {
  const csrf = ctx.security.csrfToken(req, reply, SIGN_IN_SCOPE);
  const content = html`<div class="panel sign-in">
<h1>vipps-local dashboard</h1>
<p class="muted">Sign in with the operator token: vipps-local prints it as operator_token when it starts (startServer() returns it as operatorToken).</p>
${error ? html`<p class="alert alert-error" role="alert" data-testid="error">${error}</p>` : ''}
<form method="post" action="${SIGN_IN_PATH}">${csrfField(csrf)}
<label>Operator token<br><input type="password" name="token" autocomplete="current-password" required data-testid="token"></label>
<button class="btn btn-primary" type="submit" data-testid="sign-in">Sign in</button>
</form></div>`;
  return sendDashboard(reply, { title: 'Sign in', section: 'none', now: ctx.face.clock.now(), content }, status);
}
