import type { ReactNode } from 'react';
import { authorUrl } from '../../core/section-path.js';
import type { PageView } from '../../core/views.js';
import { DocumentBody } from '../components.js';
import { uiText } from '../i18n.js';
import { Layout, type PageProps } from '../layout.js';
import { pageStructuredData } from '../structured-data.js';

/** A static page (terms, privacy, about); the masthead page also lists the staff, each linking to their page. */
export function StaticPage({ view, chrome, assets }: PageProps<PageView>): ReactNode {
  const { page } = view;
  const text = uiText(page.language);
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={page.language}
      title={page.title}
      path={view.url}
      structuredData={pageStructuredData(view, chrome, `${chrome.publicUrl}${assets.icon}`)}
    >
      <article className="static-page">
        <h1>{page.title}</h1>
        <DocumentBody doc={page.body} media={view.bodyMedia} language={page.language} />
        {view.staff.length > 0 ? (
          <section className="staff" aria-labelledby="staff-heading">
            <h2 id="staff-heading">{text.staff}</h2>
            <dl>
              {view.staff.map((person) => (
                <div key={person.id} className="staff-member">
                  <dt>{person.mastheadTitle}</dt>
                  <dd>
                    <a href={authorUrl(person.slug)}>{person.name}</a>
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ) : null}
      </article>
    </Layout>
  );
}
