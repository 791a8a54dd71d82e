/**
 * CloudTrail events worth a look on their own (new users and keys, policy
 * attachments, logging changes...), with why, and the detail that matters
 * for each (target user, key id, policy, bucket...).
 */
import { pick, pickStr } from './report.js';

/** Events worth a look on their own, with why. */
export const NOTABLE: Record<string, string> = {
  CreateUser: 'new IAM user',
  CreateAccessKey: 'new access key',
  UpdateAccessKey: 'access key status changed',
  DeleteAccessKey: 'access key deleted',
  CreateLoginProfile: 'console password set',
  UpdateLoginProfile: 'console password changed',
  AttachUserPolicy: 'policy attached to user',
  AttachRolePolicy: 'policy attached to role',
  AttachGroupPolicy: 'policy attached to group',
  PutUserPolicy: 'inline user policy',
  PutRolePolicy: 'inline role policy',
  AddUserToGroup: 'user added to group',
  CreateRole: 'new role',
  UpdateAssumeRolePolicy: 'role trust policy changed',
  StopLogging: 'CloudTrail logging stopped',
  DeleteTrail: 'trail deleted',
  UpdateTrail: 'trail changed',
  PutEventSelectors: 'trail event selectors changed',
  DeleteFlowLogs: 'VPC flow logs deleted',
  PutBucketPolicy: 'bucket policy changed',
  PutBucketAcl: 'bucket ACL changed',
  DeleteBucketPolicy: 'bucket policy deleted',
  PutBucketPublicAccessBlock: 'bucket public access block changed',
  DeletePublicAccessBlock: 'public access block deleted',
  AuthorizeSecurityGroupIngress: 'security group opened',
  CreateKeyPair: 'new EC2 key pair',
  ImportKeyPair: 'EC2 key pair imported',
  GetPasswordData: 'EC2 Windows password read',
  ModifyInstanceAttribute: 'instance attribute changed (user data?)',
  DisableKey: 'KMS key disabled',
  ScheduleKeyDeletion: 'KMS key deletion scheduled',
  DeleteDetector: 'GuardDuty detector deleted',
  LeaveOrganization: 'account left the organization',
  CreateSnapshot: 'volume snapshot',
  ModifySnapshotAttribute: 'snapshot shared?',
  ModifyImageAttribute: 'AMI shared?',
};

/** Detail text of a notable event, from its request and response. */
export function notableDetail(name: string, raw: unknown): string {
  const rp = (k: string) => pickStr(raw, 'requestParameters', k);
  switch (name) {
    case 'CreateUser':
    case 'CreateLoginProfile':
    case 'UpdateLoginProfile':
    case 'AddUserToGroup':
      return [rp('userName') && `user=${rp('userName')}`, rp('groupName') && `group=${rp('groupName')}`].filter(Boolean).join(' ');
    case 'CreateAccessKey':
      return [
        `user=${rp('userName') ?? '(self)'}`,
        pickStr(raw, 'responseElements', 'accessKey', 'accessKeyId') && `key=${pickStr(raw, 'responseElements', 'accessKey', 'accessKeyId')}`,
      ]
        .filter(Boolean)
        .join(' ');
    case 'AttachUserPolicy':
    case 'AttachRolePolicy':
    case 'AttachGroupPolicy':
      return `${rp('userName') ?? rp('roleName') ?? rp('groupName') ?? ''} ${rp('policyArn') ?? ''}`.trim();
    case 'PutUserPolicy':
    case 'PutRolePolicy':
      return `${rp('userName') ?? rp('roleName') ?? ''} ${rp('policyName') ?? ''}`.trim();
    case 'StopLogging':
    case 'DeleteTrail':
    case 'UpdateTrail':
    case 'PutEventSelectors':
      return rp('name') ?? rp('trailName') ?? '';
    case 'AuthorizeSecurityGroupIngress': {
      const ranges = JSON.stringify(pick(raw, 'requestParameters', 'ipPermissions') ?? '');
      return `${rp('groupId') ?? ''} ${ranges.includes('0.0.0.0/0') ? 'from 0.0.0.0/0' : ''}`.trim();
    }
    default:
      return rp('bucketName') ?? rp('instanceId') ?? rp('roleName') ?? rp('keyName') ?? rp('snapshotId') ?? rp('imageId') ?? rp('keyId') ?? '';
  }
}
