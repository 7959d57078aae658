// Progressive enhancement for reader pages: everything works without it.
// Print opens the print dialog instead of the print view; "Copy link" copies;
// the system share sheet is offered where the browser has one.
(() => {
  const status = document.querySelector('.share-status');
  const say = (message) => {
    if (status) status.textContent = message;
  };
  for (const link of document.querySelectorAll('[data-print]')) {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      window.print();
    });
  }
  for (const link of document.querySelectorAll('[data-copy-link]')) {
    link.addEventListener('click', (event) => {
      if (!navigator.clipboard) return;
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(() => say(link.dataset.copiedText || ''));
    });
  }
  // Live coverage: while it runs, ask for the newest entries every 25 seconds
  // (not while the tab is hidden) and offer those not on the page with a
  // button, so nothing moves under the reader until they ask. The entries
  // come from our own server as rendered HTML.
  const live = document.querySelector('[data-live-url]');
  const liveList = live?.querySelector('[data-live-entries]');
  const liveButton = live?.querySelector('[data-live-new]');
  if (live && liveList && liveButton && window.fetch && window.Intl?.PluralRules) {
    const INTERVAL = 25000;
    let forms = {};
    try {
      forms = JSON.parse(live.dataset.liveForms || '{}');
    } catch {}
    const rules = new Intl.PluralRules(live.dataset.liveLocale || 'en');
    let waiting = [];
    let timer = null;
    let asking = false;
    let isOver = false;
    const onPage = () =>
      new Set(
        Array.from(live.querySelectorAll('[data-entry-id]'), (entry) => entry.dataset.entryId),
      );
    const offer = () => {
      if (waiting.length === 0) {
        liveButton.hidden = true;
        return;
      }
      const form = forms[rules.select(waiting.length)] || forms.other || '{count}';
      liveButton.textContent = form.replace('{count}', String(waiting.length));
      liveButton.hidden = false;
    };
    const later = () => {
      if (!isOver && !document.hidden && timer === null) timer = setTimeout(ask, INTERVAL);
    };
    const ask = async () => {
      timer = null;
      if (asking || isOver) return;
      asking = true;
      try {
        const response = await fetch(live.dataset.liveUrl, {
          headers: { accept: 'application/json' },
        });
        if (response.ok) {
          const update = await response.json();
          const known = onPage();
          waiting = update.entries.filter((entry) => !known.has(String(entry.id)));
          offer();
          // Coverage ended: what is offered stays, nothing more is asked for.
          if (update.state !== 'live') isOver = true;
        }
      } catch {}
      asking = false;
      later();
    };
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) {
        clearTimeout(timer);
        timer = null;
      } else {
        ask();
      }
    });
    liveButton.addEventListener('click', () => {
      const template = document.createElement('template');
      template.innerHTML = waiting.map((entry) => entry.html).join('');
      const first = template.content.firstElementChild;
      liveList.prepend(template.content);
      waiting = [];
      offer();
      // Keyboard and screen reader users carry on from the first new entry.
      if (first) {
        first.setAttribute('tabindex', '-1');
        first.focus();
      }
    });
    later();
  }
  if (navigator.share) {
    for (const button of document.querySelectorAll('[data-web-share]')) {
      const item = button.closest('.web-share');
      if (item) item.hidden = false;
      button.addEventListener('click', () => {
        const canonical = document.querySelector('link[rel="canonical"]');
        navigator
          .share({ title: document.title, url: canonical ? canonical.href : location.href })
          .catch(() => {});
      });
    }
  }
})();
