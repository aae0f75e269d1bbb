import { LogLevel, env } from '@huggingface/transformers';

/**
 * The one place where process-wide transformers.js settings (`env.*`) are changed. Local models are loaded
 * by absolute path with `local_files_only: true`, which forbids network access per call whatever `env` says,
 * so local use never switches remote loading on. Remote (hub) loading is switched on, with downloads cached
 * under `hubCacheDir`, only when a registry entry names a hub id; it stays on for the process (other
 * backends may be loading from the hub at the same time).
 */
export function configureTransformersEnv(options: { hubCacheDir?: string } = {}): void {
  env.allowLocalModels = true;
  env.logLevel = LogLevel.ERROR;
  if (options.hubCacheDir !== undefined) {
    env.allowRemoteModels = true;
    env.cacheDir = options.hubCacheDir;
  }
}
