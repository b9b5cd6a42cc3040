import sharp from 'sharp'
import { fakeEngineParts, fakeRecord } from '../../engines/testing/fakeEngine'
import type { Engine } from '../../engines/types'
import type { GeneratedImage } from '../../shared/jobPayload'

export interface TestBackend extends Engine {
	calls(): number
	/** Prompts in the order their runs started. */
	started(): string[]
	/** Runs that saw their abort signal. */
	aborted(): number
	/** Lets every waiting run, and every later one, finish. */
	open(): void
	/** Lets the oldest waiting run finish. */
	releaseOne(): void
	/** Runs waiting at the gate. */
	waiting(): number
}

/**
 * A generator for queue tests, whatever the op: solid PNGs of the asked size, one colour per
 * seed (so each is a distinct asset). It reports 25 % at once, can fail its first `failures`
 * calls, and when `gated` holds every run until released — a long job we can catch mid-run.
 */
export function testBackend(
	options: { gated?: boolean; failures?: number; error?: () => Error } = {},
): TestBackend {
	let calls = 0
	let aborted = 0
	let opened = !options.gated
	const started: string[] = []
	const gate: (() => void)[] = []
	const info = { backend: 'test', model: 'solid', version: '1' }
	return {
		info,
		...fakeEngineParts(info),
		async generate(request, { signal, onProgress }): Promise<GeneratedImage[]> {
			calls += 1
			started.push(request.prompt)
			onProgress(0.25)
			if (calls <= (options.failures ?? 0))
				throw options.error?.() ?? new Error('CUDA out of memory')
			if (!opened)
				await new Promise<void>((resolve, reject) => {
					gate.push(resolve)
					signal.addEventListener(
						'abort',
						() => {
							aborted += 1
							reject(signal.reason)
						},
						{ once: true },
					)
				})
			signal.throwIfAborted()
			return Promise.all(
				request.seeds.map(async (seed, index) => ({
					index,
					seed,
					width: request.width,
					height: request.height,
					png: new Uint8Array(
						await sharp({
							create: {
								width: request.width,
								height: request.height,
								channels: 3,
								background: { r: seed % 256, g: (seed >> 8) % 256, b: (seed >> 16) % 256 },
							},
						})
							.png()
							.toBuffer(),
					),
					record: fakeRecord(info, seed),
				})),
			)
		},
		calls: () => calls,
		started: () => [...started],
		aborted: () => aborted,
		open() {
			opened = true
			for (const release of gate.splice(0)) release()
		},
		releaseOne: () => gate.shift()?.(),
		waiting: () => gate.length,
	}
}
