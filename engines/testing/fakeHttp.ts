import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Small pieces the engine fakes share: a server on port 0, bodies, JSON answers. */

export async function readBody(req: IncomingMessage): Promise<Buffer> {
	const parts: Buffer[] = []
	for await (const part of req) parts.push(part as Buffer)
	return Buffer.concat(parts)
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	if (res.writableEnded || res.destroyed) return
	const text = JSON.stringify(body)
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	})
	res.end(text)
}

export interface Listening {
	server: Server
	url: string
	/** Closes the server and every open connection (a hanging request included). */
	close(): Promise<void>
}

/** Starts `handler` on 127.0.0.1, port 0. A handler that throws answers 500. */
export async function listen(
	handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<Listening> {
	const server = createServer((req, res) => {
		handler(req, res).catch((err: unknown) => {
			sendJson(res, 500, { error: 'FakeServerError', detail: String(err) })
		})
	})
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const { port } = server.address() as AddressInfo
	return {
		server,
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections()
				server.close(() => resolve())
			}),
	}
}

/** Hash of a string to 32 bits (FNV-1a): the fakes' pixels depend on their inputs. */
export function hash32(text: string): number {
	let h = 0x811c9dc5
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i)
		h = Math.imul(h, 0x01000193) >>> 0
	}
	return h >>> 0
}

/** An RGB colour from a 32-bit number. */
export function colourOf(n: number): [number, number, number] {
	return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff]
}
