import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { EMBED_THUMBNAIL_BASES, type EmbedThumbnailBases } from './core/embeds.js';
import type { S3Location } from './store/media-bytes.js';

/**
 * Settings come from the environment, read once here, with defaults that need
 * no service: the embedded SQLite store under ./data. A bad value stops the
 * program at start with every problem listed.
 */
const S3_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/.*)?$/;

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  MASTHEAD_DATA: z.string().min(1).default('./data'),
  /** The site's public origin (canonical and share links); defaults to http://localhost:PORT. */
  MASTHEAD_PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Addresses of reverse proxies whose X-Forwarded-For to believe ("127.0.0.1",
   * "10.0.0.0/8,127.0.0.1"), or "true" for any. Off by default: behind a proxy,
   * set it, or every sign-in seems to come from the proxy and shares one limit.
   */
  MASTHEAD_TRUST_PROXY: z.string().default('false'),
  /** A WebSub hub (https://…) named in every feed and told of every publication and correction. */
  MASTHEAD_WEBSUB_HUB: z.url({ protocol: /^https?$/ }).optional(),
  /** The largest photo staff may upload, in megabytes. */
  MASTHEAD_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(500).default(25),
  // postgres://… switches the store from the embedded SQLite file to PostgreSQL.
  DATABASE_URL: z
    .string()
    .regex(/^postgres(?:ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional(),
  /** A CDN's purge-by-surrogate-key endpoint, told of every change Masthead purges itself. */
  MASTHEAD_CDN_PURGE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The header that authenticates those purges, "Name: value" (e.g. "Fastly-Key: …"). */
  MASTHEAD_CDN_PURGE_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+:\s*\S.*$/, 'a header as "Name: value"')
    .optional(),
  /**
   * Audience numbers (page views per hour, source, language and device;
   * nothing about a reader): "off" counts nothing, "most read" included.
   */
  MASTHEAD_AUDIENCE: z
    .enum(['on', 'off'])
    .default('on')
    .transform((value) => value === 'on'),
  // Rendered reader pages kept in memory; 0 renders every request.
  MASTHEAD_PAGE_CACHE_MB: z.coerce.number().int().min(0).max(8192).default(64),
  // Pages memory lets go, kept on disk instead of rendered again; 0 keeps none.
  MASTHEAD_PAGE_CACHE_DISK_MB: z.coerce.number().int().min(0).max(1_048_576).default(0),
  /** The disk tier's folder: this process's own, emptied at start. */
  MASTHEAD_PAGE_CACHE_DIR: z.string().min(1).optional(),
  /**
   * Photos on S3-compatible object storage instead of the data directory:
   * masters and renditions at s3://bucket/prefix (a bucket a CDN may serve),
   * the uploads as they arrived at MASTHEAD_ORIGINALS_URL (a private one).
   */
  MASTHEAD_MEDIA_URL: z.string().regex(S3_URL, 'an s3://bucket/prefix address').optional(),
  MASTHEAD_ORIGINALS_URL: z.string().regex(S3_URL, 'an s3://bucket/prefix address').optional(),
  /** The S3-compatible service (MinIO, Garage, R2, Ceph…); AWS S3 itself when unset. */
  MASTHEAD_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  MASTHEAD_S3_REGION: z.string().min(1).default('us-east-1'),
  /** The SMTP server newsletters go through: smtp:// or smtps://user:password@host:port. */
  MASTHEAD_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// address')
    .optional(),
  /** The address newsletters come from (news@your.domain); each list gives its own name. */
  MASTHEAD_MAIL_FROM: z.email().optional(),
  /** DKIM: the domain messages are signed for, its DNS selector, and the private key's file (PEM). */
  MASTHEAD_DKIM_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a domain name such as example.org')
    .optional(),
  MASTHEAD_DKIM_SELECTOR: z
    .string()
    .regex(/^[a-z0-9._-]+$/i, 'a selector such as mail2026')
    .optional(),
  MASTHEAD_DKIM_KEY_FILE: z.string().min(1).optional(),
  /** Permanent refusals (5xx) in a row after which an address gets no more newsletters. */
  MASTHEAD_MAIL_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(3),
  /**
   * Lets the fediverse reach servers on private and loopback addresses. For
   * tests of two instances on one machine only: in production it would let
   * anyone make the server fetch from its own network.
   */
  MASTHEAD_FEDIVERSE_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** A self-hosted Telegram Bot API server, instead of Telegram's own. */
  MASTHEAD_TELEGRAM_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  /**
   * Where embeds' thumbnails are asked for: YouTube's image host, and the
   * sites whose oEmbed names Vimeo's and SoundCloud's. Changed only by tests
   * (a stand-in server) and by a newsroom that proxies them.
   */
  MASTHEAD_EMBED_YOUTUBE_IMAGES_URL: z
    .url({ protocol: /^https?$/ })
    .default(EMBED_THUMBNAIL_BASES.youtubeImages),
  MASTHEAD_EMBED_VIMEO_URL: z.url({ protocol: /^https?$/ }).default(EMBED_THUMBNAIL_BASES.vimeo),
  MASTHEAD_EMBED_SOUNDCLOUD_URL: z
    .url({ protocol: /^https?$/ })
    .default(EMBED_THUMBNAIL_BASES.soundcloud),
  /** Lets embed thumbnails come from private and loopback addresses: for tests only, like the fediverse's. */
  MASTHEAD_EMBED_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  mediaDir: string;
  /** Uploads as they arrived, metadata and all: never served to readers. */
  originalsDir: string;
  publicUrl: string;
  /** MASTHEAD_PUBLIC_URL was given, rather than publicUrl made from HOST and PORT. */
  isPublicUrlSet: boolean;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  trustProxy: boolean | string[];
  maxUploadMb: number;
  pageCacheMb: number;
  /** Count the audience (MASTHEAD_AUDIENCE). */
  countAudience: boolean;
  /** The page cache's disk tier, or null when it is off. */
  pageCacheDisk: { directory: string; maxBytes: number } | null;
  /** PostgreSQL instead of SQLite, when set. */
  databaseUrl: string | null;
  websubHub: string | null;
  cdnPurge: { url: string; header: [string, string] | null } | null;
  /** Where photos are kept when not under the data directory (mediaDir, originalsDir). */
  mediaStorage: S3Storage | null;
  /** The Telegram Bot API the channels post through. */
  telegramApiUrl: string;
  /** SMTP for newsletters, or null when the site sends no e-mail. */
  smtp: SmtpSettings | null;
  /** The fediverse may fetch from private addresses (tests only). */
  fediverseAllowPrivate: boolean;
  /** Where embeds' thumbnails come from, and whether private addresses may answer (tests only). */
  embedThumbnails: { bases: EmbedThumbnailBases; allowPrivate: boolean };
};

