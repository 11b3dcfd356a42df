// Prepared statements, compiled once per SQL text and reused (better-sqlite3 prepare is not free).
import type { Database, Statement } from 'better-sqlite3';

export function statementCache(db: Database): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
