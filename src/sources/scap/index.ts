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
export { writeScap, writeScapEvents, type ScapSelection, type WriteScapOptions, type WriteScapResult } from './write-table.js';
