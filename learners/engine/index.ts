/**
 * Public surface of the training engines: `learn()` (one learner interface, two engines: the built-in ONNX
 * trainer and TRL), the dataset row formats it reads, the train.jsonl and settings schemas, and the pieces a
 * caller may reuse (PEFT adapter output, registration). The training graph itself is in graph/.
 */
export {
  learn, buildSettings, prepareOutDir, builtinEngine, trlEngine, ENGINES_BY_NAME,
  type LearnOptions, type LearnResult, type HyperParameters, type TrainingEngine, type EngineContext, type EngineResult,
} from './learner.js';
export { TrainSettingsSchema, defaultHyperParameters, LEARN_KINDS, ENGINES, type TrainSettings, type LearnKind, type EngineName } from './train-settings.js';
export { TrainSftRowSchema, TrainDpoRowSchema, PgRowSchema, type PgRow } from './training-rows.js';
export { TrainLogLineSchema, readTrainLog, type TrainLogLine } from './train-log.js';
export { CheckpointIndexSchema } from './checkpoint.js';
export { RefLogpsFileSchema } from './ref-logps-file.js';
export { writePeftAdapter, peftAdapterConfig, peftTensorKey } from './peft-output.js';
export { registerTrainedModel, checkRegistration, type TrainedOutput } from './register.js';
export { resolveBaseModel, type BaseModel } from './base-model.js';
export { terminalTrainReporter, silentTrainReporter, type TrainReporter } from './progress.js';
export { SINGLE_PROCESS, TrlLaunchSchema, type TrlLaunch } from './trl/trl-launch.js';
export { LORA_TARGETS, loraOptions, type LoraOptions, type LoraTarget } from './graph/spec.js';
