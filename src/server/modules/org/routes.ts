import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route } from '../../platform/http.js';
import { OrgUnitInput, OrgUnitPatch, PartyOrgInput, PartyOrgPatch } from '../../../shared/schemas/org.js';
import * as cmd from './commands.js';
import { listOrgUnits, listPartyOrgs } from './queries.js';

const IdParams = z.object({ id: z.string().min(1).max(64).describe('编号') });

export function orgRoutes(app: FastifyInstance) {
  const tags = ['组织机构'];
  route(app, {
    method: 'GET', url: '/api/org-units', summary: '单位树（平铺列表）', tags, permission: 'org:read',
    handler: async ({ ctx, actor }) => {
      const items = await listOrgUnits(ctx, actor);
      return { items, total: items.length };
    },
  });
  route(app, {
    method: 'POST', url: '/api/org-units', summary: '新增单位', tags, permission: 'org:write', body: OrgUnitInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createOrgUnit(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/org-units/:id', summary: '修改或移动单位', tags, permission: 'org:write',
    params: IdParams, body: OrgUnitPatch,
    handler: async ({ ctx, params, body }) => cmd.updateOrgUnit(ctx, params.id, body),
  });
  route(app, {
    method: 'DELETE', url: '/api/org-units/:id', summary: '删除单位（须无下级、干警、账号）', tags,
    permission: 'org:write', params: IdParams,
    handler: async ({ ctx, params }) => cmd.deleteOrgUnit(ctx, params.id),
  });

  const ptags = ['党组织'];
  route(app, {
    method: 'GET', url: '/api/party-orgs', summary: '党组织树（平铺列表）', tags: ptags, permission: ['party:read', 'people:read'],
    handler: async ({ ctx, actor }) => {
      const items = await listPartyOrgs(ctx, actor);
      return { items, total: items.length };
    },
  });
  route(app, {
    method: 'POST', url: '/api/party-orgs', summary: '新增党组织', tags: ptags, permission: 'party:write', body: PartyOrgInput,
    handler: async ({ ctx, body, reply }) => reply.status(201).send(await cmd.createPartyOrg(ctx, body)),
  });
  route(app, {
    method: 'PATCH', url: '/api/party-orgs/:id', summary: '修改党组织', tags: ptags, permission: 'party:write',
    params: IdParams, body: PartyOrgPatch,
    handler: async ({ ctx, params, body }) => cmd.updatePartyOrg(ctx, params.id, body),
  });
  route(app, {
    method: 'DELETE', url: '/api/party-orgs/:id', summary: '删除党组织', tags: ptags, permission: 'party:write', params: IdParams,
    handler: async ({ ctx, params }) => cmd.deletePartyOrg(ctx, params.id),
  });
}
