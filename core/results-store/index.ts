/**
 * The results store: the one owner of the results folder's layout
 * (`<results>/<models>/<game>/<experiment>/instance_NNNNN/`), for writing and for reading.
 */
export * from './layout.js';
