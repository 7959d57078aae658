import { parentPort } from 'node:worker_threads';
import { isDomainError } from '../core/errors.js';
import { WxrReader } from '../formats/wxr-reader.js';
import {
  AheadPicker,
  type ConvertedAnswer,
  convertedAnswer,
  convertWxrItem,
  type ReadAnswer,
  type ReadRequest,
} from './wxr-convert.js';

// The worker thread of wxr-convert.ts: reads a file sent in chunks, and
// answers each chunk with its events and the posts among them mapped.

let file: { reader: WxrReader; picker: AheadPicker } | null = null;

function answerOf(request: ReadRequest): ReadAnswer | null {
  if (request.kind === 'open') {
    file = { reader: new WxrReader(request.name), picker: new AheadPicker(request.plan) };
    return null;
  }
  const reading = file;
  if (!reading) return { id: request.id, failed: 'a chunk before its file was opened' };
  if (request.kind === 'close') file = null;
  let events: ReturnType<WxrReader['write']>;
  try {
    events =
      request.kind === 'chunk' ? reading.reader.write(request.bytes) : reading.reader.close();
  } catch (error) {
    if (isDomainError(error)) {
      return { id: request.id, unreadable: { code: error.code, message: error.message } };
    }
    return { id: request.id, failed: String(error) };
  }
  const converted: [number, ConvertedAnswer][] = [];
  events.forEach((event, at) => {
    if (event.kind !== 'item') return;
    const attached = reading.picker.pick(event.item);
    if (attached === null) return;
    // One that fails for another reason than its content is converted again
    // in the import's thread, in its turn, where the error is the import's.
    try {
      converted.push([at, convertedAnswer(convertWxrItem(event.item, attached))]);
    } catch {
      // (left out of the answer)
    }
  });
  return { id: request.id, read: { events, converted } };
}

parentPort?.on('message', (request: ReadRequest) => {
  const answer = answerOf(request);
  if (answer) parentPort?.postMessage(answer);
});
// Loaded: the import may count on its answers from now on.
parentPort?.postMessage('ready');
