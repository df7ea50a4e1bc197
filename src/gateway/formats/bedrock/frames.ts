/**
 * AWS event-stream frames as Bedrock's InvokeModelWithResponseStream sends them: each Anthropic
 * event is a `chunk` event whose JSON payload holds the event's JSON, base64-encoded, as `bytes`;
 * a failure is an `exception` message named by its ResponseStream union member.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** The exception members of Bedrock's ResponseStream union (lower camel case, as on the wire). */
export type StreamExceptionMember =
  | 'internalServerException'
  | 'modelStreamErrorException'
  | 'validationException'
  | 'throttlingException'
  | 'modelTimeoutException'
  | 'serviceUnavailableException';

export function chunkFrame(eventJson: Uint8Array): Uint8Array {
  const bytes = Buffer.from(eventJson.buffer, eventJson.byteOffset, eventJson.byteLength).toString('base64');
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: 'chunk' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(`{"bytes":"${bytes}"}`),
  });
}

export function exceptionFrame(member: StreamExceptionMember, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: member },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}
