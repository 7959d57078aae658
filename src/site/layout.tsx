import type { ReactNode } from 'react';
import { pageTitle } from '../core/description.js';
import { jsonForScript } from '../core/script-json.js';
import { FEED_FORMATS, feedUrl, sectionUrl } from '../core/section-path.js';
import type { Section } from '../core/types.js';
import type { SiteChrome } from '../core/views.js';
import type { AssetUrls } from './assets.js';
import { FEED_LABELS, FEED_MEDIA_TYPES } from './feeds.js';
import { uiText } from './i18n.js';
import type { SocialTag } from './structured-data.js';

/** What every page component takes: its view, the site chrome and the asset URLs. */
export type PageProps<View> = { view: View; chrome: SiteChrome; assets: AssetUrls };

export type LayoutProps = {
  chrome: SiteChrome;
  assets: AssetUrls;
  /** Language of the page's content; the interface follows it. */
  language: string;
  title: string;
  /** The whole <title> when the page chose it (an article's meta title); else "title — site". */
  fullTitle?: string | undefined;
  description?: string;
  /** Site-relative path of the canonical URL, or null for pages that have none (404). */
  path: string | null;
  /** The print view (?print): the print stylesheet applies on screen too. */
  isPrintView?: boolean;
  /** The lead photo, fetched before the stylesheet is even read (it is usually the largest paint). */
  preloadImage?: { href: string; srcSet?: string; sizes?: string; type?: string } | undefined;
  /** schema.org data about the page, written as JSON-LD. */
  structuredData?: object | undefined;
  /** The listing this page is ("/news/politics", "" for home), whose feeds it links to besides the site's. */
  feedPath?: string | undefined;
  /** Open Graph and Twitter card tags (`property` for og:/article:, `name` for twitter:). */
  socialMeta?: SocialTag[] | undefined;
  /** The same page in other languages (hreflang), this page included. */
  languageVersions?: { language: string; url: string }[] | undefined;
  /** Pages search engines should not keep (search results, 404). */
  isNoIndex?: boolean | undefined;
  /** A line above the header saying what the page is (a preview). */
  notice?: ReactNode;
  children: ReactNode;
};

/** The feeds of a listing page: "/news/politics" → "/news/politics/feed.xml", "" → "/feed.xml". */
export function feedUrls(path: string): { href: string; type: string; label: string }[] {
  return FEED_FORMATS.map((format) => ({
    href: feedUrl(path, format),
    type: FEED_MEDIA_TYPES[format],
    label: FEED_LABELS[format],
  }));
}

