import { z } from 'zod';

/** `ref-logps.json` (apart from ref-logps.ts, which needs the ONNX runtime): the reference model's summed log-probs of every pair, computed once before DPO training. */
export const RefLogpsFileSchema = z.strictObject({
  version: z.literal(1),
  key: z.string().describe('SHA-256 of the run settings (base, data, max length) the values belong to.'),
  values: z.array(z.tuple([z.number(), z.number()])).describe('Per pair: log π_ref(chosen), log π_ref(rejected), in dataset order.'),
});
