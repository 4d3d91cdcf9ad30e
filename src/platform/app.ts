// Builds the whole platform as a Fastify app without listening: tests use inject() or port 0.
import { lazyValidators } from './lazy-validators.ts';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { buildDirectory, type Directory } from '../engine/directory.ts';
import { createEngine, type Engine } from '../engine/engine.ts';
import type { EngineDeps } from '../engine/deps.ts';
import { accessTokenRoutes } from '../faces/access-token/routes.ts';
import { EPAYMENT_PREFIX, epaymentRoutes } from '../faces/epayment/routes.ts';
import type { FaceContext } from '../faces/face-context.ts';
import { OPERATOR_PREFIX, operatorRoutes } from '../faces/operator/routes.ts';
import { operatorAccessHook, type OperatorAccessOptions } from '../faces/operator/operator-access.ts';
import { MERCHANT_VIEW_PREFIX, merchantViewRoutes } from '../faces/operator/merchant-view.ts';
import { pagesRoutes } from '../pages/pages-routes.ts';
import { stripeJsRoutes } from '../faces/stripe/stripe-js/routes.ts';
import { WEBHOOKS_PREFIX, webhooksRoutes } from '../faces/webhooks/routes.ts';
import { startDeliveryWorker, type DeliveryWorker } from '../delivery/delivery-worker.ts';
import { webhookProjector } from '../faces/webhooks/projector.ts';
import { createOutboundCaller } from '../delivery/outbound-call.ts';
import { createOutboundPost } from '../delivery/outbound-http.ts';
import { createOutboundPolicy } from '../delivery/outbound-targets.ts';
import { expressShippingSource } from '../faces/epayment/express-callback.ts';
import { webhookStore } from '../faces/webhooks/webhook-store.ts';
import { setRegistrationFaults } from '../faces/webhooks/registration-faults.ts';
import { userinfoConsentStore } from '../faces/userinfo/consent-store.ts';
import { userinfoProjector } from '../faces/userinfo/projector.ts';
import { orderManagementStore } from '../faces/order-management/om-store.ts';
import { USERINFO_PREFIX, userinfoRoutes } from '../faces/userinfo/routes.ts';
import { ORDER_MANAGEMENT_PREFIX, orderManagementRoutes } from '../faces/order-management/routes.ts';
import { makePaymentGate } from '../faces/psp/make-payment.ts';
import { cardCallbackGate } from '../faces/epayment/card-callback.ts';
import { firstApplying } from '../engine/approval-gates.ts';
import { pspStore } from '../faces/psp/psp-store.ts';
import { PSP_PREFIX, pspRoutes } from '../faces/psp/routes.ts';
import { stripeStore } from '../faces/stripe/stripe-store.ts';
import { stripeProjector } from '../faces/stripe/projector.ts';
import { STRIPE_PREFIX, stripeRoutes } from '../faces/stripe/routes.ts';
import { stripeTestPageRoutes } from '../faces/stripe/test-page.ts';
import { checkoutPageRoutes } from '../faces/stripe/checkout-pages.ts';
import type { WebhookFaults } from '../store/store.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { DOCS_PATH, docsRoutes } from '../pages/docs.ts';
import { dashboardRoutes } from '../pages/dashboard/dashboard-routes.ts';
import { shopperStepLog } from '../engine/shopper-steps.ts';
import { createAccessTokens } from './access-tokens.ts';
import { AdjustableClock } from './clock.ts';
import { isLoopbackHost, operatorAccessOf, outboundTargetsOf, type Config, type OperatorAccess } from './config.ts';
import { randomIds } from './ids.ts';
import { keepBodyText } from './request-log/body-text.ts';
import { createRequestLog, type AnsweredRequest, type RequestLog } from './request-log/request-log.ts';
import { createMetrics, metricsRoute, type Metrics } from './metrics.ts';
import { buildChecklist } from '../checklist/gather-checklist.ts';
import { deliveryLine } from './logging/delivery-line.ts';
import { lineWriter, type LogLine } from './logging/log-line.ts';
import { fastifyRequestLogging, loggerOptions } from './logging/logger-options.ts';
import { requestLine } from './logging/request-line.ts';

const JSON_SECURITY_HEADERS: [string, string][] = [
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['referrer-policy', 'no-referrer'],
];

