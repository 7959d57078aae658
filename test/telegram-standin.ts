import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for the Telegram Bot API on 127.0.0.1, answering the methods
// Masthead calls in the shapes the Bot API documents
// (https://core.telegram.org/bots/api#making-requests): { ok, result } or
// { ok: false, error_code, description, parameters }. It records every call,
// fields and files read from JSON or multipart bodies, and answers with a
// scripted error when a test queues one. Like Telegram, it keeps the messages
// of each chat: editing or deleting one that is not there is refused, and so
// is a caption over 1024 characters or a text over 4096.

export type BotCall = {
  token: string;
  method: string;
  fields: Record<string, unknown>;
  files: Record<string, { type: string; bytes: Buffer }>;
};

export type BotError = {
  status: number;
  description: string;
  retryAfter?: number;
};

export type TelegramStandIn = {
  url: string;
  calls: BotCall[];
  /** The messages in each chat now, by id: their text or caption. */
  chats: Map<string, Map<number, string>>;
  /** The next call of `method` fails so. */
  failNext: (method: string, error: BotError) => void;
  close: () => Promise<void>;
};

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startTelegramStandIn(): Promise<TelegramStandIn> {
  const calls: BotCall[] = [];
  const failures = new Map<string, BotError[]>();
  let nextMessageId = 1;
  const chats = new Map<string, Map<number, string>>();
  const chat = (id: unknown) => {
    const messages = chats.get(String(id)) ?? new Map<number, string>();
    chats.set(String(id), messages);
    return messages;
  };
  /** What readers see of Telegram HTML: tags out, entities read. */
  const visibleLength = (html: string) =>
    html.replace(/<[^>]+>/g, '').replace(/&(?:lt|gt|amp|quot);/g, 'x').length;
  const server: Server = createServer(async (request, response) => {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(request.url ?? '');
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (!match?.[1] || !match[2])
      return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match;
    const body = await readBody(request);
    const type = request.headers['content-type'] ?? '';
    const call: BotCall = { token, method, fields: {}, files: {} };
    if (type.startsWith('application/json')) {
      call.fields = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } else if (type.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(body), {
        headers: { 'content-type': type },
      }).formData();
      const entries: [string, FormDataEntryValue][] = [];
      form.forEach((value, name) => {
        entries.push([name, value]);
      });
      for (const [name, value] of entries) {
        if (typeof value === 'string') call.fields[name] = value;
        else call.files[name] = { type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
      }
    }
    calls.push(call);
    const failure = failures.get(method)?.shift();
    if (failure) {
      return answer(failure.status, {
        ok: false,
        error_code: failure.status,
        description: failure.description,
        ...(failure.retryAfter !== undefined
          ? { parameters: { retry_after: failure.retryAfter } }
          : {}),
      });
    }
    const where = { id: -1001234567890, type: 'channel', title: 'Stand-in channel' };
    const refuse = (description: string) =>
      answer(400, { ok: false, error_code: 400, description: `Bad Request: ${description}` });
    const messages = chat(call.fields.chat_id);
    const id = Number(call.fields.message_id);
    const posted = String(call.fields.caption ?? call.fields.text ?? '');
    const limit = 'caption' in call.fields ? 1024 : 4096;
    if (visibleLength(posted) > limit) {
      return refuse(limit === 1024 ? 'message caption is too long' : 'message is too long');
    }
    switch (method) {
      case 'sendPhoto':
      case 'sendMessage': {
        const messageId = nextMessageId++;
        messages.set(messageId, posted);
        return answer(200, {
          ok: true,
          result: { message_id: messageId, chat: where, date: Math.floor(Date.now() / 1000) },
        });
      }
      case 'editMessageCaption':
      case 'editMessageText':
        if (!messages.has(id)) return refuse('message to edit not found');
        messages.set(id, posted);
        return answer(200, {
          ok: true,
          result: { message_id: id, chat: where, date: 0, edit_date: 1 },
        });
      case 'deleteMessage':
        if (!messages.delete(id)) return refuse('message to delete not found');
        return answer(200, { ok: true, result: true });
      default:
        return answer(404, {
          ok: false,
          error_code: 404,
          description: 'Not Found: method not found',
        });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    chats,
    failNext: (method, error) => failures.set(method, [...(failures.get(method) ?? []), error]),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
