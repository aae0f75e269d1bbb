import { attr } from '../../../backends/onnx/onnx-model.js';
import type { LossKind } from './spec.js';
import type { GradTape, Val } from './tape.js';

/**
 * The log-probability and loss head on logits [T, V]. Emits the outputs `token_logps` [T] (log p of each
 * target), `seq_logps` [B] (`target_seq` · token_logps: the summed target log-probs of each row) and, for a
 * training loss, `loss` [] and the seed dL/dlogits on the tape.
 *
 * Host inputs: `target_ids` int64 [T], `target_seq` [B, T] (1 where target t belongs to row b and counts);
 * `sft`/`pg`: `target_weights` [T] (loss = −Σ w_t·log p_t); `dpo`: `ref_logps` [B] and `dpo_beta` [],
 * loss = mean over pairs of −log σ(β·((lp_c − ref_c) − (lp_r − ref_r))), chosen rows [0, B/2), rejected [B/2, B).
 */
export function lossHead(t: GradTape, logits: Val, loss: LossKind, batchSize: number): void {
  const [T] = logits.shape as [number, number];
  const B = batchSize;
  const targetIds = t.inputInt64('target_ids', [T]);
  const targetSeq = t.input('target_seq', [B, T]).name;
  const lsm = t.op('LogSoftmax', [logits.name], { axis: attr.int(-1) });
  const tid = t.op('Unsqueeze', [targetIds, t.int64([1])]);
  const lp = t.reshape(t.op('GatherElements', [lsm, tid], { axis: attr.int(1) }), [T]);
  t.op('Identity', [lp], {}, 'token_logps');
  t.output('token_logps', [T]);
  const seq = t.op('MatMul', [targetSeq, lp]);
  t.op('Identity', [seq], {}, 'seq_logps');
  t.output('seq_logps', [B]);
  if (loss === 'logprobs') return;

  // gLp = dL/d(token_logps) [T]
  let gLp: string;
  if (loss === 'dpo') {
    const P = B / 2;
    const ref = t.input('ref_logps', [B]).name;
    const beta = t.input('dpo_beta', []).name;
    const diff = t.sub(seq, ref);
    const half = (x: string, from: number, to: number) => t.op('Slice', [x, t.int64([from]), t.int64([to]), t.int64([0])]);
    const z = t.mul(beta, t.sub(half(diff, 0, P), half(diff, P, B)));
    // softplus(−z) = relu(−z) + log(1 + exp(−|z|)), stable for any z
    const negZ = t.op('Neg', [z]);
    const softplus = t.add(t.op('Relu', [negZ]), t.op('Log', [t.add(t.scalar(1), t.op('Exp', [t.op('Neg', [t.op('Abs', [z])])]))]));
    t.op('ReduceMean', [softplus], { keepdims: attr.int(0) }, 'loss');
    // dL/dz = −σ(−z)/P; dL/dlp_chosen = β·dL/dz, dL/dlp_rejected = −β·dL/dz
    const gz = t.mul(t.op('Neg', [t.op('Sigmoid', [negZ])]), t.scalar(1 / P));
    const gc = t.mul(gz, beta);
    const gSeq = t.op('Concat', [gc, t.op('Neg', [gc])], { axis: attr.int(0) });
    gLp = t.op('MatMul', [gSeq, targetSeq]);
  } else {
    const w = t.input('target_weights', [T]).name;
    t.op('Neg', [t.op('ReduceSum', [t.mul(w, lp)], { keepdims: attr.int(0) })], {}, 'loss');
    gLp = t.op('Neg', [w]);
  }
  t.output('loss', []);
  if (!logits.grad) return;
  // d log p_t / d logits = onehot(target) − softmax: −p·g everywhere, then +g added at the target column.
  const g2 = t.op('Unsqueeze', [gLp, t.int64([1])]);
  const negPG = t.mul(t.op('Exp', [lsm]), t.op('Neg', [g2]));
  t.seed(logits, t.op('ScatterElements', [negPG, tid, g2], { axis: attr.int(1), reduction: attr.string('add') }));
}
