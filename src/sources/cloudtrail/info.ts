/** `ct.info` (Stratoshark's Info column) and the plugin's one-line `String()` of an event. */
import { getPath, getStr } from './json-get.js';
import { ctReadOnly } from './readonly.js';
import { s3Bytes, s3Uri } from './s3-ec2.js';
import { ctUser } from './user.js';

function flag(v: unknown): boolean {
  return v === true || v === 'true';
}

/** §1.3 of the reference: "<user> via <srcip> [!]<arrow> <name>" plus S3 / host details. */
export function ctInfo(rec: unknown): string {
  const user = ctUser(rec);
  if (user === null) return '<invalid cloudtrail event: userIdentity field missing>';
  const srcip = getStr(rec, 'sourceIPAddress');
  if (srcip === null) return '<invalid cloudtrail event: eventSource field missing>';
  const err = getStr(rec, 'errorCode') !== null ? '!' : '';
  const arrow = ctReadOnly(rec) === 'false' ? '→' : '←';
  const name = getStr(rec, 'eventName');
  if (name === null) return '<invalid cloudtrail event: eventName field missing>';
  let info = user === srcip ? `${user} ${err}${arrow} ${name}` : `${user} via ${srcip} ${err}${arrow} ${name}`;
  if (name === 'PutBucketPublicAccessBlock') {
    const pac = getPath(rec, 'requestParameters', 'PublicAccessBlockConfiguration');
    if (pac !== undefined) {
      info +=
        ` BlockPublicAcls=${flag(getPath(pac, 'BlockPublicAcls'))}` +
        ` BlockPublicPolicy=${flag(getPath(pac, 'BlockPublicPolicy'))}` +
        ` IgnorePublicAcls=${flag(getPath(pac, 'IgnorePublicAcls'))}` +
        ` RestrictPublicBuckets=${flag(getPath(pac, 'RestrictPublicBuckets'))} `;
      return info;
    }
  }
  const bytes = s3Bytes(rec);
  if (bytes !== null) info += ` Size=${bytes}`;
  const uri = s3Uri(rec);
  if (uri !== null) return `${info} URI=${uri}`;
  const bucket = getStr(rec, 'requestParameters', 'bucketName');
  if (bucket !== null) return `${info} Bucket=${bucket}`;
  const key = getStr(rec, 'requestParameters', 'key');
  if (key !== null) return `${info} Key=${key}`;
  const host = getStr(rec, 'requestParameters', 'Host');
  if (host !== null) return `${info} Host=${host}`;
  return info;
}

/** `eventSource` without a trailing `.amazonaws.com` (only when longer than the suffix). */
export function shortSource(src: string): string {
  const sfx = '.amazonaws.com';
  return src.length > sfx.length && src.endsWith(sfx) ? src.slice(0, -sfx.length) : src;
}

/** The plugin's `String()`: "<region> <user> <shortsrc> <name> <info>", the user left out when empty. */
export function ctString(rec: unknown): string {
  const parts = [getStr(rec, 'awsRegion') ?? ''];
  const user = ctUser(rec);
  if (user) parts.push(user);
  parts.push(shortSource(getStr(rec, 'eventSource') ?? ''), getStr(rec, 'eventName') ?? '', ctInfo(rec));
  return parts.join(' ');
}
