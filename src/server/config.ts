import path from 'node:path';
import { z } from 'zod';

// Environment -> typed config. Every setting operators rely on is listed in CONTRACTS.md.
// An empty variable counts as unset, as shells and service files often leave them.
const flag = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true').optional(),
);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  RECTIFY_ADMIN_PASSWORD: z.string().optional(),
  RECTIFY_DEMO_PASSWORD: z.string().optional(),
  RECTIFY_DEMO: flag,
  RECTIFY_DATA_DIR: z.string().optional(),
  RECTIFY_FIELD_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, '须为 64 位十六进制').optional(),
  RECTIFY_UPLOAD_MAX_MB: z.coerce.number().positive().default(20),
  RECTIFY_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  RECTIFY_TRUST_PROXY: z.string().optional(),
  RECTIFY_PUBLIC_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, '须为 http(s):// 开头的网址，如 https://yjzd.example.gov.cn')
      .optional(),
  ),
  RECTIFY_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  RECTIFY_DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
  RECTIFY_DB_START_RETRY_SECONDS: z.coerce.number().int().min(0).default(60),
  RECTIFY_SECURE_COOKIE: flag,
  RECTIFY_PUBLIC_CHALLENGE: flag.transform((v) => v ?? true),
  RECTIFY_PUBLIC_RATE_LIMIT: z.coerce.number().int().min(0).default(20),
  RECTIFY_LOGIN_FAILS_PER_IP: z.coerce.number().int().min(0).default(100),
  RECTIFY_LOG_LEVEL: z.string().default('info'),
});

export interface Config {
  port: number;
  host: string;
  /** A SQLite file path or a postgres:// URL. */
  databaseUrl: string;
  dialect: 'sqlite' | 'postgres';
  databaseUrlFromEnv: boolean;
  adminPassword?: string;
  demoPassword?: string;
  demo: boolean;
  dataDir: string;
  fieldKeyHex?: string;
  uploadMaxBytes: number;
  sessionIdleMs: number;
  /**
   * Fastify's trustProxy: false (off), a hop count, or the proxies' addresses/CIDRs. Never `true`:
   * trusting every X-Forwarded-For hop would let any client choose its own address.
   */
  trustProxy: false | number | string[];
  /** The public base URL (no trailing slash) for links the server hands out (Open311 discovery); never the Host header. */
  publicUrl: string;
  /** PostgreSQL: longest statement and longest lock wait before the request is answered 503 (0: no limit). */
  dbStatementTimeoutMs: number;
  dbLockTimeoutMs: number;
  /** How long a start keeps retrying a database it cannot reach (seconds; 0: fail at once). */
  dbStartRetrySeconds: number;
  /** undefined: decide per request (Secure when the request came over HTTPS). */
  secureCookie?: boolean;
  publicChallenge: boolean;
  publicRateLimit: number;
  /** Failed logins per client address per hour before that address is refused (0: no limit). */
  loginFailsPerIp: number;
  logLevel: string;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * RECTIFY_TRUST_PROXY: unset/0/off → off; a whole number → that many proxy hops; otherwise a
 * comma-separated list of proxy addresses or CIDRs (127.0.0.1,10.0.0.0/8). "true"/"all" is refused.
 */
export function parseTrustProxy(raw: string | undefined): false | number | string[] {
  const v = (raw ?? '').trim();
  if (v === '' || v === '0' || /^(false|off|no)$/i.test(v)) return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (/^(true|all|yes|on|\*)$/i.test(v)) {
    throw new Error(
      '环境变量 RECTIFY_TRUST_PROXY 无效：不能信任所有代理（任何客户端都可伪造来源地址），请填写代理的地址（如 127.0.0.1,10.0.0.0/8）或代理层数（如 1）',
    );
  }
  const list = v.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = list.find((x) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x) && x !== 'loopback' && x !== 'linklocal' && x !== 'uniquelocal');
  if (bad) throw new Error(`环境变量 RECTIFY_TRUST_PROXY 无效：“${bad}”不是 IP 地址或网段`);
  return list;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`环境变量 ${String(issue.path[0])} 无效：${issue.message}`);
  }
  const e = parsed.data;
  const databaseUrl = e.DATABASE_URL || './data/rectify.db';
  const dialect = isPostgresUrl(databaseUrl) ? 'postgres' : 'sqlite';
  const dataDir = path.resolve(
    e.RECTIFY_DATA_DIR ?? (dialect === 'sqlite' ? path.dirname(path.resolve(databaseUrl)) : './data'),
  );
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl,
    dialect,
    databaseUrlFromEnv: Boolean(e.DATABASE_URL),
    adminPassword: e.RECTIFY_ADMIN_PASSWORD || undefined,
    demoPassword: e.RECTIFY_DEMO_PASSWORD || undefined,
    // The demo fills an empty database only for the zero-configuration start.
    demo: e.RECTIFY_DEMO ?? !e.DATABASE_URL,
    dataDir,
    fieldKeyHex: e.RECTIFY_FIELD_KEY,
    uploadMaxBytes: Math.round(e.RECTIFY_UPLOAD_MAX_MB * 1024 * 1024),
    sessionIdleMs: e.RECTIFY_SESSION_IDLE_MINUTES * 60_000,
    trustProxy: parseTrustProxy(e.RECTIFY_TRUST_PROXY),
    publicUrl: (e.RECTIFY_PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    dbStatementTimeoutMs: e.RECTIFY_DB_STATEMENT_TIMEOUT_MS,
    dbLockTimeoutMs: e.RECTIFY_DB_LOCK_TIMEOUT_MS,
    dbStartRetrySeconds: e.RECTIFY_DB_START_RETRY_SECONDS,
    secureCookie: e.RECTIFY_SECURE_COOKIE,
    publicChallenge: e.RECTIFY_PUBLIC_CHALLENGE,
    publicRateLimit: e.RECTIFY_PUBLIC_RATE_LIMIT,
    loginFailsPerIp: e.RECTIFY_LOGIN_FAILS_PER_IP,
    logLevel: e.RECTIFY_LOG_LEVEL,
  };
}
