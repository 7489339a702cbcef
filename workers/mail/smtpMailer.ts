import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { checkRecipients } from './checkRecipients.js';
import { MailDeliveryError, type Mailer, type OutgoingEmail } from './mailer.js';

interface SmtpError {
  code?: string;
  responseCode?: number;
  message?: string;
}

/**
 * 5xx replies are permanent, except authentication (a configuration problem an operator
 * fixes, after which the retry should work); 4xx replies and connection errors are transient.
 */
export function classifySmtpError(error: unknown): MailDeliveryError {
  const e = (error ?? {}) as SmtpError;
  const reply = typeof e.responseCode === 'number' ? ` (SMTP ${e.responseCode})` : '';
  const text = `SMTP delivery failed${reply}: ${(e.message ?? String(error)).slice(0, 300)}`;
  const permanent =
    (typeof e.responseCode === 'number' && e.responseCode >= 500 && e.code !== 'EAUTH') ||
    (e.code === 'EENVELOPE' && e.responseCode === undefined);
  return new MailDeliveryError(text, permanent, { cause: error });
}

/** Connects (10 s timeout) and hands nodemailer the socket with Nagle switched off. */
function connectNoDelay(host: string, port: number, callback: (err: Error | null, o?: { connection: Socket }) => void): void {
  const socket = connect({ host, port, noDelay: true, timeout: 10_000 });
  const fail = (e: Error): void => {
    socket.destroy();
    callback(Object.assign(e, { code: 'ECONNECTION' }));
  };
  socket.once('error', fail);
  socket.once('timeout', () => fail(new Error(`Connection timeout to ${host}:${port}`)));
  socket.once('connect', () => {
    socket.off('error', fail);
    socket.setTimeout(0);
    socket.removeAllListeners('timeout');
    callback(null, { connection: socket });
  });
}

/**
 * The URL is parsed here rather than passed as nodemailer's `url`, which (nodemailer 7) opens
 * a new connection per message instead of pooling. Sockets get TCP_NODELAY (nodemailer
 * takes an already connected socket from `getSocket`; TLS is layered on it as usual):
 * SMTP is small writes waiting for replies, and Nagle + delayed ACK cost ~40 ms per message.
 */
function transportOptions(smtpUrl: string, maxConnections: number): SMTPPool.Options {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  return {
    pool: true,
    host,
    port,
    secure,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    maxConnections,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    getSocket: (_options: unknown, callback: (err: Error | null, socketOptions?: { connection: Socket }) => void) =>
      connectNoDelay(host, port, callback),
  };
}

/** nodemailer over SMTP (`SMTP_URL`, e.g. `smtp://user:pass@host:587`), pooled connections. */
export function createSmtpMailer(smtpUrl: string, options: { maxConnections?: number } = {}): Mailer {
  const transport = nodemailer.createTransport(transportOptions(smtpUrl, options.maxConnections ?? 5));
  return {
    kind: 'smtp',
    async send(email: OutgoingEmail) {
      checkRecipients(email);
      try {
        await transport.sendMail({
          from: email.from,
          to: email.to,
          subject: email.subject,
          html: email.html || undefined,
          text: email.text || undefined,
          messageId: email.messageId,
          disableFileAccess: true,
          disableUrlAccess: true,
        });
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    async close() {
      transport.close();
    },
  };
}
