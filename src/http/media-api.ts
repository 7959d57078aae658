import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatCreditChain } from '../core/credit.js';
import { DomainError, isDomainError } from '../core/errors.js';
import { largePreviewOf, MEDIA_PATH, renditionsOf } from '../core/renditions.js';
import type { Media } from '../core/types.js';
import { storeEmbedThumbnail } from '../newsroom/embed-thumbnails.js';
import { checkImportRights, importUpload } from '../newsroom/import-file.js';
import { formatReportLine, summarize } from '../newsroom/import-report.js';
import {
  creditNames,
  getMediaDetail,
  readOriginal,
  removeMedia,
  searchMedia,
  updateMedia,
} from '../newsroom/media-library.js';
import type { Newsroom } from '../newsroom/newsroom.js';
import { type UploadImageInput, uploadImage } from '../newsroom/upload-media.js';
import { idParam, parse, type SignedIn } from './admin-api.js';

/**
 * The largest import file the admin API takes. An import holds the database
 * for its whole write, so the site's own requests wait on it: bigger WordPress
 * exports go through `masthead import`, at a quiet hour.
 */
const MAX_IMPORT_MB = 16;

/** The default upload limit; MASTHEAD_MAX_UPLOAD_MB changes it. */
export const DEFAULT_MAX_UPLOAD_MB = 25;
// Text fields are short (alt ≤ 1000, caption ≤ 2000 characters): 64 KB leaves
// room for any script's UTF-8 and still stops a field used as a payload.
const MAX_FIELD_BYTES = 64 * 1024;

export function presentMedia(media: Media) {
  return {
    id: media.id,
    alt: media.alt,
    caption: media.caption,
    credit: media.credit,
    creditLine: formatCreditChain(media.credit),
    isOwnPhoto: media.isOwnPhoto,
    creator: media.creator,
    source: media.source,
    copyright: media.copyright,
    digitalSourceType: media.digitalSourceType,
    keywords: media.keywords,
    focus: media.focus,
    width: media.width,
    height: media.height,
    url: media.file === null ? null : `${MEDIA_PATH}${media.file}`,
    renditions:
      media.file === null || media.width === null
        ? []
        : renditionsOf(media.file, media.width, MEDIA_PATH),
    largePreview:
      media.file === null || media.width === null
        ? null
        : largePreviewOf(media.file, media.width, MEDIA_PATH),
  };
}

function mediaId(value: string): number {
  return idParam(value, 'photo');
}

/** A credit field holding a JSON array is an explicit chain; any other text is a printed line. */
function creditInput(text: string | undefined): UploadImageInput['credit'] {
  if (text === undefined || !text.trimStart().startsWith('[')) return text;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value;
  } catch {
    // Falls through to the refusal below.
  }
  throw new DomainError(
    'invalid_input',
    'credit: a credit chain must be a JSON array of { "name", "role" }',
    'credit',
  );
}

function booleanField(name: string, text: string | undefined): boolean {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw new DomainError('invalid_input', `${name}: must be "true" or "false"`, name);
}

/** Turns the multipart plugin's own refusals into the API's error codes. */
function multipartRefusal(scope: FastifyInstance, error: unknown, maxUploadMb: number): unknown {
  const errors = scope.multipartErrors;
  if (error instanceof errors.RequestFileTooLargeError) {
    return new DomainError(
      'file_too_large',
      `file: the image is larger than ${maxUploadMb} MB; export a smaller one`,
      'file',
    );
  }
  if (error instanceof errors.InvalidMultipartContentTypeError) {
    return new DomainError(
      'invalid_input',
      'send the image as multipart/form-data, in the field "file"',
      'file',
    );
  }
  if (error instanceof errors.FilesLimitError) {
    return new DomainError('invalid_input', 'file: send one image at a time', 'file');
  }
  if (error instanceof errors.PartsLimitError || error instanceof errors.FieldsLimitError) {
    return new DomainError('invalid_input', 'the form has too many fields');
  }
  return error;
}

/** Reads the upload form: the image in `file`, text in `alt`, `caption`, `credit`, `isOwnPhoto`. */
async function readUploadForm(
  scope: FastifyInstance,
  request: FastifyRequest,
  maxUploadMb: number,
): Promise<UploadImageInput> {
  const fields = new Map<string, string>();
  let bytes: Buffer | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          throw new DomainError(
            'invalid_input',
            `file: send the image in the field "file", not "${part.fieldname}"`,
            'file',
          );
        }
        bytes = await part.toBuffer();
      } else if (part.valueTruncated) {
        throw new DomainError('invalid_input', `${part.fieldname}: too long`, part.fieldname);
      } else if (typeof part.value === 'string') {
        fields.set(part.fieldname, part.value);
      }
    }
  } catch (error) {
    throw multipartRefusal(scope, error, maxUploadMb);
  }
  return {
    bytes: bytes ?? new Uint8Array(),
    alt: fields.get('alt') ?? '',
    caption: fields.get('caption') ?? '',
    credit: creditInput(fields.get('credit')),
    isOwnPhoto: booleanField('isOwnPhoto', fields.get('isOwnPhoto')),
  };
}

/**
 * Image upload and the image list for the editor. The routes live in a scope of
 * their own so that only they accept multipart bodies; the session and CSRF
 * check is the admin API's own `signedIn`, run before any byte of the body is read.
 */
