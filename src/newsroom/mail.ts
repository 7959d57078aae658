import nodemailer from 'nodemailer';
import type { Mailer } from './newsletters.js';

// E-mail out through any SMTP server (MASTHEAD_SMTP_URL: smtp:// or
// smtps://user:password@host:port), with nodemailer. No third-party service
// is needed: the newsroom's own mail server, or its provider's, will do.

/** DKIM signing: the domain, the selector published in its DNS, and the private key (PEM). */
export type DkimSettings = { domainName: string; keySelector: string; privateKey: string };

/**
 * A mailer over SMTP, sending as `from` (an address) under each message's own
 * name. Its connections are pooled (a newsletter goes to many readers over a
 * few connections kept open) and, when `dkim` is given, every message is
 * signed.
 */
export function smtpMailer(settings: {
  url: string;
  from: string;
  dkim?: DkimSettings | null;
  maxConnections?: number;
}): Mailer {
  const transport = nodemailer.createTransport({
    url: settings.url,
    pool: true,
    maxConnections: settings.maxConnections ?? 4,
    maxMessages: 1000,
    ...(settings.dkim ? { dkim: settings.dkim } : {}),
  });
  return {
    async send(message) {
      await transport.sendMail({
        from: { name: message.fromName, address: settings.from },
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...(message.headers ? { headers: message.headers } : {}),
      });
    },
    close() {
      transport.close();
    },
  };
}
