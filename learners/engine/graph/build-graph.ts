import { type LlamaConfig, type LlamaWeights, linearShapes } from '../../../backends/onnx/llama-config.js';
import type { OnnxGraph } from '../../../backends/onnx/onnx-model.js';
import { type GroupMember, add, attention, gatherRows, linear, linearGroup, mergeHeads, rmsNorm, splitHeads, swiglu } from './layers.js';
import { lossHead } from './loss-head.js';
import { ropeHeads, ropeTables } from './rope.js';
import { DROPOUT_BACKWARD_SUFFIX, type GraphSpec, type LoraTarget, dropoutMaskName, dropoutMaskShapes, loraGroups, loraScale, moduleKey, trainableShapes } from './spec.js';
import { GradTape, type Val } from './tape.js';

/** A generated graph and the names of what it reads and writes. */
export interface BuiltGraph {
  graph: OnnxGraph;
  spec: GraphSpec;
  /** Float inputs the host feeds each run besides the batch tensors: base weights fed as inputs, LoRA tensors. */
  parameterInputs: string[];
  /** Shapes of the parameter inputs. */
  inputShapes: Map<string, number[]>;
  /** Tensors with a `grad.<name>` output, in order. */
  trainable: string[];
  /**
   * Dropout mask inputs `dropout.<module>` (empty when dropout is 0 or no training); each also has an input
   * `dropout.<module>` + DROPOUT_BACKWARD_SUFFIX, fed the same mask, for the backward (see `LoraDropout`).
   */
  dropoutMasks: string[];
  nodeCount: number;
}

/**
 * How base weights enter the graph: `inputs` (fed by the host each run, shared by every bucket's session;
 * required for full fine-tuning) or `initializers` (constants in the model file, which ORT may pre-pack).
 */
export type WeightPlacement = { kind: 'inputs' } | { kind: 'initializers'; weights: LlamaWeights };

/**
 * Generates one ONNX graph (opset 17; onnxruntime's fused RMSNorm and rotary kernels in float32 unless
 * `spec.fusedOps` is false, standard ops otherwise) for a Llama decoder that computes the loss of
 * `spec.loss` and the gradient of every trainable tensor (`grad.<name>` outputs, same shape and layout as
 * the tensor), plus `loss`, `seq_logps` [B] and `token_logps` [T]. Batch inputs: `input_ids` int64 [B·S],
 * `attn_bias` [B,1,S,S] additive (RoPE tables are constants of the bucket's graph),
 * `target_rows` int64 [T] (when T < B·S) and the loss head's inputs (see `lossHead`).
 * Throws when the config and spec disagree (DPO with an odd batch, full fine-tuning with initializer weights).
 */
