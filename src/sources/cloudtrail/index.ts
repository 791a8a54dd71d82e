/**
 * AWS CloudTrail: fields (Falco's cloudtrail plugin), the streaming parser
 * (also used on S3 object bodies), the file loader and the table builder.
 */
import '../../fields/json.js';
export { cloudtrailFields, CLOUDTRAIL_SOURCE } from './fields.js';
export { ctInfo, ctString, shortSource } from './info.js';
export { ctUser, ctOriginalUser } from './user.js';
export { parseCloudTrailStream, parseCloudTrailBytes, decodeBytes, StreamError, type StreamResult, type ByteSource, type ParseOptions, type DecodedFile } from './read-stream.js';
export { textPrefilter } from './prefilter.js';
export { RecordSplitter, NotJsonError, TruncatedError } from './split.js';
export { unwrap, looksLikeRecord, type CloudTrailRecord } from './unwrap.js';
export { buildCloudTrailTable, DEFAULT_FIELDS, sortByTime, timed, type TimedRecord } from './table.js';
export { loadCloudTrail, listCloudTrailFiles } from './read-files.js';
export { filterPredicate as compileRecordFilter, timePredicate, type RecordPredicate } from './read-filter.js';
export { parseTimestamp, recordTime, parseBound } from './time.js';
export { isCloudTrailPath, looksLikeCloudTrailText } from './sniff.js';
export { cloudtrailLoader } from './loader.js';
