/**
 * Cloud Logging API failures as messages an incident responder can act on:
 * which resource, which permission or setting, what to do next.
 */

/** An API call that failed for good (after the client's retries). */
export class GcpApiError extends Error {
  constructor(
    message: string,
    /** gRPC status code (7 PERMISSION_DENIED, 4 DEADLINE_EXCEEDED...), when known */
    readonly code: number | undefined,
    /** the resource read: projects/P */
    readonly parent: string,
  ) {
    super(message);
    this.name = 'GcpApiError';
  }
}

export const LIST_PERMISSION = 'logging.logEntries.list';
export const PRIVATE_PERMISSION = 'logging.privateLogEntries.list';

function detailOf(err: any): string {
  const d = String(err?.details ?? err?.message ?? err ?? '').trim();
  return d.replace(/^\d+ [A-Z_]+: /, '');
}

/** The GcpApiError for a failure of entries.list on `parent` with `query`. */
export function describeApiError(err: any, ctx: { parent: string; query: string; endpoint: string }): GcpApiError {
  const code: number | undefined = typeof err?.code === 'number' ? err.code : undefined;
  const detail = detailOf(err);
  const server = detail ? ` (server: ${detail})` : '';
  const { parent } = ctx;
  switch (code) {
    case 7:
      return new GcpApiError(
        `permission denied reading log entries of ${parent}: the caller needs ${LIST_PERMISSION} (role roles/logging.viewer), ` +
          `and ${PRIVATE_PERMISSION} (roles/logging.privateLogViewer) for Data Access and Policy audit logs${server}`,
        code,
        parent,
      );
    case 16:
      return new GcpApiError(
        `not authenticated to Cloud Logging for ${parent}: set GOOGLE_APPLICATION_CREDENTIALS to a service account key, ` +
          `or run "gcloud auth application-default login"${server}`,
        code,
        parent,
      );
    case 4:
      return new GcpApiError(
        `Cloud Logging did not answer in time for ${parent} (DEADLINE_EXCEEDED, retries exhausted): ` +
          `narrow --since/--until or the filter, or try again${server}`,
        code,
        parent,
      );
    case 3:
      return new GcpApiError(`Cloud Logging rejected the query for ${parent} (INVALID_ARGUMENT): ${ctx.query}${server}`, code, parent);
    case 5:
      return new GcpApiError(`${parent} was not found by Cloud Logging (NOT_FOUND): check the project id${server}`, code, parent);
    case 8:
      return new GcpApiError(
        `Cloud Logging quota exceeded reading ${parent} (RESOURCE_EXHAUSTED): entries.list allows 60 requests a minute per project; ` +
          `wait and retry, or narrow the time range${server}`,
        code,
        parent,
      );
    case 14:
      return new GcpApiError(`Cloud Logging at ${ctx.endpoint} is unreachable (UNAVAILABLE) while reading ${parent}${server}`, code, parent);
    default:
      break;
  }
  if (/default credentials|Could not load the default credentials|Unable to detect a Project Id/i.test(detail)) {
    return new GcpApiError(
      `no Google credentials for ${parent}: set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, ` +
        `or run "gcloud auth application-default login" (${detail})`,
      code,
      parent,
    );
  }
  return new GcpApiError(`reading log entries of ${parent} failed${code !== undefined ? ` (gRPC code ${code})` : ''}: ${detail}`, code, parent);
}
