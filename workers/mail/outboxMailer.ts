import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../src/security/privateFiles.js';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { checkRecipients } from './checkRecipients.js';
import { messageIdToken, type Mailer, type OutgoingEmail } from './mailer.js';

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace('.', '');

/**
 * Writes each email as an RFC 5322 `.eml` file `<timestamp>-<jobId>.eml` into `dir`
 * (DATA_DIR/outbox): composed by nodemailer, written to a temp file, fsynced, renamed, so a
 * reader never sees half a message. A message id already in the outbox is not written again,
 * so a retried job never leaves two files.
 */
export function createOutboxMailer(dir: string, clock: () => Date = () => new Date()): Mailer {
  ensurePrivateDir(dir);
  const written = new Set(
    readdirSync(dir)
      .filter((f) => f.endsWith('.eml'))
      .map((f) => f.slice(f.indexOf('-') + 1, -'.eml'.length)),
  );
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    kind: 'outbox',
    async send(email: OutgoingEmail) {
      checkRecipients(email);
      const id = messageIdToken(email.messageId);
      if (written.has(id)) return;
      const info = await composer.sendMail({
        from: email.from,
        to: email.to,
        subject: email.subject,
        html: email.html || undefined,
        text: email.text || undefined,
        messageId: email.messageId,
        date: clock(),
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      const tmp = join(dir, `.tmp-${id}-${randomUUID()}`);
      const file = await open(tmp, 'wx', PRIVATE_FILE_MODE);
      try {
        await file.writeFile(info.message as Buffer);
        await file.sync();
      } catch (e) {
        await file.close();
        await unlink(tmp).catch(() => {});
        throw e;
      }
      await file.close();
      await rename(tmp, join(dir, `${stamp(clock())}-${id}.eml`));
      written.add(id);
    },
    async close() {
      composer.close();
    },
  };
}
