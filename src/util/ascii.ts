/**
 * ASCII letters: the only characters the IR folds when a match ignores case (docs/semantics.md),
 * so every pass that folds, spells out `[aA]`, or checks a target's folding asks this one place.
 */
export function isAsciiLetterCode(cp: number): boolean {
  return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

/** A one-code-unit string that is an ASCII letter. */
export function isAsciiLetter(ch: string): boolean {
  return ch.length === 1 && isAsciiLetterCode(ch.charCodeAt(0));
}
