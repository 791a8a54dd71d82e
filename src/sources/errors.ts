/**
 * Errors of the source layer, each telling the user what to do. The CLI
 * maps SourceError to exit status 1 (unreadable input) and
 * SourceUnavailableError / NoLoaderError to 1 as well, with the message only.
 */

/** An input that cannot be read at all: names it and says why. */
export class SourceError extends Error {
  constructor(
    readonly spec: string,
    readonly reason: string,
  ) {
    super(`cannot read ${spec}: ${reason}`);
    this.name = 'SourceError';
  }
}

/** A source module that is not present in this build or failed to load. */
export class SourceUnavailableError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`the ${source} source is not available: ${reason}`);
    this.name = 'SourceUnavailableError';
  }
}

/** No loader accepts the spec. */
export class NoLoaderError extends SourceError {
  constructor(spec: string, tried: string[], unavailable: string[], kind?: 'file' | 'directory' | 'empty file') {
    const what =
      kind === 'empty file'
        ? 'the file is empty'
        : kind === 'directory'
          ? 'no file in this directory is a CloudTrail, GCP audit log or sysdig capture file'
          : 'no source recognises it';
    const parts = [`${what} (tried ${tried.join(', ') || 'none'})`];
    if (unavailable.length) parts.push(`unavailable: ${unavailable.join('; ')}`);
    super(spec, parts.join('; '));
    this.name = 'NoLoaderError';
  }
}
