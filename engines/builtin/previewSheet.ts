import sharp from 'sharp'
import { PREVIEW_MAX_PX } from '../previews'
import type { PreviewImage } from '../types'

const BACKGROUND = 28

/**
 * The builtin painter's live preview: one sheet laid out like the node it will fill (2 × 2 cells
 * for a grid, one cell for a single image), each cell showing that candidate as far as it has been
 * painted, at most `PREVIEW_MAX_PX` on its longest side.
 */
export class PreviewSheet {
	readonly width: number
	readonly height: number
	private readonly cols: number
	private readonly cellW: number
	private readonly cellH: number
	private readonly rgb: Uint8Array

	constructor(count: number, imageWidth: number, imageHeight: number) {
		this.cols = count > 1 ? 2 : 1
		const rows = Math.ceil(count / this.cols)
		const scale = Math.min(
			PREVIEW_MAX_PX / this.cols / imageWidth,
			PREVIEW_MAX_PX / rows / imageHeight,
			1,
		)
		this.cellW = Math.max(1, Math.floor(imageWidth * scale))
		this.cellH = Math.max(1, Math.floor(imageHeight * scale))
		this.width = this.cellW * this.cols
		this.height = this.cellH * rows
		this.rgb = new Uint8Array(this.width * this.height * 3).fill(BACKGROUND)
	}

	/** Draws candidate `index` (RGB, `width` × `height`) into its cell, area-averaged. */
	place(index: number, image: { rgb: Uint8Array; width: number; height: number }): void {
		const { rgb, width: sw, height: sh } = image
		const ox = (index % this.cols) * this.cellW
		const oy = Math.floor(index / this.cols) * this.cellH
		for (let y = 0; y < this.cellH; y++) {
			const y0 = Math.floor((y * sh) / this.cellH)
			const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * sh) / this.cellH))
			for (let x = 0; x < this.cellW; x++) {
				const x0 = Math.floor((x * sw) / this.cellW)
				const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * sw) / this.cellW))
				let r = 0
				let g = 0
				let b = 0
				for (let sy = y0; sy < y1; sy++) {
					for (let sx = x0; sx < x1; sx++) {
						const i = (sy * sw + sx) * 3
						r += rgb[i]
						g += rgb[i + 1]
						b += rgb[i + 2]
					}
				}
				const n = (y1 - y0) * (x1 - x0)
				const o = ((oy + y) * this.width + ox + x) * 3
				this.rgb[o] = r / n
				this.rgb[o + 1] = g / n
				this.rgb[o + 2] = b / n
			}
		}
	}

	async encode(): Promise<PreviewImage> {
		const bytes = await sharp(this.rgb, {
			raw: { width: this.width, height: this.height, channels: 3 },
		})
			.webp({ quality: 70 })
			.toBuffer()
		return {
			mime: 'image/webp',
			bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
		}
	}
}
