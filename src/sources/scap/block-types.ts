/**
 * Block type numbers of the .scap format (libscap scap_savefile.h), including the legacy
 * "_INT" aliases written by 2014-era files. Spec: scap-format.md §1.4.
 */
export const BT = {
  SHB: 0x0a0d0d0a,
  MI: 0x201,
  MI_INT: 0x8002abcd,
  PL_V1: 0x202,
  PL_V1_INT: 0x8000abcd,
  FDL: 0x203,
  FDL_INT: 0x8001abcd,
  EV: 0x204,
  EV_INT: 0x8010abcd,
  IL: 0x205,
  IL_INT: 0x8011abcd,
  UL: 0x206,
  UL_INT: 0x8012abcd,
  PL_V2: 0x207,
  PL_V2_INT: 0x8013abcd,
  EVF: 0x208,
  PL_V3: 0x209,
  PL_V3_INT: 0x8014abcd,
  PL_V4: 0x210,
  PL_V5: 0x211,
  PL_V6: 0x212,
  PL_V7: 0x213,
  PL_V8: 0x214,
  PL_V9: 0x215,
  EV_V2: 0x216,
  EVF_V2: 0x217,
  FDL_V2: 0x218,
  IL_V2: 0x219,
  UL_V2: 0x220,
  EV_V2_LARGE: 0x221,
  EVF_V2_LARGE: 0x222,
} as const;

/** The SHB byte-order magic, read little-endian. */
export const SHB_MAGIC = 0x1a2b3c4d;

/** Layout facts of one event block type. */
export interface EventBlockLayout {
  /** event header size: 22 (v1) or 26 (v2, with nparams) */
  headerSize: 22 | 26;
  /** a u32 flags word follows the cpu id */
  hasFlags: boolean;
  /** the block type itself says u32 parameter lengths (used only for unknown event types) */
  large: boolean;
}

const EVENT_LAYOUTS: ReadonlyMap<number, EventBlockLayout> = new Map([
  [BT.EV, { headerSize: 22, hasFlags: false, large: false }],
  [BT.EV_INT, { headerSize: 22, hasFlags: false, large: false }],
  [BT.EVF, { headerSize: 22, hasFlags: true, large: false }],
  [BT.EV_V2, { headerSize: 26, hasFlags: false, large: false }],
  [BT.EVF_V2, { headerSize: 26, hasFlags: true, large: false }],
  [BT.EV_V2_LARGE, { headerSize: 26, hasFlags: false, large: true }],
  [BT.EVF_V2_LARGE, { headerSize: 26, hasFlags: true, large: true }],
]);

/** The layout of an event block type, or undefined if the type is not an event block. */
export function eventBlockLayout(blockType: number): EventBlockLayout | undefined {
  return EVENT_LAYOUTS.get(blockType);
}

/** Process-list block type -> version 1..9. */
export const PL_VERSION: ReadonlyMap<number, number> = new Map([
  [BT.PL_V1, 1], [BT.PL_V1_INT, 1], [BT.PL_V2, 2], [BT.PL_V2_INT, 2], [BT.PL_V3, 3], [BT.PL_V3_INT, 3],
  [BT.PL_V4, 4], [BT.PL_V5, 5], [BT.PL_V6, 6], [BT.PL_V7, 7], [BT.PL_V8, 8], [BT.PL_V9, 9],
]);

/** A block type name for messages, e.g. "PL_V9 (0x215)". */
export function blockTypeName(blockType: number): string {
  const hex = `0x${(blockType >>> 0).toString(16)}`;
  for (const [k, v] of Object.entries(BT)) if (v === blockType) return `${k} (${hex})`;
  return `unknown block type ${hex}`;
}

/** Non-LARGE event blocks are limited to 64 KiB (libscap READER_BUF_SIZE). */
export const READER_BUF_SIZE = 65536;
