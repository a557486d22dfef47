import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/http.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../src/shared/validators.js';

// The published API description: real answer shapes for the main routes, the error shape on
// every route, and the real password rule. Describing answers must never trim them.

describe('OpenAPI description', () => {
  let s: TestServer;
  let doc: any;
  beforeAll(async () => {
    s = await startServer('sqlite');
    const r = await s.client().get('/api/openapi.json');
    expect(r.status).toBe(200);
    doc = r.body;
  });
  afterAll(async () => s?.close());

  const op = (method: string, path: string) => doc.paths[path][method];
  const answer = (method: string, path: string, status: string) => op(method, path).responses[status].content['application/json'].schema;

  it('is OpenAPI 3.0 with every route, each /api route documenting the error answer', () => {
    expect(doc.openapi).toBe('3.0.3');
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(60);
    // Open311 answers in its own (GeoReport) error format, described by its own routes.
    for (const [path, ops] of Object.entries<any>(doc.paths).filter(([p]) => p.startsWith('/api/'))) {
      for (const [method, o] of Object.entries<any>(ops)) {
        expect(o.responses['4XX'], `${method} ${path}`).toBeTruthy();
        expect(o.responses['4XX'].content['application/json'].schema.properties).toHaveProperty('message');
        expect(o.responses['503'], `${method} ${path}`).toBeTruthy();
      }
    }
    // No JSON Schema 2020-12 type lists, which OpenAPI 3.0 does not know.
    expect(JSON.stringify(doc)).not.toMatch(/"type":\[/);
  });

  it('states the real password rule for a new password', () => {
    const body = op('post', '/api/auth/password').requestBody.content['application/json'].schema;
    expect(body.properties.newPassword.minLength).toBe(PASSWORD_MIN);
    expect(body.properties.newPassword.maxLength).toBe(PASSWORD_MAX);
    expect(body.properties.newPassword.description).toContain('至少三类');
    expect(body.required).toEqual(expect.arrayContaining(['oldPassword', 'newPassword']));
  });

  it('describes what the main routes answer', () => {
    const login = answer('post', '/api/auth/login', '200');
    expect(Object.keys(login.properties)).toEqual(expect.arrayContaining(['mustChangePassword', 'csrfToken', 'userId']));
    expect(login.properties.mustChangePassword.description).toContain('PASSWORD_CHANGE_REQUIRED');
    expect(Object.keys(answer('get', '/api/me', '200').properties)).toEqual(expect.arrayContaining(['user', 'roles', 'permissions', 'mustChangePassword']));
    expect(answer('get', '/api/health', '200').properties.database.enum).toEqual(['sqlite', 'postgres']);
    const people = answer('get', '/api/people', '200');
    expect(Object.keys(people.properties)).toEqual(expect.arrayContaining(['items', 'total']));
    expect(Object.keys(people.properties.items.items.properties)).toEqual(expect.arrayContaining(['id', 'name', 'orgUnitName', 'idNumber', 'phone']));
    expect(answer('get', '/api/people/{id}', '200').properties.revealed.type).toBe('boolean');
    expect(answer('post', '/api/people', '201').properties.id.type).toBe('string');
    expect(answer('post', '/api/public/opinions', '201').properties.receiptCode.type).toBe('string');
    const track = answer('get', '/api/public/opinions/{code}', '200');
    expect(Object.keys(track.properties)).toEqual(expect.arrayContaining(['status', 'history', 'reply', 'canRate']));
    expect(track.properties.reply.nullable).toBe(true);
    const stats = answer('get', '/api/stats', '200');
    expect(Object.keys(stats.properties.opinions.properties)).toEqual(expect.arrayContaining(['total', 'onTimeReplyRate', 'satisfactionRate']));
  });

  it('answers are sent whole, not trimmed to the documented shape', async () => {
    const admin = await s.as('admin');
    const me = await admin.get('/api/me');
    expect(me.body.orgUnit).toHaveProperty('path'); // not in the documented shape
    const list = await admin.get('/api/people?pageSize=1');
    expect(list.status).toBe(200);
    expect(Object.keys(list.body)).toEqual(expect.arrayContaining(['items', 'total']));
    expect(list.body.items[0]).toHaveProperty('updatedAt');
    const wrong = await s.client().post('/api/auth/login', { username: 'admin', password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  });
});
