/** Public surface of the model writers: tiny random Llama models (ONNX, safetensors, GGUF), tokenizer, LoRA merge. */
export { type F32Tensor, type LlamaConfig, type LlamaWeights, HfLlamaConfigSchema, fromHfConfig, toHfConfig, parameterCount } from './llama-config.js';
export { buildLlamaGraph } from './llama-graph.js';
export { writeOnnxModelFolder, type OnnxFolderOptions } from './model-folder.js';
export { SafetensorsFile, writeSafetensors, convertSafetensors, encodeHalf, type TensorToWrite } from './safetensors.js';
export { buildByteBpeTokenizer, CHATML_TEMPLATE } from './tokenizer-writer.js';
export { writeTinyLlama, randomLlamaWeights, tinyGgufName, TINY_LLAMA_PRESETS, type TinyLlamaOptions, type TinyLlamaModel, type TinyLlamaPreset } from './tiny-model.js';
export { writeLlamaGguf, writeLoraGguf, ggufModuleName, permuteRopeRows, type LlamaGgufType, type LlamaGgufOptions } from './llama-gguf.js';
export { writeGguf, gguf, GGML_TYPES, type GgufTensor, type GgufValue, type GgmlTypeName } from './gguf-file.js';
export { encodeGgml, decodeGgml } from './gguf-quant.js';
export { ggufTokenizerMetadata, type HfTokenizerFiles } from './gguf-tokenizer.js';
export { referenceLogits, logSoftmaxRows, type LoraPair } from './reference-forward.js';
export { openLlamaCheckpoint, readLlamaWeights, type LlamaCheckpoint } from './llama-checkpoint.js';
export { readPeftAdapter, mergeLoraInto, writeRandomPeftAdapter, PeftAdapterConfigSchema, type PeftAdapter, type RandomAdapterOptions } from './peft-adapter.js';
export { prepareOnnxLlama, isOnnxConversionCached, type PrepareOnnxOptions } from './lora-merge.js';
