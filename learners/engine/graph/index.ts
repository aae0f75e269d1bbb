/**
 * Public surface of the built-in engine's training graph: an ONNX forward + backward graph of a Llama model
 * generated from TypeScript and run by onnxruntime-node (see README.md).
 */
export { TrainingGraph, type TrainingGraphOptions, type ParamMap, type RunResult, type NextRun, trainingSessionOptions } from './training-graph.js';
export { type GraphBatch, type TrainRow, type Bucket, collectTargets } from './batch.js';
export { loadTrainingModel, type TrainingModel } from './model.js';
export {
  LORA_TARGETS,
  LoraOptionsSchema,
  loraOptions,
  loraScale,
  loraTensorShapes,
  baseTensorShapes,
  trainableShapes,
  type GraphSpec,
  type LoraOptions,
  type LoraTarget,
  type LossKind,
  type TensorShape,
} from './spec.js';
export { buildTrainingGraph, type BuiltGraph, type WeightPlacement } from './build-graph.js';
export type { Precision } from './tape.js';
