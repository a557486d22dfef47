import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { route, SESSION_COOKIE, CSRF_COOKIE } from '../../platform/http.js';
import { changeOwnPassword, login, logout } from '../../platform/auth.js';
import { getMe } from './queries.js';

const LoginBody = z.object({
  username: z.string().trim().min(1).max(64).describe('用户名'),
  password: z.string().min(1).max(128).describe('密码'),
});

const PasswordBody = z.object({
  oldPassword: z.string().min(1).max(128).describe('原密码'),
  newPassword: z.string().min(1).max(128).describe('新密码'),
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
    handler: async ({ ctx, actor, req }) => ({
      ...(await getMe(ctx, actor)),
      mustChangePassword: Boolean(req.mustChangePassword),
      csrfToken: req.sessionCsrf,
    }),
  });

  route(app, {
    method: 'POST',
    url: '/api/auth/password',
    summary: '修改本人密码',
    tags: ['认证'],
    body: PasswordBody,
    duringPasswordChange: true,
    handler: async ({ ctx, body, req, reply }) => {
      const renewed = await changeOwnPassword(ctx, body.oldPassword, body.newPassword);
      // The session id changes with the password: the old cookie no longer works.
      if (renewed) setSessionCookies(req, reply, renewed.token, renewed.csrfToken);
      return { ok: true };
    },
  });
}
