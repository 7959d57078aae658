/** Public URLs of the fingerprinted stylesheets and script (computed by http/ at start). */
export type AssetUrls = { stylesheet: string; printStylesheet: string; script: string };
