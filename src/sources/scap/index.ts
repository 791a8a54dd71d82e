/**
 * The scap (sysdig/Falco capture) source: reading, state, fields, loading, printing.
 */
export { scapLoader, loadScap, streamScap, isScapFile, SCAP_COLUMNS, type ScapLoadOptions, type StreamScapOptions } from './load.js';
export { formatEventLine, formatTime, formatDatetime, eventTypeName } from './print.js';
export { ScapState, type EventCtx, type HostInfo, type StateOptions } from './state.js';
export { ScapRow, fieldValue, scapFieldDefs, registerScapFields, EXTRACTORS } from './fields.js';
export { renderArgs, renderParam, envOf } from './args.js';
export { readScap, readScapSync, readScapFileSync, forEachScapBlock } from './reader.js';
export { ScapError } from './types.js';
export type { ScapBlock, ScapEvent } from './types.js';
export type { ScapSelection, WriteScapOptions, WriteScapResult } from './write-table.js';

// the writer's modules load on first use (reading and streaming never need them)
type WriteTable = typeof import('./write-table.js');
/** Writes the events of a scap table to a .scap file (see write-table.ts). */
export async function writeScap(...args: Parameters<WriteTable['writeScap']>): ReturnType<WriteTable['writeScap']> {
  return (await import('./write-table.js')).writeScap(...args);
}
/** Writes selected events of scap files to a .scap file (see write-table.ts). */
export async function writeScapEvents(...args: Parameters<WriteTable['writeScapEvents']>): ReturnType<WriteTable['writeScapEvents']> {
  return (await import('./write-table.js')).writeScapEvents(...args);
}
