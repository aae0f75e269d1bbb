/** Progress of one file download, for a progress bar (the CLI draws bytes, speed and ETA from these). */
export interface DownloadEvent {
  /** Repository and file, e.g. `meta-llama/Llama-3.2-1B-Instruct` and `model.safetensors`. */
  repo: string;
  file: string;
  /** Bytes of the file present so far (a resumed download starts at what the earlier attempt kept). */
  receivedBytes: number;
  totalBytes: number;
  /** Bytes that were already on disk when this download started (resumed), so speed counts only new ones. */
  resumedFromBytes: number;
  phase: 'start' | 'progress' | 'verify' | 'done';
}

export type DownloadListener = (event: DownloadEvent) => void;
