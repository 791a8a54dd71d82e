/**
 * The Jupyter wire protocol (messaging spec v5.3): identities, the
 * `<IDS|MSG>` delimiter, the HMAC-SHA256 signature over header, parent
 * header, metadata and content, then any binary buffers.
 */
import { createHmac, randomBytes } from 'node:crypto';

const DELIM = Buffer.from('<IDS|MSG>');
export const PROTOCOL_VERSION = '5.3';

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface Message {
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Buffer[];
}

function sign(key: string, parts: readonly (string | Buffer)[]): string {
  if (!key) return '';
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Parses and verifies one multipart message; throws on a bad signature or shape. */
export function decode(key: string, frames: readonly Buffer[]): Message {
  const d = frames.findIndex((f) => f.equals(DELIM));
  if (d < 0 || frames.length < d + 6) throw new Error('malformed Jupyter message: no <IDS|MSG> delimiter or missing parts');
  const signature = frames[d + 1]!.toString();
  const parts = frames.slice(d + 2, d + 6);
  const expected = sign(key, parts);
  if (key && signature !== expected) throw new Error('invalid message signature');
  const json = (b: Buffer) => JSON.parse(b.toString('utf8')) as Record<string, unknown>;
  return {
    identities: frames.slice(0, d) as Buffer[],
    header: json(parts[0]!) as unknown as Header,
    parent_header: json(parts[1]!) as Partial<Header>,
    metadata: json(parts[2]!),
    content: json(parts[3]!),
    buffers: frames.slice(d + 6) as Buffer[],
  };
}

/** A new message of `msgType` in reply to (or caused by) `parent`. */
export function reply(parent: Message, msgType: string, content: Record<string, unknown>, metadata: Record<string, unknown> = {}): Message {
  return {
    identities: parent.identities,
    header: {
      msg_id: randomBytes(16).toString('hex'),
      session: parent.header.session,
      username: parent.header.username ?? 'stratolab',
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    },
    parent_header: parent.header,
    metadata,
    content,
    buffers: [],
  };
}

/** The frames of a message, signed. */
export function encode(key: string, msg: Message, withIdentities = true): (Buffer | string)[] {
  const parts = [
    JSON.stringify(msg.header),
    JSON.stringify(msg.parent_header),
    JSON.stringify(msg.metadata),
    JSON.stringify(msg.content, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)),
  ];
  return [...(withIdentities ? msg.identities : []), DELIM, sign(key, parts), ...parts, ...msg.buffers];
}
