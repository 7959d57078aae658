import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

// A real SMTP server on 127.0.0.1 for tests (smtp-server): it keeps what
// arrives, raw and parsed, and refuses the recipients a test names with the
// reply code it names (550: no such mailbox; 451: try again later).

export type ReceivedMail = { to: string[]; raw: string; parsed: ParsedMail };

export type SmtpSink = {
  url: string;
  received: ReceivedMail[];
  /** Refuses `address` at RCPT TO with `code` until told otherwise (null: accept again). */
  refuse: (address: string, code: number | null) => void;
  /** Refuses every message at MAIL FROM with `code` (a sender it will not take); null: accept again. */
  refuseSender: (code: number | null) => void;
  close: () => Promise<void>;
};

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const refusals = new Map<string, number>();
  let senderRefusal: number | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (senderRefusal === null) return callback();
      const error = new Error('Sender address rejected: not allowed to send as this domain');
      (error as Error & { responseCode: number }).responseCode = senderRefusal;
      return callback(error);
    },
    onRcptTo(address, _session, callback) {
      const code = refusals.get(address.address.toLowerCase());
      if (code === undefined) return callback();
      const error = new Error(code >= 500 ? 'No such mailbox here' : 'Mailbox busy, try later');
      (error as Error & { responseCode: number }).responseCode = code;
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              raw,
              parsed,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse: (address, code) => {
      if (code === null) refusals.delete(address.toLowerCase());
      else refusals.set(address.toLowerCase(), code);
    },
    refuseSender: (code) => {
      senderRefusal = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
