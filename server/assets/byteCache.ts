/**
 * Recently served small files, least recently used dropped first, bounded by bytes. A board
 * shows thousands of thumbnails of a few KiB each; reading each from disk is four thread-pool
 * round trips (open, stat, read, close) that cost more than the rest of the request. Holds only
 * content-addressed bytes, which never change, so an entry is never stale.
 */
export class ByteCache {
	private readonly entries = new Map<string, Buffer>()
	private bytes = 0

	/** @param maxBytes total size kept; a file larger than a tenth of it is never kept. */
	constructor(private readonly maxBytes: number) {
		if (!(maxBytes > 0)) throw new Error(`ByteCache: maxBytes must be positive, got ${maxBytes}`)
	}

	get(key: string): Buffer | undefined {
		const value = this.entries.get(key)
		if (value) {
			// Re-inserting moves it to the young end of the Map's insertion order.
			this.entries.delete(key)
			this.entries.set(key, value)
		}
		return value
	}

	set(key: string, value: Buffer): void {
		if (value.byteLength > this.maxBytes / 10) return
		const old = this.entries.get(key)
		if (old) {
			this.entries.delete(key)
			this.bytes -= old.byteLength
		}
		this.entries.set(key, value)
		this.bytes += value.byteLength
		for (const [oldest, bytes] of this.entries) {
			if (this.bytes <= this.maxBytes) break
			this.entries.delete(oldest)
			this.bytes -= bytes.byteLength
		}
	}

	get size(): number {
		return this.bytes
	}
}
