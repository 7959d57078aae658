import type { ReactNode } from 'react';
import { pageTitle } from '../core/description.js';
import { sectionName, siteName, siteTagline } from '../core/localized.js';
import { jsonForScript } from '../core/script-json.js';
import { FEED_FORMATS, feedUrl, sectionUrl } from '../core/section-path.js';
import { LANGUAGES, type Language, type Section } from '../core/types.js';
import type { SiteChrome } from '../core/views.js';
import type { AssetUrls } from './assets.js';
import { FEED_LABELS, FEED_MEDIA_TYPES } from './feeds.js';
import { uiDirection, uiLanguage, uiText } from './i18n.js';
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
  /** Other feeds of this page itself (a live article's updates), linked as alternates. */
  alternates?: { href: string; type: string; title: string }[] | undefined;
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

/**
 * The address prefix that keeps readers in their language: "" on pages in
 * the site's own language (or one the interface does not speak), "/ru" on
 * Russian pages of an English site, so its navigation lists Russian articles.
 */
export function readerPrefix(chrome: SiteChrome, language: string): string {
  // Only languages the site has addresses for ("/ru"): an added interface pack has none.
  const ui = uiLanguage(language);
  if (ui !== language || !(LANGUAGES as readonly string[]).includes(ui)) return '';
  return ui === chrome.settings.language ? '' : `/${ui}`;
}

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
  const name = siteName(chrome.settings, language);
  const tagline = siteTagline(chrome.settings, language);
  const prefix = readerPrefix(chrome, language);
  const menu = chrome.menus?.[uiLanguage(language) as Language];
  const fullTitle = props.fullTitle ?? pageTitle(props.title, name);
  return (
    <html
      lang={language}
      dir={uiDirection(language)}
      className={props.isPrintView ? 'print-view' : undefined}
    >
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
            title={`${name} (${feed.label})`}
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
        {props.alternates?.map((feed) => (
          <link
            key={feed.href}
            rel="alternate"
            type={feed.type}
            href={feed.href}
            title={feed.title}
          />
        ))}
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
          <a className="site-name" href={prefix || '/'}>
            {name}
          </a>
          {/* On phones the search form folds into an icon: the search page has the same box. */}
          <a className="search-icon" href="/search">
            <span className="visually-hidden">{text.search}</span>
            <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
              <circle
                cx="10.5"
                cy="10.5"
                r="6.5"
                fill="none"
                stroke="currentColor"
                strokeWidth="2.25"
              />
              <path
                d="m15.5 15.5 5 5"
                stroke="currentColor"
                strokeWidth="2.25"
                strokeLinecap="round"
              />
            </svg>
          </a>
          {tagline ? <p className="site-tagline">{tagline}</p> : null}
          <search className="site-search" aria-label={text.search}>
            <form action="/search" method="get">
              <label htmlFor="site-search-query" className="visually-hidden">
                {text.searchLabel}
              </label>
              <input id="site-search-query" type="search" name="q" maxLength={200} />
              <button type="submit">{text.search}</button>
            </form>
          </search>
          {/* The editors' menu for this language, else the top sections in it. */}
          {menu && menu.main.length > 0 ? (
            <nav className="site-nav" aria-label={text.sections}>
              <ul>
                {menu.main.map((link) => (
                  <li key={`${link.url} ${link.label}`}>
                    <a href={link.url}>{link.label}</a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : chrome.sections.length > 0 ? (
            <nav className="site-nav" aria-label={text.sections}>
              <ul>
                {chrome.sections.map((section) => (
                  <li key={section.id}>
                    <a href={`${prefix}${sectionUrl(section)}`}>{sectionName(section, language)}</a>
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
        {footerPagesIn(chrome, language).map((page) => (
          <li key={page.url}>
            <a href={page.url}>{page.title}</a>
          </li>
        ))}
        <li>
          <a href="/corrections">{text.corrections}</a>
        </li>
        <li>
          <a href="/contact">{text.contact}</a>
        </li>
        {/* A mirror is static: its readers sign up on the site itself. */}
        {chrome.hasNewsletters && !chrome.isMirror ? (
          <li>
            <a href="/newsletters">{text.newsletters}</a>
          </li>
        ) : null}
        {chrome.menus?.[uiLanguage(language) as Language]?.footer.map((link) => (
          <li key={`${link.url} ${link.label}`}>
            <a href={link.url}>{link.label}</a>
          </li>
        ))}
      </ul>
      <p className="footer-name">{siteName(chrome.settings, language)}</p>
    </footer>
  );
}

/**
 * The legal pages in the page's language (a Russian page links the Russian
 * terms of use), or every one when none is written in it.
 */
function footerPagesIn(chrome: SiteChrome, language: string): SiteChrome['footerPages'] {
  const own = chrome.footerPages.filter((page) => page.language === language);
  return own.length > 0 ? own : chrome.footerPages;
}

/** Breadcrumbs: the section trail as an ordered list of links, optionally marking the last as current. */
export function Breadcrumbs({
  trail,
  language,
  prefix,
  currentIsLast,
}: {
  trail: Section[];
  language: string;
  /** Keeps readers in their language: "/ru" on Russian pages of an English site (readerPrefix). */
  prefix: string;
  currentIsLast: boolean;
}): ReactNode {
  return (
    <nav className="breadcrumbs" aria-label={uiText(language).breadcrumb}>
      <ol>
        {trail.map((section, index) => (
          <li key={section.id}>
            <a
              href={`${prefix}${sectionUrl(section)}`}
              aria-current={currentIsLast && index === trail.length - 1 ? 'page' : undefined}
            >
              {sectionName(section, language)}
            </a>
          </li>
        ))}
      </ol>
    </nav>
  );
}
