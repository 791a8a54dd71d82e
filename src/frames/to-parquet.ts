/**
 * Parquet export through parquet-wasm: the Arrow IPC stream of
 * `toArrowIPC` (same column types) written with zstd compression. The wasm
 * module is loaded on first use only.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Table } from './table.js';
import { toArrowIPC, type ArrowExportOptions } from './to-arrow.js';

type ParquetWasm = typeof import('parquet-wasm');
let wasm: ParquetWasm | undefined;

/** parquet-wasm's Node build (CommonJS, loads its .wasm synchronously). */
export function parquetWasm(): ParquetWasm {
  wasm ??= createRequire(import.meta.url)('parquet-wasm') as ParquetWasm;
  return wasm;
}

export interface ParquetExportOptions extends ArrowExportOptions {
  /** 'zstd' (default), 'snappy', 'gzip' or 'none' */
  compression?: 'zstd' | 'snappy' | 'gzip' | 'none';
}

/** The table as Parquet bytes. */
export function toParquet(table: Table, opts: ParquetExportOptions = {}): Uint8Array {
  const pq = parquetWasm();
  const ipc = toArrowIPC(table, { ...opts, format: 'stream' });
  const codec = {
    zstd: pq.Compression.ZSTD,
    snappy: pq.Compression.SNAPPY,
    gzip: pq.Compression.GZIP,
    none: pq.Compression.UNCOMPRESSED,
  }[opts.compression ?? 'zstd'];
  const props = new pq.WriterPropertiesBuilder().setCompression(codec).build();
  return pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
}

/** Writes a Parquet file; returns the number of rows. */
export function writeParquet(table: Table, path: string, opts: ParquetExportOptions = {}): number {
  writeFileSync(path, toParquet(table, opts));
  return table.numRows();
}

/** Reads a Parquet file's bytes back as Arrow IPC stream bytes (for apache-arrow's tableFromIPC). */
export function parquetToIPC(bytes: Uint8Array): Uint8Array {
  return parquetWasm().readParquet(bytes).intoIPCStream();
}
