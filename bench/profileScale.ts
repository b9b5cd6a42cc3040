import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { launchChromium } from '../e2e/browser'
import { buildBoard, buildServer, buildUser, tempDir } from '../server/test/factories'
import { installOpenProbe, measurePan, recordImageBytes, waitForOpen } from './boardScalePage'
import { seedLargeBoard } from './boardSeed'

// Profiling aid (not part of `npm run bench`): opens the seeded board, goes to PROFILE_ZOOM
// (fit | quarter | one) and records Performance.getMetrics deltas and a CPU profile over one pan.
const NODES = Number(process.env.ARBOR_BENCH_NODES ?? 2000)
const ZOOM = process.env.PROFILE_ZOOM ?? 'fit'
const tmp = tempDir('arbor-prof-')
const clientDir = process.env.ARBOR_BENCH_CLIENT_DIR ?? join(tmp.dir, 'client')
if (!process.env.ARBOR_BENCH_CLIENT_DIR)
	execFileSync(
		join(import.meta.dirname, '..', 'node_modules', '.bin', 'vite'),
		['build', '--outDir', clientDir, '--emptyOutDir', '--logLevel', 'error'],
		{ cwd: join(import.meta.dirname, '..'), stdio: 'inherit' },
	)
const server = await buildServer({ dataDir: tmp.dir, env: { ARBOR_CLIENT_DIR: clientDir } })
const browser = await launchChromium()
try {
	const owner = await buildUser(server, 'Ada')
	const big = await buildBoard(server, owner, 'big')
	await seedLargeBoard(server, { boardId: big.id, userId: owner.id, nodes: NODES })
	const context = await browser.newContext({
		baseURL: server.url,
		viewport: { width: 1440, height: 900 },
		bypassCSP: true,
	})
	const [name, ...value] = owner.cookie.split('=')
	await context.addCookies([{ name, value: value.join('='), url: server.url }])
	const page = await context.newPage()
	await installOpenProbe(page, NODES)
	const images = await recordImageBytes(page)
	await page.goto(`/boards/${big.id}`)
	const open = await waitForOpen(page)
	console.log(
		'open',
		open.openMs.toFixed(0),
		'mounted',
		open.mountedMs.toFixed(0),
		'requests',
		images.bytes.size,
		'in view',
		open.imageIds.length,
	)
	await images.settled()
	const key = ZOOM === 'fit' ? 'Shift+Digit1' : 'Shift+Digit0'
	await page.keyboard.press(key)
	await page.waitForTimeout(1500)
	if (ZOOM === 'quarter')
		for (let i = 0; i < 2; i++) {
			await page.keyboard.press('Minus')
			await page.waitForTimeout(800)
		}
	const before = images.bytes.size
	await images.settled()
	console.log(
		'camera',
		await page.evaluate(`document.querySelector('.tl-html-layer').style.transform`),
		'requests after zoom',
		images.bytes.size - before,
	)
	await page.waitForFunction(
		`(() => { const c = document.querySelector('.tl-canvas').getBoundingClientRect(); return [...document.querySelectorAll('[data-testid="generation-node"] img')].filter((i) => { const r = i.getBoundingClientRect(); return r.width > 0 && r.right > c.left && r.bottom > c.top && r.left < c.right && r.top < c.bottom }).every((i) => i.complete) })()`,
		null,
		{ timeout: 300_000, polling: 500 },
	)
	await images.settled()
	console.log(
		'images in DOM',
		await page.evaluate(`document.querySelectorAll('[data-testid="generation-node"] img').length`),
		'requests total',
		images.bytes.size,
	)
	const variants: [string, string][] = (
		process.env.PROFILE_VARIANTS
			? JSON.parse(process.env.PROFILE_VARIANTS)
			: [
					['as is', ''],
					['overview hidden', '.arbor-overview { display: none !important }'],
					['shapes hidden', '.tl-shape { display: none !important }'],
					['will-change', '.tl-html-layer { will-change: transform }'],
					['as is again', ''],
				]
	) as [string, string][]
	for (const [label, css] of variants) {
		await page.evaluate(
			`(() => { let s = document.getElementById('prof-css'); if (!s) { s = document.createElement('style'); s.id = 'prof-css'; document.head.append(s) } s.textContent = ${JSON.stringify(css)} })()`,
		)
		await page.waitForTimeout(500)
		const pan = await measurePan(page, 1)
		console.log(
			label.padEnd(14),
			'pan fps',
			pan.fps.toFixed(1),
			'p95',
			pan.p95Ms.toFixed(1),
			'moved',
			pan.moved,
		)
	}
} finally {
	await browser.close()
	await server.close()
	tmp.remove()
}
