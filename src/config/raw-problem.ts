/** A problem before it is located: the schema path, the message, and whether it is about the key itself. */
export interface RawProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** The problem is the key (unknown, misspelled), not its value: point at the key. @default false */
  readonly atKey?: boolean;
  /** What the key or name at `path` was probably meant to be. @default none */
  readonly suggestion?: string;
}
