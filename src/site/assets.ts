/** Public URLs of the fingerprinted reader assets (computed by http/ at start). */
export type AssetUrls = {
  stylesheet: string;
  printStylesheet: string;
  script: string;
  /** The in-browser search of static mirrors (loaded only by a mirror's search page). */
  mirrorSearchScript: string;
  icon: string;
};
