import type { ReactNode } from 'react';
import type { AssetUrls } from '../assets.js';

/**
 * The page readers see when the server fails. It needs nothing from the
 * database, which may be what failed, so it has no navigation: only a way home.
 */
export function ServerErrorPage({ assets }: { assets: AssetUrls }): ReactNode {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>Something went wrong</title>
        <link rel="icon" href={assets.icon} type="image/svg+xml" />
        <link rel="stylesheet" href={assets.stylesheet} />
      </head>
      <body>
        <main id="main">
          <h1>Something went wrong on our side</h1>
          <p>The page could not be shown just now. Please try again in a moment.</p>
          <p lang="ru">Не удалось показать страницу. Попробуйте ещё раз через минуту.</p>
          <p>
            <a href="/">Home page</a>
          </p>
        </main>
      </body>
    </html>
  );
}
