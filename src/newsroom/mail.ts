import nodemailer from 'nodemailer';
import type { Mailer } from './newsletters.js';

// E-mail out through any SMTP server (MASTHEAD_SMTP_URL: smtp:// or
// smtps://user:password@host:port), with nodemailer. No third-party service
// is needed: the newsroom's own mail server, or its provider's, will do.

/** A mailer over SMTP, sending as `from` (an address) under each message's own name. */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({
        from: { name: message.fromName, address: from },
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        ...(message.headers ? { headers: message.headers } : {}),
      });
    },
  };
}
