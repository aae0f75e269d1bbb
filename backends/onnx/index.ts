/** Public surface of the ONNX writer: tiny random Llama models, safetensors, tokenizer, LoRA merge. */
export { type F32Tensor, type LlamaConfig, type LlamaWeights, HfLlamaConfigSchema, fromHfConfig, toHfConfig, parameterCount } from './llama-config.js';
export { buildLlamaGraph } from './llama-graph.js';
export { writeOnnxModelFolder, type OnnxFolderOptions } from './model-folder.js';
export { SafetensorsFile, writeSafetensors, encodeHalf, type TensorToWrite } from './safetensors.js';
export { buildByteBpeTokenizer, CHATML_TEMPLATE } from './tokenizer-writer.js';
export { writeTinyLlama, randomLlamaWeights, TINY_LLAMA_PRESETS, type TinyLlamaOptions, type TinyLlamaModel, type TinyLlamaPreset } from './tiny-model.js';
export { referenceLogits, logSoftmaxRows, type LoraPair } from './reference-forward.js';
export { openLlamaCheckpoint, readLlamaWeights, type LlamaCheckpoint } from './llama-checkpoint.js';
export { readPeftAdapter, mergeLoraInto, writeRandomPeftAdapter, PeftAdapterConfigSchema, type PeftAdapter, type RandomAdapterOptions } from './peft-adapter.js';
export { prepareOnnxLlama, type PrepareOnnxOptions } from './lora-merge.js';
