import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 of text or bytes, hex. */
export function sha256(contents: string | Uint8Array): string {
  return createHash('sha256').update(contents).digest('hex');
}

/** SHA-256 of a file, streamed, hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
