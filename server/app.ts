import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { INTERNAL_PATH } from '../shared/internalApi'
import type { AppContext, AppEnv } from './context'
import { AppError, errorBody, renderError } from './errors'
import { createOriginPolicy } from './http/originPolicy'
import { jsonBodies, sameOriginWrites } from './middleware/crossSite'
import { securityHeaders } from './middleware/securityHeaders'
import { admin } from './routes/admin'
import { audit } from './routes/audit'
import { auth } from './routes/auth'
import { boards } from './routes/boards'
import { engines } from './routes/engines'
import { health, metrics } from './routes/health'
import { images } from './routes/images'
import { createInternalApi } from './routes/internal'
import { invitations } from './routes/invitations'
import { jobs } from './routes/jobs'
import { me } from './routes/me'
import { models } from './routes/models'
import { ops } from './routes/ops'
import { publications } from './routes/publications'
import { queue } from './routes/queue'
import { review } from './routes/review'
import { share } from './routes/share'
import { shareLinks } from './routes/shareLinks'
import { uploads } from './routes/uploads'

/** JSON bodies are small (a prompt, some params); anything bigger is a mistake or an attack. */
const MAX_BODY_BYTES = 64 * 1024

const smallBodies = bodyLimit({
	maxSize: MAX_BODY_BYTES,
	onError: (c) =>
		c.json(
			errorBody('payload_too_large', `Request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB.`),
			413,
		),
})

/**
 * The one route whose body is not JSON: an image's bytes, with its own, larger limit. Matched
 * exactly (method and whole path), so no other route inherits its exemptions.
 */
const UPLOAD_ROUTE = /^\/api\/boards\/[^/]+\/uploads$/
export const isUploadRequest = (method: string, path: string) =>
	method === 'POST' && UPLOAD_ROUTE.test(path)

function createApi() {
	return new Hono<AppEnv>()
		.route('/auth', auth)
		.route('/me', me)
		.route('/admin', admin)
		.route('/ops', ops)
		.route('/models', models)
		.route('/engines', engines)
		.route('/boards', boards)
		.route('/invitations', invitations)
		.route('/boards/:boardId/jobs', jobs)
		.route('/boards/:boardId/images', images)
		.route('/boards/:boardId/uploads', uploads)
		.route('/boards/:boardId/queue', queue)
		.route('/boards/:boardId', review)
		.route('/boards/:boardId', publications)
		.route('/boards/:boardId/share-links', shareLinks)
		.route('/boards/:boardId/audit', audit)
		.route('/share', share)
		.route('/health', health)
}

export type AppType = ReturnType<typeof createApi>

export function createApp(ctx: AppContext) {
	const app = new Hono<AppEnv>()
	app.use(securityHeaders())
	app.use(async (c, next) => {
		c.set('ctx', ctx)
		await next()
	})
	app.use(
		'/api/*',
		sameOriginWrites(createOriginPolicy(ctx.config)),
		jsonBodies({ except: isUploadRequest }),
		async function smallBodiesButUploads(c, next) {
			if (isUploadRequest(c.req.method, c.req.path)) return next()
			return smallBodies(c, next)
		},
	)
	app.route('/api', createApi())
	app.all('/api/*', () => {
		throw new AppError('not_found', 'No such API endpoint.')
	})
	// Queue-mode workers only; without REDIS_URL no worker may touch jobs the server runs itself.
	app.route(
		INTERNAL_PATH,
		createInternalApi(ctx.config.REDIS_URL ? ctx.config.ARBOR_WORKER_TOKEN : undefined),
	)
	app.all(`${INTERNAL_PATH}/*`, () => {
		throw new AppError('not_found', 'No such internal endpoint.')
	})
	app.route('/metrics', metrics)
	app.onError((err, c) => {
		// Hono's own refusals (malformed JSON in a validated body…) keep our error shape.
		if (err instanceof HTTPException && err.status < 500)
			return c.json(errorBody('bad_request', err.message || 'Bad request.'), err.status)
		return renderError(err, c, ctx.logger)
	})
	mountClient(app, ctx.config.ARBOR_CLIENT_DIR)
	return app
}

/** Serves the built client; any other path gets index.html so client-side routes load. */
function mountClient(app: Hono<AppEnv>, dir: string) {
	const index = join(dir, 'index.html')
	if (!existsSync(index)) {
		app.get('*', (c) =>
			c.text('The Arbor client is not built yet. Run `npm run build` (npm start does it).', 503),
		)
		return
	}
	app.use('/assets/*', async (c, next) => {
		await next()
		// Vite names built files by content hash.
		if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable')
	})
	app.use('*', serveStatic({ root: dir }))
	app.get('*', (c) => {
		c.header('Cache-Control', 'no-cache')
		// Read per request (it is small and cached by the OS) so a rebuild needs no restart.
		return c.html(readFileSync(index, 'utf8'))
	})
}
