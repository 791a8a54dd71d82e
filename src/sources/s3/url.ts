/** `s3://bucket/prefix` specs. */

export interface S3Location {
  bucket: string;
  /** key prefix, no leading slash; '' for the bucket root */
  prefix: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.\-_]{1,254}$/i;

/** True for `s3://...` specs. */
export function isS3Url(spec: string): boolean {
  return /^s3:\/\//i.test(spec);
}

/** Splits `s3://bucket/prefix`; throws a clear error for anything else. */
export function parseS3Url(spec: string): S3Location {
  const m = /^s3:\/\/([^/]*)\/?(.*)$/is.exec(spec.trim());
  if (!m) throw new Error(`not an S3 URL: ${JSON.stringify(spec)} (expected s3://bucket/prefix)`);
  const bucket = m[1]!;
  if (!BUCKET.test(bucket)) throw new Error(`bad bucket name in ${JSON.stringify(spec)} (expected s3://bucket/prefix)`);
  return { bucket, prefix: m[2]!.replace(/^\/+/, '') };
}
