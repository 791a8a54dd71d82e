/**
 * The one error type of the SSH source: it always names the host (as the
 * user named it) and says which stage failed, so that a capture from many
 * hosts can report each failure on its own line and go on with the others.
 */

export type SshFailureKind =
  /** a bad spec, a missing key file, a bad option: nothing was attempted */
  | 'config'
  /** TCP connect, DNS, handshake or timeout */
  | 'network'
  /** the host's key is not in known_hosts, changed, or revoked */
  | 'hostkey'
  /** no key or agent identity was accepted */
  | 'auth'
  /** the remote command could not run (not found, not permitted) or failed */
  | 'command'
  /** the bytes that arrived are not a scap stream */
  | 'stream';

export class SshSourceError extends Error {
  readonly host: string;
  readonly kind: SshFailureKind;
  /** the message without the host name in front */
  readonly reason: string;
  constructor(host: string, kind: SshFailureKind, message: string, options?: { cause?: unknown }) {
    super(`${host}: ${message}`, options);
    this.name = 'SshSourceError';
    this.host = host;
    this.kind = kind;
    this.reason = message;
  }
}
