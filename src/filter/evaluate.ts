/**
 * The reference evaluator: one row at a time, straight from the tree. Slow
 * and obvious; tests hold the column program (compile.ts) to it.
 */
import type { Value } from '../fields/types.js';
import type { CmpNode, Expr, SetNode } from './ast.js';
import type { Checked } from './check.js';
import {
  literalTest, modeOf, operandValues, pairTest, runMode, setTest, type OperandContext, type RowGetter,
} from './semantics.js';

/** True when the row read by `get` matches the checked expression. */
export function evaluate(checked: Checked, get: RowGetter, selected?: RowGetter): boolean {
  const ctx: OperandContext = { types: checked.types, selected };
  return evalExpr(checked.ast, get, ctx);
}

export function evalExpr(e: Expr, get: RowGetter, ctx: OperandContext): boolean {
  switch (e.kind) {
    case 'and': return evalExpr(e.left, get, ctx) && evalExpr(e.right, get, ctx);
    case 'or': return evalExpr(e.left, get, ctx) || evalExpr(e.right, get, ctx);
    case 'xor': return evalExpr(e.left, get, ctx) !== evalExpr(e.right, get, ctx);
    case 'not': return !evalExpr(e.expr, get, ctx);
    case 'exists': return operandValues(e.operand, get, ctx).length > 0;
    case 'cmp': return evalCmp(e, get, ctx);
    case 'set': return evalSet(e, get, ctx);
  }
}

function evalCmp(e: CmpNode, get: RowGetter, ctx: OperandContext): boolean {
  const left = operandValues(e.left, get, ctx);
  const { mode, rel } = modeOf(e.op, e.quant);
  const type = ctx.types.get(e.left) ?? 'string';
  if (e.right.kind === 'literal') return runMode(left, mode, literalTest(rel, type, e.right));
  const right = operandValues(e.right, get, ctx);
  if (!right.length) return false;
  const pair = pairTest(rel, type);
  const anyPair = (a: Value): boolean => right.some((b) => pair(a, b));
  const allPairs = (a: Value): boolean => right.every((b) => pair(a, b));
  return runMode(left, mode, mode === 'any' || mode === 'none' ? anyPair : allPairs);
}

function evalSet(e: SetNode, get: RowGetter, ctx: OperandContext): boolean {
  const left = operandValues(e.left, get, ctx);
  const type = ctx.types.get(e.left) ?? 'string';
  const test = setTest(e.op, type, e.items, (o) => operandValues(o, get, ctx));
  return runMode(left, e.negated ? 'none' : e.quant, test);
}
