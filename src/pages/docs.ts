// The API reference at /docs: the official OpenAPI specs in specs/vipps/, shown in Swagger UI from
// the swagger-ui-dist package and served by vipps-local itself (no CDN, nothing leaves the machine).
// Each spec's `servers` name this instance, so "Try it out" calls it.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { html } from './html.ts';
import { landingFrame, securityHeaders, sendPage } from './layout.ts';

export const DOCS_PATH = '/docs';
const ASSETS = `${DOCS_PATH}/assets`;

export interface DocsOptions {
  /** This instance's base URL, read per request (it is known only once the server listens). */
  baseUrl: () => string;
  /** The folder of spec folders (ending in /); default specs/vipps/ of this package. */
  specsDir?: URL;
  now: () => number;
}

export interface ApiSpec {
  /** The URL segment: the spec's folder name (`epayment`, `access-token`, …). */
  id: string;
  title: string;
  version: string;
  /** The parsed spec, as published. */
  spec: Record<string, unknown> & { servers?: { url: string }[] };
  /** The path of the spec's first server (`/epayment`), kept so paths resolve as they do on the platform. */
  basePath: string;
}

const SPECS_DIR = new URL('../../specs/vipps/', import.meta.url);

/** Reads every `specs/vipps/<api>/*.yaml` (one spec per folder), sorted by title. */
export async function loadSpecs(dir: URL = SPECS_DIR): Promise<ApiSpec[]> {
  const { parse } = await import('yaml');
  const specs: ApiSpec[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const folder = new URL(`${entry.name}/`, dir);
    const files = (await readdir(folder)).filter((f) => /\.ya?ml$/.test(f)).sort();
    if (files.length === 0) continue;
    const spec = parse(await readFile(new URL(files[0]!, folder), 'utf8')) as ApiSpec['spec'];
    const info = (spec.info ?? {}) as { title?: string; version?: string };
    let basePath = '';
    try {
      basePath = new URL(spec.servers?.[0]?.url ?? '/', 'http://x').pathname.replace(/\/+$/, '');
    } catch {
      basePath = '';
    }
    specs.push({ id: entry.name, title: info.title ?? entry.name, version: String(info.version ?? ''), spec, basePath });
  }
  return specs.sort((a, b) => a.title.localeCompare(b.title));
}

/** The spec with its servers replaced by this instance (keeping the spec's base path). */
export function specFor(api: ApiSpec, baseUrl: string): Record<string, unknown> {
  return { ...api.spec, servers: [{ url: `${baseUrl.replace(/\/+$/, '')}${api.basePath}`, description: 'This vipps-local instance' }] };
}

/** Swagger UI's files served from swagger-ui-dist, by name. Only these. */
const ASSET_TYPES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** Starts Swagger UI on the element whose data-spec-url names the spec (a file, so the CSP needs no inline script). */
const INIT_SCRIPT = `window.addEventListener('DOMContentLoaded', function () {
  var el = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: el.getAttribute('data-spec-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: false,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
`;

/**
 * The CSP of the Swagger UI pages: scripts only from this origin (the bundle and INIT_SCRIPT, no
 * inline script); styles from this origin plus 'unsafe-inline', which Swagger UI needs for the
 * style attributes React sets; calls ("Try it out") to this origin and to the instance's base URL.
 */
export function docsCsp(baseUrl: string): string {
  let origin = '';
  try {
    origin = new URL(baseUrl).origin;
  } catch {
    origin = '';
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    ['connect-src', "'self'", ...(origin ? [origin] : [])].join(' '),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The specs and Swagger UI's files, read on the first request for them and kept for the process:
 * parsing the YAML of every spec took most of startServer()'s time when it was done at start.
 */
const loaded = new Map<string, Promise<{ specs: ApiSpec[]; byId: Map<string, ApiSpec>; assets: Map<string, Buffer> }>>();
function docsContent(dir: URL) {
  let content = loaded.get(dir.href);
  if (!content) {
    content = (async () => {
      const specs = await loadSpecs(dir);
      const distDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
      const assets = new Map<string, Buffer>();
      for (const name of Object.keys(ASSET_TYPES)) assets.set(name, await readFile(join(distDir, name)));
      assets.set('init.js', Buffer.from(INIT_SCRIPT));
      return { specs, byId: new Map(specs.map((s) => [s.id, s])), assets };
    })();
    content.catch(() => loaded.delete(dir.href));
    loaded.set(dir.href, content);
  }
  return content;
}

export async function docsRoutes(app: FastifyInstance, options: DocsOptions): Promise<void> {
  const content = () => docsContent(options.specsDir ?? SPECS_DIR);

  const index = async (_req: unknown, reply: FastifyReply) => {
    const { specs } = await content();
    return sendPage(reply, {
      title: 'API reference · vipps-local',
      now: options.now(),
      bodyClass: 'docs',
      content: landingFrame(html`<main class="sheet">
  <h1>API reference</h1>
  <p>The official Vipps MobilePay OpenAPI specs, with "Try it out" calling this instance (${options.baseUrl()}).</p>
  <ul class="docs-list">
${specs.map((s) => html`    <li><a href="${DOCS_PATH}/${s.id}">${s.title}</a> <small>${s.version}</small> · <a href="${DOCS_PATH}/${s.id}/openapi.json">openapi.json</a></li>\n`)}  </ul>
</main>`),
    });
  };
  app.get(DOCS_PATH, index);
  if (!app.findRoute({ method: 'GET', url: `${DOCS_PATH}/` })) app.get(`${DOCS_PATH}/`, index);

  app.get<{ Params: { file: string } }>(`${ASSETS}/:file`, async (req, reply) => {
    const body = (await content()).assets.get(req.params.file);
    if (!body) return reply.code(404).send({ statusCode: 404, message: 'Not found' });
    return reply
      .type(ASSET_TYPES[req.params.file] ?? 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=60')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });

  app.get<{ Params: { api: string } }>(`${DOCS_PATH}/:api/openapi.json`, async (req, reply) => {
    const api = (await content()).byId.get(req.params.api);
    if (!api) return reply.code(404).send({ statusCode: 404, message: `No spec named ${req.params.api}` });
    return reply.header('cache-control', 'no-store').header('access-control-allow-origin', '*').send(specFor(api, options.baseUrl()));
  });

  app.get<{ Params: { api: string } }>(`${DOCS_PATH}/:api`, async (req, reply) => {
    const api = (await content()).byId.get(req.params.api);
    if (!api) return reply.code(404).send({ statusCode: 404, message: `No spec named ${req.params.api}` });
    const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${api.title} · API reference · vipps-local</title>
<link rel="icon" href="${ASSETS}/favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS}/swagger-ui.css">
</head>
<body>
<p><a href="${DOCS_PATH}">← All APIs</a></p>
<div id="swagger-ui" data-spec-url="${DOCS_PATH}/${api.id}/openapi.json"></div>
<script src="${ASSETS}/swagger-ui-bundle.js"></script>
<script src="${ASSETS}/init.js"></script>
</body>
</html>`.value;
    // The pages' headers, with Swagger UI's own policy (its scripts are files; "Try it out" calls this instance).
    securityHeaders(reply, '');
    return reply.header('content-security-policy', docsCsp(options.baseUrl())).type('text/html; charset=utf-8').send(page);
  });
}
