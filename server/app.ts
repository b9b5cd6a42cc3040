import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import type { AppContext, AppEnv } from './context'
import { AppError, errorBody, renderError } from './errors'
import { admin } from './routes/admin'
import { auth } from './routes/auth'
import { boards } from './routes/boards'
import { images } from './routes/images'
import { jobs } from './routes/jobs'
import { me } from './routes/me'
import { ops } from './routes/ops'

/** JSON bodies are small (a prompt, some params); anything bigger is a mistake or an attack. */
const MAX_BODY_BYTES = 64 * 1024

function createApi() {
	return new Hono<AppEnv>()
		.use(
			bodyLimit({
				maxSize: MAX_BODY_BYTES,
				onError: (c) =>
					c.json(
						errorBody(
							'payload_too_large',
							`Request bodies are limited to ${MAX_BODY_BYTES / 1024} KiB.`,
						),
						413,
					),
			}),
		)
		.route('/auth', auth)
		.route('/me', me)
		.route('/admin', admin)
		.route('/ops', ops)
		.route('/boards', boards)
		.route('/boards/:boardId/jobs', jobs)
		.route('/boards/:boardId/images', images)
}

export type AppType = ReturnType<typeof createApi>

export function createApp(ctx: AppContext) {
	const app = new Hono<AppEnv>()
	app.use(async (c, next) => {
		c.set('ctx', ctx)
		await next()
	})
	app.route('/api', createApi())
	app.all('/api/*', () => {
		throw new AppError('not_found', 'No such API endpoint.')
	})
	app.onError((err, c) => {
		// Hono's own refusals (malformed JSON in a validated body…) keep our error shape.
		if (err instanceof HTTPException && err.status < 500)
			return c.json(errorBody('bad_request', err.message || 'Bad request.'), err.status)
		return renderError(err, c)
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
