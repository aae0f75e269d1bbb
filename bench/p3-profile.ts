/**
 * Where a P3 step's time goes, from ORT's own profiler: each node's kernel time as the minimum over the
 * profiled runs (on a shared machine a node is only ever slowed down by other work, so the minimum is its
 * cost), summed into parts: the big matmuls (frozen linears, lm_head), the LoRA products (a dimension of r,
 * 2r or 3r: one adapter, or the A products of a gate/up or q/k/v group), attention's batched matmuls, and
 * the elementwise ops by type. The big matmuls are also set beside the same products in the ceiling graph
 * (profiled the same way), so a slowdown inside the step shows apart from the work it adds; and the fastest
 * run's duration beside the summed kernels shows what ORT spends between nodes.
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
  /** The fastest profiled run, end to end (kernels plus ORT's work between them). */
  runMs: number;
  /** Time of that run outside any kernel: ORT's work between nodes. */
  betweenMs: number;
  parts: { part: string; ms: number }[];
  /** The elementwise and shape ops by type, largest first. */
  elementwise: { op: string; ms: number; nodes: number }[];
  /** The step's big matmuls beside the same products (same operand shapes) timed in the ceiling graph. */
  bigMatmuls?: { stepMs: number; aloneMs: number; worst: { shapes: string; nodes: number; stepMs: number; aloneMs: number }[] };
}

interface Kernel {
  dur: number;
  op: string;
  shapes: number[][];
}

function partOf(op: string, shapes: number[][], rank: number): string {
  if (op !== 'Gemm' && op !== 'MatMul' && op !== 'FusedMatMul') return 'elementwise';
  if ((shapes[0]?.length ?? 0) > 2) return 'attention';
  const lora = (d: number) => d === rank || d === 2 * rank || d === 3 * rank;
  return shapes.slice(0, 2).some((s) => s.some(lora)) ? 'lora' : 'big matmuls';
}

/** A product's operand shapes (A and B; Gemm's C left out), the key that pairs step and ceiling nodes. */
const shapeKey = (k: Kernel) => k.shapes.slice(0, 2).map((s) => s.join('×')).join(' · ');

/**
 * Each node's fastest kernel time after the first (warm-up) run, the fastest later run's duration, and the
 * part of that run spent outside kernels (ORT's scheduling and allocation between nodes).
 */
function readKernels(file: string): { kernels: Kernel[]; runMs: number; betweenMs: number } {
  const events = z.array(EventSchema).parse(JSON.parse(readFileSync(file, 'utf8')));
  const runs = events.filter((e) => e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const first = runs[0];
  const after = first ? first.ts + first.dur : 0;
  const best = new Map<string, Kernel>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < after) continue;
    const old = best.get(e.name);
    if (old && old.dur <= e.dur) continue;
    best.set(e.name, { dur: e.dur, op: e.args?.op_name ?? '?', shapes: (e.args?.input_type_shape ?? []).map((s) => Object.values(s)[0] ?? []) });
  }
  // between nodes: the fastest later run's duration less the kernel time inside it
  let runMs = 0;
  let betweenMs = 0;
  for (const r of runs.slice(1)) {
    if (runMs > 0 && r.dur / 1000 >= runMs) continue;
    let kernels = 0;
    for (const e of events) if (e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.ts >= r.ts && e.ts <= r.ts + r.dur) kernels += e.dur;
    runMs = r.dur / 1000;
    betweenMs = (r.dur - kernels) / 1000;
  }
  return { kernels: [...best.values()], runMs, betweenMs };
}

/** The step's big matmuls by operand shapes beside the ceiling's per-node time for the same shapes. */
function compareBigMatmuls(step: Kernel[], ceiling: Kernel[], rank: number): NonNullable<StepProfile['bigMatmuls']> {
  const group = (ks: Kernel[]) => {
    const m = new Map<string, { nodes: number; ms: number }>();
    for (const k of ks) {
      if (partOf(k.op, k.shapes, rank) !== 'big matmuls') continue;
      const v = m.get(shapeKey(k)) ?? { nodes: 0, ms: 0 };
      v.nodes += 1;
      v.ms += k.dur / 1000;
      m.set(shapeKey(k), v);
    }
    return m;
  };
  const alone = group(ceiling);
  const rows = [...group(step)].map(([shapes, s]) => {
    const a = alone.get(shapes);
    return { shapes, nodes: s.nodes, stepMs: s.ms, aloneMs: a ? (a.ms / a.nodes) * s.nodes : Number.NaN };
  });
  const sum = (xs: number[]) => xs.reduce((x, y) => x + (Number.isFinite(y) ? y : 0), 0);
  return {
    stepMs: sum(rows.map((r) => r.stepMs)),
    aloneMs: sum(rows.map((r) => r.aloneMs)),
    worst: rows.sort((a, b) => b.stepMs - b.aloneMs - (a.stepMs - a.aloneMs)),
  };
}

/**
 * Reads the ORT profile (JSON trace) of a step session whose first run was a warm-up, and, when given, the
 * profile of the ceiling graph run the same way.
 */
export function readStepProfile(file: string, rank: number, ceilingFile?: string): StepProfile {
  const { kernels, runMs, betweenMs } = readKernels(file);
  const parts = new Map<string, number>();
  const ew = new Map<string, { ms: number; nodes: number }>();
  let total = 0;
  for (const { dur, op, shapes } of kernels) {
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
    runMs,
    betweenMs,
    parts: [...parts].map(([part, ms]) => ({ part, ms })).sort((a, b) => b.ms - a.ms),
    elementwise: [...ew].map(([op, v]) => ({ op, ...v })).sort((a, b) => b.ms - a.ms),
    ...(ceilingFile ? { bigMatmuls: compareBigMatmuls(kernels, readKernels(ceilingFile).kernels, rank) } : {}),
  };
}
