/** Who made the call: `ct.user` and `ct.originaluser`, exactly as the plugin derives them. */
import { getStr, strGetter } from './json-get.js';

const identityType = strGetter(['userIdentity', 'type']);
const userName = strGetter(['userIdentity', 'userName']);
const invokedBy = strGetter(['userIdentity', 'invokedBy']);
const issuerName = strGetter(['userIdentity', 'sessionContext', 'sessionIssuer', 'userName']);

/**
 * `ct.user` by `userIdentity.type`: Root/IAMUser → userName; AWSService →
 * invokedBy; AssumedRole → sessionIssuer.userName, else "AssumedRole";
 * AWSAccount / FederatedUser → the literal type; anything else → absent.
 */
export function ctUser(rec: unknown): string | null {
  switch (identityType(rec)) {
    case 'Root':
    case 'IAMUser':
      return userName(rec);
    case 'AWSService':
      return invokedBy(rec);
    case 'AssumedRole':
      return issuerName(rec) ?? 'AssumedRole';
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
