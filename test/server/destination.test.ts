import { describe, expect, it } from 'vitest';
import { destinationOf } from '../../src/web/admin/auth/destination.js';

// Where the login sends a user: the page that sent them, else ?next= when it is a path of this site;
// never another site (an open redirect would let a phishing link borrow the platform's login).
describe('destination after signing in', () => {
  it('follows the router state, then a same-site ?next=, else home', () => {
    expect(destinationOf({ from: '/study/checkin?a=1' }, '?next=/field/')).toBe('/study/checkin?a=1');
    expect(destinationOf(null, '?next=/field/')).toBe('/field/');
    expect(destinationOf(null, '')).toBe('/');
  });
  it('refuses anything that leaves the site', () => {
    for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '/\\/evil']) {
      expect(destinationOf(null, `?next=${encodeURIComponent(next)}`), next).toBe('/');
    }
    expect(destinationOf({ from: 'https://evil.example/' }, '')).toBe('/');
  });
});
