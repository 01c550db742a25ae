/** Facts about the EQL language that its frontend (lexer) and its backend (printer) share. */

/** Words EQL reserves: a field segment or bare value spelt like one must be quoted or escaped. */
export const EQL_KEYWORDS: ReadonlySet<string> = new Set('and any by false in join like maxspan not null of or regex sample sequence true until where with'.split(' '));