/** The document around every reader page: head, header, navigation, footer. */
export function Layout(props: LayoutProps): ReactNode {
  const { chrome, assets, language } = props;
  const text = uiText(language);
  const fullTitle = props.fullTitle ?? pageTitle(props.title, chrome.settings.name);
  return (
    <html lang={language} className={props.isPrintView ? 'print-view' : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href={assets.icon} type="image/svg+xml" />
        <title>{fullTitle}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        {props.path !== null ? (
          <link rel="canonical" href={`${chrome.publicUrl}${props.path}`} />
        ) : null}
        <meta
          name="robots"
          content={
            props.path === null || props.isNoIndex
              ? 'noindex'
              : 'index, follow, max-image-preview:large'
          }
        />
        {props.path !== null
          ? props.languageVersions?.map((version) => (
              <link
                key={version.language}
                rel="alternate"
                hrefLang={version.language}
                href={`${chrome.publicUrl}${version.url}`}
              />
            ))
          : null}
        {feedUrls('').map((feed) => (
          <link
            key={feed.href}
            rel="alternate"
            type={feed.type}
            href={feed.href}
            title={`${chrome.settings.name} (${feed.label})`}
          />
        ))}
        {props.feedPath
          ? feedUrls(props.feedPath).map((feed) => (
              <link
                key={feed.href}
                rel="alternate"
                type={feed.type}
                href={feed.href}
                title={`${props.title} (${feed.label})`}
              />
            ))
          : null}
        {props.socialMeta?.map((meta) => (
          <meta
            key={`${meta.property ?? meta.name}-${meta.content}`}
            property={meta.property}
            name={meta.name}
            content={meta.content}
          />
        ))}
        {props.preloadImage ? (
          <link
            rel="preload"
            as="image"
            href={props.preloadImage.href}
            imageSrcSet={props.preloadImage.srcSet}
            imageSizes={props.preloadImage.sizes}
            type={props.preloadImage.type}
            fetchPriority="high"
          />
        ) : null}
        <link rel="stylesheet" href={assets.stylesheet} />
        <link
          rel="stylesheet"
          href={assets.printStylesheet}
          media={props.isPrintView ? 'all' : 'print'}
        />
        <script src={assets.script} defer />
        {props.structuredData ? (
          <script
            type="application/ld+json"
            // biome-ignore lint/security/noDangerouslySetInnerHtml: JSON with "<" escaped (jsonForScript), not markup
            dangerouslySetInnerHTML={{ __html: jsonForScript(props.structuredData) }}
          />
        ) : null}
      </head>
      <body>
        <a className="skip-link" href="#main">
          {text.skipToContent}
        </a>
        {chrome.isMirror ? (
          <p className="mirror-notice">
            {text.mirrorNotice} <a href="/mirrors">{text.mirrorList}</a>
          </p>
        ) : null}
        {props.notice ? <p className="page-notice">{props.notice}</p> : null}
        <header className="site-header">
          <a className="site-name" href="/">
            {chrome.settings.name}
          </a>
          {chrome.settings.tagline ? (
            <p className="site-tagline">{chrome.settings.tagline}</p>
          ) : null}
          <search className="site-search" aria-label={text.search}>
            <form action="/search" method="get">
              <label htmlFor="site-search-query" className="visually-hidden">
                {text.searchLabel}
              </label>
              <input id="site-search-query" type="search" name="q" maxLength={200} />
              <button type="submit">{text.search}</button>
            </form>
          </search>
          {chrome.sections.length > 0 ? (
            <nav className="site-nav" aria-label={text.sections}>
              <ul>
                {chrome.sections.map((section) => (
                  <li key={section.id}>
                    <a href={sectionUrl(section)}>{section.name}</a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </header>
        <main id="main">{props.children}</main>
        <SiteFooter chrome={chrome} language={language} />
      </body>
    </html>
  );
}

function SiteFooter({ chrome, language }: { chrome: SiteChrome; language: string }): ReactNode {
  const text = uiText(language);
  const { mastheadUrl } = chrome;
  // The masthead line names the editors-in-chief, as newspapers print it.
  const mastheadLinks = mastheadUrl
    ? chrome.editorsInChief.length > 0
      ? chrome.editorsInChief.map((person) => ({
          key: `person-${person.id}`,
          text: `${person.mastheadTitle ?? text.masthead} — ${person.name}`,
        }))
      : [{ key: 'masthead', text: text.masthead }]
    : [];
  return (
    <footer className="site-footer">
      <ul className="footer-links">
        {mastheadLinks.map((link) => (
          <li key={link.key} className="masthead-line">
            <a href={mastheadUrl ?? undefined}>{link.text}</a>
          </li>
        ))}
        {chrome.footerPages.map((page) => (
          <li key={page.url}>
            <a href={page.url}>{page.title}</a>
          </li>
        ))}
        <li>
          <a href="/corrections">{text.corrections}</a>
        </li>
        {/* A mirror is static: its readers sign up on the site itself. */}
        {chrome.hasNewsletters && !chrome.isMirror ? (
          <li>
            <a href="/newsletters">{text.newsletters}</a>
          </li>
        ) : null}
      </ul>
      <p className="footer-name">{chrome.settings.name}</p>
    </footer>
  );
}

/** Breadcrumbs: the section trail as an ordered list of links, optionally marking the last as current. */
export function Breadcrumbs({
  trail,
  language,
  currentIsLast,
}: {
  trail: Section[];
  language: string;
  currentIsLast: boolean;
}): ReactNode {
  return (
    <nav className="breadcrumbs" aria-label={uiText(language).breadcrumb}>
      <ol>
        {trail.map((section, index) => (
          <li key={section.id}>
            <a
              href={sectionUrl(section)}
              aria-current={currentIsLast && index === trail.length - 1 ? 'page' : undefined}
            >
              {section.name}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}