export interface Platform {
  app: FastifyInstance;
  engine: Engine;
  store: Store;
  clock: AdjustableClock;
  directory: Directory;
  /** Every API request, kept by the store (request-log/). */
  requestLog: RequestLog;
  /** The operator API's token (config `operatorToken`, or generated once and kept in the database). */
  operatorToken: string;
  /** Whether the operator API needs the token ('token') or is open to same-origin calls ('loopback-open'). */
  operatorAccess: OperatorAccess;
  /** The Prometheus registry behind GET /metrics (metrics.ts). */
  metrics: Metrics;
  /** Server-wide webhook fault injection, changed through the operator API. */
  webhookFaults: WebhookFaults;
  /** Starts sending webhooks (a listening server does; an app built for inject() need not). */
  startDelivery(): DeliveryWorker;
  /** Sets the base URL once the listening address is known. */
  setBaseUrl(url: string): void;
  baseUrl(): string;
  /** Deletes all payments, events and idempotency records. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function buildPlatform(config: Config): Promise<Platform> {
  // The store opens before the app and its logger exist: its reports go to the app's log once there is one.
  const logTo: { log?: FastifyInstance['log'] } = {};
  const store = await openStore(config.database, {
    sqliteSynchronous: config.sqliteSynchronous,
    pgPoolSize: config.postgresPoolSize,
    pgLockTimeoutMs: config.postgresLockTimeoutMs,
    log: { error: (object, message) => (logTo.log ? logTo.log.error(object, message) : console.error(message, object)) },
  });
  try {
    return await buildOn(store, config, logTo);
  } catch (err) {
    // Nothing is listening yet: the store must not outlive a platform that could not be built.
    await store.close().catch(() => undefined);
    throw err;
  }
}

async function buildOn(store: Store, config: Config, logTo: { log?: FastifyInstance['log'] }): Promise<Platform> {
  const secret = await store.initSetting('access_token_secret', randomBytes(32).toString('base64url'));
  // Every instance on one database shares the generated token, as it shares the access-token secret.
  const operatorToken = config.operatorToken ?? (await store.initSetting('operator_token', `vlop_${randomBytes(24).toString('base64url')}`));
  const operatorAccess = operatorAccessOf(config);
  const clock = new AdjustableClock();
  const directory = buildDirectory(config);
  const faults = { current: { ...config.webhookFaults } };
  const metrics = createMetrics(store);
  const webhooks = webhookStore(store);
  // Calls to merchants' servers (Express's shipping callback) log to the app's log and the request log once they exist.
  const recorded: { requestLog?: RequestLog } = {};
  // Every call vipps-local makes on its own goes through one policy: never to itself, internal
  // addresses only when config.outboundTargets allows them (delivery/outbound-targets.ts).
  const outboundTargets = outboundTargetsOf(config);
  const listening: { port?: number } = {};
  const outboundPost = createOutboundPost(
    createOutboundPolicy({
      targets: outboundTargets,
      self: () => ({ host: config.host, port: listening.port ?? config.port, publicUrl: config.publicUrl }),
      ...(config.outboundResolver ? { resolve: config.outboundResolver } : {}),
    }),
  );
  // Each call is one line of the request log's (platform/logging/request-line.ts), not the caller's own.
  const outbound = createOutboundCaller(outboundPost, undefined, (request, result) => recorded.requestLog?.outbound(request, result));
  const consents = await userinfoConsentStore(store);
  const om = await orderManagementStore(store);
  const psp = await pspStore(store);
  const stripe = await stripeStore(store);
  const shopperSteps = await shopperStepLog(store);
  const deps: EngineDeps = {
    store,
    clock,
    ids: randomIds,
    directory,
    projectors: [webhookProjector(webhooks, directory, () => faults.current), userinfoProjector(consents), stripeProjector(stripe)],
    onCommitted: [],
    onOutboxWritten: [],
    shippingSource: expressShippingSource(outbound, config.expressCallbackCase, config.expressCallbackTimeoutMs),
    // Each face's gate applies to its own payments: the PSP API's makePayment, ePayment's card callback.
    approvalGate: firstApplying([
      makePaymentGate(outbound, () => baseUrl, config.makePaymentTimeoutMs),
      cardCallbackGate({ call: outbound, directory, baseUrl: () => baseUrl, timeoutMs: config.cardCallbackTimeoutMs }),
    ]),
    reportError: (err, what) => logTo.log?.error({ err }, `failed: ${what}`),
    onTransaction: (ms, committed) => metrics.transaction(ms, committed),
    shopperSteps,
  };
  const engine = createEngine(deps);
  const tokens = createAccessTokens(secret, clock, config.accessTokenLifetimeSeconds);
  let baseUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;

  const app = Fastify({
    logger: loggerOptions(config),
    logController: new LogController({ disableRequestLogging: !fastifyRequestLogging(config) }),
    bodyLimit: 1024 * 1024,
    // Slow clients (docs/decisions.md, "Bounds"): a request whose headers or body do not arrive in
    // time is dropped. Node checks open requests every second rather than every 30 seconds.
    requestTimeout: config.limits.requestTimeoutMs,
    http: { headersTimeout: config.limits.headersTimeoutMs, requestTimeout: config.limits.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    // Paths match as on the platform (ASP.NET behind API Management): in any case, with or without
    // one trailing slash. Parameters keep the case they were sent in. Faces report such a path as a
    // leniency (faces/lenient); strictRequests matches paths exactly, as before.
    routerOptions: { caseSensitive: config.strictRequests, ignoreTrailingSlash: !config.strictRequests },
    schemaController: { compilersFactory: { buildValidator: lazyValidators } },
    ajv: {
      // Reject what is wrong instead of repairing it: no coercion, no stripping, every error reported.
      customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, useDefaults: false },
    },
  });

  logTo.log = app.log;
  // One line per API request (info) and per webhook attempt and outbound call (info, warn when it
  // failed): platform/logging/. Nothing is built when the level would drop every line of its kind.
  // pino's own level check; without a logger (silent) Fastify's stand-in has none, and nothing is written.
  const logs = (level: 'info' | 'warn') => (app.log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.(level) === true;
  const writeLine: ((line: LogLine) => void) | undefined = logs('warn') ? lineWriter(app.log, config.logFormat) : undefined;
  const onAnswered: ((request: AnsweredRequest) => void) | undefined = !writeLine
    ? undefined
    : logs('info')
      ? (request) => writeLine(requestLine(request))
      : (request) => {
          if (request.api === 'outbound') writeLine(requestLine(request));
        };

  // JSON bodies: an empty body is "no body" (cancel and force approve take an optional one).
  // Only JSON is accepted (text/plain would otherwise arrive as a string): anything else is a 415.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    keepBodyText(req, body);
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    return parseJson(req, body as string, done);
  });

  // Every JSON answer, of every face, carries the headers that keep a browser from reading it as
  // anything else or framing it (pages and images set their own).
  app.addHook('onSend', async (_req, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && /^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
      for (const [name, value] of JSON_SECURITY_HEADERS) if (!reply.hasHeader(name)) reply.header(name, value);
    }
    return payload;
  });

  // Every answered request is counted and timed by route pattern, method and status (metrics.ts).
  metrics.install(app);

  // Leniencies applied to a request (faces/lenient); null when none.
  app.decorateRequest('leniencies', null);

  const face: FaceContext = { engine, directory, tokens, ids: randomIds, clock, baseUrl: () => baseUrl, strictRequests: config.strictRequests };
  // Every route registered from here on is an API's and is logged, except in the scopes excluded below.
  const requestLog = await createRequestLog({
    store,
    clock,
    directory,
    tokens,
    log: app.log,
    ...(onAnswered ? { onAnswered } : {}),
  });
  requestLog.install(app);
  recorded.requestLog = requestLog;
  const checklist = (msn: string) => buildChecklist({ store, clock, directory, requestLog, webhooks }, msn);
  const reset = async () => {
    await requestLog.clear();
    await store.reset();
  };

  const access: OperatorAccessOptions = {
    mode: operatorAccess,
    token: operatorToken,
    listensOnLoopback: isLoopbackHost(config.host),
    publicHost: () => {
      try {
        return config.publicUrl ? new URL(config.publicUrl).host : undefined;
      } catch {
        return undefined;
      }
    },
  };
  await app.register(async (scope) => accessTokenRoutes(scope, face, config.limits));
  await app.register(async (scope) => epaymentRoutes(scope, face, { rateLimits: config.rateLimits }), { prefix: EPAYMENT_PREFIX });
  await app.register(async (scope) => webhooksRoutes(scope, face, { requireHttps: config.webhooksRequireHttps, outboundTargets, webhooks }), { prefix: WEBHOOKS_PREFIX });
  await app.register(async (scope) => userinfoRoutes(scope, face, { consents }), { prefix: USERINFO_PREFIX });
  await app.register(async (scope) => orderManagementRoutes(scope, face, { om }), { prefix: ORDER_MANAGEMENT_PREFIX });
  await app.register(async (scope) => pspRoutes(scope, face, { psp }), { prefix: PSP_PREFIX });
  await app.register(async (scope) => stripeRoutes(scope, face, { stripe, outboundTargets }), { prefix: STRIPE_PREFIX });
  await app.register(async (scope) => {
    requestLog.exclude(scope);
    return stripeTestPageRoutes(scope, face, stripe);
  });
  await app.register(async (scope) => {
    requestLog.exclude(scope);
    return checkoutPageRoutes(scope, face, stripe);
  });
  await app.register(async (scope) => {
    requestLog.exclude(scope);
    return pagesRoutes(scope, face, om, config.limits);
  });
  await app.register(async (scope) => { requestLog.exclude(scope); return stripeJsRoutes(scope); });
  await app.register(async (scope) => {
    requestLog.exclude(scope);
    return docsRoutes(scope, { baseUrl: () => baseUrl, now: () => clock.now() });
  });
  await app.register(
    async (scope) => {
      requestLog.exclude(scope);
      return operatorRoutes(scope, face, {
        testClock: config.testClock,
        webhooks,
        deliveryLog: (filter) => store.listDeliveries(filter),
        requestLog,
        reset,
        webhookFaults: () => faults.current,
        setWebhookFaults: (f) => {
          faults.current = f;
        },
        access,
        checklist,
      });
    },
    { prefix: OPERATOR_PREFIX },
  );
  // Prometheus metrics, under the operator access rules (not logged as an API request).
  await app.register(async (scope) => {
    requestLog.exclude(scope);
    metricsRoute(scope, metrics, operatorAccessHook(access));
  });
  // A merchant's own deliveries, requests and faults, with its own credentials (not the operator token).
  await app.register(
    async (scope) => {
      requestLog.exclude(scope);
      return merchantViewRoutes(scope, face, { webhooks, deliveryLog: (filter) => store.listDeliveries(filter), requestLog, checklist });
    },
    { prefix: MERCHANT_VIEW_PREFIX },
  );
  let worker: DeliveryWorker | undefined;
  const attemptListeners = new Set<() => void>();

  // `/`: the dashboard for a browser, this index for a program (pages/dashboard/).
  const index = () => ({
    name: 'vipps-local',
    description: 'Local Vipps MobilePay platform',
    docs: DOCS_PATH,
    apis: { accessToken: '/accesstoken/get', epayment: `${EPAYMENT_PREFIX}/v1/payments`, userinfo: `${USERINFO_PREFIX}/userinfo/{sub}`, orderManagement: `${ORDER_MANAGEMENT_PREFIX}/v2/{paymentType}/{orderId}`, psp: `${PSP_PREFIX}/v3/psppayments/init`, stripe: `${STRIPE_PREFIX}/payment_intents`, operator: `${OPERATOR_PREFIX}/health` },
  });
  await app.register(async (scope) => {
    requestLog.exclude(scope);
    return dashboardRoutes(scope, face, {
      testClock: config.testClock, access, requests: requestLog, om,
      webhooks: { all: () => webhooks.all(), setFaults: (id, f) => setRegistrationFaults(face.engine, webhooks, id, f) }, psp, stripe, userinfo: consents, index, limits: config.limits, checklist,
      faults: { get: () => faults.current, set: (f) => void (faults.current = f) },
      deliveries: {
        list: (filter) => store.listDeliveries(filter),
        redeliver: async (id) => {
          const outcome = await store.redeliver(id, clock.now());
          if (outcome === 'scheduled') for (const wake of deps.onOutboxWritten) wake();
          return outcome;
        },
        onAttempt: (listener) => (attemptListeners.add(listener), () => void attemptListeners.delete(listener)),
      },
    });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404);
    requestLog.unrouted(req, reply);
    return reply.send({ statusCode: 404, message: `Resource not found: ${req.method} ${req.url.split('?')[0]}` });
  });

  return {
    app,
    engine,
    store,
    clock,
    directory,
    requestLog,
    operatorToken,
    operatorAccess,
    metrics,
    get webhookFaults() {
      return faults.current;
    },
    startDelivery() {
      if (worker) return worker;
      const address = app.server.address();
      if (address && typeof address === 'object') listening.port = address.port;
      const started = startDeliveryWorker({
        store,
        clock,
        instanceId: randomIds.uuid(),
        timeoutMs: config.webhookTimeoutMs,
        pollIntervalMs: config.webhookPollIntervalMs,
        serverFaults: () => faults.current,
        post: outboundPost,
        maxInFlightPerTarget: config.webhookMaxInFlightPerTarget,
        maxInFlightPerHost: config.webhookMaxInFlightPerHost,
        onError: (err, what) => app.log.error({ err }, `webhook delivery: ${what} failed`),
        onAttempt: (delivery, result) => {
          metrics.deliveryAttempt(delivery, result, clock.now());
          for (const listener of attemptListeners) listener();
          writeLine?.(deliveryLine(delivery, result, clock.now()));
        },
        ...(config.webhookRetryDelaysMs ? { retryDelaysMs: config.webhookRetryDelaysMs } : {}),
      });
      deps.onOutboxWritten.push(() => started.wake());
      worker = started;
      return started;
    },
    setBaseUrl: (url) => {
      if (!config.publicUrl) baseUrl = url;
    },
    baseUrl: () => baseUrl,
    reset,
    async close() {
      await app.close();
      // Entries of the last requests are written before the store closes.
      await requestLog.close();
      await worker?.stop();
      await store.close();
    },
  };
}
