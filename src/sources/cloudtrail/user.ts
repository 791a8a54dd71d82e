/** Who made the call: `ct.user` and `ct.originaluser`, exactly as the plugin derives them. */
import { getStr } from './json-get.js';

/**
 * `ct.user` by `userIdentity.type`: Root/IAMUser → userName; AWSService →
 * invokedBy; AssumedRole → sessionIssuer.userName, else "AssumedRole";
 * AWSAccount / FederatedUser → the literal type; anything else → absent.
 */
export function ctUser(rec: unknown): string | null {
  const type = getStr(rec, 'userIdentity', 'type');
  switch (type) {
    case 'Root':
    case 'IAMUser':
      return getStr(rec, 'userIdentity', 'userName');
    case 'AWSService':
      return getStr(rec, 'userIdentity', 'invokedBy');
    case 'AssumedRole':
      return getStr(rec, 'userIdentity', 'sessionContext', 'sessionIssuer', 'userName') ?? 'AssumedRole';
    case 'AWSAccount':
      return 'AWSAccount';
    case 'FederatedUser':
      return 'FederatedUser';
    default:
      return null;
  }
}

/**
 * `ct.originaluser`: for AssumedRole the session name (last segment of
 * `assumed-role/<role>/<session>` ARNs, else the part after `:` of the
 * principalId); for other types `userIdentity.userName`.
 */
export function ctOriginalUser(rec: unknown): string | null {
  const type = getStr(rec, 'userIdentity', 'type');
  if (type === 'AssumedRole') {
    const arn = getStr(rec, 'userIdentity', 'arn');
    if (arn !== null) {
      const parts = arn.split('/');
      if (parts.length === 3) return parts[2]!;
    }
    const pid = getStr(rec, 'userIdentity', 'principalId');
    if (pid !== null) {
      const parts = pid.split(':');
      if (parts.length === 2) return parts[1]!;
    }
    return null;
  }
  return getStr(rec, 'userIdentity', 'userName');
}
