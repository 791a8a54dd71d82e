/**
 * S3 and credential errors turned into one line a responder can act on.
 * Messages name the bucket, key and profile, never a secret.
 */

/** The S3 error code (`AccessDenied`, `NoSuchBucket`...) or Node error code, if any. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { name?: string; Code?: string; code?: string };
  return e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code;
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

const HINTS: Record<string, string> = {
  InvalidAccessKeyId: 'the access key id is not known to this S3 endpoint: check AWS_PROFILE / AWS_ACCESS_KEY_ID and the credentials file',
  SignatureDoesNotMatch: 'the secret access key does not match the access key id: check the credentials file',
  ExpiredToken: 'the session token has expired: refresh it (aws sso login, or new temporary credentials)',
  InvalidToken: 'the session token is not valid: refresh the credentials',
  AccessDenied: 'access denied: the identity lacks s3:ListBucket / s3:GetObject here, or a bucket policy or KMS key denies it',
  NoSuchBucket: 'no such bucket',
  CredentialsProviderError: 'no AWS credentials found: set AWS_PROFILE (with ~/.aws/credentials or SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
  PermanentRedirect: 'the bucket is in another region: set AWS_REGION',
};

/** A short reason for one failed object or listing: `AccessDenied (HTTP 403): ...`. */
export function describeError(err: unknown): string {
  const code = errorCode(err);
  const status = httpStatus(err);
  const msg = err instanceof Error ? err.message : String(err);
  const head = [code, status ? `(HTTP ${status})` : undefined].filter(Boolean).join(' ');
  const detail = msg && msg !== code && msg !== 'UnknownError' ? msg : code && HINTS[code] ? HINTS[code]! : '';
  return [head, detail].filter(Boolean).join(': ') || 'unknown error';
}

/** A fatal error for a failed listing, with a hint for credential problems. */
export function listingError(err: unknown, where: string, profile?: string): Error {
  const code = errorCode(err);
  const detail = describeError(err);
  const hint = code && HINTS[code] && !detail.includes(HINTS[code]!) && code !== 'NoSuchBucket' ? HINTS[code] : undefined;
  const who = profile ? ` (profile ${JSON.stringify(profile)})` : '';
  const e = new Error(`cannot list ${where}${who}: ${detail}${hint ? ` — ${hint}` : ''}`);
  (e as Error & { code?: string }).code = code;
  return e;
}
