// Upload forms for tests, built by hand as a browser sends them.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export type Part =
  | { name: string; value: string }
  | { name: string; filename: string; contentType: string; bytes: Uint8Array };

export const BOUNDARY = '----masthead-test-boundary-7d1f3a';

/** A multipart/form-data body, built by hand as a browser would send it. */
export function multipartBody(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      'filename' in part
        ? `form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType}`
        : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push('filename' in part ? Buffer.from(part.bytes) : Buffer.from(part.value, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** Posts an upload form (to /api/media unless `url` says) as a signed-in staff member, with the session's CSRF token. */
export function postUpload(
  app: FastifyInstance,
  client: { cookie: string; csrf: string },
  parts: Part[],
  url = '/api/media',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      cookie: client.cookie,
      'x-csrf-token': client.csrf,
    },
    payload: multipartBody(parts),
  });
}
