import type { Mail } from './newsletters.js';

// The e-mails a reader gets about their subscription, in the list's
// language: plain text first (it is what every mail program shows), and the
// same as simple HTML. Pure: newsroom/newsletters.ts sends them.

const WORDS = {
  en: {
    subject: (site: string) => `Confirm your subscription to ${site}`,
    intro: (site: string) =>
      `Someone, we hope you, asked for these newsletters from ${site} at this address:`,
    confirm: 'To start receiving them, open this link and press Confirm:',
    ignore:
      'If it was not you, do nothing: without a confirmation this address gets nothing more from us, and we forget it.',
    expires: (days: number) => `The link works for ${days} days.`,
  },
  ru: {
    subject: (site: string) => `Подтвердите подписку на рассылку «${site}»`,
    intro: (site: string) => `Кто-то — надеемся, вы — подписал этот адрес на рассылки «${site}»:`,
    confirm: 'Чтобы получать их, откройте ссылку и нажмите «Подтвердить»:',
    ignore:
      'Если это были не вы, ничего не делайте: без подтверждения мы больше ничего не пришлём на этот адрес и забудем его.',
    expires: (days: number) => `Ссылка действует ${days} дн.`,
  },
} as const;

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** The double opt-in e-mail: which lists, and the link that confirms them. */
export function confirmationMail(input: {
  language: string;
  siteName: string;
  lists: string[];
  confirmUrl: string;
  days: number;
}): Mail {
  const words = input.language === 'ru' ? WORDS.ru : WORDS.en;
  const lines = [
    words.intro(input.siteName),
    '',
    ...input.lists.map((name) => `  • ${name}`),
    '',
    words.confirm,
    input.confirmUrl,
    '',
    words.expires(input.days),
    '',
    words.ignore,
  ];
  const dir =
    input.language === 'ar' || input.language === 'he' || input.language === 'fa' ? 'rtl' : 'ltr';
  const html = `<!doctype html><html lang="${escapeHtml(input.language)}" dir="${dir}"><body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem">
<p>${escapeHtml(words.intro(input.siteName))}</p>
<ul>${input.lists.map((name) => `<li>${escapeHtml(name)}</li>`).join('')}</ul>
<p>${escapeHtml(words.confirm)}<br><a href="${escapeHtml(input.confirmUrl)}">${escapeHtml(input.confirmUrl)}</a></p>
<p>${escapeHtml(words.expires(input.days))}</p>
<p>${escapeHtml(words.ignore)}</p>
</body></html>`;
  return { subject: words.subject(input.siteName), text: `${lines.join('\n')}\n`, html };
}
