import {
	docs,
	getPersistence,
	getYDoc,
	setPersistence,
	type WSSharedDoc,
} from '@y/websocket-server/utils'

// @y/websocket-server keeps process-wide state: one `docs` map (doc name → WSSharedDoc) and one
// persistence. Two collab instances in one process (tests, a restart in-process) would otherwise
// share docs by board id and fight over persistence. So each instance gets a namespace — its doc
// names are `arbor-<n>/<boardId>` (board ids cannot contain `/`) — and one process-wide persistence,
// installed on first use, routes bindState/writeState to the namespace that owns the doc.

export interface DocNamespaceHooks {
	/**
	 * Runs synchronously inside getYDoc when a doc is created, before any client can see it: the
	 * place to load stored state.
	 */
	bindState(boardId: string, doc: WSSharedDoc): void
	/**
	 * The package calls this when a doc's last connection closes, removes the doc from `docs` right
	 * after, and destroys the doc once the returned promise resolves.
	 */
	writeState(boardId: string, doc: WSSharedDoc): Promise<void>
}

export interface LoadedDoc {
	boardId: string
	doc: WSSharedDoc
	/** When `get` last returned this board's doc (ms since epoch). */
	lastUsed: number
}

export interface DocNamespace {
	/** The board's doc, loading it (synchronously, through bindState) if it is not in memory. */
	get(boardId: string): WSSharedDoc
	/** The board's doc if it is in memory; never loads one. */
	peek(boardId: string): WSSharedDoc | undefined
	/** Every doc of this namespace that is in memory. */
	loaded(): LoadedDoc[]
	/** Counts as a use of the board now (its idle time starts again). */
	touch(boardId: string): void
	/** Removes the doc from memory and destroys it. Only once its state is stored. */
	evict(boardId: string, doc: WSSharedDoc): void
	/**
	 * Puts a doc back in memory after the package dropped it (its store failed): re-added on a
	 * microtask, because the package deletes it from `docs` right after calling writeState.
	 */
	keep(boardId: string, doc: WSSharedDoc): void
	/** Stops routing this namespace's persistence. */
	close(): void
}

const SEPARATOR = '/'
const namespaces = new Map<string, DocNamespaceHooks>()
let instances = 0

function ownerOf(docName: string): { hooks: DocNamespaceHooks; boardId: string } | undefined {
	const at = docName.indexOf(SEPARATOR)
	if (at < 0) return undefined
	const hooks = namespaces.get(docName.slice(0, at))
	return hooks && { hooks, boardId: docName.slice(at + 1) }
}

const router = {
	provider: null,
	bindState(docName: string, doc: WSSharedDoc) {
		// A doc named outside every namespace stays a plain in-memory doc.
		ownerOf(docName)?.hooks.bindState(docName.slice(docName.indexOf(SEPARATOR) + 1), doc)
	},
	writeState(docName: string, doc: WSSharedDoc): Promise<void> {
		const owner = ownerOf(docName)
		return owner ? owner.hooks.writeState(owner.boardId, doc) : Promise.resolve()
	},
}

function installRouter() {
	// Replaces whatever was there (e.g. y-leveldb when YPERSISTENCE is set): the boards' store is
	// SQLite, and a second persistence would bind every doc twice.
	if (getPersistence() !== router) setPersistence(router)
}

export function createDocNamespace(hooks: DocNamespaceHooks): DocNamespace {
	installRouter()
	instances += 1
	const prefix = `arbor-${instances}`
	namespaces.set(prefix, hooks)
	const nameOf = (boardId: string) => `${prefix}${SEPARATOR}${boardId}`
	const lastUsed = new Map<string, number>()

	return {
		get(boardId) {
			lastUsed.set(boardId, Date.now())
			return getYDoc(nameOf(boardId))
		},
		peek: (boardId) => docs.get(nameOf(boardId)),
		touch(boardId) {
			if (docs.has(nameOf(boardId))) lastUsed.set(boardId, Date.now())
		},
		loaded() {
			const result: LoadedDoc[] = []
			for (const [name, doc] of docs) {
				if (!name.startsWith(`${prefix}${SEPARATOR}`)) continue
				const boardId = name.slice(prefix.length + 1)
				result.push({ boardId, doc, lastUsed: lastUsed.get(boardId) ?? 0 })
			}
			return result
		},
		evict(boardId, doc) {
			const name = nameOf(boardId)
			if (docs.get(name) === doc) docs.delete(name)
			if (!docs.has(name)) lastUsed.delete(boardId)
			doc.destroy()
		},
		keep(boardId, doc) {
			const name = nameOf(boardId)
			lastUsed.set(boardId, Date.now())
			queueMicrotask(() => {
				if (!docs.has(name)) docs.set(name, doc)
			})
		},
		close() {
			namespaces.delete(prefix)
		},
	}
}
