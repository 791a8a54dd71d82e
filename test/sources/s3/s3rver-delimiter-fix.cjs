/**
 * Preloaded into the s3rver child (NODE_OPTIONS=--require): s3rver 3.7.1
 * answers ListObjectsV2 with Delimiter wrongly for deep keys. Its directory
 * walk prunes every directory below a would-be common prefix before any
 * object there was seen, so `AWSLogs/` is never reported for
 * `AWSLogs/<account>/CloudTrail/...` (real S3 reports it). This replaces
 * FilesystemStore#listObjects with the same code, pruning a directory only
 * once its common prefix has been recorded.
 */
'use strict';
const path = require('path');
const { format } = require('util');
const { zip } = require(require.resolve('lodash', { paths: [require.resolve('s3rver')] }));
const s3rverLib = path.dirname(require.resolve('s3rver'));
const FilesystemStore = require(path.join(s3rverLib, 'stores/filesystem.js'));
const S3Object = require(path.join(s3rverLib, 'models/object.js'));
const { walk } = require(path.join(s3rverLib, 'utils.js'));

FilesystemStore.prototype.listObjects = async function listObjects(bucket, options) {
  const { delimiter = '', startAfter = '', prefix = '', maxKeys = Infinity } = options;
  const bucketPath = this.getBucketPath(bucket);
  const delimiterEnc = FilesystemStore.encodeKeyPath(delimiter);
  const startAfterPath = [bucketPath, FilesystemStore.encodeKeyPath(startAfter)].join('/');
  const prefixPath = [bucketPath, FilesystemStore.encodeKeyPath(prefix)].join('/');
  const commonPrefixes = new Set();
  const commonPrefixPaths = new Set();

  const it = walk(bucketPath, (dirPath) => {
    if (dirPath < startAfterPath && startAfterPath.indexOf(dirPath) === -1) return false;
    if (dirPath.startsWith(prefixPath)) {
      const rest = dirPath.slice(prefixPath.length);
      const idx = delimiterEnc ? rest.indexOf(delimiterEnc) : -1;
      // prune below a common prefix only once it is known (the fix)
      if (idx !== -1 && commonPrefixPaths.has(prefixPath + rest.slice(0, idx + delimiterEnc.length))) return false;
    } else if (!prefixPath.startsWith(dirPath)) {
      return false;
    }
    return true;
  });

  const objectSuffix = format('%s._S3rver_%s', '', 'object');
  const keys = [];
  let isTruncated = false;
  for (const keyPath of it) {
    if (!keyPath.endsWith(objectSuffix)) continue;
    const key = FilesystemStore.decodeKeyPath(keyPath.slice(bucketPath.length + 1, -objectSuffix.length));
    if (key <= startAfter || !key.startsWith(prefix)) continue;
    if (delimiter) {
      const idx = key.slice(prefix.length).indexOf(delimiter);
      if (idx !== -1) {
        const cp = key.slice(0, prefix.length + idx + 1);
        commonPrefixes.add(cp);
        commonPrefixPaths.add([bucketPath, FilesystemStore.encodeKeyPath(cp)].join('/'));
        continue;
      }
    }
    if (keys.length < maxKeys) keys.push(key);
    else {
      isTruncated = true;
      break;
    }
  }
  const metadataArr = await Promise.all(
    keys.map((key) =>
      this.getMetadata(bucket, key).catch((err) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      }),
    ),
  );
  return {
    objects: zip(keys, metadataArr)
      .filter(([, metadata]) => metadata !== undefined)
      .map(([key, metadata]) => new S3Object(bucket, key, null, metadata)),
    commonPrefixes: [...commonPrefixes].sort(),
    isTruncated,
  };
};
