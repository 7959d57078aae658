import type { Channel } from '../core/audience.js';

/** Where readers came from, as the dashboard and an article's numbers name it. */
export const CHANNEL_LABELS: Record<Channel, string> = {
  direct: 'Direct or from an app',
  search: 'Search engines',
  social: 'Social networks',
  telegram: 'Telegram',
  newsletter: 'Newsletters',
  fediverse: 'Fediverse',
  mirror: 'Mirrors',
  website: 'Other websites',
  internal: 'From our own pages',
  unknown: 'Counted before sources were',
};
