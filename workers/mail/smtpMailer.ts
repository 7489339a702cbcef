import nodemailer from 'nodemailer';
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

/** nodemailer over SMTP (`SMTP_URL`, e.g. `smtp://user:pass@host:587`), pooled connections. */
export function createSmtpMailer(smtpUrl: string, options: { maxConnections?: number } = {}): Mailer {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
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
