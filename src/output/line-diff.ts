/**
 * A unified-style line diff for `siemc check` (`-` on disk, `+` built, two lines of context).
 * Myers' algorithm (the `diff` library) runs in O((N+M)·D); past a bound on D, or on the printed
 * size, it says how much differs instead of printing it, so a huge stale file never exhausts memory.
 */
import { diffArrays } from 'diff';

export interface LineDiffOptions {
  /** Most edits to trace before giving up on a line-level diff. */
  readonly maxEdits?: number;
  /** Most diff lines to print; the rest is summarised as `... N more lines`. */
  readonly maxLines?: number;
}

const CONTEXT = 2;

export function lineDiff(before: string, after: string, options: LineDiffOptions = {}): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const maxLines = options.maxLines ?? 200;
  const parts = diffArrays(a, b, { maxEditLength: options.maxEdits ?? 5_000 });
  if (parts === undefined) return `  ... too different to show line by line (${a.length} lines on disk, ${b.length} built)`;
  const ops: { op: ' ' | '-' | '+'; line: string }[] = [];
  for (const part of parts) {
    const op = part.added ? '+' : part.removed ? '-' : ' ';
    for (const line of part.value) ops.push({ op, line });
  }
  const changed = ops.map((o) => o.op !== ' ');
  // Keep a line when a change is within CONTEXT lines of it; one prefix-sum pass keeps this linear.
  const sums = [0];
  for (const c of changed) sums.push((sums[sums.length - 1] as number) + (c ? 1 : 0));
  const near = (k: number): boolean => (sums[Math.min(ops.length, k + CONTEXT + 1)] as number) - (sums[Math.max(0, k - CONTEXT)] as number) > 0;
  const out: string[] = [];
  let hidden = 0;
  for (let k = 0; k < ops.length; k++) {
    if (near(k)) {
      if (out.length < maxLines) out.push(`${ops[k]?.op}${ops[k]?.line}`);
      else hidden++;
    } else if (k > 0 && near(k - 1) && out.length < maxLines) out.push('  ...');
  }
  if (hidden > 0) out.push(`  ... ${hidden} more lines`);
  return out.join('\n');
}
