import { useEffect, useState } from 'react'
import { api } from '../../api/client'
import type { NodeOrigin } from '../prompt/modelChoice'

// An image's origin never changes: one request per image for the whole session.
const known = new Map<string, NodeOrigin>()

/**
 * The model and engine a candidate's image came from (its provenance), for the steering bar;
 * null while it loads or when it can't be read (the bar then offers every op, the server decides).
 */
export function useNodeOrigin(boardId: string, imageId: string): NodeOrigin | null {
	const [origin, setOrigin] = useState<NodeOrigin | null>(() => known.get(imageId) ?? null)
	useEffect(() => {
		if (known.has(imageId)) {
			setOrigin(known.get(imageId) ?? null)
			return
		}
		const abort = new AbortController()
		api
			.getImage(boardId, imageId, { signal: abort.signal })
			.then((image) => {
				if (!('backend' in image)) return
				const found: NodeOrigin = {
					requested: image.requestedModel ?? null,
					madeWith: image.model,
					engine: image.backend,
				}
				known.set(imageId, found)
				setOrigin(found)
			})
			.catch(() => {
				// Unknown origin: the bar offers every op and the server's 422 explains a refusal.
			})
		return () => abort.abort()
	}, [boardId, imageId])
	return origin
}
