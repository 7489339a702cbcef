import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Principal } from '../authorization/principal.js';
import type { CommandMetadata } from '../domain/shared/event.js';

const CORRELATION_HEADER = 'x-correlation-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's correlation id: the client's `X-Correlation-Id` if well-formed, else a new one. */
export const correlationIdFrom = (given: string | string[] | undefined): string =>
  typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();

/** Assigns a correlation id (client-supplied if well-formed) and echoes it on the response. */
export function correlationMiddleware(): Middleware {
  return async (ctx, next) => {
    const correlationId = correlationIdFrom(ctx.get(CORRELATION_HEADER));
    ctx.state.correlationId = correlationId;
    ctx.set('X-Correlation-Id', correlationId);
    await next();
  };
}

/**
 * Command metadata from the request: who (a user, acting through `via`: a client id, or
 * `console`), when, from where. A client_credentials token acts as its owner user, a
 * password-grant token as its user; both through the token's client.
 */
export function commandMetadata(ctx: Context, principal: Pick<Principal, 'userId' | 'via'>, now: Date = new Date()): CommandMetadata {
  const userAgent = ctx.get('user-agent');
  return {
    actor: principal.userId,
    actorKind: 'user',
    via: principal.via,
    now,
    correlationId: (ctx.state.correlationId as string | undefined) ?? randomUUID(),
    ip: ctx.ip || undefined,
    userAgent: userAgent ? userAgent.slice(0, 512) : undefined,
  };
}
