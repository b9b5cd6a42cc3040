import type { Credits } from '../../shared/api'
import type { Dimensions } from '../../shared/ops/geometry'
import { outputDimensions } from '../../shared/ops/geometry'
import type { UpscaleParams } from '../../shared/ops/params'
import { priceOf } from '../../shared/ops/pricing'
import { api, isApiError } from '../api/client'

type UpscaleRequest = { op: 'upscale'; parentImageId: string; params: UpscaleParams }

export interface UpscaleQuote {
	price: number
	width: number | null
	height: number | null
	/** The balance the server reported with the quote; null when unknown. */
	balance: number | null
}

/**
 * The exact price of an upscale before asking for it, from the server's quote. A server without
 * the quote endpoint (404) is priced here with `priceOf`, the function the server charges with,
 * from the parent's size; the balance then comes from the meter. Other refusals (a 422 for a
 * parent the op can't apply to, say) are thrown for the caller to explain.
 */
export async function quoteUpscale(
	boardId: string,
	request: UpscaleRequest,
	parent: Dimensions | null,
	credits: Credits | null | undefined,
): Promise<UpscaleQuote> {
	try {
		return await api.quoteJob(boardId, request)
	} catch (error) {
		if (!isApiError(error) || error.status !== 404 || !parent) throw error
		const output = outputDimensions('upscale', request.params, parent)
		return {
			price: priceOf(request, parent),
			width: output.width,
			height: output.height,
			balance: credits?.balance ?? null,
		}
	}
}

/** The sentence under a commit dialog's title: what the person gets for the price. */
export function upscaleDescription(index: number, params: UpscaleParams, quote: UpscaleQuote) {
	const size = quote.width && quote.height ? `a ${quote.width} × ${quote.height} final` : 'a final'
	const how =
		params.mode === 'subtle'
			? 'sharpened by the neural upscaler, true to the draft'
			: 'upscaled, then given new painted detail'
	return `Candidate ${index + 1} becomes ${size}, ${how}. Finals are framed on the board and listed under Finals.`
}
