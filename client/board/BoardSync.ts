import {
	atom,
	computed,
	createTLStore,
	createUserId,
	defaultBindingUtils,
	defaultShapeUtils,
	type Editor,
	type SerializedSchema,
	type Signal,
	type TLInstancePresence,
	type TLPageId,
	type TLRecord,
	type TLStore,
	UserRecordType,
} from 'tldraw'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { User } from '../../shared/api'
import { type JobProgress, META_KEY, SCHEMA_KEY, TL_RECORDS_KEY } from '../../shared/collab'
import { KeyValueReader } from '../../shared/readKeyValue'
import { BOARD_PAGE_ID } from '../../shared/records'
import type { ReviewMarks } from '../../shared/review'
import { arborShapeUtils } from '../shapes/arborShapeUtils'
import { type ConnectionState, connectionFromClose } from './connection'
import { watchJobStatuses } from './jobStatusWatch'
import {
	diffPresence,
	EMPTY_MARKS,
	type Person,
	presenceRecordsFor,
	readAwareness,
	sameMarks,
} from './presence'
import { publishPresence } from './publishPresence'
import type { BoardJobs } from './queueModel'
import {
	applyRemoteChanges,
	type KeyValueChange,
	localChangesToYjs,
	migrateRemoteRecords,
	type RemoteChanges,
	type SkippedRecord,
	yjsChangesToRemote,
} from './yjsBridge'

export interface BoardSyncOptions {
	boardId: string
	user: User
	/** Editors and owners write to the doc; viewers get a read-only store and no write bridge. */
	canEdit: boolean
	/** Base URL of the y-websocket endpoint; the board id is appended as the room. */
	wsBase?: string
}

/** Transactions this client makes in the doc, so their echo is not applied back to the store. */
const LOCAL_ORIGIN = Symbol('arbor-local')

