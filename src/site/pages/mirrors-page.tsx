import type { ReactNode } from 'react';
import type { MirrorAddress } from '../../core/mirror-list.js';
import { uiText } from '../i18n.js';
import { Layout, type PageProps } from '../layout.js';

export type MirrorsView = { mirrors: MirrorAddress[]; publicKey: string | null };

/**
 * Where else to read the newsroom: its own address, the mirrors editors
 * listed, and the key that proves a copy is genuine, with how to check one.
 */
export function MirrorsPage({ view, chrome, assets }: PageProps<MirrorsView>): ReactNode {
  const language = chrome.settings.language;
  const text = uiText(language);
  return (
    <Layout
      chrome={chrome}
      assets={assets}
      language={language}
      title={text.mirrorList}
      path="/mirrors"
      description={text.mirrorsIntro}
    >
      <h1>{text.mirrorList}</h1>
      <p>{text.mirrorsIntro}</p>
      <ul className="mirror-list">
        <li>
          <a href={`${chrome.publicUrl}/`}>{chrome.publicUrl}</a> — {text.mirrorsMain}
        </li>
        {view.mirrors.map((mirror) => (
          <li key={mirror.url}>
            <a href={mirror.url}>{mirror.url}</a>
            {mirror.label ? ` — ${mirror.label}` : ''}
            {mirror.isOnion ? ` (${text.mirrorsOnion})` : ''}
          </li>
        ))}
      </ul>
      {view.publicKey ? (
        <>
          <h2>{text.mirrorsCheckTitle}</h2>
          <p>{text.mirrorsCheck}</p>
          <pre className="mirror-key">
            <code>{view.publicKey}</code>
          </pre>
          <pre>
            <code>{`npx masthead mirror verify <address> --public-key "${view.publicKey}"`}</code>
          </pre>
        </>
      ) : null}
      <p>
        {text.mirrorsMachine} <a href="/mirrors.json">mirrors.json</a> ·{' '}
        <a href="/mirrors.xml">{text.mirrorsFeed}</a>
      </p>
    </Layout>
  );
}