export type SmtpSettings = {
  url: string;
  from: string;
  /** Signs every message, when set. */
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  /** Permanent refusals in a row after which an address is no longer sent to. */
  maxAddressFailures: number;
};

export type S3Storage = {
  public: S3Location;
  private: S3Location;
  endpoint?: string;
  region: string;
};

/** Reads `s3://bucket/some/prefix` (the prefix may be left out). */
export function parseS3Url(url: string): S3Location {
  const [, bucket = '', path = ''] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url) ?? [];
  const prefix = path.replace(/^\/+|\/+$/g, '');
  return { bucket, prefix: prefix === '' ? '' : `${prefix}/` };
}

/** The SMTP server and sender address, both or neither; DKIM's three settings, all or none. */
function smtpSettings(values: z.infer<typeof schema>): SmtpSettings | null {
  const { MASTHEAD_SMTP_URL: url, MASTHEAD_MAIL_FROM: from } = values;
  const dkimValues = [
    values.MASTHEAD_DKIM_DOMAIN,
    values.MASTHEAD_DKIM_SELECTOR,
    values.MASTHEAD_DKIM_KEY_FILE,
  ];
  if (url === undefined && from === undefined) {
    if (dkimValues.some((value) => value !== undefined))
      throw new ConfigError(
        'invalid configuration:\n  MASTHEAD_DKIM_*: DKIM signs e-mail, and no e-mail is sent without MASTHEAD_SMTP_URL and MASTHEAD_MAIL_FROM',
      );
    return null;
  }
  if (url === undefined || from === undefined) {
    throw new ConfigError(
      'invalid configuration:\n  MASTHEAD_SMTP_URL and MASTHEAD_MAIL_FROM: set both or neither (the server to send through, and the address mail comes from)',
    );
  }
  return {
    url,
    from,
    dkim: dkimSettings(values),
    maxAddressFailures: values.MASTHEAD_MAIL_MAX_FAILURES,
  };
}

function dkimSettings(values: z.infer<typeof schema>): SmtpSettings['dkim'] {
  const {
    MASTHEAD_DKIM_DOMAIN: domainName,
    MASTHEAD_DKIM_SELECTOR: keySelector,
    MASTHEAD_DKIM_KEY_FILE: keyFile,
  } = values;
  if (domainName === undefined && keySelector === undefined && keyFile === undefined) return null;
  if (domainName === undefined || keySelector === undefined || keyFile === undefined)
    throw new ConfigError(
      'invalid configuration:\n  MASTHEAD_DKIM_DOMAIN, MASTHEAD_DKIM_SELECTOR and MASTHEAD_DKIM_KEY_FILE: set all three or none',
    );
  let privateKey: string;
  try {
    privateKey = readFileSync(keyFile, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `invalid configuration:\n  MASTHEAD_DKIM_KEY_FILE: cannot read ${keyFile} (${(error as Error).message})`,
    );
  }
  if (!privateKey.includes('PRIVATE KEY-----'))
    throw new ConfigError(
      `invalid configuration:\n  MASTHEAD_DKIM_KEY_FILE: ${keyFile} is not a private key in PEM form (-----BEGIN PRIVATE KEY-----)`,
    );
  return { domainName: domainName.toLowerCase(), keySelector, privateKey };
}

