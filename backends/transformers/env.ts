import { LogLevel, env } from '@huggingface/transformers';

/**
 * The one place where process-wide transformers.js settings (`env.*`) are changed. Models are always loaded from
 * local folders with `local_files_only: true`: hub ids are downloaded by clem-ts itself (backends/hub, into the
 * standard Hugging Face cache), so transformers.js's own remote loading stays off.
 */
export function configureTransformersEnv(): void {
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.logLevel = LogLevel.ERROR;
}
