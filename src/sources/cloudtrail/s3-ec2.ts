/** Computed S3 and EC2 values: bytes transferred, op counters, s3 URI, instance name, image ids. */
import { getPath, getStr, isObject, toU64 } from './json-get.js';

/** `s3.uri`: s3://bucket/key, only when both exist. */
export function s3Uri(rec: unknown): string | null {
  const bucket = getStr(rec, 'requestParameters', 'bucketName');
  if (bucket === null) return null;
  const key = getStr(rec, 'requestParameters', 'key');
  if (key === null) return null;
  return `s3://${bucket}/${key}`;
}

/** `s3.bytes.in` / `s3.bytes.out`: present when the key exists (any value; unparsable counts 0). */
export function s3BytesIn(rec: unknown): number | null {
  const v = getPath(rec, 'additionalEventData', 'bytesTransferredIn');
  return v === undefined ? null : toU64(v);
}
export function s3BytesOut(rec: unknown): number | null {
  const v = getPath(rec, 'additionalEventData', 'bytesTransferredOut');
  return v === undefined ? null : toU64(v);
}
/** `s3.bytes`: in + out, present if either exists. */
export function s3Bytes(rec: unknown): number | null {
  const i = s3BytesIn(rec);
  const o = s3BytesOut(rec);
  if (i === null && o === null) return null;
  return (i ?? 0) + (o ?? 0);
}

/**
 * `s3.cnt.get|put|other`: 1 or 0 as the field descriptions say (the plugin
 * leaves the 0 case absent). Absent only when the record has no eventName.
 */
export function s3Count(rec: unknown, kind: 'get' | 'put' | 'other'): number | null {
  const name = getStr(rec, 'eventName');
  if (name === null) return null;
  if (kind === 'get') return name === 'GetObject' ? 1 : 0;
  if (kind === 'put') return name === 'PutObject' ? 1 : 0;
  return name === 'GetObject' || name === 'PutObject' ? 0 : 1;
}

/** `ec2.name`: the Name tag of the instance tag specification (last matching item wins). */
export function ec2Name(rec: unknown): string | null {
  const items = getPath(rec, 'requestParameters', 'tagSpecificationSet', 'items');
  if (!Array.isArray(items)) return null;
  let name = '';
  for (const item of items) {
    if (getStr(item, 'resourceType') !== 'instance') continue;
    const tags = getPath(item, 'tags');
    if (!Array.isArray(tags)) continue;
    for (const tag of tags) {
      if (getStr(tag, 'key') === 'Name') {
        name = getStr(tag, 'value') ?? '';
        break;
      }
    }
  }
  return name === '' ? null : name;
}

/**
 * `ec2.imageids`: every non-empty `responseElements.instancesSet.items[].imageId`;
 * failing that, the first of the request's imageId forms.
 */
export function ec2ImageIds(rec: unknown): string[] {
  const items = getPath(rec, 'responseElements', 'instancesSet', 'items');
  const out: string[] = [];
  if (Array.isArray(items)) {
    for (const it of items) {
      const id = isObject(it) ? getStr(it, 'imageId') : null;
      if (id) out.push(id);
    }
  }
  if (out.length > 0) return out;
  const req =
    getStr(rec, 'requestParameters', 'imageId') ||
    getStr(rec, 'requestParameters', 'DescribeFastLaunchImagesRequest', 'ImageId', 'content') ||
    getStr(rec, 'requestParameters', 'launchSpecification', 'imageId');
  return req ? [req] : [];
}

/** `ec2.imageids` as a field value: the list, or one element with an index argument. */
export function ec2ImageIdsValue(rec: unknown, arg?: string): string | readonly string[] | null {
  const ids = ec2ImageIds(rec);
  if (arg === undefined || arg === '') return ids.length ? ids : null;
  const i = Number(arg);
  if (!Number.isInteger(i) || i < 0) return null;
  return ids[i] ?? null;
}
