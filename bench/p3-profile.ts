/**
 * Where a P3 step's time goes, from ORT's own profiler: each node's kernel time as the minimum over the
 * profiled runs (on a shared machine a node is only ever slowed down by other work, so the minimum is its
 * cost), summed into parts: the big matmuls (frozen linears, lm_head), the LoRA products (a dimension of r,
 * 2r or 3r: one adapter, or the A products of a gate/up or q/k/v group), attention's batched matmuls, and
 * the elementwise ops by type.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const EventSchema = z.looseObject({
  cat: z.string().optional(),
  name: z.string(),
  dur: z.number(),
  ts: z.number(),
  args: z.looseObject({ op_name: z.string().optional(), input_type_shape: z.array(z.record(z.string(), z.array(z.number()))).optional() }).optional(),
});

/** Milliseconds per part of one run (the sum of per-node minimums), largest first. */
export interface StepProfile {
  totalMs: number;
  parts: { part: string; ms: number }[];
  /** The elementwise and shape ops by type, largest first. */
  elementwise: { op: string; ms: number; nodes: number }[];
}

function partOf(op: string, shapes: number[][], rank: number): string {
  if (op !== 'Gemm' && op !== 'MatMul' && op !== 'FusedMatMul') return 'elementwise';
  if ((shapes[0]?.length ?? 0) > 2) return 'attention';
  const lora = (d: number) => d === rank || d === 2 * rank || d === 3 * rank;
  return shapes.slice(0, 2).some((s) => s.some(lora)) ? 'lora' : 'big matmuls';
}

/** Reads an ORT profile file (JSON trace) of a session whose first run was a warm-up. */
export function readStepProfile(file: string, rank: number): StepProfile {
  const events = z.array(EventSchema).parse(JSON.parse(readFileSync(file, 'utf8')));
  const runs = events.filter((e) => e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const first = runs[0];
  const after = first ? first.ts + first.dur : 0;
  const best = new Map<string, { dur: number; op: string; shapes: number[][] }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < after) continue;
    const old = best.get(e.name);
    if (old && old.dur <= e.dur) continue;
    best.set(e.name, { dur: e.dur, op: e.args?.op_name ?? '?', shapes: (e.args?.input_type_shape ?? []).map((s) => Object.values(s)[0] ?? []) });
  }
  const parts = new Map<string, number>();
  const ew = new Map<string, { ms: number; nodes: number }>();
  let total = 0;
  for (const { dur, op, shapes } of best.values()) {
    const ms = dur / 1000;
    total += ms;
    const part = partOf(op, shapes, rank);
    parts.set(part, (parts.get(part) ?? 0) + ms);
    if (part === 'elementwise') {
      const v = ew.get(op) ?? { ms: 0, nodes: 0 };
      v.ms += ms;
      v.nodes += 1;
      ew.set(op, v);
    }
  }
  return {
    totalMs: total,
    parts: [...parts].map(([part, ms]) => ({ part, ms })).sort((a, b) => b.ms - a.ms),
    elementwise: [...ew].map(([op, v]) => ({ op, ...v })).sort((a, b) => b.ms - a.ms),
  };
}
