import type { SendOutcome } from '../core/distribution.js';

// The Telegram Bot API, the few methods Masthead uses, with errors read as
// the API documents them: 429 carries `parameters.retry_after` (seconds to
// wait); 400, 401, 403 and 404 will not go better by trying again (a wrong
// chat id, a bot that is not an admin of the channel, a revoked token); 5xx
// and network failures may. `apiUrl` is Telegram's, or a self-hosted Bot API
// server's (MASTHEAD_TELEGRAM_API_URL).

export const TELEGRAM_API_URL = 'https://api.telegram.org';

/** How long one call may take, answer included. */
const CALL_TIMEOUT_MS = 30_000;

export type TelegramBot = { apiUrl: string; token: string };

/**
 * What a sent post is, kept as the delivery's remote id: enough to edit or
 * delete it later, in the chat it went to (whatever the channel's chat is
 * since), and which photo it shows (null: a text message).
 */
export type TelegramMessage = { chatId: string; messageId: number; photoId: number | null };

export function parseTelegramMessage(remoteId: string | null): TelegramMessage | null {
  if (!remoteId) return null;
  try {
    const value = JSON.parse(remoteId) as Partial<TelegramMessage>;
    return typeof value.messageId === 'number' && typeof value.chatId === 'string'
      ? {
          chatId: value.chatId,
          messageId: value.messageId,
          photoId: typeof value.photoId === 'number' ? value.photoId : null,
        }
      : null;
  } catch {
    return null;
  }
}

/** The public address of a post in a channel with a public name; null for a private one. */
export function telegramPostUrl(message: TelegramMessage | null): string | null {
  if (!message?.chatId.startsWith('@')) return null;
  return `https://t.me/${message.chatId.slice(1)}/${message.messageId}`;
}

type ApiAnswer = {
  ok?: boolean;
  result?: { message_id?: number } | boolean;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
};

/** Calls one method; the answer as a SendOutcome, the result's message id as the remote id. */
async function call(
  bot: TelegramBot,
  method: string,
  body: FormData | Record<string, unknown>,
  benign: RegExp | null = null,
): Promise<SendOutcome & { messageId?: number }> {
  const url = `${bot.apiUrl.replace(/\/+$/, '')}/bot${bot.token}/${method}`;
  let answer: ApiAnswer;
  let status: number;
  try {
    const response = await fetch(url, {
      method: 'POST',
      ...(body instanceof FormData
        ? { body }
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    status = response.status;
    answer = (await response.json().catch(() => ({}))) as ApiAnswer;
  } catch (error) {
    // The token is in the address: never let it into a message staff see.
    const reason = (error as Error).message.replaceAll(bot.token, '…');
    return { ok: false, permanent: false, reason: `Telegram could not be reached: ${reason}` };
  }
  if (answer.ok === true) {
    const result = typeof answer.result === 'object' ? answer.result : undefined;
    return {
      ok: true,
      remoteId: null,
      ...(result?.message_id !== undefined ? { messageId: result.message_id } : {}),
    };
  }
  const code = answer.error_code ?? status;
  const description = answer.description ?? `HTTP ${status}`;
  if (benign?.test(description)) return { ok: true, remoteId: null };
  const reason = `Telegram answered ${code}: ${description}`;
  if (code === 429) {
    const seconds = answer.parameters?.retry_after;
    return {
      ok: false,
      permanent: false,
      reason,
      ...(typeof seconds === 'number' ? { retryAfterMs: seconds * 1000 } : {}),
    };
  }
  if ([400, 401, 403, 404].includes(code)) return { ok: false, permanent: true, reason };
  return { ok: false, permanent: false, reason };
}

/**
 * Posts to a channel: the photo with the post as its caption, or the post as
 * a text message whose link preview shows the article.
 */
export async function postToTelegram(
  bot: TelegramBot,
  chatId: string,
  post: { html: string; photo: { id: number; bytes: Uint8Array } | null; previewUrl: string },
): Promise<SendOutcome> {
  let outcome: SendOutcome & { messageId?: number };
  if (post.photo) {
    const form = new FormData();
    form.append('chat_id', chatId);
    form.append('caption', post.html);
    form.append('parse_mode', 'HTML');
    form.append(
      'photo',
      new Blob([Buffer.from(post.photo.bytes)], { type: 'image/jpeg' }),
      'photo.jpg',
    );
    outcome = await call(bot, 'sendPhoto', form);
  } else {
    outcome = await call(bot, 'sendMessage', {
      chat_id: chatId,
      text: post.html,
      parse_mode: 'HTML',
      link_preview_options: { url: post.previewUrl, prefer_large_media: true },
    });
  }
  if (!outcome.ok) return outcome;
  if (outcome.messageId === undefined) {
    return { ok: false, permanent: false, reason: 'Telegram answered without a message id' };
  }
  const message: TelegramMessage = {
    chatId,
    messageId: outcome.messageId,
    photoId: post.photo?.id ?? null,
  };
  return { ok: true, remoteId: JSON.stringify(message) };
}

/** Replaces a post's text (or caption) with `html`. */
export async function editTelegramPost(
  bot: TelegramBot,
  message: TelegramMessage,
  html: string,
  previewUrl: string,
): Promise<SendOutcome> {
  // Sent again with nothing changed, Telegram refuses; the post says what it should.
  const unchanged = /message is not modified/i;
  const outcome =
    message.photoId !== null
      ? await call(
          bot,
          'editMessageCaption',
          {
            chat_id: message.chatId,
            message_id: message.messageId,
            caption: html,
            parse_mode: 'HTML',
          },
          unchanged,
        )
      : await call(
          bot,
          'editMessageText',
          {
            chat_id: message.chatId,
            message_id: message.messageId,
            text: html,
            parse_mode: 'HTML',
            link_preview_options: { url: previewUrl, prefer_large_media: true },
          },
          unchanged,
        );
  return outcome.ok ? { ok: true, remoteId: null } : outcome;
}

/**
 * Deletes a post (an article unpublished). One already gone counts as
 * deleted. Telegram lets a bot delete a message for 48 hours only: an older
 * post is refused, and staff are told to delete it in the channel by hand.
 */
export async function deleteTelegramPost(
  bot: TelegramBot,
  message: TelegramMessage,
): Promise<SendOutcome> {
  const outcome = await call(
    bot,
    'deleteMessage',
    { chat_id: message.chatId, message_id: message.messageId },
    /message to delete not found/i,
  );
  if (outcome.ok) return { ok: true, remoteId: null };
  if (/can't be deleted/i.test(outcome.reason)) {
    return {
      ok: false,
      permanent: true,
      reason: `${outcome.reason} (a bot may delete a post for 48 hours only: delete it in the channel by hand)`,
    };
  }
  return outcome;
}
