/**
 * A mistake in what the user asked for (an argument, a path, a file's content): printed as one
 * sentence with exit 1. Anything else that escapes is a bug in siemc (exit 70).
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** A usage mistake (an option's value or shape): exit 2, as for an unknown option. */
export class UsageError extends UserError {}
