/** A problem that keeps one rule (or one clause) from importing: a code and one sentence. */
import type { SourceLocation } from '../../model/location.js';
import type { DiagnosticCode } from '../../codes.js';

export class ImportProblem extends Error {
  constructor(
    readonly code: DiagnosticCode,
    message: string,
    readonly at?: SourceLocation,
  ) {
    super(message);
  }
}