export async function registerMediaApi(
  app: FastifyInstance,
  newsroom: Newsroom,
  signedIn: SignedIn,
  maxUploadMb: number = DEFAULT_MAX_UPLOAD_MB,
): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, {
      throwFileSizeLimit: true,
      limits: {
        fileSize: maxUploadMb * 1024 * 1024,
        files: 1,
        fields: 10,
        parts: 12,
        fieldSize: MAX_FIELD_BYTES,
      },
    });

    // A full disk answers 507 in plain words; the log keeps what the file
    // system or the database said, for whoever must free the space.
    scope.addHook('onError', async (request, _reply, error) => {
      if (isDomainError(error, 'storage_full'))
        request.log.error({ err: error.detail }, 'the disk is full: an upload was not saved');
    });
    scope.post('/api/media', async (request, reply) => {
      const { actor } = await signedIn(request);
      const media = await uploadImage(
        newsroom,
        actor,
        await readUploadForm(scope, request, maxUploadMb),
      );
      return reply.code(201).send(presentMedia(media));
    });
    // An import file (WXR, ninjs, NewsML, seed page) in the field "file";
    // `format` overrides detection. Larger WordPress exports go through the CLI.
    scope.post('/api/imports', async (request) => {
      const { actor } = await signedIn(request);
      // The role first: no one else's upload is read at all.
      checkImportRights(actor);
      const fields = new Map<string, string>();
      let file: { name: string; bytes: Buffer } | null = null;
      try {
        for await (const part of request.parts({
          limits: { fileSize: MAX_IMPORT_MB * 1024 * 1024 },
        })) {
          if (part.type === 'file')
            file = { name: part.filename || 'upload', bytes: await part.toBuffer() };
          else if (typeof part.value === 'string') fields.set(part.fieldname, part.value);
        }
      } catch (error) {
        throw multipartRefusal(scope, error, MAX_IMPORT_MB);
      }
      if (!file)
        throw new DomainError(
          'invalid_input',
          'send the file to import in the field "file"',
          'file',
        );
      const format = fields.get('format');
      const result = await importUpload(newsroom, actor, {
        name: file.name,
        bytes: file.bytes,
        ...(format ? { format } : {}),
      });
      return {
        lines: result.lines.map(formatReportLine),
        summary: summarize(file.name, result),
        notes: Object.fromEntries(result.notes),
      };
    });
    scope.get<{ Querystring: { q?: string; photographer?: string; agency?: string } }>(
      '/api/media',
      async (request) => {
        const { actor } = await signedIn(request);
        const { q, photographer, agency } = request.query;
        const media = await searchMedia(newsroom, actor, {
          ...(q ? { query: q } : {}),
          ...(photographer ? { photographer } : {}),
          ...(agency ? { agency } : {}),
        });
        return { media: media.map(presentMedia) };
      },
    );
    scope.get('/api/media/credit-names', async (request) => {
      const { actor } = await signedIn(request);
      return await creditNames(newsroom, actor);
    });
    scope.get<{ Params: { id: string } }>('/api/media/:id', async (request) => {
      const { actor } = await signedIn(request);
      const { media, usedIn, otherArticles } = await getMediaDetail(
        newsroom,
        actor,
        mediaId(request.params.id),
      );
      return { ...presentMedia(media), usedIn, otherArticles };
    });
    // The upload as it arrived, metadata included: for editors only (see readOriginal).
    scope.get<{ Params: { id: string } }>('/api/media/:id/original', async (request, reply) => {
      const { actor } = await signedIn(request);
      const original = await readOriginal(newsroom, actor, mediaId(request.params.id));
      return reply
        .type(original.contentType)
        .header('content-disposition', `attachment; filename="${original.name}"`)
        .header('cache-control', 'private, no-store')
        .send(original.body);
    });
    scope.patch<{ Params: { id: string } }>('/api/media/:id', async (request) => {
      const { actor } = await signedIn(request);
      const changes = parse(
        z.object({
          alt: z.string().max(1000).optional(),
          caption: z.string().max(2000).optional(),
          credit: z.unknown().optional(),
          isOwnPhoto: z.boolean().optional(),
          // Checked in the newsroom (core/photo-input.ts), with a message that says how.
          focus: z.unknown().optional(),
        }),
        request.body,
      );
      return presentMedia(await updateMedia(newsroom, actor, mediaId(request.params.id), changes));
    });
    scope.delete<{ Params: { id: string } }>('/api/media/:id', async (request, reply) => {
      const { actor } = await signedIn(request);
      await removeMedia(newsroom, actor, mediaId(request.params.id));
      return reply.code(204).send();
    });
    // An embed's thumbnail, fetched by the server from the provider and kept
    // as a photo (newsroom/embed-thumbnails.ts): readers never fetch it from
    // the provider. A provider that gives none answers `thumbnail: null` and
    // why; the embed is saved without a picture.
    scope.post('/api/embeds/thumbnail', async (request) => {
      const { actor } = await signedIn(request);
      const body = (request.body ?? {}) as { url?: unknown; title?: unknown };
      const { media, problem } = await storeEmbedThumbnail(newsroom, actor, {
        url: body.url,
        title: body.title,
      });
      return { thumbnail: media ? presentMedia(media) : null, problem };
    });
  });
}
