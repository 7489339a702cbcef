import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The client's address, for the audit trail and the per-IP rate limit. With `trustedHops` 0
 * (TRUST_PROXY off, the default) it is the socket's peer and `X-Forwarded-For` is ignored, so
 * nobody can choose the address recorded for them. Behind N trusted proxies, each appending
 * the address it received the request from, the client is the Nth entry from the right of
 * `X-Forwarded-For` (what the outermost trusted proxy saw); anything left of it was written
 * by the client and is not believed. A chain shorter than N gives its leftmost entry; an
 * entry that is not an IP address gives the socket's peer.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string {
  const peer = socketAddress ?? '';
  if (trustedHops <= 0 || forwardedFor === undefined) return peer;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (chain.length === 0) return peer;
  const candidate = chain[Math.max(0, chain.length - trustedHops)]!;
  return isIP(candidate) === 0 ? peer : candidate;
}

export const requestClientAddress = (req: IncomingMessage, trustedHops: number): string =>
  clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedHops);
