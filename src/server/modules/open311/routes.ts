import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { AppError, notFound } from '../../platform/errors.js';
import { Open311KeyInput, Open311KeyQuery } from '../../../shared/schemas/open311.js';
import { createKey, listKeys, revokeKey } from './keys.js';
import { submitOpen311Request } from './commands.js';
import { discovery, getRequest, listRequests, listServices, requestIdOfToken, serviceDefinition, type RequestView } from './queries.js';
import { formatOfUrl, send, sendErrors, splitFormat, toXml, xmlList, type Format } from './format.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

export function open311Routes(app: FastifyInstance) {
  const tags = ['Open311'];
  route(app, {
    method: 'GET', url: '/api/open311/keys', summary: 'Open311 接入密钥列表（不含密钥本身）', tags, permission: 'open311:keys',
    query: Open311KeyQuery,
    handler: ({ ctx, query }) => listKeys(ctx, query),
  });
  route(app, {
    method: 'POST', url: '/api/open311/keys', summary: '签发 Open311 接入密钥（密钥仅此一次显示）', tags, permission: 'open311:keys',
    body: Open311KeyInput,
    handler: async ({ ctx, body, reply }) =>
      reply.status(201).header('cache-control', 'no-store').send(await createKey(ctx, body.name)),
  });
  route(app, {
    method: 'DELETE', url: '/api/open311/keys/:id', summary: '撤销 Open311 接入密钥', tags, permission: 'open311:keys',
    params: IdParams,
    handler: ({ ctx, params }) => revokeKey(ctx, params.id),
  });

  app.register(geoReport, { prefix: '/open311' });
}

/** application/x-www-form-urlencoded, the spec's POST format; repeated names become arrays. */
function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of new URLSearchParams(body)) {
    const cur = out[k];
    out[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  return out;
}

function origin(req: FastifyRequest) {
  return `${req.protocol}://${req.host}`;
}

function unknownPath(req: FastifyRequest, reply: FastifyReply) {
  return sendErrors(reply, formatOfUrl(req.url), 404, [`接口不存在：${req.method} ${req.url.split('?')[0]}`]);
}

const requestsXml = (items: object[]) => toXml('service_requests', xmlList('request', items as never[]));

/** "{id}.{format}" from the path, or a 404 in the spec's format for anything else. */
function resource(file: string, what: string): { name: string; format: Format } {
  const f = splitFormat(file);
  if (!f || f.name.length > 64) throw notFound(`${what}：不存在`);
  return f;
}

/**
 * GeoReport v2 under /open311/v2, in its own encapsulated plugin: its own body parser, and errors
 * and unknown paths answered in the spec's error format (never the /api JSON shape).
 */
async function geoReport(o: FastifyInstance) {
  o.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseForm(String(body)));
  });

  o.setErrorHandler((err: any, req, reply) => {
    const format = formatOfUrl(req.url);
    if (err instanceof AppError) return sendErrors(reply, format, err.statusCode, [err.message]);
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status === 413) return sendErrors(reply, format, 413, ['请求体：超过大小限制']);
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendErrors(reply, format, 400, ['请求体：内容类型应为 application/x-www-form-urlencoded 或 application/json']);
    }
    if (status >= 400 && status < 500) return sendErrors(reply, format, 400, ['请求体：无法解析，请检查格式']);
    req.log.error({ err }, 'unhandled error');
    return sendErrors(reply, format, 500, ['服务器内部错误，请稍后重试']);
  });
  o.setNotFoundHandler(unknownPath);
  // Wildcards here, so a catch-all elsewhere (the web app's) never answers for an Open311 path.
  o.all('/', { schema: { hide: true } }, unknownPath);
  o.all('/*', { schema: { hide: true } }, unknownPath);

  o.register(
    async (v2) => {
      const schema = (summary: string) => ({ schema: { summary, tags: ['Open311'] } });
      for (const format of ['json', 'xml'] as const) {
        v2.get(`/discovery.${format}`, schema('GeoReport v2 服务发现'), async (req, reply) => {
          const d = await discovery(req.ctx, origin(req));
          return send(reply, format, d, () =>
            toXml('discovery', {
              ...d,
              endpoints: xmlList('endpoint', d.endpoints.map((e) => ({ ...e, formats: xmlList('format', e.formats) }))),
            }),
          );
        });
        v2.get(`/services.${format}`, schema('GeoReport v2 服务类别（意见类别）'), async (req, reply) => {
          const services = await listServices(req.ctx);
          return send(reply, format, services, () => toXml('services', xmlList('service', services as never[])));
        });
        v2.get(`/requests.${format}`, schema('GeoReport v2 查询意见（不含实名意见内容与个人信息）'), async (req, reply) => {
          const items = await listRequests(req.ctx, (req.query ?? {}) as Record<string, unknown>);
          return send(reply, format, items, () => requestsXml(items));
        });
        v2.post(`/requests.${format}`, schema('GeoReport v2 提交意见（须 api_key）'), async (req, reply) => {
          const r = await submitOpen311Request(req.ctx, req.body);
          const answer = [{ service_request_id: r.serviceRequestId, token: r.token, service_notice: r.serviceNotice, account_id: null }];
          // The notice holds the receipt code, shown this once: keep it out of every cache.
          reply.header('cache-control', 'no-store');
          return send(reply, format, answer, () => requestsXml(answer));
        });
      }
      v2.get('/services/:file', schema('GeoReport v2 服务定义（附加字段）'), async (req, reply) => {
        const { name, format } = resource((req.params as { file: string }).file, '服务类别（service_code）');
        const def = await serviceDefinition(req.ctx, name);
        return send(reply, format, def, () =>
          toXml('service_definition', {
            service_code: def.service_code,
            attributes: xmlList('attribute', def.attributes.map((a) => ({ ...a, values: xmlList('value', a.values) }))),
          }),
        );
      });
      v2.get('/requests/:file', schema('GeoReport v2 查询一条意见'), async (req, reply) => {
        const { name, format } = resource((req.params as { file: string }).file, '意见编号（service_request_id）');
        const one: RequestView = await getRequest(req.ctx, name);
        return send(reply, format, [one], () => requestsXml([one]));
      });
      v2.get('/tokens/:file', schema('GeoReport v2 由令牌查询意见编号'), async (req, reply) => {
        const { name, format } = resource((req.params as { file: string }).file, '令牌（token）');
        const one = await requestIdOfToken(req.ctx, name);
        return send(reply, format, [one], () => requestsXml([one]));
      });
    },
    { prefix: '/v2' },
  );
}
