/** `ct.readonly`, including the plugin's eventName heuristic for records without `readOnly`. */
import { getPath, getStr } from './json-get.js';

/** eventName prefixes the plugin treats as writes when `readOnly` is missing. */
export const WRITE_PREFIXES: readonly string[] = [
  'Start', 'Stop', 'Create', 'Destroy', 'Delete', 'Add', 'Remove', 'Terminate', 'Put', 'Associate',
  'Disassociate', 'Attach', 'Detach', 'Open', 'Close', 'Wipe', 'Update', 'Upgrade', 'Unlink', 'Assign',
  'Unassign', 'Suspend', 'Set', 'Run', 'Register', 'Deregister', 'Reboot', 'Purchase', 'Modify',
  'Initialize', 'Enable', 'Disable', 'Cancel', 'Admin', 'Activate',
];

/**
 * "true" / "false". When `readOnly` is missing (older records, some service
 * events) the eventName prefix decides, as the plugin's code intends (its
 * branch is unreachable there). Absent only when both are missing.
 */
export function ctReadOnly(rec: unknown): string | null {
  const v = getPath(rec, 'readOnly');
  if (v !== undefined && v !== null) return v === true || v === 'true' ? 'true' : 'false';
  const name = getStr(rec, 'eventName');
  if (name === null) return null;
  return WRITE_PREFIXES.some((p) => name.startsWith(p)) ? 'false' : 'true';
}
