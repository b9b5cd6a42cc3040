import { Hono } from 'hono'
import { OP_NAMES, OPS } from '../../shared/ops/catalogue'
import type { AppEnv } from '../context'

export const ops = new Hono<AppEnv>().get('/', (c) =>
	c.json({ ops: OP_NAMES.map((name) => ({ ...OPS[name], price: OPS[name].cost })) }),
)
