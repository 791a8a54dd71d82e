/**
 * CloudTrail straight from S3: `s3://bucket/prefix` narrowed to a time range,
 * read concurrently with retries, cached locally, resumable, with progress.
 */
import type { LoadOptions, LoadResult, SourceLoader } from '../types.js';
import { loadS3, type S3LoadOptions } from './load.js';
import { isS3Url } from './url.js';

export { loadS3, type S3LoadOptions } from './load.js';
export { parseInterval, parseEndpoint, resolveRange, type TimeRange } from './interval.js';
export { classifyPrefix, nameTimestamp, isLogKey, type TrailPrefix, type Level } from './layout.js';
export { planObjects, discoverTargets, DEFAULT_MARGINS, type Plan, type Margins } from './plan.js';
export { openCache, userCacheDir, DEFAULT_CACHE_MAX_BYTES, type ObjectCache } from './cache.js';
export { makeS3Client, customEndpoint, type ClientOptions } from './client.js';
export { createProgressBar, renderProgress, formatBytes, formatDuration, type ProgressBarOptions } from './progress-bar.js';
export { parseS3Url, isS3Url, type S3Location } from './url.js';
export { withRetry, isTransient } from './retry.js';
export { S3_CLI_OPTIONS, s3LoadOptions, parseSize } from './cli-options.js';

export const s3Loader: SourceLoader = {
  name: 's3',
  matches: (spec: string) => isS3Url(spec),
  load: (specs: readonly string[], opts: LoadOptions): Promise<LoadResult> => loadS3(specs, opts as S3LoadOptions),
};
