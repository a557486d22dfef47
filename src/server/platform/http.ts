import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { z } from 'zod';
import type { Ctx, Deps, Actor } from './context.js';
import { databaseTrouble, describeDbError } from './dberrors.js';
import type { Permission } from '../../shared/permissions.js';
import { AppError, forbidden, unauthorized } from './errors.js';
import { parseInput } from './validation.js';
import { resolveSession, sessionActor } from './auth.js';
import { cleanDeep } from './input.js';
import { isOpen311Path, sendSpecError } from './client-errors.js';

export const SESSION_COOKIE = 'rectify_sid';
export const CSRF_COOKIE = 'rectify_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: Ctx;
    sessionCsrf?: string;
    mustChangePassword?: boolean;
    sessionExpired?: boolean;
  }
}

export interface RouteInput<B, Q, P> {
  ctx: Ctx;
  actor: Actor;
  body: B;
  query: Q;
  params: P;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDef<BS extends z.ZodType, QS extends z.ZodType, PS extends z.ZodType> {
  method: HTTPMethods;
  url: string;
  summary: string;
  tags?: string[];
  /** 'public' routes need no session; everything else does. */
  auth?: 'public' | 'session';
  /** Any one of these suffices. Omitted: any signed-in user. */
  permission?: Permission | Permission[];
  body?: BS;
  query?: QS;
  params?: PS;
  /**
   * What the route answers on success, by status, for the API description only: the shape, not
   * necessarily every field. Never used to filter or check the answer (see serializerCompiler below).
   */
  response?: Partial<Record<200 | 201 | 202, z.ZodType>>;
  /** Routes usable while a forced password change is pending (me, logout, change password). */
  duringPasswordChange?: boolean;
  bodyLimit?: number;
  handler: (input: RouteInput<z.output<BS>, z.output<QS>, z.output<PS>>) => Promise<unknown> | unknown;
}

// The description is OpenAPI 3.0 (nullable, no type arrays): zod writes that dialect directly.
function jsonSchema(s: z.ZodType | undefined, io: 'input' | 'output' = 'input') {
  if (!s) return undefined;
  try {
    return z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Every error answer (installErrorHandling): a code, a Chinese message, the field when there is one. */
export const ErrorBody = z
  .looseObject({
    error: z.string().describe('错误代码，如 BAD_REQUEST、UNAUTHORIZED、FORBIDDEN、PASSWORD_CHANGE_REQUIRED、NOT_FOUND、CONFLICT'),
    message: z.string().describe('中文说明'),
    field: z.string().optional().describe('出错的字段'),
  })
  .describe('错误');

function responseSchemas(def: { response?: Partial<Record<number, z.ZodType>> }, isPublic: boolean) {
  const out: Record<string, unknown> = {};
  for (const [status, s] of Object.entries(def.response ?? {})) out[status] = jsonSchema(s, 'output');
  const errors = isPublic
    ? '请求无效（400，含出错字段）、不存在（404）、冲突（409）或过于频繁（429）'
    : '请求无效（400）；未登录或会话超时（401）；无权限、CSRF 令牌不符或须先修改密码（403：FORBIDDEN / CSRF / PASSWORD_CHANGE_REQUIRED）；不存在或不在数据范围内（404）；冲突（409）';
  out['4xx'] = { ...jsonSchema(ErrorBody, 'output'), description: errors };
  out['503'] = { ...jsonSchema(ErrorBody, 'output'), description: '数据库暂时不可用或繁忙（DB_UNAVAILABLE / DB_BUSY），可稍后重试' };
  return out;
}

// Response schemas describe the API; answers are still sent as the handler built them (plain
// JSON.stringify, as without a schema), never trimmed to the documented fields.
const plainSerializer = () => (data: unknown) => JSON.stringify(data);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RouteInfo {
  method: string;
  url: string;
  auth: 'public' | 'session';
  permissions: Permission[];
}

/** Every route defined through route(), for the authorisation matrix test and the API docs. */
export const routeRegistry = new Map<string, RouteInfo>();

export function route<BS extends z.ZodType = z.ZodAny, QS extends z.ZodType = z.ZodAny, PS extends z.ZodType = z.ZodAny>(
  app: FastifyInstance,
  def: RouteDef<BS, QS, PS>,
) {
  const isPublic = def.auth === 'public';
  const perms = def.permission ? (Array.isArray(def.permission) ? def.permission : [def.permission]) : [];
  routeRegistry.set(`${def.method} ${def.url}`, { method: String(def.method), url: def.url, auth: isPublic ? 'public' : 'session', permissions: perms });
  app.route({
    method: def.method,
    url: def.url,
    bodyLimit: def.bodyLimit,
    serializerCompiler: plainSerializer,
    schema: Object.fromEntries(
      Object.entries({
        summary: def.summary,
        tags: def.tags,
        body: jsonSchema(def.body),
        querystring: jsonSchema(def.query),
        params: jsonSchema(def.params),
        response: responseSchemas(def, isPublic),
        security: isPublic ? undefined : [{ session: [] }],
      }).filter(([, v]) => v !== undefined),
    ),
    handler: async (req, reply) => {
      const ctx = req.ctx;
      if (!isPublic) {
        if (!ctx.actor) throw unauthorized(req.sessionExpired ? '会话已超时，请重新登录' : '请先登录');
        if (!SAFE_METHODS.has(req.method)) {
          const sent = req.headers[CSRF_HEADER];
          if (typeof sent !== 'string' || sent !== req.sessionCsrf) {
            throw new AppError(403, 'CSRF', '请求校验失败（CSRF 令牌缺失或不符），请刷新页面后重试');
          }
        }
        if (req.mustChangePassword && !def.duringPasswordChange) {
          throw new AppError(403, 'PASSWORD_CHANGE_REQUIRED', '首次登录或密码已被重置，请先修改密码');
        }
        if (perms.length && !perms.some((p) => ctx.actor!.permissions.has(p))) throw forbidden();
      }
      const body = def.body ? parseInput(def.body, req.body, '请求体') : undefined;
      const query = def.query ? parseInput(def.query, req.query, '查询参数') : undefined;
      const params = def.params ? parseInput(def.params, req.params, '路径参数') : undefined;
      const out = await def.handler({
        ctx, actor: ctx.actor as Actor, body: body as any, query: query as any, params: params as any, req, reply,
      });
      if (reply.sent) return reply;
      return out;
    },
  });
}

function clientIp(req: FastifyRequest): string {
  return req.ip;
}

/**
 * The input boundary every route shares: once the body, query and path parameters are parsed,
 * text is normalised (characters illegal in XML removed, see input.ts) before any handler sees it.
 * Registered on the root instance, so encapsulated plugins (Open311) inherit it.
 */
export function installInputCleaning(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    if (req.body !== undefined && req.body !== null && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) cleanDeep(req.body);
    else if (typeof req.body === 'string') req.body = cleanDeep(req.body);
    if (req.query && typeof req.query === 'object') cleanDeep(req.query);
    if (req.params && typeof req.params === 'object') cleanDeep(req.params);
  });
}

/**
 * Every API answer is private and often personal (an identity, an unmasked ID number, a one-time
 * password, an export): none may be stored by a browser or a proxy unless its route says otherwise
 * by setting its own Cache-Control.
 */
export function installNoStore(app: FastifyInstance) {
  app.addHook('onSend', async (req, reply, payload) => {
    if (!reply.hasHeader('cache-control') && (req.url.startsWith('/api/') || req.url.startsWith('/open311/'))) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}

/** Builds req.ctx for every request: the deps, the client address, and the session's user if any. */
export function installRequestContext(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.addHook('onRequest', async (req) => {
    req.ctx = { ...deps, actor: null, ip: clientIp(req) };
    const token = req.cookies?.[SESSION_COOKIE];
    if (!token || !req.url.startsWith('/api/')) return;
    const s = await resolveSession(deps, token);
    if (!s) return;
    if ('expired' in s) {
      req.sessionExpired = true;
      return;
    }
    // One query in the common case: the session (with the auth epoch); the actor comes from this
    // process's cache while nothing that shapes it has changed (auth.ts, sessionActor).
    const actor = await sessionActor(deps, s);
    if (!actor) return;
    req.ctx.actor = actor;
    req.sessionCsrf = s.csrfToken;
    req.mustChangePassword = s.mustChangePassword;
  });
}

/**
 * For Fastify's `frameworkErrors` constructor option: errors raised before any route is found (a
 * malformed percent-encoding in the URL) answer in our format, in Chinese, instead of Fastify's own.
 */
export function frameworkErrors(err: { code?: string }, req: FastifyRequest, reply: FastifyReply) {
  // Open311 clients parse the GeoReport error list for every error, these included.
  if (isOpen311Path(req.url)) {
    if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendSpecError(reply, req.url, 414, '请求地址过长');
    if (err.code === 'FST_ERR_BAD_URL') return sendSpecError(reply, req.url, 400, '请求地址无效（含有无法解析的字符）');
    return sendSpecError(reply, req.url, 500, '服务器内部错误，请稍后重试');
  }
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return reply.status(414).send({ error: 'BAD_REQUEST', message: '请求地址过长' });
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    return reply.status(400).send({ error: 'BAD_REQUEST', message: '请求地址无效（含有无法解析的字符）' });
  }
  return reply.status(500).send({ error: 'INTERNAL', message: '服务器内部错误，请稍后重试' });
}

export function installErrorHandling(app: FastifyInstance) {
  // Validation is zod's, in route(): Fastify's own schemas only describe the API.
  app.setValidatorCompiler(() => () => true);
  app.setErrorHandler((err: any, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.statusCode).send({
        error: err.code,
        message: err.message,
        ...(err.field ? { field: err.field } : {}),
        ...(err.details ? { details: err.details } : {}),
      });
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.status(413).send({ error: 'TOO_LARGE', message: '上传内容超过大小限制', field: 'file' });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({ error: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的请求内容类型' });
    }
    if (status === 400 && (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError || err.code?.startsWith?.('FST_ERR_CTP'))) {
      return reply.status(400).send({ error: 'BAD_REQUEST', message: '请求体不是有效的 JSON', field: 'body' });
    }
    if (status === 429) {
      return reply.status(429).send({ error: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: 'BAD_REQUEST', message: '请求无效' });
    }
    // A broken multipart body makes the parser throw plain Errors without a status: the client's
    // fault (a cut-off upload, a missing boundary), not the server's.
    if (
      typeof req.isMultipart === 'function' && req.isMultipart() &&
      typeof err?.message === 'string' && /multipart|boundary/i.test(err.message)
    ) {
      return reply.status(400).send({ error: 'BAD_REQUEST', message: '文件：上传内容不完整或格式不正确', field: 'file' });
    }
    // The database unreachable or too busy right now: retryable, so 503 and not a server fault.
    const dbTrouble = databaseTrouble(err);
    if (dbTrouble) {
      req.log.warn({ db: describeDbError(err) }, 'database unavailable');
      return reply.status(503).header('retry-after', '5').send({ error: dbTrouble.code, message: dbTrouble.message });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: 'INTERNAL', message: '服务器内部错误，请稍后重试' });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: 'NOT_FOUND', message: `接口不存在：${req.method} ${req.url.split('?')[0]}` });
  });
}

/** Paging shared by every list: page from 1, pageSize up to 200. */
export const Paging = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('页码'),
  pageSize: z.coerce.number().int().min(1).max(200).default(20).describe('每页条数'),
});
