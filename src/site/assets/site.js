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
