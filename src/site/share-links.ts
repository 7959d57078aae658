/** A share target: a plain link, so no third-party script ever loads on our pages. */
export type ShareLink = { network: string; label: string; href: string };

/** Share links for `url` with `title`, in the order readers of independent media use them most. */
export function shareLinks(url: string, title: string, emailLabel: string): ShareLink[] {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  return [
    { network: 'telegram', label: 'Telegram', href: `https://t.me/share/url?url=${u}&text=${t}` },
    { network: 'x', label: 'X', href: `https://x.com/intent/post?url=${u}&text=${t}` },
    {
      network: 'facebook',
      label: 'Facebook',
      href: `https://www.facebook.com/sharer/sharer.php?u=${u}`,
    },
    { network: 'vk', label: 'VK', href: `https://vk.com/share.php?url=${u}&title=${t}` },
    {
      network: 'whatsapp',
      label: 'WhatsApp',
      href: `https://wa.me/?text=${encodeURIComponent(`${title} ${url}`)}`,
    },
    { network: 'email', label: emailLabel, href: `mailto:?subject=${t}&body=${u}` },
  ];
}