function defaultWsBase(): string {
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`
}

/**
 * One board's live connection: a Y.Doc synced by y-websocket, a tldraw store bridged to it in both
 * directions (adapted from tldraw-yjs-example), and awareness mapped to presence and job progress.
 * State for React lives in atoms; `dispose()` tears everything down.
 */
export class BoardSync {
	readonly doc = new Y.Doc()
	/**
	 * The doc's records as this client sees them. Editors read and write through a YKeyValue;
	 * read-only peers (viewers, share-link viewers) through a reader that never writes: a YKeyValue
	 * deletes duplicate entries as they arrive — a write the server drops for them — and would so
	 * diverge from the board.
	 */
	readonly records: RecordsView
	/** Editors only: where the write bridge writes. */
	private readonly writable: YKeyValue<TLRecord> | null
	readonly meta: Y.Map<unknown>
	readonly provider: WebsocketProvider
	readonly store: TLStore
	readonly canEdit: boolean
	readonly connection = atom<ConnectionState>('connection', { kind: 'connecting' })
	/** True once the first full sync has been loaded into the store. */
	readonly isLoaded = atom('isLoaded', false)
	readonly people = atom<Person[]>('people', [])
	readonly jobs = atom<Record<string, JobProgress>>('jobs', {})
	/** Review badges from the server's awareness: each candidate's decision and open comments. */
	readonly review = atom<ReviewMarks>('review', EMPTY_MARKS)
	/** Other people presenting a review right now. */
	readonly presenters = atom<Person[]>('presenters', [])
	/** Whether this tab is presenting (others are offered to follow its viewport). */
	readonly presenting = atom('presenting', false)
	/** Pending and finished jobs as the nodes show them; a new value whenever a status moves. */
	readonly boardJobs: Signal<BoardJobs>

	private readonly self: Person
	private presence = new Map<TLInstancePresence['id'], TLInstancePresence>()
	private readonly disposers: (() => void)[] = []

	constructor(options: BoardSyncOptions) {
		const { user } = options
		this.canEdit = options.canEdit
		this.self = { id: user.id, name: user.name, color: user.color, isSelf: true }
		const array = this.doc.getArray<{ key: string; val: TLRecord }>(TL_RECORDS_KEY)
		this.writable = options.canEdit ? new YKeyValue(array) : null
		this.records = this.writable ? writableView(this.writable) : readOnlyView(array)
		this.meta = this.doc.getMap(META_KEY)
		const connection = this.connection
		this.store = createTLStore({
			shapeUtils: [...defaultShapeUtils, ...arborShapeUtils],
			bindingUtils: defaultBindingUtils,
			users: {
				currentUser: atom(
					'currentUser',
					UserRecordType.create({ id: createUserId(user.id), name: user.name, color: user.color }),
				),
			},
			collaboration: {
				mode: atom('mode', options.canEdit ? 'readwrite' : 'readonly'),
				status: computed('status', () =>
					connection.get().kind === 'online' ? 'online' : 'offline',
				),
			},
		})
		this.provider = new WebsocketProvider(
			options.wsBase ?? defaultWsBase(),
			options.boardId,
			this.doc,
			{ connect: false },
		)
		this.provider.awareness.setLocalState({
			user: { id: user.id, name: user.name, color: user.color },
			cursor: null,
		})
		const statuses = watchJobStatuses(this.store)
		this.boardJobs = statuses.jobs
		this.disposers.push(statuses.dispose)
		this.listen()
		this.provider.connect()
	}

	private listen() {
		const { provider } = this
		const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
			const current = this.connection.get().kind
			if (current === 'refused' || current === 'outdated') return
			// Once loaded, a retry is still "offline" to the person: their board is there, but stale.
			if (status === 'connecting') {
				this.connection.set({ kind: this.isLoaded.get() ? 'offline' : 'connecting' })
			}
			// "Online" waits for the first sync: before it, the canvas would show a stale or empty doc.
			if (status === 'connected' && provider.synced) this.connection.set({ kind: 'online' })
			if (status === 'disconnected') this.connection.set({ kind: 'offline' })
		}
		const onSync = (synced: boolean) => {
			if (!synced) return
			if (!this.isLoaded.get()) this.loadAll()
			const current = this.connection.get().kind
			if (current !== 'refused' && current !== 'outdated') this.connection.set({ kind: 'online' })
		}
		const onClosed = (event: { code: number; reason: string }) => {
			this.connection.set(connectionFromClose(event))
		}
		provider.on('status', onStatus)
		provider.on('sync', onSync)
		provider.on('closed', onClosed)
		this.disposers.push(() => {
			provider.off('status', onStatus)
			provider.off('sync', onSync)
			provider.off('closed', onClosed)
		})

		const onRecordsChange = (changes: Map<string, KeyValueChange>, transaction: Y.Transaction) => {
			// Yjs echoes our own transactions; skip them so the store doesn't loop.
			if (transaction.origin === LOCAL_ORIGIN || !this.isLoaded.get()) return
			this.applyRemote(yjsChangesToRemote(changes))
		}
		this.disposers.push(this.records.onChange(onRecordsChange))

		const onMeta = () => this.checkSchema()
		this.meta.observe(onMeta)
		this.disposers.push(() => this.meta.unobserve(onMeta))

		const onAwareness = () => this.readAwareness()
		provider.awareness.on('change', onAwareness)
		this.disposers.push(() => provider.awareness.off('change', onAwareness))
	}

	private theirSchema(): SerializedSchema | undefined {
		return this.meta.get(SCHEMA_KEY) as SerializedSchema | undefined
	}

	/** The doc was written by a newer Arbor: stop touching it until the page is reloaded. */
	private checkSchema(): boolean {
		const theirs = this.theirSchema()
		if (!theirs) return true
		const since = this.store.schema.getMigrationsSince(theirs)
		if (since.ok) return true
		this.connection.set({ kind: 'outdated' })
		return false
	}

	private loadAll() {
		if (!this.checkSchema()) return
		const inDoc = this.records.all()
		const docIds = new Set(inDoc.map((r) => r.id))
		// Records the store made up before the doc arrived (a default page, say) that the doc lacks.
		const stale = this.store
			.allRecords()
			.filter((r) => this.store.scopedTypes.document.has(r.typeName) && !docIds.has(r.id))
			.map((r) => r.id)
		this.applyRemote({ put: inDoc, remove: stale })
		this.isLoaded.set(true)
		if (this.canEdit) this.attachWriteBridge()
		this.readAwareness()
	}

	private applyRemote(changes: RemoteChanges) {
		const migrated = migrateRemoteRecords(this.store.schema, this.theirSchema(), changes.put)
		if (!migrated.ok) {
			this.connection.set({ kind: 'outdated' })
			return
		}
		for (const failed of migrated.failed) logSkipped(failed)
		applyRemoteChanges(this.store, { put: migrated.records, remove: changes.remove }, logSkipped)
	}

	/** Store → doc: only this user's document changes (never remote merges, never session state). */
	private attachWriteBridge() {
		const records = this.writable
		if (!records) return
		const unlisten = this.store.listen(
			({ changes }) => {
				if (this.connection.get().kind === 'outdated') return
				const writes = localChangesToYjs(changes)
				if (writes.set.length === 0 && writes.delete.length === 0) return
				this.doc.transact(() => {
					for (const record of writes.set) records.set(record.id, record)
					for (const id of writes.delete) records.delete(id)
				}, LOCAL_ORIGIN)
			},
			{ source: 'user', scope: 'document' },
		)
		this.disposers.push(unlisten)
	}

	private readAwareness() {
		const { awareness } = this.provider
		const view = readAwareness(awareness.getStates(), awareness.clientID, this.self)
		if (!samePeople(this.people.get(), view.people)) this.people.set(view.people)
		if (this.jobs.get() !== view.jobs) this.jobs.set(view.jobs)
		if (!sameMarks(this.review.get(), view.review)) this.review.set(view.review)
		if (!samePeople(this.presenters.get(), view.presenters)) this.presenters.set(view.presenters)
		if (!this.isLoaded.get()) return
		const next = presenceRecordsFor({
			peers: view.peers,
			pageId: BOARD_PAGE_ID as TLPageId,
			previous: this.presence,
			now: Date.now(),
		})
		const diff = diffPresence(this.presence, next)
		this.presence = next
		if (diff.put.length === 0 && diff.remove.length === 0) return
		applyRemoteChanges(this.store, diff, logSkipped)
	}

	/** Starts or stops presenting: everyone else is offered to follow this tab's viewport. */
	setPresenting(presenting: boolean) {
		this.presenting.set(presenting)
		this.provider.awareness.setLocalStateField('presenting', presenting)
	}

	/** Publishes this user's cursor and viewport while `editor` shows the board (see publishPresence). */
	attachEditor(editor: Editor): () => void {
		return publishPresence({ editor, awareness: this.provider.awareness })
	}

	dispose() {
		for (const dispose of this.disposers.splice(0)) dispose()
		this.provider.awareness.setLocalState(null)
		this.provider.destroy()
		this.records.destroy()
		this.doc.destroy()
	}
}

type RecordsListener = (changes: Map<string, KeyValueChange>, transaction: Y.Transaction) => void

/** The doc's records, read-only: every value, and a listener for changes (returns its remover). */
export interface RecordsView {
	all(): TLRecord[]
	onChange(listener: RecordsListener): () => void
	destroy(): void
}

function writableView(records: YKeyValue<TLRecord>): RecordsView {
	return {
		all: () => [...records.map.values()].map((entry) => entry.val),
		onChange(listener) {
			records.on('change', listener)
			return () => records.off('change', listener)
		},
		destroy: () => records.destroy(),
	}
}

function readOnlyView(array: Y.Array<{ key: string; val: TLRecord }>): RecordsView {
	const reader = new KeyValueReader(array)
	return {
		all: () => [...reader.map.values()],
		onChange(listener) {
			reader.on(listener)
			return () => reader.off(listener)
		},
		destroy: () => reader.destroy(),
	}
}

function samePeople(a: Person[], b: Person[]): boolean {
	return (
		a.length === b.length &&
		a.every((p, i) => p.id === b[i].id && p.name === b[i].name && p.color === b[i].color)
	)
}

function logSkipped(skipped: SkippedRecord) {
	// Skipped records stay in the doc untouched; the log is the only trace, with the record's id.
	console.warn('[arbor] skipped a remote record that the store rejected', skipped.id, skipped.error)
}
