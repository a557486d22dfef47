import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { route, SESSION_COOKIE, CSRF_COOKIE } from '../../platform/http.js';
import { changeOwnPassword, login, logout } from '../../platform/auth.js';
import { getMe } from './queries.js';
import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_RULE } from '../../../shared/validators.js';

const LoginBody = z.object({
  username: z.string().trim().min(1).max(64).describe('用户名'),
  password: z.string().min(1).max(128).describe('密码'),
});

const PasswordBody = z.object({
  oldPassword: z.string().min(1).max(128).describe('原密码（首次登录时为初始密码或重置后的一次性密码）'),
  // The rule itself is checked by passwordProblems (a Chinese message naming what is missing); the
  // description states it so API clients see the real rule rather than the bare length bounds.
  newPassword: z
    .string()
    .min(1)
    .max(PASSWORD_MAX)
    .meta({ minLength: PASSWORD_MIN, description: `新密码：${PASSWORD_RULE}，且不能与原密码相同` }),
});

// What the main routes answer, for the OpenAPI description.
const Ok = z.looseObject({ ok: z.literal(true) });
const LoginAnswer = z
  .object({
    ok: z.literal(true),
    userId: z.string(),
    mustChangePassword: z
      .boolean()
      .describe('为 true 时须先调用 POST /api/auth/password 修改密码，此前其他接口一律答复 403 PASSWORD_CHANGE_REQUIRED'),
    csrfToken: z.string().describe('此后的修改类请求须带请求头 X-CSRF-Token'),
  })
  .describe('登录成功，会话 Cookie rectify_sid 已设置');
const MeAnswer = z
  .looseObject({
    user: z.looseObject({ id: z.string(), username: z.string(), displayName: z.string(), personId: z.string().nullable() }),
    orgUnit: z.looseObject({ id: z.string(), name: z.string(), kind: z.string() }).nullable(),
    roles: z.array(z.object({ code: z.string(), name: z.string(), dataScope: z.string() })),
    permissions: z.array(z.string()),
    mustChangePassword: z.boolean(),
    csrfToken: z.string().optional(),
  })
  .describe('当前用户、所在单位、角色与权限');
const HealthAnswer = z.looseObject({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  version: z.string(),
  time: z.string(),
});

function setSessionCookies(req: FastifyRequest, reply: FastifyReply, token: string, csrf: string) {
  const secure = req.ctx.config.secureCookie ?? req.protocol === 'https';
  const base = { path: '/', sameSite: 'strict' as const, secure };
  reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
  // Readable by the page so it can echo it in X-CSRF-Token; useless to another site.
  reply.setCookie(CSRF_COOKIE, csrf, { ...base, httpOnly: false });
}

export function authRoutes(app: FastifyInstance) {
  route(app, {
    method: 'GET',
    url: '/api/health',
    auth: 'public',
    summary: '健康检查',
    tags: ['平台'],
    response: { 200: HealthAnswer },
    handler: async ({ ctx }) => {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ok', database: ctx.dialect, version: '0.1.0', time: ctx.now().toISOString() };
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/login',
    auth: 'public',
    summary: '登录',
    tags: ['认证'],
    body: LoginBody,
    response: { 200: LoginAnswer },
    handler: async ({ ctx, body, req, reply }) => {
      const r = await login(ctx, body.username, body.password, req.headers['user-agent'] ?? null);
      setSessionCookies(req, reply, r.token, r.csrfToken);
      return { ok: true, userId: r.userId, mustChangePassword: r.mustChangePassword, csrfToken: r.csrfToken };
    },
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/logout',
    summary: '退出登录',
    tags: ['认证'],
    duringPasswordChange: true,
    response: { 200: Ok },
    handler: async ({ ctx, actor, reply }) => {
      await logout(ctx, actor.sessionId!);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true };
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/me',
    summary: '当前用户、角色、权限与所在单位',
    tags: ['认证'],
    duringPasswordChange: true,
    response: { 200: MeAnswer },
    handler: async ({ ctx, actor, req }) => ({
      ...(await getMe(ctx, actor)),
      mustChangePassword: Boolean(req.mustChangePassword),
      csrfToken: req.sessionCsrf,
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/password',
    summary: '修改本人密码（首次登录或密码被重置后须先调用）',
    tags: ['认证'],
    body: PasswordBody,
    duringPasswordChange: true,
    response: { 200: Ok.describe('已修改：本账号的其他会话全部作废；当前会话换发新的 rectify_sid Cookie（CSRF 令牌不变），旧会话 Cookie 失效') },
    handler: async ({ ctx, body, req, reply }) => {
      const renewed = await changeOwnPassword(ctx, body.oldPassword, body.newPassword);
      // The session id changes with the password: the old cookie no longer works.
      if (renewed) setSessionCookies(req, reply, renewed.token, renewed.csrfToken);
      return { ok: true };
    },
  });
}
