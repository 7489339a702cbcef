/** Typed domain events, Emmett style: the type string equals the TypeScript type name. */
export type Event<Type extends string, Data extends object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/** Typed commands; `metadata.now` is the only clock a decider ever sees. */
export type Command<Type extends string, Data extends object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

/** What `actor` names: a user (admin API, console), a client (token endpoint) or the system. */
export type ActorKind = 'user' | 'client' | 'system';

export interface CommandMetadata {
  /** Who asks: a user id, `client:<clientId>`, `system` or `bootstrap`. */
  actor: string;
  actorKind: ActorKind;
  /** The client the request came through (a client id, or `console`); absent for the system. */
  via?: string;
  now: Date;
  correlationId: string;
  causationId?: string;
  ip?: string;
  userAgent?: string;
}

export interface Decider<State, Cmd, Evt> {
  decide(command: Cmd, state: State): Evt[];
  evolve(state: State, event: Evt): State;
  initialState(): State;
}

/** Exhaustiveness guard for switch statements over unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
