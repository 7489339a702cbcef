/**
 * `evolve` sees two shapes of events: freshly decided ones (`{type, data}`) and recorded
 * ones, which also carry metadata. State fields such as `createdAt` come from the
 * metadata when it is there; a decided-but-unrecorded event leaves them as they were.
 */
export interface MaybeTimed {
  readonly metadata?: { readonly occurredAt?: string };
}

export const occurredAtOf = (event: MaybeTimed): string | undefined => event.metadata?.occurredAt;
