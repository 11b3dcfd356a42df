/** An error in what was typed (an argument, a path given): the CLI says it and exits with code 2. */
export class UsageError extends Error {}
