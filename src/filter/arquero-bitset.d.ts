/** Types for arquero's BitSet (the mask behind filtered table views); arquero does not publish this path's types. */
declare module 'arquero/src/table/BitSet.js' {
  export class BitSet {
    constructor(size: number);
    readonly length: number;
    count(): number;
    get(i: number): number;
    set(i: number): void;
    clear(i: number): void;
    next(i: number): number;
    scan(fn: (i: number) => void): void;
  }
}