export function buildTrainingGraph(c: LlamaConfig, spec: GraphSpec, placement: WeightPlacement = { kind: 'inputs' }): BuiltGraph {
  const { batchSize: B, seqLen: S, targetRows: T } = spec;
  const N = B * S;
  const { hiddenSize: H, headDim: D, numHeads: NH, numKvHeads: NKV } = c;
  if (spec.loss === 'dpo' && B % 2 !== 0) throw new Error(`DPO needs an even batch (chosen rows, then rejected rows), got ${B}`);
  if (T > N || T < 1) throw new Error(`targetRows ${T} must be within 1..${N}`);
  if (spec.full && placement.kind !== 'inputs') throw new Error('full fine-tuning needs the base weights fed as inputs');
  const t = new GradTape(spec.precision, { fusedOps: spec.fusedOps !== false });
  const training = spec.loss !== 'logprobs';
  const trainable = trainableShapes(c, spec).map((x) => x.name);
  const trainableSet = new Set(trainable);
  const parameterInputs: string[] = [];
  const inputShapes = new Map<string, number[]>();

  const param = (name: string, shape: number[]): Val => {
    if (placement.kind === 'initializers') {
      const w = placement.weights.get(name);
      if (!w) throw new Error(`missing weight ${name}`);
      if (w.shape.join(',') !== shape.join(',')) throw new Error(`weight ${name} has shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`);
      return t.plain(t.constant(w.data, shape, name), shape);
    }
    parameterInputs.push(name);
    inputShapes.set(name, shape);
    return t.input(name, shape, trainableSet.has(name));
  };
  const loraInput = (name: string, shape: number[]): Val => {
    parameterInputs.push(name);
    inputShapes.set(name, shape);
    return t.input(name, shape, training);
  };
  const masks = new Map(dropoutMaskShapes(c, spec).map((m) => [m.name, { mask: t.inputBool(m.name, m.shape), maskBackward: t.inputBool(m.name + DROPOUT_BACKWARD_SUFFIX, m.shape) }]));
  const scale = spec.lora ? loraScale(spec.lora) : 0;
  const shapes = linearShapes(c);
  /** The projections `targets` of layer l on their shared input x: the adapted ones by LoRA group (spec.loraGroups). */
  const projs = (x: Val, l: number, targets: readonly LoraTarget[]): Val[] => {
    const lora = spec.lora;
    const members = new Map<LoraTarget, GroupMember>();
    for (const target of targets) {
      const key = `model.layers.${l}.${moduleKey(target)}`;
      const shape = shapes[moduleKey(target)] as [number, number];
      const w = param(`${key}.weight`, shape);
      const adapted = lora?.targetModules.includes(target) === true;
      members.set(target, adapted && lora ? { w, lora: { a: loraInput(`${key}.lora_A.weight`, [lora.r, shape[1]]), b: loraInput(`${key}.lora_B.weight`, [shape[0], lora.r]) } } : { w });
    }
    const out = new Map<LoraTarget, Val>();
    const groups = lora ? loraGroups(lora).filter((g) => g.some((target) => targets.includes(target))) : [];
    const plain = targets.filter((target) => !groups.some((g) => g.includes(target)));
    // frozen projections join the first group (their input gradient chains onto it)
    const calls = groups.length > 0 ? groups.map((g, i) => (i === 0 ? [...g, ...plain] : g)) : [plain];
    for (const call of calls) {
      const adapted = call.filter((target) => members.get(target)?.lora !== undefined);
      const mask = adapted.length > 0 ? masks.get(dropoutMaskName(l, adapted)) : undefined;
      const ys = linearGroup(t, x, call.map((target) => members.get(target) as GroupMember), mask && lora ? { scale, dropout: { ...mask, keep: 1 / (1 - lora.dropout) } } : { scale });
      call.forEach((target, i) => out.set(target, ys[i] as Val));
    }
    return targets.map((target) => out.get(target) as Val);
  };

  const ids = t.inputInt64('input_ids', [N]);
  // queries carry attention's 1/√D on their rotary tables
  const ropeQ = ropeTables(t, c, B, S, 1 / Math.sqrt(D));
  const ropeK = ropeTables(t, c, B, S, 1);
  const bias = t.input('attn_bias', [B, 1, S, S]).name;
  const rep = NH / NKV;
  const groupBias = rep === 1 ? bias : t.op('Tile', [bias, t.int64([1, 1, rep, 1])]);
  const embed = param('model.embed_tokens.weight', [c.vocabSize, H]);
  let x = gatherRows(t, embed, ids, N);
  for (let l = 0; l < c.numLayers; l++) {
    const p = `model.layers.${l}`;
    const h = rmsNorm(t, x, param(`${p}.input_layernorm.weight`, [H]), c.rmsNormEps);
    const [qp, kp, vp] = projs(h, l, ['q_proj', 'k_proj', 'v_proj']) as [Val, Val, Val];
    const qh = ropeHeads(t, qp, B, S, NH, D, ropeQ);
    const kh = ropeHeads(t, kp, B, S, NKV, D, ropeK);
    const vh = splitHeads(t, vp, B, S, NKV, D);
    const ctx = mergeHeads(t, attention(t, qh, kh, vh, groupBias));
    x = add(t, x, projs(ctx, l, ['o_proj'])[0] as Val);
    const h2 = rmsNorm(t, x, param(`${p}.post_attention_layernorm.weight`, [H]), c.rmsNormEps);
    const [gate, up] = projs(h2, l, ['gate_proj', 'up_proj']) as [Val, Val];
    x = add(t, x, projs(swiglu(t, gate, up), l, ['down_proj'])[0] as Val);
  }
  // Only the rows that predict a target reach the final norm and lm_head when T < N.
  const rows = T === N ? x : gatherRows(t, x, t.inputInt64('target_rows', [T]), T);
  const hn = rmsNorm(t, rows, param('model.norm.weight', [H]), c.rmsNormEps);
  const head = c.tieWordEmbeddings ? embed : param('lm_head.weight', [c.vocabSize, H]);
  lossHead(t, linear(t, hn, head), spec.loss, B);

  if (training) {
    t.backward();
    for (const s of trainableShapes(c, spec)) {
      const g = t.gradOf({ name: s.name, shape: s.shape, grad: true }) ?? t.zeros(s.shape);
      t.op('Identity', [g], {}, `grad.${s.name}`);
      t.output(`grad.${s.name}`, s.shape);
    }
  }
  return { graph: t.graph, spec, parameterInputs, inputShapes, trainable, dropoutMasks: [...masks.keys()], nodeCount: t.graph.nodeCount };
}
