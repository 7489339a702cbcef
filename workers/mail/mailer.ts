/** The mail port: the notification job renders, a Mailer delivers. */
export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** RFC 5322 Message-ID, `<jobId@host>`: stable across retries of one job. */
  messageId: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(email: OutgoingEmail): Promise<void>;
  close(): Promise<void>;
}

/**
 * A delivery failure. `permanent`: retrying cannot help (5xx reply, invalid address) and the
 * job goes to the failed list at once; otherwise (connection refused, 4xx) it is retried.
 */
export class MailDeliveryError extends Error {
  readonly code = 'MAIL_DELIVERY_FAILED' as const;
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MailDeliveryError';
  }
}

/** `<abc@tollgate>` → `abc`, safe for a file name. */
export const messageIdToken = (messageId: string): string =>
  messageId.replace(/^</, '').replace(/@.*$/, '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128);
