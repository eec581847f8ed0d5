/**
 * Sending email (decision 0023): over SMTP with nodemailer when `SMTP_URL` is set (smtp://user:pass@host:587), and
 * otherwise to the app's log, so the embedded default works without a mail server; either way the caller keeps a
 * copy in the `emails` table (the admin outbox). Services depend on the `Mailer` interface only.
 */
import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Extra headers, such as List-Unsubscribe. */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** 'sent' over SMTP (with the server's message id) or 'logged'. Throws when the SMTP server refuses or cannot be reached. */
  send(message: OutgoingEmail): Promise<{ status: 'sent' | 'logged'; messageId: string | null }>;
  close(): void;
}

export function createMailer(options: { smtpUrl: string; from: string; log: (message: string, details: object) => void }): Mailer {
  if (!options.smtpUrl) {
    return {
      send: async (m) => {
        options.log('Email not sent (no SMTP_URL): written to the log and the outbox', { to: m.to, subject: m.subject, text: m.text });
        return { status: 'logged', messageId: null };
      },
      close: () => undefined,
    };
  }
  // A send that hangs (the server stops answering) fails after a minute rather than an hour, so the runner, which
  // renews the job's lease while it sends, gives the job back for a retry instead of holding it.
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    send: async (m) => {
      const info = await transport.sendMail({ from: options.from, to: m.to, subject: m.subject, text: m.text, headers: m.headers });
      return { status: 'sent', messageId: info.messageId ?? null };
    },
    close: () => transport.close(),
  };
}
