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
export { gcpLoader, isGcpUrl } from './loader.js';
