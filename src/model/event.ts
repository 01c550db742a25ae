/** An event as JSON, the way rules' test events and the evaluator's input are written. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
