/**
 * Google Cloud audit logs: the gcp.* fields (Falco's gcpaudit plugin, exact
 * LogEntry mapping), file reading (JSON arrays, JSON lines, pretty-printed
 * entries, GCS exports, Pub/Sub and Eventarc wrappers; plain or gzip), the
 * Cloud Logging API (`gcp://projects/P[/logs/L]`) with filter push-down.
 */
export { gcpFields, FALCO_GCP_FIELDS, GCP_SOURCE, gcpExtractor, gcpLocation, gcpPolicyDelta, gcpLogType } from './fields.js';
export { gcpInfo } from './info.js';
export { parseEntryTime, entryTime } from './time.js';
export { unwrap, looksLikeEntry, type LogEntry } from './unwrap.js';
export { parseEntries, readEntriesFile } from './read.js';
export { buildGcpTable, DEFAULT_FIELDS, sortByTime, timed, type TimedEntry } from './table.js';
export { loadGcpFiles } from './read-files.js';
export { isGcpPath, isGcpFile, looksLikeGcpText } from './sniff.js';
export { gcpLoader, isGcpUrl, loadGcpLive } from './loader.js';
export { parseGcpUrl, GcpUrlError, type GcpTarget } from './gcp-url.js';
export { pushdownQuery, serverQuery, translate, PUSHABLE } from './pushdown.js';
export { compileLoggingQuery, parseLoggingQuery, LoggingQueryError } from './logging-query.js';
export type { GcpLiveOptions } from './client.js';
