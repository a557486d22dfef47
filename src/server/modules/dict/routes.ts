import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import {
  DictItemInput, DictItemPatch, DictItemsQuery, DictTypeInput, DictTypePatch,
} from '../../../shared/schemas/dict.js';
import * as cmd from './commands.js';
import { allDicts, listDictItems, listDictTypes, seesSystemDicts } from './queries.js';

const TypeParams = z.object({ type: z.string().min(1).max(40).describe('字典类型') });
const ItemParams = TypeParams.extend({ id: z.string().min(1).max(64).describe('字典项') });

export function dictRoutes(app: FastifyInstance) {
  const tags = ['数据字典'];
  route(app, {
    method: 'GET', url: '/api/dicts', summary: '字典类型列表（系统字典仅向 dict:write 持有者列出）', tags, permission: 'dict:read',
    handler: ({ ctx }) => listDictTypes(ctx),
  });
  route(app, {
    // Every page needs labels for codes, whatever the user's permissions.
    method: 'GET', url: '/api/dicts/all', summary: '全部启用的字典项（按类型分组，供页面显示名称）', tags,
    handler: ({ ctx }) => allDicts(ctx.db, seesSystemDicts(ctx)),
  });
  route(app, {
    method: 'POST', url: '/api/dicts', summary: '新增字典类型', tags, permission: 'dict:write', body: DictTypeInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createDictType(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/dicts/:type', summary: '修改字典类型', tags, permission: 'dict:write',
    params: TypeParams, body: DictTypePatch,
    handler: ({ ctx, params, body }) => cmd.updateDictType(ctx, params.type, body),
  });
  route(app, {
    method: 'GET', url: '/api/dicts/:type/items', summary: '字典项列表（includeDisabled=1 含已停用）', tags,
    permission: 'dict:read', params: TypeParams, query: DictItemsQuery,
    handler: ({ ctx, params, query }) => listDictItems(ctx, params.type, query.includeDisabled === '1'),
  });
  route(app, {
    method: 'POST', url: '/api/dicts/:type/items', summary: '新增字典项', tags, permission: 'dict:write',
    params: TypeParams, body: DictItemInput,
    handler: async ({ ctx, params, body, reply }) => reply.status(201).send(await cmd.createDictItem(ctx, params.type, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/dicts/:type/items/:id', summary: '修改字典项（编码不可改）', tags, permission: 'dict:write',
    params: ItemParams, body: DictItemPatch,
    handler: ({ ctx, params, body }) => cmd.updateDictItem(ctx, params.type, params.id, body),
  });
  route(app, {
    method: 'DELETE', url: '/api/dicts/:type/items/:id', summary: '删除字典项（仅自定义字典；内置字典项请停用）', tags,
    permission: 'dict:write', params: ItemParams,
    handler: ({ ctx, params }) => cmd.deleteDictItem(ctx, params.type, params.id),
  });
}
