import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import type { Deps } from './platform/context.js';
import { clientErrorHandler } from './platform/client-errors.js';
import { frameworkErrors, installErrorHandling, installInputCleaning, installNoStore, installRequestContext } from './platform/http.js';
import { OneLineRequestLog, serializeRequest } from './platform/logging.js';
import { defaultWebRoot, serveWeb } from './web.js';
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
import { rectificationRoutes } from './modules/rectification/routes.js';
import { selfCheckRoutes } from './modules/self-checks/routes.js';
import { talkRoutes } from './modules/talks/routes.js';
import { lifeMeetingRoutes } from './modules/life-meetings/routes.js';
import { clueRoutes } from './modules/clues/routes.js';
import { examRoutes } from './modules/exams/routes.js';
import { studyRoutes } from './modules/study/routes.js';
import { serviceRoutes } from './modules/service/routes.js';
import { villageRoutes } from './modules/village/routes.js';
import { commitmentRoutes } from './modules/commitments/routes.js';
import { interferenceRoutes } from './modules/interference/routes.js';
import { screeningRoutes } from './modules/screening/routes.js';

export interface BuildOptions {
  logger?: boolean | object;
  /** Where the built web app is; omitted: dist/web beside the sources, when present. */
  webRoot?: string | false;
}

/** What is worth compressing: text, JSON, XML (Open311), scripts, SVG. Not xlsx, images or PDFs. */
const COMPRESSIBLE = /^text\/(?!event-stream)|[+/]json(?:;|$)|[+/]xml(?:;|$)|^application\/(?:x-)?javascript/;

export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Request URLs carry receipt codes, tokens and search terms: the log gets a redacted form.
    logger: opts.logger ? { ...(typeof opts.logger === 'object' ? opts.logger : {}), serializers: { req: serializeRequest } } : false,
    // One line per request, written when it is answered, instead of two.
    logController: new OneLineRequestLog(),
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
  // helmet's middleware built once: @fastify/helmet rebuilt it (parsing every directive) on each request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // antd injects its CSS-in-JS styles inline
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        // The proof of work runs in a worker loaded from our own built file.
        workerSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: false, // set by the HTTPS proxy in front, where there is one
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  // Dynamic answers (JSON, Open311 XML) compressed on the fly above 1 KB; registered before any route,
  // since it hooks each route as it is added. Request bodies are not inflated (globalDecompression off):
  // uploads and forms keep their size limits exactly as sent.
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024, customTypes: COMPRESSIBLE, globalDecompression: false });
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
    rectificationRoutes(api);
    selfCheckRoutes(api);
    talkRoutes(api);
    lifeMeetingRoutes(api);
    clueRoutes(api);
    examRoutes(api);
    studyRoutes(api);
    serviceRoutes(api);
    villageRoutes(api);
    commitmentRoutes(api);
    interferenceRoutes(api);
    screeningRoutes(api);
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webRoot = opts.webRoot === false ? undefined : (opts.webRoot ?? defaultWebRoot());
  if (webRoot) await serveWeb(app, webRoot);
  return app;
}
