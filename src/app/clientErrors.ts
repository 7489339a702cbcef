import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { SECURITY_HEADERS } from '../http/securityHeaders.js';
import { problem } from '../http/problem.js';

/**
 * Requests Node's HTTP parser refuses before Koa sees them (headers or URL over
 * maxHeaderSize → 431, malformed request line or headers → 400, request timeout → 408)
 * get the same security headers and a problem+json body as everything else, instead of
 * Node's bare default answer.
 */
const statusOf = (code: string | undefined): number =>
  code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const status = statusOf(error.code);
    const body = JSON.stringify(problem(status, status === 431 ? 'The request headers or URL are too large.' : undefined));
    const head = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'Connection: close',
      'Content-Type: application/problem+json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Cache-Control: no-store',
      ...Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  });
}
