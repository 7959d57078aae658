import { parentPort } from 'node:worker_threads';
import { isDomainError } from '../core/errors.js';
import { type ConvertAnswer, type ConvertRequest, convertWxrItem } from './wxr-convert.js';

// The worker thread of wxr-convert.ts: maps each post it is sent and answers
// with the result, in the order asked.

parentPort?.on('message', (request: ConvertRequest) => {
  let answer: ConvertAnswer;
  try {
    const converted = convertWxrItem(request.item, request.attached);
    answer = isDomainError(converted)
      ? { id: request.id, problem: { code: converted.code, message: converted.message } }
      : { id: request.id, converted };
  } catch (error) {
    answer = { id: request.id, failed: String(error) };
  }
  parentPort?.postMessage(answer);
});
// Loaded: the import may count on its answers from now on.
parentPort?.postMessage('ready');
