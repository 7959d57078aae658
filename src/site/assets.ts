/** Public URLs of the fingerprinted reader assets (computed by http/ at start). */
export type AssetUrls = {
  stylesheet: string;
  printStylesheet: string;
  script: string;
  icon: string;
};
