import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { Deps } from './platform/context.js';
import { clientErrorHandler } from './platform/client-errors.js';
import { frameworkErrors, installErrorHandling, installInputCleaning, installNoStore, installRequestContext } from './platform/http.js';
import { serializeRequest } from './platform/logging.js';
import { authRoutes } from './modules/auth/routes.js';
import { orgRoutes } from './modules/org/routes.js';
import { peopleRoutes } from './modules/people/routes.js';
import { accountRoutes } from './modules/accounts/routes.js';
import { logRoutes } from './modules/logs/routes.js';
import { dictRoutes } from './modules/dict/routes.js';
import { campaignRoutes } from './modules/campaigns/routes.js';
import { fileRoutes } from './modules/files/routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { statsRoutes } from './modules/stats/routes.js';
import { opinionRoutes } from './modules/opinions/routes.js';
import { symposiumRoutes } from './modules/symposiums/routes.js';
import { surveyRoutes } from './modules/surveys/routes.js';
import { open311Routes } from './modules/open311/routes.js';
import { approvalRoutes } from './modules/approvals/routes.js';

export interface BuildOptions {
  logger?: boolean | object;
  /** Where the built web app is; omitted: dist/web beside the sources, when present. */
  webRoot?: string | false;
}

function defaultWebRoot(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../web'), path.resolve(here, '../../dist/web')]) {
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Request URLs carry receipt codes, tokens and search terms: the log gets a redacted form.
    logger: opts.logger ? { ...(typeof opts.logger === 'object' ? opts.logger : {}), serializers: { req: serializeRequest } } : false,
    // A hop count trusts that many proxies nearest to us; addresses trust exactly those proxies.
    trustProxy:
      typeof deps.config.trustProxy === 'number'
        ? ((hops: number) => (_addr: string, i: number) => i < hops)(deps.config.trustProxy)
        : deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Chinese names and error ids are fine in logs; the request id helps tie a complaint to a log line.
    genReqId: () => Math.random().toString(36).slice(2, 10),
    frameworkErrors,
    clientErrorHandler,
  });
  installErrorHandling(app);
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // antd injects its CSS-in-JS styles inline
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: false, // set by the HTTPS proxy in front, where there is one
  });
  await app.register(multipart, { limits: { fileSize: deps.config.uploadMaxBytes, files: 10, fields: 20 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: '教育整顿工作平台 API', version: '0.1.0', description: '会话 Cookie 认证；修改类请求须带 X-CSRF-Token 头。' },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'rectify_sid' } },
      },
    },
  });
  installRequestContext(app, deps);
  installInputCleaning(app);
  installNoStore(app);

  await app.register(async (api) => {
    authRoutes(api);
    orgRoutes(api);
    peopleRoutes(api);
    accountRoutes(api);
    logRoutes(api);
    dictRoutes(api);
    campaignRoutes(api);
    fileRoutes(api);
    notificationRoutes(api);
    statsRoutes(api);
    opinionRoutes(api);
    symposiumRoutes(api);
    surveyRoutes(api);
    open311Routes(api);
    approvalRoutes(api);
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webRoot = opts.webRoot === false ? undefined : (opts.webRoot ?? defaultWebRoot());
  if (webRoot) {
    await app.register(fastifyStatic, { root: webRoot, serve: false });
    const sendShell = (file: string) => async (_req: unknown, reply: any) =>
      reply.header('cache-control', 'no-cache').sendFile(file);
    // The two single-page apps: the staff app everywhere, the public pages under /public.
    app.get('/', sendShell('index.html'));
    app.get('/public', sendShell('public/index.html'));
    app.get('/public/*', async (req, reply) => {
      const rel = (req.params as { '*': string })['*'];
      if (rel && fs.existsSync(path.join(webRoot, 'public', rel)) && !rel.includes('..')) {
        return reply.sendFile(path.join('public', rel));
      }
      return reply.header('cache-control', 'no-cache').sendFile('public/index.html');
    });
    app.get('/*', async (req, reply) => {
      const rel = (req.params as { '*': string })['*'];
      if (rel.startsWith('api/') || rel.startsWith('open311/')) {
        return reply.status(404).send({ error: 'NOT_FOUND', message: `接口不存在：${req.method} /${rel}` });
      }
      if (rel && !rel.includes('..') && fs.existsSync(path.join(webRoot, rel)) && fs.statSync(path.join(webRoot, rel)).isFile()) {
        const immutable = rel.startsWith('assets/');
        if (immutable) reply.header('cache-control', 'public, max-age=31536000, immutable');
        return reply.sendFile(rel);
      }
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  }
  return app;
}
