/** Public surface of learners/datasets: the file formats (TRL's and OpenAI's) and the builders of SFT and DPO data. */
export * from './formats.js';
export { jsonLine, readJsonLines, toJsonLines, writeJsonLines } from './jsonl.js';
