import { createAuroraLayer } from './aurora'
import { createCloudsLayer } from './clouds'
import { createGridFloorLayer } from './gridFloor'
import { createMistLayer } from './mist'
import { createOrbLayer } from './orb'
import { createParticlesLayer } from './particles'
import { createRidgeLayer } from './ridge'
import { createSkylineLayer } from './skyline'
import { createStripesLayer } from './stripes'
import { createTreelineLayer } from './treeline'
import type { Layer, LayerSpec, PaintTarget } from './types'
import { createWaterLayer } from './water'

/** Turns a layer spec into its painter (precomputing profiles, noise and light maps). */
export function createLayer(spec: LayerSpec, target: PaintTarget): Layer {
	switch (spec.kind) {
		case 'orb':
			return createOrbLayer(spec, target)
		case 'clouds':
			return createCloudsLayer(spec, target)
		case 'particles':
			return createParticlesLayer(spec, target)
		case 'aurora':
			return createAuroraLayer(spec, target)
		case 'ridge':
			return createRidgeLayer(spec, target)
		case 'treeline':
			return createTreelineLayer(spec, target)
		case 'skyline':
			return createSkylineLayer(spec, target)
		case 'water':
			return createWaterLayer(spec, target)
		case 'gridFloor':
			return createGridFloorLayer(spec, target)
		case 'mist':
			return createMistLayer(spec, target)
		case 'stripes':
			return createStripesLayer(spec, target)
	}
}
