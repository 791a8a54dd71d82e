/**
 * Live syscall capture over SSH from one or many hosts (Stratoshark's sshdig,
 * multi-host): `capture(specs, opts)` for a table that grows while it runs,
 * `sshLoader` for `load('ssh://...')`.
 */
export { capture, remoteCommandFor, type CaptureOptions, type CaptureResult, type LiveCapture } from './capture.js';
export { sshLoader, captureOptionsFrom } from './loader.js';
export { SshSourceError, type SshFailureKind } from './errors.js';
export type { HostStatus, HostState } from './host-capture.js';
export type { RemoteExit } from './remote-process.js';
export { parseSshSpec, isSshSpec, type SshTarget } from './target.js';
export { sysdigArgv, sysdigCommand, type SysdigInvocation, type Privilege } from './remote-command.js';
export { shellQuote, shellJoin } from './shell-quote.js';
export { resolveHostConfig, type HostConfig } from './ssh-config.js';
export { checkHostKey, fingerprintSha256, addKnownHost } from './known-hosts.js';
export { defaultRowModel, syscallRow, type RowModel, type RowCollector, type SyscallRow } from './rows.js';
export { LiveTable, type ColumnSpec } from './live-table.js';
export { statusText, hostStateText } from './status-text.js';
export { showCapture, captureBundle, type ShowOptions } from './live-view.js';
