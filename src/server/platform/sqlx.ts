import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** Case-insensitive "contains" that treats % and _ in the user's text literally, on both dialects. */
export function contains(column: string, text: string): RawBuilder<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/** count(*) as a JS number on both dialects. */
export const countAll = () => sql<number>`count(*)`;
