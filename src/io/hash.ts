import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 of text or bytes, hex. */
export function sha256(contents: string | Uint8Array): string {
  return createHash('sha256').update(contents).digest('hex');
}

/** SHA-256 of a file, streamed in 1 MB pieces (a 200 MB roster in 200 reads rather than 3,200), hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
