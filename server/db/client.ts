import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import * as schema from './schema'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle')

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date. Migrations are
 * synchronous and idempotent, so this is safe on every start.
 */
export function openDb(file: string): Db {
	mkdirSync(dirname(file), { recursive: true })
	const sqlite = new Database(file)
	sqlite.pragma('journal_mode = WAL')
	sqlite.pragma('synchronous = NORMAL')
	sqlite.pragma('foreign_keys = ON')
	// Another connection (a second server, a CLI) may hold the write lock briefly.
	sqlite.pragma('busy_timeout = 5000')
	const db = drizzle(sqlite, { schema }) as Db
	migrate(db, { migrationsFolder: MIGRATIONS })
	return db
}