/** The photos' object storage the environment names, or null for the data directory. */
function mediaStorage(values: z.infer<typeof schema>): S3Storage | null {
  const { MASTHEAD_MEDIA_URL: media, MASTHEAD_ORIGINALS_URL: originals } = values;
  if (media === undefined && originals === undefined) return null;
  if (media === undefined || originals === undefined) {
    throw new ConfigError(
      'invalid configuration:\n  MASTHEAD_MEDIA_URL and MASTHEAD_ORIGINALS_URL: set both or neither (originals may carry GPS positions and must not be kept where photos are served)',
    );
  }
  const publicArea = parseS3Url(media);
  const privateArea = parseS3Url(originals);
  // A bucket of their own: a bucket made public, or read by a CDN, for the
  // photos must never hand out an original.
  if (publicArea.bucket === privateArea.bucket) {
    throw new ConfigError(
      `invalid configuration:\n  MASTHEAD_ORIGINALS_URL: ${originals} is in the bucket of MASTHEAD_MEDIA_URL ${media}; keep originals in a private bucket of their own`,
    );
  }
  return {
    public: publicArea,
    private: privateArea,
    region: values.MASTHEAD_S3_REGION,
    ...(values.MASTHEAD_S3_ENDPOINT ? { endpoint: values.MASTHEAD_S3_ENDPOINT } : {}),
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the configuration from `env`, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  const values = parsed.data;
  const dataDir = resolve(values.MASTHEAD_DATA);
  const publicHost = values.HOST === '0.0.0.0' || values.HOST === '::' ? 'localhost' : values.HOST;
  return {
    port: values.PORT,
    host: values.HOST,
    dataDir,
    databaseFile: resolve(dataDir, 'masthead.sqlite'),
    mediaDir: resolve(dataDir, 'media'),
    originalsDir: resolve(dataDir, 'originals'),
    publicUrl: (
      values.MASTHEAD_PUBLIC_URL ??
      `http://${publicHost === '127.0.0.1' ? 'localhost' : publicHost}:${values.PORT}`
    ).replace(/\/$/, ''),
    isPublicUrlSet: values.MASTHEAD_PUBLIC_URL !== undefined,
    logLevel: values.LOG_LEVEL,
    trustProxy: parseTrustProxy(values.MASTHEAD_TRUST_PROXY),
    maxUploadMb: values.MASTHEAD_MAX_UPLOAD_MB,
    pageCacheMb: values.MASTHEAD_PAGE_CACHE_MB,
    countAudience: values.MASTHEAD_AUDIENCE,
    pageCacheDisk:
      values.MASTHEAD_PAGE_CACHE_DISK_MB > 0
        ? {
            directory: resolve(values.MASTHEAD_PAGE_CACHE_DIR ?? resolve(dataDir, 'page-cache')),
            maxBytes: values.MASTHEAD_PAGE_CACHE_DISK_MB * 1024 * 1024,
          }
        : null,
    databaseUrl: values.DATABASE_URL ?? null,
    websubHub: values.MASTHEAD_WEBSUB_HUB ?? null,
    cdnPurge: values.MASTHEAD_CDN_PURGE_URL
      ? {
          url: values.MASTHEAD_CDN_PURGE_URL,
          header: parseHeader(values.MASTHEAD_CDN_PURGE_HEADER),
        }
      : null,
    mediaStorage: mediaStorage(values),
    telegramApiUrl: values.MASTHEAD_TELEGRAM_API_URL,
    smtp: smtpSettings(values),
    fediverseAllowPrivate: values.MASTHEAD_FEDIVERSE_ALLOW_PRIVATE,
    embedThumbnails: {
      bases: {
        youtubeImages: values.MASTHEAD_EMBED_YOUTUBE_IMAGES_URL,
        vimeo: values.MASTHEAD_EMBED_VIMEO_URL,
        soundcloud: values.MASTHEAD_EMBED_SOUNDCLOUD_URL,
      },
      allowPrivate: values.MASTHEAD_EMBED_ALLOW_PRIVATE,
    },
  };
}

function parseHeader(value: string | undefined): [string, string] | null {
  if (value === undefined) return null;
  const colon = value.indexOf(':');
  return [value.slice(0, colon).trim(), value.slice(colon + 1).trim()];
}

function parseTrustProxy(value: string): boolean | string[] {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === '' || trimmed === 'false') return false;
  if (trimmed === 'true') return true;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
