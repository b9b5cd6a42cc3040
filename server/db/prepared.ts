import type { Db } from './client'

/**
 * One set of prepared queries per database, built on first use. A drizzle query built per call
 * re-renders its SQL and re-prepares the statement every time: ~0.3 ms each, which on the hot
 * read path (session → board → role → image, once per thumbnail and a board shows thousands)
 * cost more than serving the file. Prepared once, each is a plain better-sqlite3 statement run.
 * Keyed by the `Db` object, so test servers with their own databases never share statements.
 * @example const byId = preparedFor((db) => db.select().from(t).where(eq(t.id, sql.placeholder('id'))).prepare())
 *          byId(db).get({ id })
 */
export function preparedFor<T>(build: (db: Db) => T): (db: Db) => T {
	const cache = new WeakMap<Db, T>()
	return (db) => {
		let queries = cache.get(db)
		if (!queries) {
			queries = build(db)
			cache.set(db, queries)
		}
		return queries
	}
}
