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
        } else if (response.status === 404 || response.status === 410) {
          // The article was taken down: there is nothing more to ask for.
          isOver = true;
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
  // Embeds: the facade loads nothing from the service. Pressing Play swaps it
  // for the service's privacy-friendlier player, built here from the video's
  // id (never from an address in the page); the page's CSP frames only these.
  // Posts (Telegram, X, Instagram) need the service's script: they stay links.
  const PLAYERS = {
    youtube: (id) => `https://www.youtube-nocookie.com/embed/${encodeURIComponent(id)}?autoplay=1`,
    vimeo: (id) => `https://player.vimeo.com/video/${encodeURIComponent(id)}?dnt=1&autoplay=1`,
    soundcloud: (id) =>
      `https://w.soundcloud.com/player/?url=${encodeURIComponent(`https://soundcloud.com${id}`)}&auto_play=true`,
  };
  for (const facade of document.querySelectorAll('[data-embed-player]')) {
    const player = PLAYERS[facade.dataset.embedPlayer];
    const link = facade.querySelector('.embed-link');
    if (!player || !link) continue;
    // It acts in place now: a button to assistive technology, Space included.
    link.setAttribute('role', 'button');
    link.addEventListener('keydown', (event) => {
      if (event.key === ' ') {
        event.preventDefault();
        link.click();
      }
    });
    link.addEventListener('click', (event) => {
      event.preventDefault();
      const frame = document.createElement('iframe');
      frame.src = player(facade.dataset.embedId || '');
      frame.title = facade.dataset.embedTitle || link.textContent.trim();
      frame.allow = 'autoplay; encrypted-media; fullscreen; picture-in-picture';
      frame.allowFullscreen = true;
      frame.referrerPolicy = 'strict-origin-when-cross-origin';
      const box = document.createElement('div');
      box.className = `embed-player embed-player-${facade.dataset.embedPlayer}`;
      box.append(frame);
      link.replaceWith(box);
      facade.classList.add('is-playing');
      frame.focus();
    });
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
