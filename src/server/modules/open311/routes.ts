import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { databaseTrouble, describeDbError } from '../../platform/dberrors.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { Open311KeyInput, Open311KeyQuery } from '../../../shared/schemas/open311.js';
import { createKey, listKeys, revokeKey } from './keys.js';
import { mergeParams, OPEN311_MEDIA_MAX_BYTES, submitOpen311Request, type Open311Media } from './commands.js';
import {
  discovery, getRequest, listRequests, listServices, listUpdates, requestIdOfToken, serviceDefinition, type RequestView,
} from './queries.js';
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

/**
 * A multipart/form-data POST: its text fields, and the photo in the file part `media` (other file
 * parts are ignored). Fields here bypass the app's input hook; normalizeBody cleans them.
 */
async function readMultipart(req: FastifyRequest): Promise<{ body: Record<string, string | string[]>; media: Open311Media | null }> {
  const body: Record<string, string | string[]> = Object.create(null);
  let media: Open311Media | null = null;
  const tooLarge = () => new AppError(413, 'TOO_LARGE', `媒体文件（media）：超过大小限制（最大 ${OPEN311_MEDIA_MAX_BYTES / 1024 / 1024} MB）`, 'media');
  try {
    const parts = req.parts({ limits: { fileSize: OPEN311_MEDIA_MAX_BYTES, files: 5, fields: 100, parts: 105, fieldSize: 64 * 1024 } });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'media') {
          part.file.resume();
          continue;
        }
        if (media) throw badRequest('媒体文件（media）：每次只能附一个文件', 'media');
        const data = await part.toBuffer();
        if (part.file.truncated) throw tooLarge();
        media = { data, filename: part.filename || undefined };
      } else {
        if (part.valueTruncated) throw new AppError(413, 'TOO_LARGE', `参数（${part.fieldname}）：内容过长`, part.fieldname);
        const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        const cur = body[part.fieldname];
        body[part.fieldname] = cur === undefined ? value : Array.isArray(cur) ? [...cur, value] : [cur, value];
      }
    }
  } catch (err: any) {
    if (err instanceof AppError) throw err;
    if (err?.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT'].includes(err?.code)) {
      throw new AppError(413, 'TOO_LARGE', '请求体：参数或文件过多', 'body');
    }
    // A cut-off upload, a missing boundary: the client's fault.
    throw badRequest('请求体：multipart/form-data 格式不正确或内容不完整', 'body');
  }
  return { body, media };
}

function unknownPath(req: FastifyRequest, reply: FastifyReply) {
  return sendErrors(reply, formatOfUrl(req.url), 404, [`接口不存在：${req.method} ${req.url.split('?')[0]}`]);
}

const requestsXml = (items: object[]) => toXml('service_requests', xmlList('request', items as never[]));
const updatesXml = (items: object[]) => toXml('service_requests_updates', xmlList('request_update', items as never[]));

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
      return sendErrors(reply, format, 400, ['请求体：内容类型应为 application/x-www-form-urlencoded、multipart/form-data 或 application/json']);
    }
    if (status >= 400 && status < 500) return sendErrors(reply, format, 400, ['请求体：无法解析，请检查格式']);
    // The database unreachable or busy: retryable, 503 as on every other route, in the spec's shape.
    const db = databaseTrouble(err);
    if (db) {
      req.log.warn({ db: describeDbError(err) }, 'database unavailable');
      reply.header('retry-after', '5');
      return sendErrors(reply, format, 503, [db.message]);
    }
    req.log.error({ err }, 'unhandled error');
    return sendErrors(reply, format, 500, ['服务器内部错误，请稍后重试']);
  });
  // Everything readable is public (no key, as the spec says): any web page may read it. Not POST.
  o.addHook('onSend', async (req, reply, payload) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      reply.header('access-control-allow-origin', '*');
      reply.header('cross-origin-resource-policy', 'cross-origin');
    }
    return payload;
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
          const d = await discovery(req.ctx);
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
        v2.get(`/servicerequestupdates.${format}`, schema('意见办理动态（FixMyStreet 扩展，不含实名意见的答复内容）'), async (req, reply) => {
          const items = await listUpdates(req.ctx, (req.query ?? {}) as Record<string, unknown>);
          return send(reply, format, items, () => updatesXml(items));
        });
        v2.post(`/requests.${format}`, schema('GeoReport v2 提交意见（须 api_key；可 multipart 附照片 media）'), async (req, reply) => {
          const { body, media } = req.isMultipart() ? await readMultipart(req) : { body: req.body, media: null };
          // Parameters in the query string count too; the body wins.
          const r = await submitOpen311Request(req.ctx, mergeParams(req.query, body), media);
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
